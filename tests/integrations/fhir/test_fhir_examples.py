"""EHR data as it really arrives: the HL7 FHIR R4 specification's own examples and a
Synthea-generated bundle (see examples/README.md) import: what is usable lands, and
what is left out, or held until what it needs arrives, is reported by path."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from careline.core.db import transaction
from careline.directory import service as directory
from careline.integrations.fhir import service as fhir
from careline.integrations.fhir.countries import country_code
from careline.integrations.fhir.model import phones_of
from careline.integrations.fhir.tables import FhirLinkRow
from careline.patients import service as patients
from careline.scheduling import service as scheduling
from careline.scheduling.model import SlotStatus
from careline.scheduling.tables import AppointmentRow, SlotRow
from careline.security.model import SYSTEM

EXAMPLES = Path(__file__).parent / "examples"
ZONE = "Europe/Amsterdam"  # the examples' places have no timezone extension

#: Every official example kept in examples/, in the order of a bundle of them.
OFFICIAL = [
    "location-example",
    "practitioner-example",
    "practitioner-example-f202-lm",
    "patient-example",
    "patient-example-f001-pieter",
    "patient-example-f201-roel",
    "schedule-example",
    "schedule-provider-location1-example",
    "slot-example",
    "slot-example-busy",
    "slot-example-tentative",
    "slot-example-unavailable",
    "appointment-example",
    "appointment-example2doctors",
    "appointment-example-request",
]

#: What importing all of them says, by resource and path ('Type/id.path'), in entry order.
OFFICIAL_WARNINGS = [
    ("Location/1.telecom[0].value", "is not a valid phone number in NL; skipped"),
    # Peter Chalmers' address has no country, so his Australian numbers are read as US
    # numbers: they are not, and are skipped; the record imports.
    ("Patient/example.telecom[1].value", "is not a valid phone number in US; skipped"),
    ("Patient/example.telecom[2].value", "is not a valid phone number in US; skipped"),
    ("Patient/example.telecom[3]", "is no longer in use (use 'old'); skipped"),
    ("Schedule/example.actor", "names no Practitioner: its slots are held until it names one"),
    (
        "Schedule/exampleloc1.actor[0].reference",
        "refers to Practitioner/1, which is neither in this bundle nor imported before: "
        "its slots are held until it is imported",
    ),
    (
        "Schedule/exampleloc1.actor[1].reference",
        "refers to Location/3, which is neither in this bundle nor imported before: "
        "its slots are held until it is imported",
    ),
    *[
        (
            f"Slot/{slot}.schedule.reference",
            "Schedule/example names no Practitioner: held until it names one",
        )
        for slot in ("example", "1", "2", "3")
    ],
    (
        "Appointment/2docs.participant[2].actor.reference",
        "careline keeps one Practitioner per appointment (the first); left out",
    ),
    ("Appointment/2docs.participant[3].actor", "has no reference; left out"),
    (
        "Appointment/2docs.participant",
        "names no Location (nor a slot): held until the EHR names one",
    ),
]


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def bundle(*names: str, resources: tuple[dict, ...] = ()) -> dict:
    entries = [{"resource": example(n)} for n in names]
    entries += [{"resource": r} for r in resources]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def run(rt, doc, **kw):
    kw.setdefault("default_timezone", ZONE)
    return fhir.import_bundle(rt, actor=SYSTEM, document=doc, **kw)


def counts(report) -> dict[str, dict[str, int]]:
    return {
        t: {k: v for k, v in c.model_dump().items() if v}
        for t, c in report.counts.items()
        if any(c.model_dump().values())
    }


def said(findings) -> list[tuple[str, str]]:
    return [(f.where, f.message) for f in findings]


def find(rt, resource_type: str, fhir_id: str) -> str:
    linked = fhir._link(rt, resource_type, fhir_id)
    assert linked is not None and linked.careline_id is not None
    return linked.careline_id


def held(rt) -> dict[tuple[str, str], list[str]]:
    """What is held, and what each waits for."""
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(FhirLinkRow).where(FhirLinkRow.resource_type.in_(("Slot", "Appointment")))
        ).scalars()
        return {(r.resource_type, r.fhir_id): r.data["waiting_for"] for r in rows}


def rows(rt, table) -> int:
    with transaction(rt.sessions) as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def phones(rt, fhir_id: str) -> list[tuple[str, str, bool, bool]]:
    view = patients.get_patient(rt, actor=SYSTEM, patient_id=find(rt, "Patient", fhir_id))
    return [(p.number, p.kind, p.primary, p.sms_capable) for p in view.phones]


# ---------------------------------------------------------------- the official examples


def test_every_official_example_imports_and_what_is_left_out_is_named(rt):
    report = run(rt, bundle(*OFFICIAL))
    assert report.errors == []
    assert counts(report) == {
        "Location": {"created": 1},
        "Practitioner": {"created": 2},
        "Patient": {"created": 3},
        "Schedule": {"created": 2},
        "Slot": {"held": 4},
        "Appointment": {"created": 1, "held": 1, "skipped": 1},
    }
    assert said(report.skipped) == [
        (
            "Appointment/examplereq.status",
            "'proposed' is not a booking; only booked appointments and their outcomes are imported",
        )
    ]
    assert said(report.warnings) == OFFICIAL_WARNINGS
    # The warnings name places, never values: no number, no name.
    text = report.model_dump_json()
    for value in ("5555", "3410", "2328", "Chalmers", "Careful", "0648352638"):
        assert value not in text

    # Peter Chalmers: the record, without the numbers careline cannot dial.
    chalmers = patients.get_patient(rt, actor=SYSTEM, patient_id=find(rt, "Patient", "example"))
    assert (chalmers.given_name, chalmers.family_name) == ("Peter James", "Chalmers")
    assert chalmers.date_of_birth == date(1974, 12, 25) and chalmers.mrn == "12345"
    assert chalmers.phones == []
    # Pieter van de Heuvel lives in the Netherlands: his 06 number is a Dutch mobile.
    assert phones(rt, "f001") == [("+31648352638", "mobile", True, True)]
    pieter = patients.get_patient(rt, actor=SYSTEM, patient_id=find(rt, "Patient", "f001"))
    assert pieter.preferred_language == "nl"
    assert phones(rt, "f201") == [
        ("+31612345678", "mobile", True, True),
        ("+31201234567", "home", False, False),
    ]

    # The wing in Den Burg: 'NLD' is the Netherlands; its extension '2328' is no number.
    wing = directory.get_location(rt, location_id=find(rt, "Location", "1"))
    assert wing.address.country == "NL" and wing.timezone == ZONE
    assert wing.main_phone is None and wing.name == "South Wing, second floor"
    careful = directory.get_staff(rt, staff_id=find(rt, "Practitioner", "example"))
    assert careful.display_name == "Dr Adam Careful" and careful.title == "Bachelor of Science"
    maas = directory.get_staff(rt, staff_id=find(rt, "Practitioner", "f202"))
    assert [e.address for e in maas.endpoints] == ["+31715269111"]

    # The appointment with Dr Careful in the South Wing, 09:00-11:00 UTC.
    with transaction(rt.sessions) as s:
        (appt,) = s.execute(select(AppointmentRow)).scalars()
    assert appt.external_id == "example" and appt.status == "booked"
    assert appt.patient_id == chalmers.id and appt.staff_id == careful.id
    assert appt.location_id == wing.id and appt.duration_minutes == 120
    assert appt.starts_at == datetime(2013, 12, 10, 9, 0, tzinfo=UTC)
    assert appt.type_code == "52"  # serviceType "General Discussion"
    # What waits: the location-only schedule's slots, for a provider; the two-doctor
    # telephone appointment, for a place (it names none).
    assert held(rt) == {
        ("Slot", "example"): ["Schedule/example"],
        ("Slot", "1"): ["Schedule/example"],
        ("Slot", "2"): ["Schedule/example"],
        ("Slot", "3"): ["Schedule/example"],
        ("Appointment", "2docs"): [],
    }
    assert rows(rt, SlotRow) == 0

    # The same bundle again: nothing moves, and it says the same.
    again = run(rt, bundle(*OFFICIAL))
    assert again.errors == [] and said(again.warnings) == OFFICIAL_WARNINGS
    assert counts(again) == {
        "Location": {"unchanged": 1},
        "Practitioner": {"unchanged": 2},
        "Patient": {"unchanged": 3},
        "Schedule": {"unchanged": 2},
        "Slot": {"held": 4},
        "Appointment": {"unchanged": 1, "held": 1, "skipped": 1},
    }
    assert rows(rt, AppointmentRow) == 1 and len(held(rt)) == 5


def test_a_dry_run_of_the_examples_says_the_same_and_keeps_nothing(rt):
    report = run(rt, bundle(*OFFICIAL), dry_run=True)
    assert report.errors == [] and said(report.warnings) == OFFICIAL_WARNINGS
    assert counts(report)["Slot"] == {"held": 4}
    assert counts(report)["Appointment"] == {"created": 1, "held": 1, "skipped": 1}
    assert held(rt) == {} and rows(rt, AppointmentRow) == 0


# ---------------------------------------------------------------- phone numbers


def test_numbers_are_read_by_the_country_of_the_address(rt):
    pieter = example("patient-example-f001-pieter")
    report = run(rt, bundle(resources=(pieter,)))
    assert report.warnings == [] and phones(rt, "f001")[0][0] == "+31648352638"
    # Without the address the same number is read as a US one: not valid, so skipped,
    # and the patient still imports.
    homeless = copy.deepcopy(pieter)
    homeless["id"] = "f001-no-address"
    homeless.pop("address")
    report = run(rt, bundle(resources=(homeless,)))
    assert counts(report) == {"Patient": {"created": 1}}
    assert said(report.warnings) == [
        ("Patient/f001-no-address.telecom[0].value", "is not a valid phone number in US; skipped")
    ]
    assert phones(rt, "f001-no-address") == []


def test_ended_numbers_are_skipped_with_a_warning_and_current_ones_kept(rt):
    chalmers = example("patient-example")
    chalmers["address"][0]["country"] = "AUS"  # the example's Vic address, said in full
    chalmers["telecom"] += [
        {"system": "sms", "value": "0412 345 678", "period": {"end": "2031-06"}},
        {"system": "phone", "value": "(03) 5555 1000", "period": {"end": "2025-12-31"}},
        {"system": "phone", "value": "(03) 5555 2000", "period": {"start": "2027"}},
    ]
    report = run(rt, bundle(resources=(chalmers,)))  # the clock says 2 March 2026
    assert said(report.warnings) == [
        ("Patient/example.telecom[3]", "is no longer in use (use 'old'); skipped"),
        ("Patient/example.telecom[5]", "is no longer in use (its period has ended); skipped"),
        ("Patient/example.telecom[6]", "is not in use yet (its period starts later); skipped"),
    ]
    assert phones(rt, "example") == [
        ("+61355556473", "work", True, False),  # rank 1
        ("+61334105613", "mobile", False, True),
        ("+61412345678", "mobile", False, True),  # ends in 2031: still in use
    ]


def test_partial_dates_end_when_their_year_or_month_does():
    from fhir.resources.R4B.patient import Patient

    patient = Patient.model_validate(
        {
            "resourceType": "Patient",
            "telecom": [
                {"system": "phone", "value": "+13125550101", "period": {"end": "2026"}},
                {"system": "phone", "value": "+13125550102", "period": {"end": "2026-02"}},
                {"system": "phone", "value": "+13125550103", "period": {"end": "2026-03-01"}},
            ],
        }
    )
    now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    kept, warnings = phones_of(patient.telecom, resource_type="Patient", region="US", now=now)
    assert [p.number for p in kept or []] == ["+13125550101"]
    assert [path for path, _ in warnings] == ["Patient.telecom[1]", "Patient.telecom[2]"]


def test_country_codes_and_names_are_understood():
    assert [country_code(c) for c in ("NLD", "nl", "Netherlands", "USA", "United States")] == [
        "NL",
        "NL",
        "NL",
        "US",
        "US",
    ]
    assert country_code("Côte d'Ivoire") == "CI" and country_code("UK") == "GB"
    assert country_code("Vic") is None and country_code("") is None


# ---------------------------------------------------------------- held until it can be


def test_a_location_schedule_is_accepted_and_its_slots_import_once_it_has_a_provider(rt):
    report = run(rt, bundle("location-example", "schedule-example", "slot-example"))
    assert report.errors == []
    assert counts(report) == {
        "Location": {"created": 1},
        "Schedule": {"created": 1},
        "Slot": {"held": 1},
    }
    wing = find(rt, "Location", "1")
    schedule = fhir._link(rt, "Schedule", "example")
    assert schedule is not None and schedule.data["location_id"] == wing
    assert schedule.data["staff_id"] is None and schedule.data["type_code"] == "57"

    # The EHR names the schedule's provider: the slot held for it is imported, and so
    # are the slots that come with it.
    with_provider = example("schedule-example")
    with_provider["actor"].append({"reference": "Practitioner/example"})
    later = bundle(
        "practitioner-example",
        "slot-example-busy",
        "slot-example-tentative",
        "slot-example-unavailable",
        resources=(with_provider,),
    )
    report = run(rt, later)
    assert report.errors == [] and report.warnings == []
    assert counts(report) == {
        "Practitioner": {"created": 1},
        "Schedule": {"updated": 1},
        "Slot": {"created": 3, "resolved": 1},
    }
    assert said(report.resolved) == [
        ("Slot/example", "held by an earlier import for what this one brought: imported")
    ]
    careful = find(rt, "Practitioner", "example")
    statuses = {}
    for slot_id in ("example", "1", "2", "3"):
        slot = scheduling.find_slot_by_external_id(rt, external_id=slot_id)
        assert slot is not None and slot.staff_id == careful and slot.location_id == wing
        statuses[slot_id] = slot.status
    assert statuses == {
        "example": SlotStatus.free,
        "1": SlotStatus.busy,
        "2": SlotStatus.busy,  # busy-tentative
        "3": SlotStatus.blocked,  # busy-unavailable
    }
    slot = scheduling.find_slot_by_external_id(rt, external_id="example")
    assert slot is not None and slot.appointment_type is not None
    assert slot.appointment_type.code == "57" and slot.duration_minutes == 15
    assert held(rt) == {}


def test_a_schedule_whose_actors_are_not_imported_yet_waits_for_them(rt):
    report = run(rt, bundle("schedule-provider-location1-example"))
    assert counts(report) == {"Schedule": {"created": 1}} and report.errors == []
    schedule = fhir._link(rt, "Schedule", "exampleloc1")
    assert schedule is not None
    assert schedule.data["unresolved"] == {
        "Practitioner": "Practitioner/1",
        "Location": "Location/3",
    }
    slot = {
        "resourceType": "Slot",
        "id": "genetics-1",
        "schedule": {"reference": "Schedule/exampleloc1"},
        "status": "free",
        "start": "2026-03-10T09:00:00Z",
        "end": "2026-03-10T09:30:00Z",
    }
    report = run(rt, bundle(resources=(slot,)))
    assert counts(report) == {"Slot": {"held": 1}}
    assert held(rt) == {
        ("Slot", "genetics-1"): ["Location/3", "Practitioner/1", "Schedule/exampleloc1"]
    }
    # Dr. Crusher and the sickbay arrive: the schedule now leads to them, the slot lands.
    crusher = {"resourceType": "Practitioner", "id": "1", "name": [{"text": "Dr. B Crusher"}]}
    sickbay = copy.deepcopy(example("location-example"))
    sickbay["id"] = "3"
    report = run(rt, bundle(resources=(crusher, sickbay)))
    assert counts(report)["Slot"] == {"resolved": 1} and held(rt) == {}
    landed = scheduling.find_slot_by_external_id(rt, external_id="genetics-1")
    assert landed is not None and landed.staff_id == find(rt, "Practitioner", "1")
    assert landed.location_id == find(rt, "Location", "3")
    assert landed.appointment_type is not None and landed.appointment_type.code == "75"


def test_an_appointment_whose_practitioner_and_location_are_absent_is_held_then_imported(rt):
    first = bundle("patient-example", "appointment-example")
    report = run(rt, first)
    assert report.errors == []
    assert counts(report) == {"Patient": {"created": 1}, "Appointment": {"held": 1}}
    assert said(report.warnings)[-2:] == [
        (
            "Appointment/example.participant[1].actor.reference",
            "refers to Practitioner/example, which is neither in this bundle nor imported "
            "before: held until it is imported",
        ),
        (
            "Appointment/example.participant[2].actor.reference",
            "refers to Location/1, which is neither in this bundle nor imported before: "
            "held until it is imported",
        ),
    ]
    # The references to resolve later are recorded with it; no appointment yet.
    assert held(rt) == {("Appointment", "example"): ["Location/1", "Practitioner/example"]}
    assert rows(rt, AppointmentRow) == 0

    # Only the practitioner comes: still waiting for the place.
    report = run(rt, bundle("practitioner-example"))
    assert counts(report) == {"Practitioner": {"created": 1}}
    assert held(rt) == {("Appointment", "example"): ["Location/1"]}

    report = run(rt, bundle("location-example"))
    assert counts(report) == {"Location": {"created": 1}, "Appointment": {"resolved": 1}}
    assert held(rt) == {}
    with transaction(rt.sessions) as s:
        (appt,) = s.execute(select(AppointmentRow)).scalars()
    assert appt.external_id == "example" and appt.staff_id == find(rt, "Practitioner", "example")
    assert appt.location_id == find(rt, "Location", "1")
    assert appt.patient_id == find(rt, "Patient", "example")

    # The EHR sends the appointment again: it is there, unchanged.
    again = run(rt, first)
    assert counts(again) == {"Patient": {"unchanged": 1}, "Appointment": {"unchanged": 1}}


def test_an_appointment_in_a_held_slot_waits_for_the_slot(rt):
    run(rt, bundle("location-example", "schedule-example", "slot-example", "patient-example"))
    booking = {
        "resourceType": "Appointment",
        "id": "in-slot",
        "status": "booked",
        "slot": [{"reference": "Slot/example"}],
        "participant": [{"actor": {"reference": "Patient/example"}, "status": "accepted"}],
    }
    report = run(rt, bundle(resources=(booking,)))
    assert counts(report) == {"Appointment": {"held": 1}}
    assert said(report.warnings) == [
        (
            "Appointment/in-slot.slot[0].reference",
            "Slot/example is not a careline slot yet: held until it is",
        )
    ]
    assert held(rt)[("Appointment", "in-slot")] == ["Schedule/example", "Slot/example"]
    # The schedule gets its provider: first the slot is imported, then the appointment in it.
    with_provider = example("schedule-example")
    with_provider["actor"].append({"reference": "Practitioner/example"})
    report = run(rt, bundle("practitioner-example", resources=(with_provider,)))
    assert counts(report)["Slot"] == {"resolved": 1}
    assert counts(report)["Appointment"] == {"resolved": 1}
    slot = scheduling.find_slot_by_external_id(rt, external_id="example")
    assert slot is not None and slot.status is SlotStatus.busy
    with transaction(rt.sessions) as s:
        (appt,) = s.execute(select(AppointmentRow)).scalars()
    assert appt.holds_slot_id == slot.id and appt.duration_minutes == 15
    assert appt.type_code == "57"  # from its slot


# ---------------------------------------------------------------- still refused


def test_what_cannot_be_used_at_all_is_still_an_error_and_the_rest_imports(rt):
    not_an_actor = {
        "resourceType": "Schedule",
        "id": "by-organisation",
        "actor": [{"reference": "Organization/1"}, {"reference": "Location/1"}],
    }
    its_slot = {
        "resourceType": "Slot",
        "id": "org-slot",
        "schedule": {"reference": "Schedule/by-organisation"},
        "status": "free",
        "start": "2026-03-10T09:00:00Z",
        "end": "2026-03-10T09:30:00Z",
    }
    nobody = copy.deepcopy(example("appointment-example"))
    nobody["id"] = "no-such-patient"
    nobody["participant"][0]["actor"]["reference"] = "Patient/not-here"
    report = run(
        rt,
        bundle(
            "location-example",
            "practitioner-example",
            "patient-example",
            "appointment-example",
            resources=(not_an_actor, its_slot, nobody),
        ),
    )
    errors = {(e.where, e.message) for e in report.errors}
    assert errors == {
        (
            "Schedule/by-organisation.actor[0].reference",
            "is not an actor a Schedule can have: Practitioner, PractitionerRole, Location, "
            "HealthcareService, Device, RelatedPerson, Patient",
        ),
        (
            "Slot/org-slot.schedule.reference",
            "refers to Schedule/by-organisation, which could not be imported (entry 4)",
        ),
        (
            "Appointment/no-such-patient.participant[0].actor.reference",
            "refers to Patient/not-here, which is neither in this bundle nor imported before: "
            "import it first",
        ),
    }
    assert counts(report) == {
        "Location": {"created": 1},
        "Practitioner": {"created": 1},
        "Patient": {"created": 1},
        "Schedule": {"failed": 1},
        "Slot": {"failed": 1},
        "Appointment": {"created": 1, "failed": 1},
    }
    assert held(rt) == {}  # what failed is not kept for later either


# ---------------------------------------------------------------- Synthea


def test_a_synthea_patient_imports_with_its_usable_numbers(rt):
    doc = json.loads((EXAMPLES / "synthea-patient-bundle.json").read_text())
    report = run(rt, doc)
    uuid = "d5582579-7193-4866-5560-a01e723b6552"
    assert counts(report) == {
        "Patient": {"created": 1},
        "Encounter": {"failed": 1},
        "Condition": {"failed": 1},
    }
    assert [(e.resource_type, e.path) for e in report.errors] == [
        ("Encounter", "Bundle.entry[1].resource.resourceType"),
        ("Condition", "Bundle.entry[2].resource.resourceType"),
    ]
    # Synthea's numbers are 555-xxx-xxxx: no such US area code, so none is dialable.
    assert said(report.warnings) == [
        (f"Patient/{uuid}.telecom[0].value", "is not a valid phone number in US; skipped")
    ]
    patient = patients.get_patient(rt, actor=SYSTEM, patient_id=find(rt, "Patient", uuid))
    assert (patient.given_name, patient.family_name) == ("Lindsay928", "Gerlach374")
    assert patient.date_of_birth == date(1950, 10, 24) and patient.mrn == uuid
    assert patient.phones == [] and patient.preferred_language == "en-US"
    # With a number that is, it is kept: the patient is matched by its FHIR id.
    entry = doc["entry"][0]["resource"]
    entry["telecom"].append({"system": "phone", "value": "617-555-0134", "use": "mobile"})
    again = run(rt, doc)
    assert counts(again)["Patient"] == {"updated": 1}
    assert phones(rt, uuid) == [("+16175550134", "mobile", True, True)]
