"""Patients over HTTP: registration, validation, PHI at rest, PATCH, scope, break-glass."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from careline.core.db import transaction
from careline.security.model import Role
from careline.security.tables import AuditEntryRow

NUMBER = "+12125550142"


def body(**over):
    data = {
        "given_name": "Grace",
        "family_name": "Hopper",
        "date_of_birth": "1956-12-09",
        "mrn": "MRN-0042",
        "phones": [
            {"number": "(212) 555-0142", "kind": "mobile", "sms_capable": True},
            {"number": "+1 646 555 0100", "kind": "home", "sms_capable": False},
        ],
        "preferred_language": "es",
        "preferred_channel": "sms",
        "caregivers": [
            {
                "name": "Walter Hopper",
                "relationship": "spouse",
                "phone": "+1 617 555 0000",
                "may_receive_messages": True,
            }
        ],
    }
    data.update(over)
    return data


def count(rt, table: str) -> int:
    with rt.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def audit_entries(rt, **where) -> list[AuditEntryRow]:
    with transaction(rt.sessions) as s:
        stmt = select(AuditEntryRow).order_by(AuditEntryRow.seq)
        for k, v in where.items():
            stmt = stmt.where(getattr(AuditEntryRow, k) == v)
        return list(s.execute(stmt).scalars())


@pytest.fixture
def agent(make_user, login):
    login(make_user(Role.agent))


def test_create_then_read_round_trip(client, rt, agent):
    r = client.post("/api/v1/patients", json=body())
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["phones"][0] == {
        "number": NUMBER,
        "kind": "mobile",
        "sms_capable": True,
        "primary": True,
    }
    assert p["phones"][1]["primary"] is False
    assert p["caregivers"][0]["phone"] == "+16175550000"
    assert p["caregivers"][0]["relationship"] == "spouse"
    assert p["sms_consent"] == "unknown" and p["sms_consent_at"] is None

    got = client.get(f"/api/v1/patients/{p['id']}")
    assert got.status_code == 200
    assert got.json() == p
    actions = [e.action for e in audit_entries(rt, patient_id=p["id"])]
    assert actions == ["patient.create", "patient.read"]


def test_phi_is_encrypted_at_rest(client, rt, agent):
    pid = client.post("/api/v1/patients", json=body()).json()["id"]
    with rt.engine.connect() as conn:
        row = conn.execute(
            text("SELECT given_name, family_name, date_of_birth, mrn FROM patients WHERE id = :i"),
            {"i": pid},
        ).one()
        phones = conn.execute(
            text("SELECT number, number_index FROM patient_phones WHERE patient_id = :i"),
            {"i": pid},
        ).all()
        carer = conn.execute(
            text("SELECT name, phone, phone_index FROM patient_caregivers WHERE patient_id = :i"),
            {"i": pid},
        ).one()
    plain = ["Grace", "Hopper", "1956-12-09", "MRN-0042"]
    for stored, secret in zip(row, plain, strict=True):
        assert stored.startswith("v2:k1:")
        assert secret not in stored
    digits = ("2125550142", "6465550100")  # the numbers given, as stored digits
    for number, index in phones:
        assert number.startswith("v2:k1:") and not any(d in number for d in digits)
        # A keyed hash in hex can hold "555" by chance; it must not hold the number.
        assert len(index) == 64 and not any(d in index for d in digits)
    assert carer.name.startswith("v2:k1:") and "Walter" not in carer.name
    assert carer.phone.startswith("v2:k1:") and "617" not in carer.phone


@pytest.mark.parametrize("bad", ["12345", "+1 555 555 0100", "not a number"])
def test_invalid_phone_is_422_naming_the_field_and_writes_nothing(client, rt, agent, bad):
    phones = [{"number": "(212) 555-0142"}, {"number": bad}]
    r = client.post("/api/v1/patients", json=body(phones=phones))
    assert r.status_code == 422
    problem = r.json()
    assert problem["error_id"] == "validation-failed"
    assert [e["field"] for e in problem["errors"]] == ["body.phones.1.number"]
    assert bad not in r.text and "Grace" not in r.text
    assert count(rt, "patients") == 0 and count(rt, "patient_phones") == 0


def test_all_problems_are_reported_together(client, rt, agent, clock):
    future = (clock.now() + timedelta(days=3)).date().isoformat()
    r = client.post(
        "/api/v1/patients",
        json=body(
            date_of_birth=future,
            phones=[{"number": "12345"}],
            caregivers=[{"name": "X", "phone": "999"}],
            home_location_id="00000000-0000-0000-0000-000000000000",
            preferred_language="Spanish!",
        ),
    )
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {
        "body.date_of_birth",
        "body.phones.0.number",
        "body.caregivers.0.phone",
        "body.home_location_id",
        "body.preferred_language",
    }
    assert count(rt, "patients") == 0
    assert audit_entries(rt, action="patient.create") == []


def test_unknown_home_location_is_422(client, rt, agent):
    r = client.post("/api/v1/patients", json=body(home_location_id="no-such-place"))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.home_location_id"]
    assert count(rt, "patients") == 0


def test_future_date_of_birth_is_422(client, rt, agent, clock):
    tomorrow_everywhere = (clock.now() + timedelta(days=2)).date().isoformat()
    r = client.post("/api/v1/patients", json=body(date_of_birth=tomorrow_everywhere))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.date_of_birth"]
    assert tomorrow_everywhere not in r.text
    assert count(rt, "patients") == 0


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"nickname": "Amazing Grace"}, "body.nickname"),
        ({"date_of_birth": "09/12/1956"}, "body.date_of_birth"),
        ({"phones": [{"number": NUMBER, "fax": True}]}, "body.phones.0.fax"),
        ({"preferred_channel": "pigeon"}, "body.preferred_channel"),
        (
            {"caregivers": [{"name": "W", "relationship": "butler", "phone": NUMBER}]},
            "body.caregivers.0.relationship",
        ),
    ],
)
def test_malformed_input_is_422_with_the_field(client, rt, agent, over, field):
    r = client.post("/api/v1/patients", json=body(**over))
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]
    assert "Amazing" not in r.text
    assert count(rt, "patients") == 0


def test_two_primaries_and_duplicate_numbers_are_refused(client, rt, agent):
    phones = [
        {"number": NUMBER, "primary": True},
        {"number": "+1 646 555 0100", "primary": True},
        {"number": "212-555-0142"},
    ]
    r = client.post("/api/v1/patients", json=body(phones=phones))
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {
        "body.phones.1.primary",
        "body.phones.2.number",
    }


def test_mrn_is_unique_without_echoing_it(client, rt, agent):
    assert client.post("/api/v1/patients", json=body()).status_code == 201
    r = client.post("/api/v1/patients", json=body(given_name="Other", mrn=" MRN-0042 "))
    assert r.status_code == 409
    assert r.json()["error_id"] == "mrn-taken"
    assert "MRN-0042" not in r.text
    assert count(rt, "patients") == 1


def test_patch_changes_only_given_fields(client, rt, agent, clock):
    p = client.post("/api/v1/patients", json=body()).json()
    clock.advance(timedelta(minutes=5))
    r = client.patch(
        f"/api/v1/patients/{p['id']}",
        json={
            "family_name": "Murray",
            "mrn": None,
            # The same number again, now second: the old rows go before the new ones arrive.
            "phones": [{"number": "+1 646 555 0100"}, {"number": NUMBER, "primary": True}],
        },
    )
    assert r.status_code == 200, r.text
    q = r.json()
    assert q["family_name"] == "Murray" and q["given_name"] == "Grace"
    assert q["mrn"] is None
    assert [(ph["number"], ph["primary"]) for ph in q["phones"]] == [
        ("+16465550100", False),
        (NUMBER, True),
    ]
    assert q["caregivers"] == p["caregivers"]
    assert q["updated_at"] > p["updated_at"] and q["created_at"] == p["created_at"]
    entry = audit_entries(rt, action="patient.update")[-1]
    assert entry.details == {"fields": ["family_name", "mrn", "phones"]}

    # The name + birth-date index followed the change.
    hits = client.post(
        "/api/v1/patients/search", json={"family_name": "murray", "date_of_birth": "1956-12-09"}
    ).json()
    assert [h["patient"]["id"] for h in hits] == [p["id"]]
    old = client.post(
        "/api/v1/patients/search", json={"family_name": "Hopper", "date_of_birth": "1956-12-09"}
    )
    assert old.json() == []


def test_patch_refuses_null_for_required_fields_and_bad_values(client, rt, agent):
    p = client.post("/api/v1/patients", json=body()).json()
    r = client.patch(
        f"/api/v1/patients/{p['id']}",
        json={"given_name": None, "phones": [{"number": "12345"}]},
    )
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {
        "body.given_name",
        "body.phones.0.number",
    }
    assert client.get(f"/api/v1/patients/{p['id']}").json()["phones"] == p["phones"]
    r = client.patch(f"/api/v1/patients/{p['id']}", json={"shoe_size": 9})
    assert r.status_code == 422
    r = client.patch("/api/v1/patients/00000000-0000-0000-0000-000000000000", json={})
    assert r.status_code == 404 and r.json()["error_id"] == "no-such-patient"


def test_sms_consent_is_stamped(client, rt, agent, clock):
    p = client.post("/api/v1/patients", json=body()).json()
    r = client.put(f"/api/v1/patients/{p['id']}/sms-consent", json={"sms_consent": "opted_in"})
    assert r.status_code == 200
    assert r.json()["sms_consent"] == "opted_in"
    got = client.get(f"/api/v1/patients/{p['id']}").json()
    assert got["sms_consent"] == "opted_in"
    assert got["sms_consent_source"] == "staff"
    assert got["sms_consent_at"].startswith(clock.now().date().isoformat())
    entry = audit_entries(rt, action="patient.sms_consent")[-1]
    assert entry.details == {"before": "unknown", "after": "opted_in", "source": "staff"}


def test_read_requires_the_permission(client, make_user, login):
    login(make_user(Role.auditor))
    r = client.get("/api/v1/patients")
    assert r.status_code == 403 and r.json()["error_id"] == "permission-denied"


def test_mrn_clash_found_by_the_constraint_is_a_409_too(client, rt, agent, monkeypatch):
    """Two writers racing for one MRN: the unique index decides, the loser gets 409."""
    from careline.patients import service

    first = client.post("/api/v1/patients", json=body()).json()
    other = client.post("/api/v1/patients", json=body(mrn="MRN-7")).json()
    r = client.patch(f"/api/v1/patients/{other['id']}", json={"mrn": "MRN-0042"})
    assert r.status_code == 409 and r.json()["error_id"] == "mrn-taken"

    monkeypatch.setattr(service, "_mrn_taken", lambda *a, **k: False)
    r = client.post("/api/v1/patients", json=body())
    assert r.status_code == 409 and r.json()["error_id"] == "mrn-taken"
    r = client.patch(f"/api/v1/patients/{other['id']}", json={"mrn": "MRN-0042"})
    assert r.status_code == 409
    assert count(rt, "patients") == 2
    assert client.get(f"/api/v1/patients/{other['id']}").json()["mrn"] == "MRN-7"
    assert client.get(f"/api/v1/patients/{first['id']}").json()["mrn"] == "MRN-0042"


def test_summaries_give_names_in_order_only_within_scope_and_audit_each(
    client, rt, make_user, login, make_location, make_patient
):
    here, there = make_location("Here"), make_location("There")
    first = make_patient(location_id=here, family_name="First")
    second = make_patient(location_id=here, family_name="Second")
    elsewhere = make_patient(location_id=there, family_name="Elsewhere")
    login(make_user((Role.agent, here)))
    r = client.post("/api/v1/patients/summaries", json={"ids": [second, elsewhere, first, second]})
    assert r.status_code == 200, r.text
    assert [p["family_name"] for p in r.json()] == ["Second", "First"]
    read = [e.patient_id for e in audit_entries(rt, action="patient.read_summary")]
    assert sorted(read) == sorted([first, second])
    assert client.post("/api/v1/patients/summaries", json={"ids": []}).status_code == 422
    too_many = {"ids": [first] * 201}
    assert client.post("/api/v1/patients/summaries", json=too_many).status_code == 422
