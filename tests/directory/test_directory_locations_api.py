"""Organisation and locations over HTTP: CRUD, validation, guards, open status."""

from __future__ import annotations

import pytest
from directory_bodies import location_body

from careline.security.model import Role

LOCATIONS = "/api/v1/locations"


def total(client) -> int:
    r = client.get(LOCATIONS)
    assert r.status_code == 200, r.text
    return r.json()["total"]


def fields(r) -> list[str]:
    return [e["field"] for e in r.json().get("errors", [])]


# ---------------------------------------------------------------- organisation


def test_organisation_is_set_then_read(admin):
    r = admin.get("/api/v1/organisation")
    assert r.status_code == 404
    assert r.json()["error_id"] == "no-organisation"
    r = admin.put("/api/v1/organisation", json={"name": "Lakeside Health", "country": "us"})
    assert r.status_code == 200, r.text
    assert r.json() == {"name": "Lakeside Health", "country": "US"}
    admin.put("/api/v1/organisation", json={"name": "Lakeside Health Network", "country": "US"})
    assert admin.get("/api/v1/organisation").json()["name"] == "Lakeside Health Network"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X", "country": "ZZ"},
        {"name": "", "country": "US"},
        {"name": "X", "country": "US", "tax_id": "1"},
    ],
)
def test_organisation_rejects_bad_input(admin, body):
    r = admin.put("/api/v1/organisation", json=body)
    assert r.status_code == 422
    assert admin.get("/api/v1/organisation").status_code == 404


# ---------------------------------------------------------------- CRUD


def test_create_get_list_location(admin):
    r = admin.post(LOCATIONS, json=location_body())
    assert r.status_code == 201, r.text
    loc = r.json()
    assert loc["code"] == "LKV"
    assert loc["main_phone"] == "+13125550142"
    assert loc["holiday_country"] == "US"
    assert loc["holiday_subdivision"] == "IL"
    assert loc["observe_holidays"] is True
    assert loc["dispatch_address_is_postal"] is True
    assert loc["dispatch_address"] == {**loc["address"], "location_detail": None}
    assert admin.get(f"{LOCATIONS}/{loc['id']}").json() == loc
    page = admin.get(LOCATIONS, params={"limit": 1}).json()
    assert page["total"] == 1 and page["items"] == [loc] and page["limit"] == 1


def test_explicit_dispatch_address_and_closures(admin):
    dispatch = {
        "line1": "3200 N Lake Shore Dr",
        "city": "Chicago",
        "region": "IL",
        "postal_code": "60657",
        "country": "US",
        "location_detail": "Floor 2, Suite 210",
    }
    closures = [
        {"starts_on": "2026-04-01", "reason": "Staff training"},
        {
            "starts_on": "2026-03-20",
            "ends_on": "2026-03-21",
            "closed_from": "12:00",
            "closed_until": "17:00",
            "reason": "Inventory",
        },
    ]
    r = admin.post(LOCATIONS, json=location_body(dispatch_address=dispatch, closures=closures))
    assert r.status_code == 201, r.text
    loc = r.json()
    assert loc["dispatch_address"] == {**dispatch, "line2": None}
    assert loc["dispatch_address_is_postal"] is False
    # Sorted by start, with the end date filled in.
    assert [c["starts_on"] for c in loc["closures"]] == ["2026-03-20", "2026-04-01"]
    assert loc["closures"][1]["ends_on"] == "2026-04-01"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "America/Springfield"}, "body.timezone"),
        ({"timezone": "localtime"}, "body.timezone"),
        (
            {
                "hours": [
                    {"weekday": 0, "opens": "08:00", "closes": "12:00"},
                    {"weekday": 1, "opens": "08:00", "closes": "12:00"},
                    {"weekday": 0, "opens": "13:00", "closes": "17:00"},
                    {"weekday": 0, "opens": "11:30", "closes": "14:00"},
                ]
            },
            "body.hours.3",
        ),
        ({"hours": [{"weekday": 2, "opens": "17:00", "closes": "08:00"}]}, "body.hours.0"),
        ({"hours": [{"weekday": 2, "opens": "09:00", "closes": "09:00"}]}, "body.hours.0"),
        ({"hours": [{"weekday": 7, "opens": "09:00", "closes": "10:00"}]}, "body.hours.0.weekday"),
        ({"hours": [{"weekday": 1, "opens": "9am", "closes": "10:00"}]}, "body.hours.0.opens"),
        ({"main_phone": "555-01"}, "body.main_phone"),
        ({"holiday_subdivision": "ZZ"}, "body.holiday_subdivision"),
        ({"holiday_country": "XX"}, "body.holiday_country"),
        ({"holiday_country": "AC", "holiday_subdivision": None}, "body.holiday_country"),
        ({"code": "no spaces"}, "body.code"),
        ({"colour": "blue"}, "body.colour"),
        ({"address": {"line1": "1 Main", "city": "Chicago", "country": "US"}}, "body.address"),
        (
            {"closures": [{"starts_on": "2026-04-02", "ends_on": "2026-04-01", "reason": "x"}]},
            "body.closures.0.ends_on",
        ),
        (
            {"closures": [{"starts_on": "2026-04-02", "closed_from": "12:00", "reason": "x"}]},
            "body.closures.0",
        ),
    ],
)
def test_invalid_location_is_refused_and_nothing_written(admin, overrides, field):
    r = admin.post(LOCATIONS, json=location_body(**overrides))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert any(f == field or f.startswith(field + ".") for f in fields(r)), fields(r)
    assert total(admin) == 0


def test_invalid_phone_error_does_not_echo_the_number(admin):
    r = admin.post(LOCATIONS, json=location_body(main_phone="+1 999 000 1234"))
    assert r.status_code == 422
    assert "999" not in r.text


def test_location_codes_are_unique(new_location, admin):
    new_location(code="DT")
    r = admin.post(LOCATIONS, json=location_body(code="dt", name="Other"))
    assert r.status_code == 409
    assert r.json()["error_id"] == "location-code-taken"
    assert total(admin) == 1


def test_patch_changes_only_given_fields(new_location, admin):
    loc = new_location()
    r = admin.patch(f"{LOCATIONS}/{loc['id']}", json={"name": "Lakeview Clinic"})
    assert r.status_code == 200, r.text
    assert r.json() == {**loc, "name": "Lakeview Clinic"}
    hours = [{"weekday": 5, "opens": "09:00", "closes": "12:00"}]
    r = admin.patch(
        f"{LOCATIONS}/{loc['id']}",
        json={"hours": hours, "dispatch_address": {**loc["address"], "location_detail": "Rear"}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["hours"] == hours
    assert r.json()["dispatch_address"]["location_detail"] == "Rear"
    # null puts the dispatch address back to the postal one
    r = admin.patch(f"{LOCATIONS}/{loc['id']}", json={"dispatch_address": None})
    assert r.json()["dispatch_address_is_postal"] is True


@pytest.mark.parametrize(
    "change",
    [
        {"timezone": "Mars/Olympus_Mons"},
        {"hours": [{"weekday": 0, "opens": "08:00", "closes": "12:00"}] * 2},
        {"name": None},
        {"hours": None},
        {"main_phone": "12"},
        {"id": "x"},
    ],
)
def test_bad_patch_leaves_the_location_unchanged(new_location, admin, change):
    loc = new_location()
    r = admin.patch(f"{LOCATIONS}/{loc['id']}", json=change)
    assert r.status_code == 422, r.text
    assert admin.get(f"{LOCATIONS}/{loc['id']}").json() == loc


def test_patch_to_a_taken_code_conflicts(new_location, admin):
    new_location(code="A1")
    other = new_location(code="B2")
    r = admin.patch(f"{LOCATIONS}/{other['id']}", json={"code": "a1"})
    assert r.status_code == 409
    assert admin.get(f"{LOCATIONS}/{other['id']}").json()["code"] == "B2"


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_location_is_404(admin, method):
    r = admin.request(method, f"{LOCATIONS}/nope", json={} if method == "PATCH" else None)
    assert r.status_code == 404
    body = r.json()
    assert body["error_id"] == "no-such-location"
    assert body["status"] == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_delete_refused_while_in_use(new_location, new_department, admin):
    loc = new_location()
    dept = new_department(location_id=loc["id"])
    r = admin.delete(f"{LOCATIONS}/{loc['id']}")
    assert r.status_code == 409
    assert r.json()["error_id"] == "location-in-use"

    assert admin.delete(f"/api/v1/departments/{dept['id']}").status_code == 204
    staff = admin.post(
        "/api/v1/staff", json={"display_name": "Sam", "location_ids": [loc["id"]]}
    ).json()
    assert admin.delete(f"{LOCATIONS}/{loc['id']}").status_code == 409

    assert admin.delete(f"/api/v1/staff/{staff['id']}").status_code == 204
    assert admin.delete(f"{LOCATIONS}/{loc['id']}").status_code == 204
    assert admin.get(f"{LOCATIONS}/{loc['id']}").status_code == 404


def test_fixture_locations_are_readable_and_patchable(admin, make_location):
    location_id = make_location(name="Fixture Clinic")
    assert admin.get(f"{LOCATIONS}/{location_id}").json()["name"] == "Fixture Clinic"
    r = admin.patch(f"{LOCATIONS}/{location_id}", json={"observe_holidays": False})
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------- guards and audit


@pytest.mark.parametrize("role", [Role.clinician, Role.auditor, Role.agent])
def test_readers_cannot_write(client, make_user, login, make_location, role):
    location_id = make_location()
    login(make_user(role))
    assert client.get(LOCATIONS).status_code == 200
    r = client.post(LOCATIONS, json=location_body())
    assert r.status_code == 403
    assert r.json()["error_id"] == "permission-denied"
    assert client.patch(f"{LOCATIONS}/{location_id}", json={"name": "X"}).status_code == 403
    assert client.delete(f"{LOCATIONS}/{location_id}").status_code == 403
    assert (
        client.put("/api/v1/organisation", json={"name": "X", "country": "US"}).status_code == 403
    )
    assert total(client) == 1


def test_anonymous_is_401(client):
    assert client.get(LOCATIONS).status_code == 401


def test_writes_are_audited_by_id(new_location, admin):
    loc = new_location()
    admin.patch(f"{LOCATIONS}/{loc['id']}", json={"name": "Renamed"})
    r = admin.get("/api/v1/audit", params={"action": "location.update"})
    assert r.status_code == 200, r.text
    [entry] = r.json()["items"]
    assert entry["resource_type"] == "location"
    assert entry["resource_id"] == loc["id"]
    assert entry["details"] == {"fields": ["name"]}
    r = admin.get("/api/v1/audit", params={"action": "location.create"})
    assert [e["resource_id"] for e in r.json()["items"]] == [loc["id"]]


# ---------------------------------------------------------------- open status


def test_open_status_across_spring_forward(new_location, admin):
    loc = new_location()  # Chicago, Mon-Fri 08:00-17:00, US-IL holidays
    url = f"{LOCATIONS}/{loc['id']}/open-status"
    # Monday March 9, 2026 13:30 UTC is 08:30 CDT.
    r = admin.get(url, params={"at": "2026-03-09T13:30:00Z"})
    assert r.status_code == 200, r.text
    assert r.json()["open"] is True
    assert r.json()["local_time"] == "2026-03-09T08:30:00-05:00"
    # Tuesday March 3, 2026 13:30 UTC is 07:30 CST: closed, opens at 08:00 CST.
    r = admin.get(url, params={"at": "2026-03-03T13:30:00+00:00"})
    assert r.json()["open"] is False
    assert r.json()["next_open"] == "2026-03-03T14:00:00Z"


def test_open_status_honours_state_holiday_and_default_now(new_location, admin, clock):
    loc = new_location()
    # The test clock starts Monday March 2, 2026 15:00 UTC: Casimir Pulaski Day in Illinois.
    r = admin.get(f"{LOCATIONS}/{loc['id']}/open-status")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["open"] is False
    assert body["at"] == clock.now().isoformat().replace("+00:00", "Z")
    assert body["next_open"] == "2026-03-03T14:00:00Z"
    admin.patch(f"{LOCATIONS}/{loc['id']}", json={"observe_holidays": False})
    assert admin.get(f"{LOCATIONS}/{loc['id']}/open-status").json()["open"] is True


def test_open_status_local_closure(new_location, admin):
    loc = new_location(closures=[{"starts_on": "2026-03-10", "reason": "Staff training"}])
    r = admin.get(f"{LOCATIONS}/{loc['id']}/open-status", params={"at": "2026-03-10T15:00:00Z"})
    assert r.json()["open"] is False
    assert r.json()["next_open"] == "2026-03-11T13:00:00Z"


@pytest.mark.parametrize("at", ["2026-03-09T13:30:00", "not-a-date", "0001-01-01T00:00:00Z"])
def test_open_status_rejects_bad_instants(new_location, admin, at):
    loc = new_location()
    r = admin.get(f"{LOCATIONS}/{loc['id']}/open-status", params={"at": at})
    assert r.status_code == 422
    assert fields(r) and fields(r)[0].startswith("query.at")


def test_open_status_unknown_location(admin):
    r = admin.get(f"{LOCATIONS}/nope/open-status")
    assert r.status_code == 404
    assert r.json()["error_id"] == "no-such-location"
