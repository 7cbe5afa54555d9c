"""Who may see which patient: location scope, denials audited, break-glass flagged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from careline.core.db import transaction
from careline.security.model import Role
from careline.security.tables import AuditEntryRow

REASON = "Patient arrived at our ED unconscious; need medication history."


def audit_entries(rt, **where) -> list[AuditEntryRow]:
    with transaction(rt.sessions) as s:
        stmt = select(AuditEntryRow).order_by(AuditEntryRow.seq)
        for k, v in where.items():
            stmt = stmt.where(getattr(AuditEntryRow, k) == v)
        return list(s.execute(stmt).scalars())


@pytest.fixture
def two_sites(make_location, make_patient):
    a, b = make_location("North"), make_location("South")
    return {
        "a": a,
        "b": b,
        "pa": make_patient(location_id=a, given_name="Alice"),
        "pb": make_patient(location_id=b, given_name="Bob"),
        "pn": make_patient(location_id=None, given_name="Nomad"),
    }


def test_agent_cannot_read_a_patient_of_another_location(client, rt, make_user, login, two_sites):
    user = make_user((Role.agent, two_sites["a"]))
    login(user)
    assert client.get(f"/api/v1/patients/{two_sites['pa']}").status_code == 200

    r = client.get(f"/api/v1/patients/{two_sites['pb']}")
    assert r.status_code == 403
    assert r.json()["error_id"] == "patient-out-of-scope"
    assert "Bob" not in r.text
    denied = audit_entries(rt, patient_id=two_sites["pb"], outcome="denied")
    assert len(denied) == 1
    assert denied[0].actor_user_id == user.id
    assert audit_entries(rt, patient_id=two_sites["pb"], action="patient.read") == []

    r = client.patch(f"/api/v1/patients/{two_sites['pb']}", json={"given_name": "Robert"})
    assert r.status_code == 403
    assert len(audit_entries(rt, patient_id=two_sites["pb"], outcome="denied")) == 2


def test_agent_cannot_register_a_patient_at_another_location(
    client, rt, make_user, login, two_sites
):
    login(make_user((Role.agent, two_sites["a"])))
    r = client.post(
        "/api/v1/patients",
        json={
            "given_name": "Eve",
            "family_name": "Elsewhere",
            "date_of_birth": "1990-01-01",
            "home_location_id": two_sites["b"],
        },
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.home_location_id"]


def test_clinician_reads_out_of_scope_patient_after_break_glass(
    client, rt, make_user, login, two_sites
):
    doc = make_user((Role.clinician, two_sites["a"]))
    login(doc)
    pb = two_sites["pb"]
    before = client.get(f"/api/v1/patients/{pb}")
    assert before.status_code == 403
    assert before.json()["error_id"] == "patient-out-of-scope"
    assert "break-glass" in before.json()["detail"]

    short = client.post(f"/api/v1/patients/{pb}/break-glass", json={"reason": "need it"})
    assert short.status_code == 422
    missing = client.post(
        "/api/v1/patients/00000000-0000-0000-0000-000000000000/break-glass",
        json={"reason": REASON},
    )
    assert missing.status_code == 404 and missing.json()["error_id"] == "no-such-patient"

    r = client.post(f"/api/v1/patients/{pb}/break-glass", json={"reason": REASON})
    assert r.status_code == 200, r.text
    assert r.json()["patient_id"] == pb and r.json()["expires_at"]

    after = client.get(f"/api/v1/patients/{pb}")
    assert after.status_code == 200
    assert after.json()["given_name"] == "Bob"
    read = audit_entries(rt, patient_id=pb, action="patient.read")
    assert len(read) == 1 and read[0].flagged is True
    # In-scope reads are not flagged.
    client.get(f"/api/v1/patients/{two_sites['pa']}")
    assert audit_entries(rt, patient_id=two_sites["pa"], action="patient.read")[0].flagged is False


def test_break_glass_needs_the_permission(client, make_user, login, two_sites):
    login(make_user((Role.agent, two_sites["a"])))
    r = client.post(f"/api/v1/patients/{two_sites['pb']}/break-glass", json={"reason": REASON})
    assert r.status_code == 403 and r.json()["error_id"] == "permission-denied"


def test_list_shows_only_patients_in_scope(client, rt, make_user, login, two_sites):
    login(make_user((Role.agent, two_sites["a"])))
    r = client.get("/api/v1/patients")
    assert r.status_code == 200
    page = r.json()
    ids = {p["id"] for p in page["items"]}
    # Patients with no home location yet are everyone's (the same rule as opening one).
    assert ids == {two_sites["pa"], two_sites["pn"]}
    assert page["total"] == 2
    assert {p["given_name"] for p in page["items"]} == {"Alice", "Nomad"}
    entry = audit_entries(rt, action="patient.list")[-1]
    assert entry.details["count"] == 2
    assert set(entry.details["patient_ids"]) == ids

    login(make_user(Role.manager))
    assert client.get("/api/v1/patients").json()["total"] == 3


def test_list_pages(client, make_user, login, make_patient):
    for i in range(5):
        make_patient(given_name=f"P{i}")
    login(make_user(Role.agent))
    first = client.get("/api/v1/patients", params={"limit": 2}).json()
    second = client.get("/api/v1/patients", params={"limit": 2, "offset": 2}).json()
    last = client.get("/api/v1/patients", params={"limit": 2, "offset": 4}).json()
    assert first["total"] == 5 and len(first["items"]) == 2 and len(last["items"]) == 1
    seen = [p["id"] for p in first["items"] + second["items"] + last["items"]]
    assert len(set(seen)) == 5
    assert client.get("/api/v1/patients", params={"limit": 0}).status_code == 422


def test_a_patients_home_location_cannot_be_deleted(rt, make_location, make_patient):
    from careline.core.errors import Conflict
    from careline.directory import service as directory
    from careline.security.model import SYSTEM

    home = make_location("Home")
    make_patient(location_id=home)
    with pytest.raises(Conflict) as refused:
        directory.delete_location(rt, actor=SYSTEM, location_id=home)
    assert refused.value.error_id == "location-in-use"


def test_break_glass_needs_a_real_reason_and_bursts_alert_auditors(
    rt, client, make_user, login, two_sites
):
    """Issue 11, item 21: no rate limit, and "xxxxxxxxxx" was accepted as a reason."""
    from sqlalchemy import select

    from careline.core.db import transaction
    from careline.security.model import BREAK_GLASS_ALERT_AT, BREAK_GLASS_PER_HOUR
    from careline.security.tables import AuditEntryRow

    login(make_user((Role.clinician, two_sites["a"])))
    url = f"/api/v1/patients/{two_sites['pb']}/break-glass"
    for nonsense in ("xxxxxxxxxx", "asdf asdf asdf", "need it now"[:7], "a b c d e f g h"):
        r = client.post(url, json={"reason": nonsense})
        assert r.status_code == 422, nonsense
    for _ in range(BREAK_GLASS_PER_HOUR):
        assert client.post(url, json={"reason": REASON}).status_code == 200
    r = client.post(url, json={"reason": REASON})
    assert r.status_code == 429
    with transaction(rt.sessions) as s:
        alerts = list(
            s.execute(
                select(AuditEntryRow).where(AuditEntryRow.action == "alert.break_glass_burst")
            ).scalars()
        )
    assert len(alerts) == BREAK_GLASS_PER_HOUR - BREAK_GLASS_ALERT_AT + 2
    assert all(a.flagged for a in alerts)
