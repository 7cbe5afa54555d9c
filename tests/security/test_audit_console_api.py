"""The auditor's console API: search by patient (name and date of birth in a POST body),
by user and time; the search audited without its terms; review marks beside the chain;
CSV export; refusals."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from careline.core.db import transaction
from careline.patients import service as patients
from careline.patients.model import PatientCreate
from careline.security import audit
from careline.security.audit_console import (
    CSV_COLUMNS,
    ConsoleEntry,
    is_break_glass,
    spreadsheet_safe,
    to_csv,
)
from careline.security.model import SYSTEM, Actor, Role, RoleGrant
from careline.security.tables import AuditEntryRow, AuditReviewRow

FAMILY, GIVEN, DOB = "Okonkwo-Lindqvist", "Marisol", date(1958, 11, 23)


def _patient(rt, family: str = FAMILY, dob: date = DOB, given: str = GIVEN) -> str:
    return patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(given_name=given, family_name=family, date_of_birth=dob),
    ).id


def _opens(rt, user, patient_id: str) -> None:
    """A staff member opens the patient's record (an audited `patient.read`)."""
    actor = Actor(user_id=user.id, username=user.username, grants=(RoleGrant(Role.agent),))
    patients.get_patient(rt, actor=actor, patient_id=patient_id)


def _entries(rt, action: str) -> list[AuditEntryRow]:
    with transaction(rt.sessions) as s:
        rows = s.execute(select(AuditEntryRow).where(AuditEntryRow.action == action)).scalars()
        return list(rows)


@pytest.fixture
def world(rt, make_user):
    """Two patients, one opened by a front-desk user and the other by a colleague."""
    desk, colleague = make_user(Role.agent), make_user(Role.agent)
    wanted = _patient(rt)
    namesake = _patient(rt, dob=date(1960, 1, 2))  # same family name, another birthday
    _opens(rt, desk, wanted)
    _opens(rt, colleague, namesake)
    return {"desk": desk, "colleague": colleague, "wanted": wanted, "namesake": namesake}


def test_non_auditors_are_refused_every_console_route(client, make_user, login, world):
    login(make_user(Role.manager))
    for path in ("/api/v1/audit/search", "/api/v1/audit/search.csv", "/api/v1/audit/1/review"):
        r = client.post(path, json={})
        assert r.status_code == 403, path
        assert r.json()["error_id"] == "permission-denied"


def test_finds_who_opened_a_patient_found_by_name_and_birth_date(
    client, rt, make_user, login, world
):
    login(make_user(Role.auditor))
    r = client.post(
        "/api/v1/audit/search",
        json={"family_name": FAMILY.upper(), "date_of_birth": DOB.isoformat(), "limit": 200},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["matched_patient_ids"] == [world["wanted"]]
    assert body["total"] == len(body["items"]) >= 2  # created, then opened
    assert {e["patient_id"] for e in body["items"]} == {world["wanted"]}
    opened = [e for e in body["items"] if e["action"] == "patient.read"]
    assert [e["actor_user_id"] for e in opened] == [world["desk"].id]
    assert opened[0]["break_glass"] is False and opened[0]["review"] is None
    # Newest first.
    seqs = [e["seq"] for e in body["items"]]
    assert seqs == sorted(seqs, reverse=True)

    # Narrowed by user and time.
    r = client.post(
        "/api/v1/audit/search",
        json={
            "family_name": FAMILY,
            "date_of_birth": DOB.isoformat(),
            "user_id": world["desk"].id,
            "since": (opened[0]["at"]),
        },
    )
    assert [e["action"] for e in r.json()["items"]] == ["patient.read"]
    r = client.post(
        "/api/v1/audit/search",
        json={"user_id": world["desk"].id, "until": opened[0]["at"]},
    )
    assert all(e["action"] != "patient.read" for e in r.json()["items"])


def test_nobody_matching_means_no_entries_not_every_entry(client, make_user, login, world):
    login(make_user(Role.auditor))
    r = client.post(
        "/api/v1/audit/search", json={"family_name": "Nobody", "date_of_birth": "1990-01-01"}
    )
    assert r.status_code == 200
    assert r.json()["matched_patient_ids"] == [] and r.json()["items"] == []
    assert r.json()["total"] == 0
    r = client.post("/api/v1/audit/search", json={})
    assert r.json()["matched_patient_ids"] is None and r.json()["total"] > 0


def test_the_search_is_audited_with_the_matches_but_never_the_terms(
    client, rt, make_user, login, world
):
    auditor = make_user(Role.auditor)
    login(auditor)
    body = {"family_name": FAMILY, "date_of_birth": DOB.isoformat(), "flagged_only": False}
    assert client.post("/api/v1/audit/search", json=body).status_code == 200
    [entry] = _entries(rt, "audit.search")
    assert entry.actor_user_id == auditor.id and entry.resource_type == "audit_log"
    assert entry.details["patient_search"] == "name_and_birth_date"
    assert entry.details["matched_patient_ids"] == [world["wanted"]]
    stored = repr(entry.details) + repr(entry.resource_id) + repr(entry.patient_id)
    for term in (FAMILY, FAMILY.lower(), DOB.isoformat(), "1958"):
        assert term not in stored
    # Nor anywhere else in the log.
    with transaction(rt.sessions) as s:
        details = [repr(d) for d in s.execute(select(AuditEntryRow.details)).scalars()]
    assert not [d for d in details if FAMILY in d or DOB.isoformat() in d]
    # The chain still verifies with the console's entries in it.
    assert client.get("/api/v1/audit/verify").json()["ok"] is True


def test_review_marks_stand_beside_the_chain(client, rt, make_user, login, world, clock):
    auditor = make_user(Role.auditor)
    login(auditor)
    [opened] = _entries(rt, "patient.read")[:1]
    r = client.post(f"/api/v1/audit/{opened.seq}/review")
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["seq"] == opened.seq and first["reviewed_by"] == auditor.id
    assert first["reviewed_by_name"] == auditor.username
    # Marking again answers the first mark, and writes no second review entry.
    clock.advance(timedelta(minutes=5))
    again = client.post(f"/api/v1/audit/{opened.seq}/review").json()
    assert again == first
    [reviewed] = _entries(rt, "audit.review")
    assert reviewed.resource_id == str(opened.seq) and reviewed.actor_user_id == auditor.id
    # The search shows the mark; the hashed entry itself is unchanged.
    items = client.post("/api/v1/audit/search", json={"action": "patient.read"}).json()["items"]
    marked = next(e for e in items if e["seq"] == opened.seq)
    assert marked["review"] == first
    with transaction(rt.sessions) as s:
        assert audit.verify(s).ok
        assert s.execute(select(func.count()).select_from(AuditReviewRow)).scalar_one() == 1


def test_reviewing_a_missing_entry_is_404_and_bad_numbers_422(client, make_user, login):
    login(make_user(Role.auditor))
    r = client.post("/api/v1/audit/999999/review")
    assert r.status_code == 404 and r.json()["error_id"] == "no-such-audit-entry"
    for bad in ("0", "-3", "abc", str(2**40)):
        assert client.post(f"/api/v1/audit/{bad}/review").status_code == 422, bad


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"family_name": FAMILY}, "body.date_of_birth"),
        ({"date_of_birth": "1958-11-23"}, "body.family_name"),
        ({"family_name": "   ", "date_of_birth": "1958-11-23"}, "body.family_name"),
        (
            {"family_name": FAMILY, "date_of_birth": "1958-11-23", "patient_id": "p1"},
            "body.patient_id",
        ),
        ({"since": "2026-03-02T10:00:00Z", "until": "2026-03-01T10:00:00Z"}, "body.until"),
        ({"date_of_birth": "1958-02-30", "family_name": FAMILY}, "body.date_of_birth"),
        ({"limit": 0}, "body.limit"),
        ({"limit": 201}, "body.limit"),
        ({"offset": -1}, "body.offset"),
        ({"surname": FAMILY}, "body.surname"),
        ({"since": "0001-01-01T00:00:00+14:00"}, "body.since"),
    ],
)
def test_bad_searches_are_422_naming_the_field_without_echoing_it(
    client, rt, make_user, login, body, field
):
    login(make_user(Role.auditor))
    for path in ("/api/v1/audit/search", "/api/v1/audit/search.csv"):
        r = client.post(path, json=body)
        assert r.status_code == 422, (path, r.text)
        assert field in [e["field"] for e in r.json()["errors"]], r.json()
        assert FAMILY not in r.text
    assert _entries(rt, "audit.search") == [] and _entries(rt, "audit.export") == []


def test_csv_export_has_the_columns_and_is_audited(client, rt, make_user, login, world):
    login(make_user(Role.auditor))
    body = {"family_name": FAMILY, "date_of_birth": DOB.isoformat(), "limit": 1}
    r = client.post("/api/v1/audit/search.csv", json=body)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith("attachment;")
    assert r.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == int(r.headers["x-total-count"]) >= 2  # paging ignored
    assert {row["patient_id"] for row in rows} == {world["wanted"]}
    assert any(row["action"] == "patient.read" for row in rows)
    assert FAMILY not in r.text and DOB.isoformat() not in r.text
    [exported] = _entries(rt, "audit.export")
    assert exported.details["matched_patient_ids"] == [world["wanted"]]
    assert exported.details["count"] == len(rows)
    assert _entries(rt, "audit.search") == []


def test_csv_cells_are_quoted_and_never_run_as_formulas(rt, clock):
    entry = ConsoleEntry(
        seq=7,
        at=clock.now(),
        actor_user_id=None,
        actor_name='=HYPERLINK("http://x","click")',
        action="auth.login",
        outcome="failed",
        resource_type=None,
        resource_id="a,b\nc",
        patient_id=None,
        ip="-1+1",
        flagged=True,
        break_glass=False,
        details={"reason": 'say "hi", then go'},
        review=None,
    )
    text = to_csv([entry])
    assert text.endswith("\r\n")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["actor_name"] == "'" + '=HYPERLINK("http://x","click")'
    assert row["resource_id"] == "a,b\nc"
    assert row["ip"] == "'-1+1"
    assert row["details"] == '{"reason": "say \\"hi\\", then go"}'
    assert row["flagged"] == "true" and row["reviewed_at"] == ""
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)" and spreadsheet_safe("ok") == "ok"


def test_break_glass_entries_are_marked(client, rt, make_user, login, world):
    assert is_break_glass("patient.break_glass", flagged=True, patient_id="p")
    assert is_break_glass("alert.break_glass_burst", flagged=True, patient_id=None)
    assert is_break_glass("patient.read", flagged=True, patient_id="p")
    assert not is_break_glass("patient.read", flagged=False, patient_id="p")
    assert not is_break_glass("auth.login", flagged=True, patient_id=None)
    with transaction(rt.sessions) as s:
        audit.record(
            s,
            clock=rt.clock,
            actor=SYSTEM,
            action="patient.break_glass",
            resource_type="patient",
            resource_id=world["wanted"],
            patient_id=world["wanted"],
            flagged=True,
        )
    login(make_user(Role.auditor))
    r = client.post("/api/v1/audit/search", json={"flagged_only": True})
    [entry] = r.json()["items"]
    assert entry["action"] == "patient.break_glass" and entry["break_glass"] is True
