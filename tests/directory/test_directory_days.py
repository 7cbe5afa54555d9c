"""The next days of a location (issue 12, the manager's preview): each local day open
or closed, its open periods after public holidays and local closures, and why not."""

from __future__ import annotations

from datetime import date

from careline.security.model import Role


def test_two_weeks_of_a_clinic_with_a_holiday_and_closures(admin, new_location):
    clinic = new_location(
        hours=[
            *({"weekday": d, "opens": "08:00", "closes": "17:00"} for d in range(5)),
            {"weekday": 5, "opens": "09:00", "closes": "12:00"},
        ],
        closures=[
            {"starts_on": "2026-12-24", "reason": "Staff training"},
            {
                "starts_on": "2026-12-31",
                "closed_from": "12:00",
                "closed_until": "17:00",
                "reason": "New Year's Eve, afternoon",
            },
        ],
    )
    r = admin.get(f"/api/v1/locations/{clinic['id']}/days", params={"from": "2026-12-21"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["timezone"] == "America/Chicago"
    days = {d["day"]: d for d in body["days"]}
    assert len(body["days"]) == 14 and min(days) == "2026-12-21" and max(days) == "2027-01-03"
    monday = days["2026-12-21"]
    assert monday["open"] and monday["weekday"] == 0
    assert monday["periods"] == [{"opens": "08:00", "closes": "17:00"}]
    assert monday["holiday"] is None and monday["closures"] == []
    training = days["2026-12-24"]
    assert not training["open"] and training["periods"] == []
    assert [c["reason"] for c in training["closures"]] == ["Staff training"]
    christmas = days["2026-12-25"]
    assert not christmas["open"] and christmas["holiday"] == "Christmas Day"
    assert days["2026-12-26"]["periods"] == [{"opens": "09:00", "closes": "12:00"}]  # Saturday
    assert not days["2026-12-27"]["open"]  # Sunday: no hours
    eve = days["2026-12-31"]
    assert eve["open"] and eve["periods"] == [{"opens": "08:00", "closes": "12:00"}]
    assert eve["closures"][0]["id"]  # the closure's id, for removing just that one
    assert days["2027-01-01"]["holiday"] == "New Year's Day"


def test_holidays_not_observed_and_the_default_start(admin, new_location, clock):
    clinic = new_location(observe_holidays=False)
    r = admin.get(f"/api/v1/locations/{clinic['id']}/days", params={"from": "2026-12-25"})
    christmas = r.json()["days"][0]
    assert christmas["open"] and christmas["holiday"] is None
    # The server's clock reads Monday 2 March 2026, 15:00 UTC: already the 3rd in Tokyo.
    assert clock.now().day == 2
    tokyo = new_location(code="TYO", timezone="Asia/Tokyo")
    r = admin.get(f"/api/v1/locations/{tokyo['id']}/days", params={"days": 3})
    got = [date.fromisoformat(d["day"]) for d in r.json()["days"]]
    assert got == [date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)]


def test_bad_queries_and_unknown_locations(admin, new_location):
    clinic = new_location()
    assert admin.get(f"/api/v1/locations/{clinic['id']}/days", params={"days": 0}).status_code == (
        422
    )
    assert admin.get(f"/api/v1/locations/{clinic['id']}/days", params={"days": 63}).status_code == (
        422
    )
    bad = admin.get(f"/api/v1/locations/{clinic['id']}/days", params={"from": "0001-01-01"})
    assert bad.status_code == 422
    missing = admin.get("/api/v1/locations/nope/days")
    assert missing.status_code == 404 and missing.json()["error_id"] == "no-such-location"


def test_any_directory_reader_may_see_the_days(client, make_location, make_user, login):
    clinic = make_location("Riverside", timezone="America/Chicago")
    login(make_user((Role.agent, clinic)))
    r = client.get(f"/api/v1/locations/{clinic}/days", params={"from": "2026-03-02", "days": 7})
    assert r.status_code == 200
    assert [d["open"] for d in r.json()["days"]] == [True] * 5 + [False] * 2
