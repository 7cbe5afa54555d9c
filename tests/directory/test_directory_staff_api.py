"""Departments, staff and presence over HTTP; available-staff selection."""

from __future__ import annotations

from datetime import timedelta

import pytest
from directory_bodies import staff_body

from careline.directory import service as directory
from careline.directory.model import DepartmentKind
from careline.security.model import Role

DEPARTMENTS = "/api/v1/departments"
STAFF = "/api/v1/staff"


def iso(dt) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def fields(r) -> list[str]:
    return [e["field"] for e in r.json().get("errors", [])]


# ---------------------------------------------------------------- departments


def test_department_crud(admin, make_location):
    location_id = make_location()
    r = admin.post(
        DEPARTMENTS, json={"name": "Scheduling", "kind": "scheduling", "location_id": location_id}
    )
    assert r.status_code == 201, r.text
    dept = r.json()
    assert dept["kind"] == "scheduling" and dept["location_id"] == location_id
    network = admin.post(DEPARTMENTS, json={"name": "Nurse line", "kind": "nurse_triage"}).json()
    assert network["location_id"] is None

    assert admin.get(f"{DEPARTMENTS}/{dept['id']}").json() == dept
    assert admin.get(DEPARTMENTS).json()["total"] == 2
    by_kind = admin.get(DEPARTMENTS, params={"kind": "nurse_triage"}).json()
    assert [d["id"] for d in by_kind["items"]] == [network["id"]]
    at_location = admin.get(DEPARTMENTS, params={"location_id": location_id}).json()
    assert [d["id"] for d in at_location["items"]] == [dept["id"]]

    r = admin.patch(f"{DEPARTMENTS}/{dept['id']}", json={"location_id": None, "kind": "billing"})
    assert r.status_code == 200, r.text
    assert r.json() == {**dept, "location_id": None, "kind": "billing"}

    assert admin.delete(f"{DEPARTMENTS}/{dept['id']}").status_code == 204
    r = admin.get(f"{DEPARTMENTS}/{dept['id']}")
    assert r.status_code == 404
    assert r.json()["error_id"] == "no-such-department"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "kind": "astrology"}, "body.kind"),
        ({"name": "X", "kind": "general", "location_id": "nope"}, "body.location_id"),
        ({"name": "X", "kind": "general", "floor": 2}, "body.floor"),
        ({"name": "", "kind": "general"}, "body.name"),
    ],
)
def test_invalid_department_writes_nothing(admin, body, field):
    r = admin.post(DEPARTMENTS, json=body)
    assert r.status_code == 422, r.text
    assert field in fields(r)
    assert admin.get(DEPARTMENTS).json()["total"] == 0


def test_department_patch_refuses_nulls_and_unknown_location(admin, new_department):
    dept = new_department()
    for change in ({"name": None}, {"kind": None}, {"location_id": "nope"}):
        assert admin.patch(f"{DEPARTMENTS}/{dept['id']}", json=change).status_code == 422
    assert admin.get(f"{DEPARTMENTS}/{dept['id']}").json() == dept


def test_department_with_staff_cannot_be_deleted(admin, new_department, new_staff):
    dept = new_department()
    new_staff(department_ids=[dept["id"]])
    r = admin.delete(f"{DEPARTMENTS}/{dept['id']}")
    assert r.status_code == 409
    assert r.json()["error_id"] == "department-in-use"


def test_clinician_cannot_write_departments(client, make_user, login):
    login(make_user(Role.clinician))
    assert client.get(DEPARTMENTS).status_code == 200
    r = client.post(DEPARTMENTS, json={"name": "X", "kind": "general"})
    assert r.status_code == 403


# ---------------------------------------------------------------- staff


def test_staff_create_normalises_and_starts_offline(admin, clock, make_location, new_department):
    location_id = make_location()
    dept = new_department()
    e911 = {
        "line1": "12 Elm St",
        "city": "Evanston",
        "region": "IL",
        "postal_code": "60201",
        "country": "US",
        "location_detail": "Home office",
    }
    body = staff_body(
        department_ids=[dept["id"]],
        location_ids=[location_id],
        languages=["EN", "es_mx", "en"],
        endpoints=[
            {"kind": "phone", "address": "312-555-0199", "label": "Desk phone"},
            {
                "kind": "sip",
                "address": "SIP:mlopez@pbx.example.org:5061;transport=tls",
                "label": "Softphone",
                "e911_address": e911,
            },
        ],
    )
    r = admin.post(STAFF, json=body)
    assert r.status_code == 201, r.text
    staff = r.json()
    assert staff["languages"] == ["en", "es-MX"]
    assert [e["address"] for e in staff["endpoints"]] == [
        "+13125550199",
        "sip:mlopez@pbx.example.org:5061;transport=tls",
    ]
    assert staff["endpoints"][1]["e911_address"] == {**e911, "line2": None}
    assert staff["presence"] == "offline"
    assert staff["presence_since"] == iso(clock.now())
    assert staff["department_ids"] == [dept["id"]]
    assert staff["location_ids"] == [location_id]
    assert admin.get(f"{STAFF}/{staff['id']}").json() == staff


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"endpoints": [{"kind": "sip", "address": "mlopez@pbx"}]}, "body.endpoints.0.address"),
        (
            {
                "endpoints": [
                    {"kind": "phone", "address": "+13125550199"},
                    {"kind": "sip", "address": "sip:bob@bad_host!"},
                ]
            },
            "body.endpoints.1.address",
        ),
        ({"endpoints": [{"kind": "phone", "address": "12"}]}, "body.endpoints.0.address"),
        ({"endpoints": [{"kind": "fax", "address": "+13125550199"}]}, "body.endpoints.0.kind"),
        ({"languages": ["en", "english"]}, "body.languages.1"),
        ({"languages": ["e"]}, "body.languages.0"),
        ({"department_ids": ["nope"]}, "body.department_ids.0"),
        ({"location_ids": ["nope"]}, "body.location_ids.0"),
        ({"presence": "available"}, "body.presence"),
        ({"display_name": ""}, "body.display_name"),
    ],
)
def test_invalid_staff_writes_nothing(admin, overrides, field):
    r = admin.post(STAFF, json=staff_body(**overrides))
    assert r.status_code == 422, r.text
    assert field in fields(r), fields(r)
    assert admin.get(STAFF).json()["total"] == 0


def test_staff_patch_and_list_filters(admin, new_department, new_staff, make_location):
    triage, billing = new_department(), new_department("Billing", "billing")
    loc = make_location()
    maria = new_staff(department_ids=[triage["id"]])
    sam = new_staff(display_name="Sam Lee", languages=["en"], department_ids=[billing["id"]])

    r = admin.patch(f"{STAFF}/{maria['id']}", json={"title": "Charge nurse"})
    assert r.status_code == 200, r.text
    assert r.json() == {**maria, "title": "Charge nurse"}

    r = admin.patch(
        f"{STAFF}/{maria['id']}",
        json={"department_ids": [billing["id"], triage["id"]], "location_ids": [loc]},
    )
    assert r.json()["department_ids"] == [billing["id"], triage["id"]]
    r = admin.patch(f"{STAFF}/{maria['id']}", json={"department_ids": [triage["id"]]})
    assert r.json()["department_ids"] == [triage["id"]]

    listed = admin.get(STAFF, params={"department_id": billing["id"]}).json()
    assert [s["id"] for s in listed["items"]] == [sam["id"]]
    listed = admin.get(STAFF, params={"location_id": loc}).json()
    assert [s["id"] for s in listed["items"]] == [maria["id"]]
    assert admin.get(STAFF).json()["total"] == 2


@pytest.mark.parametrize(
    "change",
    [
        {"endpoints": [{"kind": "sip", "address": "not a uri"}]},
        {"display_name": None},
        {"languages": None},
        {"department_ids": ["nope"]},
        {"presence": "busy"},
    ],
)
def test_bad_staff_patch_changes_nothing(admin, new_staff, change):
    staff = new_staff()
    assert admin.patch(f"{STAFF}/{staff['id']}", json=change).status_code == 422
    assert admin.get(f"{STAFF}/{staff['id']}").json() == staff


def test_one_staff_member_per_user(admin, new_staff):
    new_staff(user_id="user-1")
    r = admin.post(STAFF, json=staff_body(user_id="user-1"))
    assert r.status_code == 409
    assert r.json()["error_id"] == "user-already-linked"


def test_staff_delete_and_404(admin, new_staff):
    staff = new_staff()
    assert admin.delete(f"{STAFF}/{staff['id']}").status_code == 204
    for method in ("GET", "DELETE"):
        r = admin.request(method, f"{STAFF}/{staff['id']}")
        assert r.status_code == 404
        assert r.json()["error_id"] == "no-such-staff"


def test_staff_write_needs_directory_write(client, make_user, login):
    login(make_user(Role.agent))
    assert client.post(STAFF, json=staff_body()).status_code == 403


# ---------------------------------------------------------------- presence


def test_presence_change_moves_the_timestamp(client, make_user, login, clock, new_staff):
    staff = new_staff()
    # A supervisor holds presence:write, not directory:write, and may set their agents'.
    login(make_user(Role.supervisor))
    url = f"{STAFF}/{staff['id']}/presence"

    r = client.put(url, json={"state": "available"})
    assert r.status_code == 200, r.text
    assert r.json()["presence"] == "available"
    assert r.json()["presence_since"] == iso(clock.now())
    since = clock.now()

    clock.advance(timedelta(minutes=5))
    r = client.put(url, json={"state": "available"})  # no change: keeps its place
    assert r.json()["presence_since"] == iso(since)

    clock.advance(timedelta(minutes=5))
    r = client.put(url, json={"state": "wrap_up"})
    assert r.json()["presence"] == "wrap_up"
    assert r.json()["presence_since"] == iso(clock.now())


def test_presence_input_and_guards(client, make_user, login, new_staff):
    staff = new_staff()
    url = f"{STAFF}/{staff['id']}/presence"
    assert client.put(url, json={"state": "napping"}).status_code == 422
    assert client.put(url, json={"state": "busy", "why": "x"}).status_code == 422
    r = client.put(f"{STAFF}/nope/presence", json={"state": "busy"})
    assert r.status_code == 404 and r.json()["error_id"] == "no-such-staff"
    login(make_user(Role.auditor))
    assert client.put(url, json={"state": "busy"}).status_code == 403
    assert client.get(f"{STAFF}/{staff['id']}").json()["presence"] == "offline"


# ---------------------------------------------------------------- available staff


def test_find_available_staff_orders_and_filters(
    rt, admin, clock, new_department, new_staff, make_location
):
    triage, billing = new_department(), new_department("Billing", "billing")
    north, south = make_location(name="North"), make_location(name="South")
    ana = new_staff(
        display_name="Ana",
        languages=["es-MX", "en"],
        department_ids=[triage["id"]],
        location_ids=[north],
    )
    ben = new_staff(
        display_name="Ben",
        languages=["en"],
        department_ids=[triage["id"], billing["id"]],
        location_ids=[south],
    )
    cy = new_staff(
        display_name="Cy", languages=["es"], department_ids=[billing["id"]], location_ids=[north]
    )
    dee = new_staff(display_name="Dee", languages=["es"], department_ids=[triage["id"]])

    def presence(staff, state):
        r = admin.put(f"{STAFF}/{staff['id']}/presence", json={"state": state})
        assert r.status_code == 200, r.text
        clock.advance(timedelta(seconds=30))

    presence(ben, "available")  # longest available
    presence(cy, "available")
    presence(ana, "available")
    presence(dee, "busy")

    def names(**filters):
        return [s.display_name for s in directory.find_available_staff(rt, **filters)]

    assert names() == ["Ben", "Cy", "Ana"]
    assert names(language="es") == ["Cy", "Ana"]
    assert names(language="es-ES") == ["Cy", "Ana"]  # any Spanish speaker will do
    assert names(department_kind=DepartmentKind.nurse_triage) == ["Ben", "Ana"]
    assert names(department_kind=DepartmentKind.nurse_triage, language="es") == ["Ana"]
    assert names(location_id=north) == ["Cy", "Ana"]
    assert names(location_id=south, language="es") == []
    assert names(department_kind=DepartmentKind.oncology) == []

    presence(ben, "busy")
    presence(ben, "available")  # back at the end of the line
    assert names() == ["Cy", "Ana", "Ben"]

    r = admin.get(f"{STAFF}/available", params={"language": "es", "department_kind": "billing"})
    assert r.status_code == 200, r.text
    assert [s["display_name"] for s in r.json()] == ["Cy"]
    assert admin.get(f"{STAFF}/available", params={"language": "xx-yy-zz"}).status_code == 422


def test_nul_characters_and_odd_ids_are_refused_not_crashing(admin):
    # PostgreSQL cannot store NUL in text: refuse it as bad input on every engine.
    r = admin.post(DEPARTMENTS, json={"name": "a\x00b", "kind": "general"})
    assert r.status_code == 422
    assert "body.name" in fields(r)
    r = admin.post(STAFF, json=staff_body(skills=["ok", "b\x00d"]))
    assert r.status_code == 422
    assert admin.get(f"{STAFF}/a%00b").status_code == 422
    assert admin.get(STAFF, params={"location_id": "a\x00b"}).status_code == 422


def test_only_you_or_your_clinics_supervisor_sets_your_presence(
    client, make_user, login, new_staff, make_location
):
    """Issue 11, item 2: any agent could set any staff member's presence."""
    here, there = make_location(name="Here"), make_location(name="There")
    me, colleague = make_user((Role.agent, here)), make_user((Role.agent, here))
    mine = new_staff(display_name="Me", location_ids=[here], user_id=me.id)
    theirs = new_staff(display_name="Colleague", location_ids=[here], user_id=colleague.id)
    login(me)
    assert client.put(f"{STAFF}/{mine['id']}/presence", json={"state": "away"}).status_code == 200
    r = client.put(f"{STAFF}/{theirs['id']}/presence", json={"state": "away"})
    assert r.status_code == 403 and r.json()["error_id"] == "presence-not-yours"
    login(make_user((Role.supervisor, there)))  # a supervisor, but of another clinic
    assert client.put(f"{STAFF}/{theirs['id']}/presence", json={"state": "away"}).status_code == 403
    login(make_user((Role.supervisor, here)))
    r = client.put(f"{STAFF}/{theirs['id']}/presence", json={"state": "away"})
    assert r.status_code == 200 and r.json()["presence"] == "away"
