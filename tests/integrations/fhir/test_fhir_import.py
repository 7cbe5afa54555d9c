"""Importing FHIR R4 bundles: everything valid lands, re-imports change nothing, bad
resources are reported precisely (never with their values) and the rest still lands."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from careline.core.db import transaction
from careline.core.errors import ValidationFailed
from careline.directory import service as directory
from careline.integrations.fhir import service as fhir
from careline.patients import service as patients
from careline.patients.model import PatientSearch
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentStatus, CancelReason, SlotStatus
from careline.scheduling.tables import AppointmentRow, SlotRow
from careline.security.model import SYSTEM
from careline.security.tables import AuditEntryRow

HERE = Path(__file__).parent


def load(name: str) -> dict:
    return json.loads((HERE / name).read_text())


def counts(report) -> dict[str, dict[str, int]]:
    return {
        t: {k: v for k, v in c.model_dump().items() if v}
        for t, c in report.counts.items()
        if any(c.model_dump().values())
    }


def run(rt, doc, **kw):
    return fhir.import_bundle(rt, actor=SYSTEM, document=doc, **kw)


def table_count(rt, table) -> int:
    with transaction(rt.sessions) as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def find(rt, resource_type: str, fhir_id: str) -> str:
    linked = fhir._link(rt, resource_type, fhir_id)
    assert linked is not None and linked.careline_id is not None
    return linked.careline_id


def test_a_valid_bundle_imports_fully_and_a_second_time_changes_nothing(rt):
    doc = load("valid_bundle.json")
    report = run(rt, doc, default_timezone="America/New_York")
    assert report.errors == [], report.errors
    assert counts(report) == {
        "Location": {"created": 2},
        "Practitioner": {"created": 2},
        "Patient": {"created": 2},
        "Schedule": {"created": 1},
        "Slot": {"created": 3},
        "Appointment": {"created": 2, "skipped": 1},
    }
    assert [(s.id, s.path) for s in report.skipped] == [("appt-3", "Appointment.status")]

    # Patients: names, birth date, phones in E.164 (primary = lowest rank), MRN, language.
    p1 = patients.get_patient(rt, actor=SYSTEM, patient_id=find(rt, "Patient", "pat-1"))
    assert (p1.given_name, p1.family_name) == ("Testa Q", "Fakename")  # official, not old
    assert p1.date_of_birth.isoformat() == "1980-04-12" and p1.mrn == "MRN-0001"
    assert [(p.number, p.kind, p.primary, p.sms_capable) for p in p1.phones] == [
        ("+13125550124", "home", False, False),
        ("+13125550123", "mobile", True, True),
    ]
    assert p1.preferred_language == "es-MX"

    # Locations: the extension's zone, or the default; hours; E.164 main number.
    north = directory.get_location(rt, location_id=find(rt, "Location", "loc-north"))
    assert north.timezone == "America/Chicago" and north.code == "NORTH"
    assert north.main_phone == "+13125550100" and len(north.hours) == 5
    assert north.address.line2 == "Suite 2"
    south = directory.get_location(rt, location_id=find(rt, "Location", "loc-south"))
    assert south.timezone == "America/New_York" and south.address.country == "US"

    doc_staff = directory.get_staff(rt, staff_id=find(rt, "Practitioner", "prac-1"))
    assert doc_staff.display_name == "Dr. Jane Sample" and doc_staff.title == "MD"
    assert doc_staff.languages == ["en", "es"]
    assert [e.address for e in doc_staff.endpoints] == ["+13125550110"]

    # Slots and appointments: the booked one holds its slot; the cancelled one is cancelled.
    slot2 = scheduling.find_slot_by_external_id(rt, external_id="slot-2")
    assert slot2 is not None and slot2.status is SlotStatus.busy
    assert slot2.appointment_type is not None and slot2.appointment_type.code == "FOLLOWUP"
    free = scheduling.free_slots(rt)
    # slot-1 and slot-3, and the time of the cancelled appointment (it had no slot).
    assert [s.external_id for s in free] == ["slot-1", "slot-3", None]
    assert free[1].duration_minutes == 45
    assert free[2].staff_id == find(rt, "Practitioner", "prac-2")
    assert free[2].start == datetime(2026, 3, 11, 14, 0, tzinfo=UTC)
    with transaction(rt.sessions) as s:
        appts = {r.external_id: r for r in s.execute(select(AppointmentRow)).scalars()}
    a1, a2 = appts["appt-1"], appts["appt-2"]
    assert a1.status == "booked" and a1.holds_slot_id == slot2.id and a1.source == "ehr"
    assert a1.patient_id == p1.id and a1.type_code == "FOLLOWUP"
    assert a2.status == "cancelled" and a2.cancellation_reason == CancelReason.patient
    assert a2.duration_minutes == 20 and a2.type_code == "ROUTINE"
    assert a2.patient_id == find(rt, "Patient", "pat-2")  # resolved through a urn:uuid fullUrl
    assert a2.staff_id == find(rt, "Practitioner", "prac-2")

    before = {t: table_count(rt, t) for t in (AppointmentRow, SlotRow)}
    again = run(rt, doc, default_timezone="America/New_York")
    assert again.errors == []
    assert counts(again) == {
        "Location": {"unchanged": 2},
        "Practitioner": {"unchanged": 2},
        "Patient": {"unchanged": 2},
        "Schedule": {"unchanged": 1},
        "Slot": {"unchanged": 3},
        "Appointment": {"unchanged": 2, "skipped": 1},
    }
    assert {t: table_count(rt, t) for t in (AppointmentRow, SlotRow)} == before
    # Each import leaves one summary in the audit log, with counts and no PHI.
    with transaction(rt.sessions) as s:
        entries = list(
            s.execute(select(AuditEntryRow).where(AuditEntryRow.action == "fhir.import")).scalars()
        )
    assert len(entries) == 2 and entries[1].details["counts"]["Patient"]["unchanged"] == 2
    assert "Fakename" not in json.dumps([e.details for e in entries])


def test_changed_fields_are_updated(rt, clock):
    doc = load("valid_bundle.json")
    run(rt, doc, default_timezone="America/New_York")
    changed = copy.deepcopy(doc)
    by_id = {e["resource"]["id"]: e["resource"] for e in changed["entry"]}
    by_id["pat-1"]["telecom"] = [{"system": "phone", "value": "312-555-0188", "use": "mobile"}]
    by_id["loc-north"]["name"] = "North Test Clinic (renamed)"
    by_id["appt-1"]["status"] = "cancelled"
    by_id["appt-1"]["cancelationReason"] = {"coding": [{"code": "oth-weath"}]}
    by_id["slot-1"]["status"] = "busy-unavailable"
    report = run(rt, changed, default_timezone="America/New_York")
    assert report.errors == []
    assert counts(report)["Patient"] == {"updated": 1, "unchanged": 1}
    assert counts(report)["Location"] == {"updated": 1, "unchanged": 1}
    assert counts(report)["Slot"] == {"updated": 1, "unchanged": 2}
    assert counts(report)["Appointment"] == {"updated": 1, "unchanged": 1, "skipped": 1}
    p1 = patients.get_patient(rt, actor=SYSTEM, patient_id=find(rt, "Patient", "pat-1"))
    assert [p.number for p in p1.phones] == ["+13125550188"]
    with transaction(rt.sessions) as s:
        a1 = s.execute(
            select(AppointmentRow).where(AppointmentRow.external_id == "appt-1")
        ).scalar_one()
    assert a1.status == AppointmentStatus.cancelled and a1.cancellation_reason == "weather"
    # The EHR cancelled it: its slot is open capacity again; slot-1 is now blocked.
    assert [s.external_id for s in scheduling.free_slots(rt)] == ["slot-2", "slot-3", None]
    # The same changed bundle once more: nothing moves (slot-2 stays free though the
    # EHR still lists it busy: it said so before, and the cancellation came after).
    again = run(rt, changed, default_timezone="America/New_York")
    assert {c for t in counts(again).values() for c in t} == {"unchanged", "skipped"}
    assert [s.external_id for s in scheduling.free_slots(rt)] == ["slot-2", "slot-3", None]


def test_a_cancellation_made_here_stands_until_the_ehr_says_something_new(rt):
    doc = load("valid_bundle.json")
    run(rt, doc, default_timezone="America/New_York")
    with transaction(rt.sessions) as s:
        appt_id = s.execute(
            select(AppointmentRow.id).where(AppointmentRow.external_id == "appt-1")
        ).scalar_one()
    scheduling.cancel(rt, actor=SYSTEM, appointment_id=appt_id, reason=CancelReason.patient)
    report = run(rt, doc, default_timezone="America/New_York")
    assert counts(report)["Appointment"] == {"unchanged": 2, "skipped": 1}
    assert scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt_id).status == (
        "cancelled"
    )
    moved = copy.deepcopy(doc)
    appt = next(e["resource"] for e in moved["entry"] if e["resource"]["id"] == "appt-1")
    appt["start"], appt["end"] = "2026-03-10T18:00:00Z", "2026-03-10T18:30:00Z"
    appt.pop("slot")
    report = run(rt, moved, default_timezone="America/New_York")
    assert counts(report)["Appointment"] == {"updated": 1, "unchanged": 1, "skipped": 1}
    view = scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt_id)
    assert view.status == "booked" and view.start == datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
    assert view.slot_id is None


def test_a_confirmation_made_here_survives_a_reimport(rt):
    doc = load("valid_bundle.json")
    run(rt, doc, default_timezone="America/New_York")
    with transaction(rt.sessions) as s:
        appt_id = s.execute(
            select(AppointmentRow.id).where(AppointmentRow.external_id == "appt-1")
        ).scalar_one()
    scheduling.confirm(rt, actor=SYSTEM, appointment_id=appt_id)
    report = run(rt, doc, default_timezone="America/New_York")
    assert counts(report)["Appointment"] == {"unchanged": 2, "skipped": 1}
    view = scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt_id)
    assert view.status is AppointmentStatus.confirmed


def test_a_patient_already_here_is_matched_by_mrn(rt):
    from datetime import date

    from careline.patients.model import PatientCreate

    existing = patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(
            given_name="Testa",
            family_name="Fakename",
            date_of_birth=date(1980, 4, 12),
            mrn="MRN-0001",
        ),
    )
    report = run(rt, load("valid_bundle.json"), default_timezone="America/New_York")
    assert counts(report)["Patient"] == {"created": 1, "updated": 1}
    assert find(rt, "Patient", "pat-1") == existing.id
    assert len(patients.search_patients(rt, actor=SYSTEM, query=PatientSearch(mrn="MRN-0001"))) == 1


def test_a_partly_invalid_bundle_imports_the_good_and_names_the_bad(rt):
    doc = load("partly_invalid_bundle.json")
    report = run(rt, doc)
    errors = {(e.resource_type, e.id, e.entry, e.path): e.message for e in report.errors}

    assert ("Location", "loc-bad-tz", 0, "Location.extension[0].valueCode") in errors
    # A bad secondary number costs the patient that number, not the record.
    (warning,) = report.warnings
    assert (warning.id, warning.entry, warning.path) == (
        "pat-badphone",
        3,
        "Patient.telecom[1].value",
    )
    assert warning.message == "is not a valid phone number in US; skipped"
    assert warning.where == "Patient/pat-badphone.telecom[1].value"
    assert "required" in errors[("Patient", "pat-nodob", 4, "Patient.birthDate")]
    assert ("Patient", "pat-baddate", 5, "Patient.birthDate") in errors
    assert ("Observation", "obs-1", 7, "Bundle.entry[7].resource.resourceType") in errors
    assert ("Patinet", "typo-1", 8, "Bundle.entry[8].resource.resourceType") in errors
    assert ("Slot", "slot-bad-end", 10, "Slot.end") in errors
    unknown = errors[
        ("Appointment", "appt-unknown-ref", 11, "Appointment.participant[0].actor.reference")
    ]
    assert "Patient/does-not-exist" in unknown and "neither in this bundle" in unknown
    failed = errors[
        ("Appointment", "appt-failed-ref", 12, "Appointment.participant[0].actor.reference")
    ]
    assert "could not be imported (entry 4)" in failed
    assert ("Appointment", "appt-no-participant", 13, "Appointment.participant") in errors
    assert errors[("Appointment", "appt-wrong-type", 14, "Appointment.slot[0].reference")] == (
        "must refer to a Slot"
    )
    assert len(report.errors) == len(errors) == 10

    assert counts(report) == {
        "Location": {"created": 1, "failed": 1},
        "Practitioner": {"created": 1},
        "Patient": {"created": 2, "failed": 2},
        "Schedule": {"created": 1},
        "Slot": {"failed": 1},
        "Appointment": {"created": 1, "failed": 4},
        "Observation": {"failed": 1},
        "Patinet": {"failed": 1},
    }
    assert report.failed == 10
    # No value of any resource appears in the report (they are PHI).
    text = report.model_dump_json()
    for secret in ("555-01", "1980-13-45", "Fakename", "Mars/Olympus_Mons", "1975-06-01"):
        assert secret not in text
    # The good ones landed.
    assert table_count(rt, AppointmentRow) == 1
    ok = patients.get_patient(rt, actor=SYSTEM, patient_id=find(rt, "Patient", "pat-ok"))
    assert ok.phones[0].number == "+13125550177" and ok.phones[0].sms_capable
    kept = patients.get_patient(rt, actor=SYSTEM, patient_id=find(rt, "Patient", "pat-badphone"))
    assert [(p.number, p.primary) for p in kept.phones] == [("+13125550131", True)]
    assert fhir._link(rt, "Patient", "pat-nodob") is None  # nothing half-written


def test_a_location_without_a_time_zone_needs_a_default(rt):
    doc = load("valid_bundle.json")
    report = run(rt, doc)
    (error,) = [e for e in report.errors if e.id == "loc-south"]
    assert error.path == "Location.extension" and "--timezone" in error.message
    # What refers to it fails by reference, naming the entry; the rest imports.
    (appt_error,) = [e for e in report.errors if e.id == "appt-2"]
    assert "could not be imported (entry 2)" in appt_error.message
    assert counts(report)["Appointment"] == {"created": 1, "failed": 1, "skipped": 1}


def test_a_dry_run_writes_nothing(rt):
    report = run(rt, load("valid_bundle.json"), default_timezone="America/Chicago", dry_run=True)
    assert report.dry_run and report.errors == []
    assert counts(report)["Patient"] == {"created": 2}
    assert counts(report)["Appointment"] == {"created": 2, "skipped": 1}
    assert table_count(rt, SlotRow) == 0 and table_count(rt, AppointmentRow) == 0
    assert fhir._link(rt, "Patient", "pat-1") is None


def test_references_to_an_earlier_import_resolve(rt):
    doc = load("valid_bundle.json")
    run(rt, doc, default_timezone="America/New_York")
    later = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {
                "search": {"mode": "match"},
                "resource": {
                    "resourceType": "Appointment",
                    "id": "appt-9",
                    "status": "booked",
                    "slot": [{"reference": "Slot/slot-3"}],
                    "participant": [
                        {"actor": {"reference": "Patient/pat-2"}, "status": "accepted"},
                    ],
                },
            },
            {"search": {"mode": "outcome"}, "resource": {"resourceType": "OperationOutcome"}},
        ],
    }
    report = run(rt, later)
    assert report.errors == [] and counts(report) == {"Appointment": {"created": 1}}
    with transaction(rt.sessions) as s:
        a9 = s.execute(
            select(AppointmentRow).where(AppointmentRow.external_id == "appt-9")
        ).scalar_one()
    slot3 = scheduling.find_slot_by_external_id(rt, external_id="slot-3")
    assert slot3 is not None and slot3.status is SlotStatus.busy
    # Provider, place, time and type all came from the slot.
    assert a9.holds_slot_id == slot3.id and a9.starts_at == slot3.start
    assert a9.staff_id == slot3.staff_id and a9.duration_minutes == 45
    assert a9.type_code == "FOLLOWUP"
    assert a9.starts_at == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "document",
    [
        [],
        "Bundle",
        {"resourceType": "Observation"},
        {"resourceType": "Bundle", "type": "document", "entry": []},
        {"resourceType": "Bundle", "type": "collection", "entry": {}},
        {"resourceType": "Bundle", "type": "collection", "timestamp": "yesterday"},
    ],
)
def test_documents_that_are_not_importable_bundles_are_refused_whole(rt, document):
    with pytest.raises(ValidationFailed) as refused:
        run(rt, document)
    assert refused.value.error_id == "fhir-bundle-invalid"
    assert refused.value.problems


def test_an_unknown_default_time_zone_is_refused(rt):
    with pytest.raises(ValidationFailed) as refused:
        run(rt, load("valid_bundle.json"), default_timezone="Mars/Base")
    assert refused.value.problems[0].field == "timezone"


def test_a_resource_twice_in_one_bundle_is_reported(rt):
    doc = load("valid_bundle.json")
    doc["entry"].append(copy.deepcopy(doc["entry"][5]))  # Patient/pat-1 again
    report = run(rt, doc, default_timezone="America/New_York")
    (dup,) = report.errors
    assert dup.id == "pat-1" and dup.entry == len(doc["entry"]) - 1
    assert "twice" in dup.message and "entry 5" in dup.message


def test_two_ehr_patients_with_one_mrn_are_not_merged(rt):
    doc = load("valid_bundle.json")
    twin = copy.deepcopy(next(e for e in doc["entry"] if e["resource"]["id"] == "pat-1"))
    twin["resource"]["id"] = "pat-twin"
    twin.pop("fullUrl")
    doc["entry"].append(twin)
    report = run(rt, doc, default_timezone="America/New_York")
    (error,) = report.errors
    assert (error.id, error.path) == ("pat-twin", "Patient.identifier")
    assert "Patient/pat-1" in error.message
    assert counts(report)["Patient"] == {"created": 2, "failed": 1}
