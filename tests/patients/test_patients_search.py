"""Finding patients: by phone (own or a caregiver's), MRN, name + birth date; match_caller."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, select, text

from careline.core.db import transaction
from careline.core.errors import ValidationFailed
from careline.patients import service as patients
from careline.patients.tables import PatientPhoneRow, PatientRow
from careline.security.crypto import blind_index
from careline.security.model import Role
from careline.security.tables import AuditEntryRow

MOBILE = "+12125550142"
CARER = "+16175550000"


@pytest.fixture
def agent(make_user, login):
    login(make_user(Role.agent))


def search(client, **criteria):
    return client.post("/api/v1/patients/search", json=criteria)


def test_find_by_phone_as_typed(client, agent, make_patient):
    pid = make_patient(phones=[MOBILE])
    make_patient(given_name="Other", phones=["+13125550199"])
    r = search(client, phone="(212) 555-0142")
    assert r.status_code == 200
    assert r.json() == [
        {
            "patient": {
                "id": pid,
                "given_name": "Ada",
                "family_name": "Lovelace",
                "date_of_birth": "1980-12-10",
                "home_location_id": None,
            },
            "matched_via": "patient_phone",
            "caregiver_id": None,
            "caregiver_relationship": None,
        }
    ]


def test_find_by_caregiver_phone_says_so(client, agent, make_patient):
    child = make_patient(given_name="Kid", phones=["+13125550199"], caregiver_phone=CARER)
    parent = make_patient(given_name="Mum", phones=[CARER])
    hits = search(client, phone=CARER).json()
    assert [(h["patient"]["id"], h["matched_via"]) for h in hits] == [
        (parent, "patient_phone"),
        (child, "caregiver_phone"),
    ]
    assert hits[1]["caregiver_relationship"] == "parent"
    assert hits[1]["caregiver_id"]


def test_unknown_number_finds_nothing_and_is_audited(client, rt, agent, make_patient):
    make_patient(phones=[MOBILE])
    r = search(client, phone="+1 646 555 0100")
    assert r.status_code == 200 and r.json() == []
    with transaction(rt.sessions) as s:
        entry = s.execute(
            select(AuditEntryRow).where(AuditEntryRow.action == "patient.search")
        ).scalar_one()
    assert entry.details == {"by": "phone", "count": 0}
    assert "646" not in str(entry.details)


@pytest.mark.parametrize("bad", ["12345", "+1 555 555 0100"])
def test_invalid_number_is_422(client, agent, bad):
    r = search(client, phone=bad)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.phone"]
    assert bad not in r.text


def test_search_hides_patients_out_of_scope(
    client, rt, make_user, login, make_location, make_patient
):
    a, b = make_location("A"), make_location("B")
    mine = make_patient(location_id=a, phones=[MOBILE])
    make_patient(location_id=b, phones=[MOBILE], given_name="Hidden")
    login(make_user((Role.agent, a)))
    hits = search(client, phone=MOBILE).json()
    assert [h["patient"]["id"] for h in hits] == [mine]


def test_search_by_mrn_and_by_name_and_birth_date(client, agent, make_patient):
    pid = make_patient(mrn="A-77", family_name="van Rossum", date_of_birth=date(1956, 1, 31))
    make_patient(family_name="van Rossum", date_of_birth=date(1957, 1, 31))
    assert [h["patient"]["id"] for h in search(client, mrn="A-77").json()] == [pid]
    hits = search(client, family_name="  VAN   rossum ", date_of_birth="1956-01-31").json()
    assert [(h["patient"]["id"], h["matched_via"]) for h in hits] == [(pid, "name_and_birth_date")]
    assert search(client, mrn="A-78").json() == []


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ({}, "body"),
        ({"family_name": "Lovelace"}, "body.date_of_birth"),
        ({"date_of_birth": "1980-12-10"}, "body.family_name"),
        ({"phone": MOBILE, "mrn": "A-1"}, "body.mrn"),
        ({"email": "a@b.c"}, "body.email"),
    ],
)
def test_search_criteria_are_checked(client, agent, criteria, field):
    r = search(client, **criteria)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [field]


def test_match_caller_is_a_system_read(rt, make_patient):
    own = make_patient(phones=[MOBILE])
    via_carer = make_patient(phones=["+13125550199"], caregiver_phone=MOBILE)
    assert patients.match_caller(rt, phone_e164=MOBILE) == [own, via_carer]
    assert patients.match_caller(rt, phone_e164=MOBILE, include_caregivers=False) == [own]
    assert patients.match_caller(rt, phone_e164="+16465550100") == []
    with pytest.raises(ValidationFailed):
        patients.match_caller(rt, phone_e164="(212) 555-0142")
    with transaction(rt.sessions) as s:
        entries = s.execute(
            select(AuditEntryRow).where(AuditEntryRow.action == "patient.match_caller")
        ).scalars()
        assert {(e.actor_name, e.patient_id) for e in entries} == {
            ("system:match-caller", own),
            ("system:match-caller", via_carer),
        }


def test_phone_lookup_uses_an_index_among_many_patients(rt, make_patient):
    """300 patients: the right one comes back, through the blind-index index."""
    index_names = {ix.name for ix in PatientPhoneRow.__table__.indexes}
    assert "ix_patient_phones_number_index" in index_names
    with transaction(rt.sessions) as s:
        for i in range(300):
            e164 = f"+1212555{i:04d}"
            s.add(
                PatientRow(
                    given_name=f"G{i}",
                    family_name=f"F{i}",
                    date_of_birth="1970-01-01",
                    name_dob_index=blind_index(f"F{i}\x1f1970-01-01"),
                    preferred_channel="voice",
                    created_at=rt.clock.now(),
                    updated_at=rt.clock.now(),
                    phones=[
                        PatientPhoneRow(
                            position=0,
                            number=e164,
                            number_index=blind_index(e164),
                            kind="mobile",
                            is_primary=True,
                        )
                    ],
                )
            )
    found = patients.match_caller(rt, phone_e164="+12125550217")
    with transaction(rt.sessions) as s:
        assert [s.get(PatientRow, pid).given_name for pid in found] == ["G217"]

    columns = {tuple(ix["column_names"]) for ix in inspect(rt.engine).get_indexes("patient_phones")}
    assert ("number_index",) in columns
    if rt.engine.dialect.name == "sqlite":
        with rt.engine.connect() as conn:
            plan = conn.execute(
                text(
                    "EXPLAIN QUERY PLAN "
                    "SELECT patient_id FROM patient_phones WHERE number_index = :x"
                ),
                {"x": "0" * 64},
            ).all()
        assert "ix_patient_phones_number_index" in " ".join(str(r[-1]) for r in plan)
