"""FHIR use cases: import a Bundle from an EHR, export an interaction as a Communication.

The import takes each resource on its own: validated with its R4B model, mapped
to careline's terms, and written through the owning capability's service
(patients, directory, scheduling), each in its own transaction(s). A bad
resource is reported — type, id, bundle entry, FHIR path, message, never a
value — and the rest still imports. Resources are taken in dependency order
(locations, practitioners, patients, schedules, slots, appointments) so that
references resolve to what this bundle just imported, or to what an earlier
import did (through `fhir_links`). Importing the same bundle again changes
nothing; changed fields are updated.

A patient, staff member or location is created by its capability's service and
then linked here, in a second transaction: should the process die in between, a
re-import cannot find the record by its FHIR id (a patient is still found by
its MRN). Slots and appointments carry their FHIR id themselves and have no
such window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, cast

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from careline.core.db import transaction
from careline.core.errors import CarelineError, FieldProblem, NotFound, ValidationFailed
from careline.core.phone import to_e164
from careline.directory import service as directory
from careline.directory.model import (
    Address,
    EndpointKind,
    LocationCreate,
    LocationUpdate,
    LocationView,
    StaffCreate,
    StaffUpdate,
    StaffView,
    known_timezones,
)
from careline.integrations.fhir.model import (
    DEFAULT_TYPE,
    IMPORT_ORDER,
    BundleContents,
    BundleUnreadable,
    Entry,
    ImportReport,
    Ref,
    ResourceError,
    ResourceProblem,
    SkipResource,
    TypeCounts,
    appointment_fields,
    communication_for,
    location_fields,
    patient_fields,
    read_bundle,
    schedule_fields,
    slot_fields,
    staff_fields,
    validate_resource,
)
from careline.integrations.fhir.tables import FhirLinkRow
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PatientSearch, PatientUpdate, PatientView
from careline.runtime import Runtime
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentImport, AppointmentType, SlotImport, Upsert
from careline.security import audit
from careline.security.model import Actor
from careline.timeline import service as timeline

log = logging.getLogger("careline.fhir")

#: careline field names -> where they come from in each resource type.
_FIELD_PATHS: dict[str, dict[str, str]] = {
    "Patient": {
        "given_name": "Patient.name.given",
        "family_name": "Patient.name.family",
        "date_of_birth": "Patient.birthDate",
        "mrn": "Patient.identifier",
        "phones": "Patient.telecom",
        "preferred_language": "Patient.communication",
    },
    "Practitioner": {
        "display_name": "Practitioner.name",
        "title": "Practitioner.qualification",
        "languages": "Practitioner.communication",
        "endpoints": "Practitioner.telecom",
    },
    "Location": {
        "name": "Location.name",
        "code": "Location.identifier",
        "timezone": "Location.extension",
        "address": "Location.address",
        "address.line1": "Location.address.line",
        "address.line2": "Location.address.line",
        "address.city": "Location.address.city",
        "address.region": "Location.address.state",
        "address.postal_code": "Location.address.postalCode",
        "address.country": "Location.address.country",
        "main_phone": "Location.telecom",
        "hours": "Location.hoursOfOperation",
        "holiday_country": "Location.address.country",
        "holiday_subdivision": "Location.address.state",
    },
    "Slot": {
        "start": "Slot.start",
        "duration_minutes": "Slot.end",
        "location_id": "Slot.schedule",
        "staff_id": "Slot.schedule",
        "appointment_type": "Slot.serviceType",
    },
    "Appointment": {
        "patient_id": "Appointment.participant",
        "staff_id": "Appointment.participant",
        "location_id": "Appointment.participant",
        "start": "Appointment.start",
        "duration_minutes": "Appointment.end",
        "appointment_type": "Appointment.serviceType",
        "slot_external_id": "Appointment.slot",
    },
}
#: Conflicts without field problems, and the field they are about.
_ERROR_PATHS = {
    "mrn-taken": "Patient.identifier",
    "location-code-taken": "Location.identifier",
    "no-such-patient": "Appointment.participant",
}


def _fhir_field(resource_type: str, name: str) -> str:
    """'body.address.postal_code' -> 'Location.address.postalCode' (best known match)."""
    parts = [p for p in name.removeprefix("body.").split(".") if not p.isdigit()]
    known = _FIELD_PATHS.get(resource_type, {})
    for n in range(len(parts), 0, -1):
        found = known.get(".".join(parts[:n]))
        if found:
            return found
    return resource_type


# ---------------------------------------------------------------- links


@dataclass(frozen=True)
class Resolved:
    """What a reference leads to: a careline id (None for a Schedule) and facts about it.
    `pending`: created only in this dry run, so it has no id yet."""

    careline_id: str | None
    data: dict[str, Any] = field(default_factory=dict)
    pending: bool = False


def _link(rt: Runtime, resource_type: str, fhir_id: str) -> Resolved | None:
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(FhirLinkRow).where(
                FhirLinkRow.resource_type == resource_type, FhirLinkRow.fhir_id == fhir_id
            )
        ).scalar_one_or_none()
        return Resolved(row.careline_id, dict(row.data or {})) if row else None


def _save_link(
    rt: Runtime,
    resource_type: str,
    fhir_id: str,
    careline_id: str | None,
    data: dict[str, Any] | None = None,
) -> None:
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(FhirLinkRow).where(
                FhirLinkRow.resource_type == resource_type, FhirLinkRow.fhir_id == fhir_id
            )
        ).scalar_one_or_none()
        if row is None:
            s.add(
                FhirLinkRow(
                    resource_type=resource_type,
                    fhir_id=fhir_id,
                    careline_id=careline_id,
                    data=data or {},
                    created_at=now,
                    updated_at=now,
                )
            )
        elif row.careline_id != careline_id or row.data != (data or {}):
            row.careline_id, row.data, row.updated_at = careline_id, data or {}, now


def fhir_id_for(rt: Runtime, *, resource_type: str, careline_id: str) -> str | None:
    """The FHIR id a careline record was imported from, if it was."""
    with transaction(rt.sessions) as s:
        found = s.execute(
            select(FhirLinkRow.fhir_id)
            .where(
                FhirLinkRow.resource_type == resource_type,
                FhirLinkRow.careline_id == careline_id,
            )
            .order_by(FhirLinkRow.created_at)
            .limit(1)
        ).scalar_one_or_none()
        return found


# ---------------------------------------------------------------- the importer


@dataclass
class _Done:
    entry: int | None
    failed: bool
    result: Resolved | None = None


class _Importer:
    """One import run: resolves references, keeps the report."""

    def __init__(
        self,
        rt: Runtime,
        *,
        actor: Actor,
        contents: BundleContents,
        default_timezone: str | None,
        dry_run: bool,
    ) -> None:
        self.rt = rt
        self.actor = actor
        self.contents = contents
        self.default_timezone = default_timezone
        self.dry_run = dry_run
        self.region = rt.settings.default_region
        self.done: dict[tuple[str, str], _Done] = {}
        self.staff: dict[str, StaffView | None] = {}
        self.report = ImportReport(
            dry_run=dry_run,
            bundle_type=contents.bundle_type,
            counts={t: TypeCounts() for t in IMPORT_ORDER},
            errors=[],
            skipped=[],
        )

    # -------------------------------------------------------- bookkeeping

    def _counts(self, resource_type: str | None) -> TypeCounts:
        return self.report.counts.setdefault(resource_type or "unknown", TypeCounts())

    def _fail(self, entry: Entry, problems: list[tuple[str, str]]) -> None:
        self._counts(entry.resource_type).failed += 1
        for path, message in problems or [(entry.resource_type, "could not be imported")]:
            self.report.errors.append(
                ResourceError(
                    resource_type=entry.resource_type,
                    id=entry.fhir_id,
                    entry=entry.index,
                    path=path,
                    message=message,
                )
            )
        if entry.fhir_id is not None:
            self.done.setdefault(
                (entry.resource_type, entry.fhir_id), _Done(entry.index, failed=True)
            )

    def run(self) -> ImportReport:
        for error in self.contents.errors:
            self._counts(error.resource_type).failed += 1
            self.report.errors.append(error)
        ordered = sorted(self.contents.entries, key=lambda e: IMPORT_ORDER.index(e.resource_type))
        for entry in ordered:
            self._one(entry)
        self.report.errors.sort(key=lambda e: (e.entry if e.entry is not None else -1, e.path))
        return self.report

    def _one(self, entry: Entry) -> None:
        key = (entry.resource_type, entry.fhir_id or "")
        if entry.fhir_id is not None and key in self.done:
            first = self.done[key].entry
            self._counts(entry.resource_type).failed += 1
            self.report.errors.append(
                ResourceError(
                    resource_type=entry.resource_type,
                    id=entry.fhir_id,
                    entry=entry.index,
                    path=f"{entry.resource_type}.id",
                    message=f"appears twice in the bundle (first at entry {first})",
                )
            )
            return
        try:
            model = validate_resource(entry)
            handler = {
                "Location": self._location,
                "Practitioner": self._practitioner,
                "Patient": self._patient,
                "Schedule": self._schedule,
                "Slot": self._slot,
                "Appointment": self._appointment,
            }[entry.resource_type]
            outcome, result = handler(entry, model)
        except ResourceProblem as exc:
            self._fail(entry, exc.problems)
            return
        except SkipResource as skip:
            self._counts(entry.resource_type).skipped += 1
            self.report.skipped.append(
                ResourceError(
                    resource_type=entry.resource_type,
                    id=entry.fhir_id,
                    entry=entry.index,
                    path=skip.path,
                    message=skip.reason,
                )
            )
            return
        except CarelineError as exc:
            self._fail(entry, self._careline_problems(entry.resource_type, exc))
            return
        except ValidationError as exc:  # a careline input built from the resource
            self._fail(
                entry,
                [
                    (_fhir_field(entry.resource_type, ".".join(map(str, e["loc"]))), e["msg"])
                    for e in exc.errors()
                ],
            )
            return
        except SQLAlchemyError as exc:
            # Log the type only: a driver's message can quote the values.
            log.warning("storing %s failed: %s", entry.resource_type, type(exc).__name__)
            self._fail(
                entry, [(entry.resource_type, "the database refused it; nothing of it was stored")]
            )
            return
        counts = self._counts(entry.resource_type)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        assert entry.fhir_id is not None
        self.done[key] = _Done(entry.index, failed=False, result=result)

    @staticmethod
    def _careline_problems(resource_type: str, exc: CarelineError) -> list[tuple[str, str]]:
        if exc.problems:
            return [(_fhir_field(resource_type, p.field), p.message) for p in exc.problems]
        return [(_ERROR_PATHS.get(exc.error_id, resource_type), exc.detail)]

    # -------------------------------------------------------- references

    def resolve(self, ref: Ref, expect: str) -> Resolved:
        if ref.resource_type != expect:
            raise ResourceProblem(
                [(ref.path, f"must refer to a {expect}, not a {ref.resource_type}")]
            )
        name = f"{ref.resource_type}/{ref.fhir_id}"
        done = self.done.get((ref.resource_type, ref.fhir_id))
        if done is not None:
            if done.failed or done.result is None:
                raise ResourceProblem(
                    [
                        (
                            ref.path,
                            f"refers to {name}, which could not be imported (entry {done.entry})",
                        )
                    ]
                )
            return done.result
        if expect == "Slot":
            slot = scheduling.find_slot_by_external_id(self.rt, external_id=ref.fhir_id)
            if slot is not None:
                return Resolved(
                    slot.id,
                    _slot_facts(
                        slot.staff_id,
                        slot.location_id,
                        slot.department_id,
                        slot.appointment_type,
                        slot.start,
                        slot.duration_minutes,
                    ),
                )
        else:
            linked = _link(self.rt, ref.resource_type, ref.fhir_id)
            if linked is not None:
                return linked
        raise ResourceProblem(
            [(ref.path, f"refers to {name}, which is neither in this bundle nor imported before")]
        )

    def _staff_view(self, staff_id: str) -> StaffView | None:
        if staff_id not in self.staff:
            try:
                self.staff[staff_id] = directory.get_staff(self.rt, staff_id=staff_id)
            except NotFound:
                self.staff[staff_id] = None
        return self.staff[staff_id]

    def _practitioner_id(self, ref: Ref) -> Resolved:
        found = self.resolve(ref, "Practitioner")
        if not found.pending and (
            found.careline_id is None or self._staff_view(found.careline_id) is None
        ):
            raise ResourceProblem(
                [(ref.path, f"refers to Practitioner/{ref.fhir_id}, whose staff record is gone")]
            )
        return found

    def _department_of(self, staff_id: str | None) -> str | None:
        """An EHR schedule names no department: use the provider's, when they have one."""
        view = self._staff_view(staff_id) if staff_id else None
        return view.department_ids[0] if view and len(view.department_ids) == 1 else None

    # -------------------------------------------------------- Location

    def _location(self, entry: Entry, model: BaseModel) -> tuple[Upsert, Resolved]:
        assert entry.fhir_id is not None
        f = location_fields(cast(Location, model), fhir_id=entry.fhir_id)
        current: LocationView | None = None
        linked = _link(self.rt, "Location", entry.fhir_id)
        if linked is not None and linked.careline_id is not None:
            try:
                current = directory.get_location(self.rt, location_id=linked.careline_id)
            except NotFound:
                current = None
        if current is None:
            zone = f.timezone or self.default_timezone
            problems: list[tuple[str, str]] = []
            if zone is None:
                problems.append(
                    (
                        "Location.extension",
                        "has no time zone: add the timezone extension, or "
                        "give a default (careline import fhir --timezone)",
                    )
                )
            if f.address is None:
                problems.append(("Location.address", "is required (it is the E911 address)"))
            if problems:
                raise ResourceProblem(problems)
            data = LocationCreate.model_validate(
                {
                    "name": f.name,
                    "code": f.code,
                    "timezone": zone,
                    "address": f.address,
                    "main_phone": f.main_phone,
                    "hours": f.hours or [],
                }
            )
            if self.dry_run:
                return "created", Resolved(None, pending=True)
            view = directory.create_location(self.rt, actor=self.actor, data=data)
            _save_link(self.rt, "Location", entry.fhir_id, view.id)
            return "created", Resolved(view.id)
        changes: dict[str, Any] = {}
        if f.name != current.name:
            changes["name"] = f.name
        if f.timezone is not None and f.timezone != current.timezone:
            changes["timezone"] = f.timezone
        if f.address is not None and Address.model_validate(f.address) != current.address:
            changes["address"] = f.address
        if f.main_phone is not None:
            region = current.address.country
            if to_e164(f.main_phone, default_region=region) != current.main_phone:
                changes["main_phone"] = f.main_phone
        if f.hours is not None:
            have = sorted((h.weekday, h.opens, h.closes) for h in current.hours)
            want = sorted((int(h["weekday"]), str(h["opens"]), str(h["closes"])) for h in f.hours)
            if have != want:
                changes["hours"] = f.hours
        if changes and not self.dry_run:
            directory.update_location(
                self.rt,
                actor=self.actor,
                location_id=current.id,
                changes=LocationUpdate.model_validate(changes),
            )
        return ("updated" if changes else "unchanged"), Resolved(current.id)

    # -------------------------------------------------------- Practitioner

    def _practitioner(self, entry: Entry, model: BaseModel) -> tuple[Upsert, Resolved]:
        assert entry.fhir_id is not None
        f = staff_fields(cast(Practitioner, model), region=self.region)
        linked = _link(self.rt, "Practitioner", entry.fhir_id)
        current = self._staff_view(linked.careline_id) if linked and linked.careline_id else None
        phone = EndpointKind.phone
        if current is None:
            data = StaffCreate.model_validate(
                {
                    "display_name": f.display_name,
                    "title": f.title,
                    "languages": f.languages or [],
                    "endpoints": [{"kind": phone, "address": n} for n in f.phones or []],
                }
            )
            if self.dry_run:
                return "created", Resolved(None, pending=True)
            view = directory.create_staff(self.rt, actor=self.actor, data=data)
            self.staff[view.id] = view
            _save_link(self.rt, "Practitioner", entry.fhir_id, view.id)
            return "created", Resolved(view.id)
        changes: dict[str, Any] = {}
        if f.display_name != current.display_name:
            changes["display_name"] = f.display_name
        if f.title is not None and f.title != current.title:
            changes["title"] = f.title
        if f.languages is not None and f.languages != current.languages:
            changes["languages"] = f.languages
        if f.phones is not None:
            have = [e.address for e in current.endpoints if e.kind is phone]
            if have != f.phones:
                kept = {e.address: e for e in current.endpoints if e.kind is phone}
                others = [e for e in current.endpoints if e.kind is not phone]
                changes["endpoints"] = [e.model_dump() for e in others] + [
                    kept[n].model_dump() if n in kept else {"kind": phone, "address": n}
                    for n in f.phones
                ]
        if changes and not self.dry_run:
            view = directory.update_staff(
                self.rt,
                actor=self.actor,
                staff_id=current.id,
                changes=StaffUpdate.model_validate(changes),
            )
            self.staff[view.id] = view
        return ("updated" if changes else "unchanged"), Resolved(current.id)

    # -------------------------------------------------------- Patient

    def _patient(self, entry: Entry, model: BaseModel) -> tuple[Upsert, Resolved]:
        assert entry.fhir_id is not None
        f = patient_fields(cast(Patient, model), region=self.region)
        current: PatientView | None = None
        linked = _link(self.rt, "Patient", entry.fhir_id)
        if linked is not None and linked.careline_id is not None:
            try:
                current = patients.get_patient(
                    self.rt, actor=self.actor, patient_id=linked.careline_id
                )
            except NotFound:
                current = None
        if current is None and f.mrn is not None:
            matches = patients.search_patients(
                self.rt, actor=self.actor, query=PatientSearch(mrn=f.mrn)
            )
            if len(matches) == 1:
                match_id = matches[0].patient.id
                other = fhir_id_for(self.rt, resource_type="Patient", careline_id=match_id)
                if other is not None and other != entry.fhir_id:
                    # Two EHR patients with one MRN: merging them here would be wrong.
                    raise ResourceProblem(
                        [("Patient.identifier", f"has the MRN of Patient/{other}, imported before")]
                    )
                current = patients.get_patient(self.rt, actor=self.actor, patient_id=match_id)
        if current is None:
            data = PatientCreate(
                given_name=f.given_name,
                family_name=f.family_name,
                date_of_birth=f.date_of_birth,
                mrn=f.mrn,
                phones=f.phones or [],
                preferred_language=f.preferred_language or "en",
            )
            if self.dry_run:
                return "created", Resolved(None, pending=True)
            view = patients.create_patient(self.rt, actor=self.actor, data=data)
            _save_link(self.rt, "Patient", entry.fhir_id, view.id)
            return "created", Resolved(view.id)
        changes: dict[str, Any] = {}
        if f.given_name != current.given_name:
            changes["given_name"] = f.given_name
        if f.family_name != current.family_name:
            changes["family_name"] = f.family_name
        if f.date_of_birth != current.date_of_birth:
            changes["date_of_birth"] = f.date_of_birth
        if f.mrn is not None and f.mrn != current.mrn:
            changes["mrn"] = f.mrn
        if f.preferred_language is not None and f.preferred_language != current.preferred_language:
            changes["preferred_language"] = f.preferred_language
        if f.phones is not None:
            have = [(p.number, p.kind, p.sms_capable, p.primary) for p in current.phones]
            want = [(p.number, p.kind, p.sms_capable, p.primary) for p in f.phones]
            if have != want:
                changes["phones"] = f.phones
        if not self.dry_run:
            if changes:
                patients.update_patient(
                    self.rt,
                    actor=self.actor,
                    patient_id=current.id,
                    changes=PatientUpdate(**changes),
                )
            if linked is None or linked.careline_id != current.id:
                _save_link(self.rt, "Patient", entry.fhir_id, current.id)
        return ("updated" if changes else "unchanged"), Resolved(current.id)

    # -------------------------------------------------------- Schedule

    def _schedule(self, entry: Entry, model: BaseModel) -> tuple[Upsert, Resolved]:
        assert entry.fhir_id is not None
        f = schedule_fields(cast(Schedule, model), full_urls=self.contents.full_urls)
        staff = self._practitioner_id(f.practitioner)
        location = self.resolve(f.location, "Location")
        data = {
            "staff_id": staff.careline_id,
            "location_id": location.careline_id,
            "department_id": self._department_of(staff.careline_id),
            "type_code": f.visit_type.code if f.visit_type else None,
            "type_display": f.visit_type.display if f.visit_type else None,
        }
        pending = staff.pending or location.pending
        linked = _link(self.rt, "Schedule", entry.fhir_id)
        outcome: Upsert = (
            "created" if linked is None else "unchanged" if linked.data == data else "updated"
        )
        if not self.dry_run and outcome != "unchanged":
            _save_link(self.rt, "Schedule", entry.fhir_id, None, data)
        return outcome, Resolved(None, data, pending=pending)

    # -------------------------------------------------------- Slot

    def _slot(self, entry: Entry, model: BaseModel) -> tuple[Upsert, Resolved]:
        assert entry.fhir_id is not None
        f = slot_fields(cast(Slot, model), full_urls=self.contents.full_urls)
        schedule = self.resolve(f.schedule, "Schedule")
        d = schedule.data
        kind = f.visit_type or _type_from(d)
        if schedule.pending:
            facts = _slot_facts(None, None, None, kind, f.start, f.duration_minutes)
            return "created", Resolved(None, facts, pending=True)
        if not d.get("staff_id") or self._staff_view(d["staff_id"]) is None:
            raise ResourceProblem(
                [(f.schedule.path, "the schedule's provider has no staff record any more")]
            )
        data = SlotImport(
            external_id=entry.fhir_id,
            staff_id=d["staff_id"],
            location_id=d["location_id"],
            department_id=d.get("department_id"),
            appointment_type=kind,
            start=f.start,
            duration_minutes=f.duration_minutes,
            status=f.status,
        )
        view, outcome = scheduling.upsert_imported_slot(
            self.rt, actor=self.actor, data=data, dry_run=self.dry_run
        )
        facts = _slot_facts(
            view.staff_id,
            view.location_id,
            view.department_id,
            kind,
            view.start,
            view.duration_minutes,
        )
        return outcome, Resolved(view.id, facts)

    # -------------------------------------------------------- Appointment

    def _appointment(self, entry: Entry, model: BaseModel) -> tuple[Upsert, Resolved]:
        assert entry.fhir_id is not None
        f = appointment_fields(cast(Appointment, model), full_urls=self.contents.full_urls)
        patient = self.resolve(f.patient, "Patient")
        staff = self._practitioner_id(f.practitioner) if f.practitioner else None
        location = self.resolve(f.location, "Location") if f.location else None
        slot = self.resolve(f.slot, "Slot") if f.slot else None
        facts = slot.data if slot else {}
        pending = any(r is not None and r.pending for r in (patient, staff, location, slot))
        staff_id = staff.careline_id if staff else facts.get("staff_id")
        location_id = location.careline_id if location else facts.get("location_id")
        start = f.start or facts.get("start")
        minutes = f.duration_minutes or facts.get("duration_minutes")
        problems: list[tuple[str, str]] = []
        if staff_id is None and not (staff and staff.pending) and not (slot and slot.pending):
            problems.append(("Appointment.participant", "needs a Practitioner (or a slot of one)"))
        if (
            location_id is None
            and not (location and location.pending)
            and not (slot and slot.pending)
        ):
            problems.append(("Appointment.participant", "needs a Location (or a slot at one)"))
        if start is None:
            problems.append(("Appointment.start", "is required (or a slot that has one)"))
        if minutes is None:
            problems.append(("Appointment.end", "is required (or minutesDuration, or a slot)"))
        if problems:
            raise ResourceProblem(problems)
        if pending:
            return "created", Resolved(None, pending=True)
        assert staff_id and location_id and patient.careline_id
        kind = f.visit_type or facts.get("type") or DEFAULT_TYPE
        data = AppointmentImport(
            external_id=entry.fhir_id,
            patient_id=patient.careline_id,
            staff_id=staff_id,
            location_id=location_id,
            department_id=facts.get("department_id") or self._department_of(staff_id),
            appointment_type=kind,
            start=start,
            duration_minutes=minutes,
            status=f.status,
            cancellation_reason=f.cancellation_reason,
            slot_external_id=f.slot.fhir_id if f.slot else None,
        )
        view, outcome = scheduling.upsert_imported_appointment(
            self.rt, actor=self.actor, data=data, dry_run=self.dry_run
        )
        return outcome, Resolved(view.id)


def _type_from(data: dict[str, Any]) -> AppointmentType | None:
    if data.get("type_code") and data.get("type_display"):
        return AppointmentType(code=data["type_code"], display=data["type_display"])
    return None


def _slot_facts(
    staff_id: str | None,
    location_id: str | None,
    department_id: str | None,
    kind: AppointmentType | None,
    start: Any,
    minutes: int,
) -> dict[str, Any]:
    """What an appointment may take from its slot when it does not say it itself."""
    return {
        "staff_id": staff_id,
        "location_id": location_id,
        "department_id": department_id,
        "type": kind,
        "start": start,
        "duration_minutes": minutes,
    }


# ---------------------------------------------------------------- use cases


def import_bundle(
    rt: Runtime,
    *,
    actor: Actor,
    document: Any,
    default_timezone: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import a FHIR R4 Bundle (searchset, collection, transaction, batch) or one resource.

    Raises `ValidationFailed` (`fhir-bundle-invalid`) when the document as a whole is
    not importable; problems with single resources are in the report instead.
    """
    if default_timezone is not None and default_timezone not in known_timezones():
        raise ValidationFailed(
            "The default time zone is not a known IANA time zone (e.g. America/Chicago).",
            problems=[FieldProblem("timezone", "is not a known IANA time zone")],
        )
    try:
        contents = read_bundle(document)
    except BundleUnreadable as exc:
        raise ValidationFailed(
            "The document is not a FHIR R4 Bundle careline can import.",
            error_id="fhir-bundle-invalid",
            problems=[FieldProblem(path, message) for path, message in exc.problems],
        ) from None
    report = _Importer(
        rt, actor=actor, contents=contents, default_timezone=default_timezone, dry_run=dry_run
    ).run()
    with transaction(rt.sessions) as s:
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="fhir.import",
            outcome="ok" if report.failed == 0 else "partial",
            resource_type="fhir_bundle",
            details={
                "dry_run": dry_run,
                "bundle_type": report.bundle_type,
                "counts": {k: v.model_dump() for k, v in report.counts.items()},
                "errors": len(report.errors),
            },
        )
    return report


def export_communication(
    rt: Runtime, *, actor: Actor, interaction_id: str, include_text: bool = False
) -> dict[str, Any]:
    """An interaction as a FHIR R4 `Communication`. Reading it is scope-checked and
    audited by the timeline; the export itself is audited here."""
    view = timeline.get_interaction(rt, actor=actor, interaction_id=interaction_id)
    fhir_id = (
        fhir_id_for(rt, resource_type="Patient", careline_id=view.patient_id)
        if view.patient_id
        else None
    )
    with transaction(rt.sessions) as s:
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="fhir.export.communication",
            resource_type="interaction",
            resource_id=view.id,
            patient_id=view.patient_id,
            details={"include_text": include_text},
        )
    return communication_for(view, patient_fhir_id=fhir_id, include_text=include_text)
