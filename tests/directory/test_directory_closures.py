"""One closure at a time (issue 12): adding a holiday closure never deletes another.

Before: closures could only be changed by PATCHing a location with the whole list,
so a manager who added "Staff training" while a colleague added "Flu clinic day"
from a list loaded a minute earlier silently deleted the colleague's closure.
"""

from __future__ import annotations

import threading

from careline.directory import service as directory
from careline.directory.model import Closure
from careline.security.model import SYSTEM, Role


def _closures(client, location_id: str) -> dict[str, str]:
    body = client.get(f"/api/v1/locations/{location_id}").json()
    return {c["reason"]: c["id"] for c in body["closures"]}


def test_two_managers_add_closures_and_neither_undoes_the_other(
    client, rt, make_location, make_user, login
):
    clinic = make_location("Riverside")
    login(make_user((Role.manager, clinic)))
    first = client.post(
        f"/api/v1/locations/{clinic}/closures",
        json={"starts_on": "2026-12-24", "reason": "Staff training"},
    )
    assert first.status_code == 201, first.text
    # A colleague's edit, through the service as another session would make it.
    directory.add_closure(
        rt,
        actor=SYSTEM,
        location_id=clinic,
        closure=Closure(starts_on="2026-12-28", reason="Flu clinic day"),
    )
    second = client.post(
        f"/api/v1/locations/{clinic}/closures",
        json={
            "starts_on": "2026-12-31",
            "closed_from": "12:00",
            "closed_until": "17:00",
            "reason": "New Year's Eve, afternoon",
        },
    )
    assert second.status_code == 201
    assert set(_closures(client, clinic)) == {
        "Staff training",
        "Flu clinic day",
        "New Year's Eve, afternoon",
    }
    again = client.post(
        f"/api/v1/locations/{clinic}/closures",
        json={"starts_on": "2026-12-24", "reason": "Staff training"},
    )
    assert again.json()["id"] == first.json()["id"]  # the same closure is one closure
    assert len(_closures(client, clinic)) == 3
    removed = client.delete(f"/api/v1/locations/{clinic}/closures/{first.json()['id']}")
    assert removed.status_code == 204
    assert set(_closures(client, clinic)) == {"Flu clinic day", "New Year's Eve, afternoon"}
    gone = client.delete(f"/api/v1/locations/{clinic}/closures/{first.json()['id']}")
    assert gone.status_code == 404 and gone.json()["error_id"] == "no-such-closure"


def test_concurrent_additions_are_all_kept(rt, make_location):
    clinic = make_location("Lakeside")
    errors: list[BaseException] = []

    def add(day: int) -> None:
        try:
            directory.add_closure(
                rt,
                actor=SYSTEM,
                location_id=clinic,
                closure=Closure(starts_on=f"2027-01-{day:02d}", reason=f"Closed {day}"),
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(d,)) for d in range(4, 12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    view = directory.get_location(rt, location_id=clinic)
    assert sorted(c.reason for c in view.closures) == sorted(f"Closed {d}" for d in range(4, 12))


def test_closures_are_checked_and_scoped(client, make_location, make_user, login):
    mine, theirs = make_location("Riverside"), make_location("Harbour")
    login(make_user((Role.manager, mine)))
    bad = client.post(
        f"/api/v1/locations/{mine}/closures",
        json={"starts_on": "2026-12-24", "ends_on": "2026-12-20", "reason": "Backwards"},
    )
    assert bad.status_code == 422
    other = client.post(
        f"/api/v1/locations/{theirs}/closures",
        json={"starts_on": "2026-12-24", "reason": "Not mine to close"},
    )
    assert other.status_code == 403
    assert client.delete(f"/api/v1/locations/{mine}/closures/not-an-id").status_code == 422
