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

Liberal in what it takes, exact in what it reports: what a resource holds that
careline cannot use (an ended or unusable phone number, an actor careline keeps
no record of) is left out with a warning naming its path, and the rest of the
resource imports. A slot or an appointment that cannot be a careline record yet
(its schedule names no provider; it names a Practitioner or a Location not
imported yet) is held: kept in `fhir_links` with what it waits for, and
imported by the import that brings that in.

A patient, staff member or location is created by its capability's service and
then linked here, in a second transaction: should the process die in between, a
re-import cannot find the record by its FHIR id (a patient is still found by
its MRN). Slots and appointments carry their FHIR id themselves and have no
such window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, cast

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot
from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, select
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
from careline.scheduling.model import (
    AppointmentImport,
    AppointmentStatus,
    AppointmentType,
    CancelReason,
    SlotImport,
    SlotStatus,
    Upsert,
)
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


#: In a held slot's or appointment's link: what it will be imported from, and the
#: references (Type/id) whose import may let it be.
HELD = "held"
WAITING = "waiting_for"
#: In a schedule's link: its Practitioner and Location when they were not imported yet.
UNRESOLVED = "unresolved"
#: In a dry run, what a schedule names that only this dry run created.
PENDING = "pending"

#: What became of one resource; `held`: kept (in `fhir_links`) but not yet a careline
#: slot or appointment, which needs a provider, a place and a time.
Outcome = Literal["created", "updated", "unchanged", "held"]


@dataclass(frozen=True)
class Resolved:
    """What a reference leads to: a careline id (None for a Schedule) and facts about it.
    `pending`: created only in this dry run, so it has no id yet. `held`: a slot kept
    until what it needs is imported (`waiting`), so nothing can be booked into it yet."""

    careline_id: str | None
    data: dict[str, Any] = field(default_factory=dict)
    pending: bool = False
    held: bool = False
    waiting: tuple[str, ...] = ()


def _name(ref: Ref) -> str:
    return f"{ref.resource_type}/{ref.fhir_id}"


def _ref_data(ref: Ref | None) -> dict[str, str] | None:
    if ref is None:
        return None
    return {"type": ref.resource_type, "id": ref.fhir_id, "path": ref.path}


def _ref_from(data: Any) -> Ref | None:
    if not isinstance(data, dict):
        return None
    return Ref(str(data["type"]), str(data["id"]), str(data["path"]))


def _absent(ref: Ref, then: str) -> tuple[str, str]:
    return (
        ref.path,
        f"refers to {_name(ref)}, which is neither in this bundle nor imported before: {then}",
    )


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


def _drop_held(rt: Runtime, resource_type: str, fhir_id: str) -> None:
    """A held slot or appointment is a careline record now: its link has done its work."""
    with transaction(rt.sessions) as s:
        s.execute(
            delete(FhirLinkRow).where(
                FhirLinkRow.resource_type == resource_type,
                FhirLinkRow.fhir_id == fhir_id,
                FhirLinkRow.careline_id.is_(None),
            )
        )


def _held_keys(rt: Runtime) -> set[tuple[str, str]]:
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(FhirLinkRow.resource_type, FhirLinkRow.fhir_id).where(
                FhirLinkRow.resource_type.in_(("Slot", "Appointment")),
                FhirLinkRow.careline_id.is_(None),
            )
        ).all()
        return {(t, i) for t, i in rows}


def _held_links(rt: Runtime) -> list[tuple[str, str, dict[str, Any]]]:
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(FhirLinkRow.resource_type, FhirLinkRow.fhir_id, FhirLinkRow.data)
            .where(
                FhirLinkRow.resource_type.in_(("Slot", "Appointment")),
                FhirLinkRow.careline_id.is_(None),
            )
            .order_by(FhirLinkRow.fhir_id)
        ).all()
        return [(t, i, dict(d or {})) for t, i, d in rows if HELD in (d or {})]


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
        self.now = rt.clock.now()
        self.done: dict[tuple[str, str], _Done] = {}
        self.staff: dict[str, StaffView | None] = {}
        #: Warnings about the resource being imported, reported only if it is imported.
        self.findings: list[tuple[str, str]] = []
        #: Slots and appointments held by earlier imports (or by this one).
        self.held = _held_keys(rt)
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
        self._resolve_held()
        self.report.errors.sort(key=lambda e: (e.entry if e.entry is not None else -1, e.path))
        self.report.warnings.sort(key=lambda e: e.entry if e.entry is not None else -1)
        return self.report

    def _note(self, entry: Entry, findings: list[tuple[str, str]]) -> None:
        """Warnings about one imported resource, one per place in it."""
        by_path: dict[str, list[str]] = {}
        for path, message in findings:
            if message not in by_path.setdefault(path, []):
                by_path[path].append(message)
        for path, messages in by_path.items():
            message = "; ".join(messages)
            self.report.warnings.append(
                ResourceError(
                    resource_type=entry.resource_type,
                    id=entry.fhir_id,
                    entry=entry.index,
                    path=path,
                    message=message,
                )
            )

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
        self.findings = []
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
        self._note(entry, self.findings)
        assert entry.fhir_id is not None
        self.done[key] = _Done(entry.index, failed=False, result=result)

    @staticmethod
    def _careline_problems(resource_type: str, exc: CarelineError) -> list[tuple[str, str]]:
        if exc.problems:
            return [(_fhir_field(resource_type, p.field), p.message) for p in exc.problems]
        return [(_ERROR_PATHS.get(exc.error_id, resource_type), exc.detail)]

    # -------------------------------------------------------- references

    def lookup(self, ref: Ref, expect: str) -> Resolved | None:
        """What `ref` leads to, in this bundle or from an earlier import; None when it is
        in neither (absent: what needs it is held until it comes). A reference to a
        resource of this bundle that could not be imported is a problem."""
        if ref.resource_type != expect:
            raise ResourceProblem(
                [(ref.path, f"must refer to a {expect}, not a {ref.resource_type}")]
            )
        done = self.done.get((ref.resource_type, ref.fhir_id))
        if done is not None:
            if done.failed or done.result is None:
                raise ResourceProblem(
                    [
                        (
                            ref.path,
                            f"refers to {_name(ref)}, which could not be imported "
                            f"(entry {done.entry})",
                        )
                    ]
                )
            return done.result
        if expect != "Slot":
            return _link(self.rt, ref.resource_type, ref.fhir_id)
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
        held = _link(self.rt, "Slot", ref.fhir_id)
        if held is None or HELD not in held.data:
            return None
        return self._held_slot(held.data[HELD], tuple(held.data.get(WAITING, ())))

    def resolve(self, ref: Ref, expect: str) -> Resolved:
        """`lookup`, for what cannot wait: an appointment's patient."""
        found = self.lookup(ref, expect)
        if found is None:
            raise ResourceProblem([_absent(ref, "import it first")])
        return found

    def _staff_view(self, staff_id: str) -> StaffView | None:
        if staff_id not in self.staff:
            try:
                self.staff[staff_id] = directory.get_staff(self.rt, staff_id=staff_id)
            except NotFound:
                self.staff[staff_id] = None
        return self.staff[staff_id]

    def _provider(self, ref: Ref) -> Resolved | None:
        found = self.lookup(ref, "Practitioner")
        if (
            found is not None
            and not found.pending
            and (found.careline_id is None or self._staff_view(found.careline_id) is None)
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
        f = location_fields(cast(Location, model), fhir_id=entry.fhir_id, now=self.now)
        self.findings += f.warnings
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
        f = staff_fields(cast(Practitioner, model), region=self.region, now=self.now)
        self.findings += f.warnings
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
        f = patient_fields(cast(Patient, model), region=self.region, now=self.now)
        self.findings += f.warnings
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

    def _schedule(self, entry: Entry, model: BaseModel) -> tuple[Outcome, Resolved]:
        """A schedule becomes no careline record: its link keeps what its slots take
        from it, and the references not imported yet, for its slots to wait for."""
        assert entry.fhir_id is not None
        f = schedule_fields(cast(Schedule, model), full_urls=self.contents.full_urls)
        self.findings += f.warnings
        staff = self._provider(f.practitioner) if f.practitioner else None
        location = self.lookup(f.location, "Location") if f.location else None
        unresolved: dict[str, str] = {}
        for ref, found in ((f.practitioner, staff), (f.location, location)):
            if ref is not None and found is None:
                unresolved[ref.resource_type] = _name(ref)
                self.findings.append(_absent(ref, "its slots are held until it is imported"))
        staff_id = staff.careline_id if staff else None
        data: dict[str, Any] = {
            "staff_id": staff_id,
            "location_id": location.careline_id if location else None,
            "department_id": self._department_of(staff_id),
            "type_code": f.visit_type.code if f.visit_type else None,
            "type_display": f.visit_type.display if f.visit_type else None,
        }
        if unresolved:
            data[UNRESOLVED] = unresolved
        pending = [
            kind
            for kind, found in (("Practitioner", staff), ("Location", location))
            if found is not None and found.pending
        ]
        linked = _link(self.rt, "Schedule", entry.fhir_id)
        outcome: Outcome = (
            "created" if linked is None else "unchanged" if linked.data == data else "updated"
        )
        if not self.dry_run and outcome != "unchanged":
            _save_link(self.rt, "Schedule", entry.fhir_id, None, data)
        # What only this dry run created is not kept: its slots see it as pending.
        result = {**data, PENDING: pending} if pending else data
        return outcome, Resolved(None, result, pending=bool(pending))

    def _schedule_parts(
        self, ref: Ref, data: dict[str, Any]
    ) -> tuple[str | None, str | None, str | None, bool, list[str], list[tuple[str, str]]]:
        """The provider, place and department a schedule gives its slots (resolving what
        was not imported when the schedule was), whether one is only pending in this dry
        run, and else what a slot must wait for, and why."""
        ids: dict[str, str | None] = {
            "Practitioner": data.get("staff_id"),
            "Location": data.get("location_id"),
        }
        later: dict[str, str] = data.get(UNRESOLVED) or {}
        pending = False
        waiting: list[str] = []
        why: list[tuple[str, str]] = []
        for kind in ids:
            if ids[kind] is not None:
                continue
            if kind in data.get(PENDING, ()):
                pending = True
                continue
            name = later.get(kind)
            if name is None:
                waiting.append(_name(ref))
                why.append((ref.path, f"{_name(ref)} names no {kind}: held until it names one"))
                continue
            kind_id = name.partition("/")[2]
            found = self.lookup(Ref(kind, kind_id, ref.path), kind)
            if found is not None and found.pending:
                pending = True
            elif found is not None and found.careline_id is not None:
                ids[kind] = found.careline_id
            else:
                waiting += [name, _name(ref)]
                why.append(
                    (ref.path, f"{_name(ref)} names {name}, not imported yet: held until it is")
                )
        staff_id = ids["Practitioner"]
        department = data.get("department_id") or self._department_of(staff_id)
        return staff_id, ids["Location"], department, pending, waiting, why

    def _hold(
        self,
        resource_type: str,
        fhir_id: str,
        facts: dict[str, Any],
        waiting: list[str],
        why: list[tuple[str, str]],
        result: dict[str, Any] | None = None,
    ) -> tuple[Outcome, Resolved]:
        """Keep a slot or an appointment that cannot be one in careline yet, with what it
        waits for: an import that brings that in imports it (see `_resolve_held`)."""
        self.findings += why
        wait = tuple(sorted(set(waiting)))
        if not self.dry_run:
            _save_link(self.rt, resource_type, fhir_id, None, {HELD: facts, WAITING: list(wait)})
            self.held.add((resource_type, fhir_id))
        return "held", Resolved(None, result or {}, held=True, waiting=wait)

    def _held_slot(self, facts: dict[str, Any], waiting: tuple[str, ...]) -> Resolved:
        """A held slot, as what an appointment in it may take from it (time and type)."""
        kind = AppointmentType.model_validate(facts["type"]) if facts.get("type") else None
        start = datetime.fromisoformat(facts["start"])
        data = _slot_facts(None, None, None, kind, start, facts["duration_minutes"])
        return Resolved(None, data, held=True, waiting=waiting)

    # -------------------------------------------------------- Slot

    def _slot(self, entry: Entry, model: BaseModel) -> tuple[Outcome, Resolved]:
        assert entry.fhir_id is not None
        f = slot_fields(cast(Slot, model), full_urls=self.contents.full_urls)
        facts = {
            "schedule": _ref_data(f.schedule),
            "start": f.start.isoformat(),
            "duration_minutes": f.duration_minutes,
            "status": f.status.value,
            "type": f.visit_type.model_dump() if f.visit_type else None,
        }
        return self._place_slot(entry.fhir_id, facts)

    def _place_slot(self, fhir_id: str, facts: dict[str, Any]) -> tuple[Outcome, Resolved]:
        """A slot into scheduling when its schedule gives it a provider and a place;
        else held until it can."""
        ref = _ref_from(facts["schedule"])
        assert ref is not None
        start = datetime.fromisoformat(facts["start"])
        minutes = int(facts["duration_minutes"])
        own = AppointmentType.model_validate(facts["type"]) if facts.get("type") else None
        schedule = self.lookup(ref, "Schedule")
        if schedule is None:
            return self._hold(
                "Slot",
                fhir_id,
                facts,
                [_name(ref)],
                [_absent(ref, "held until it is imported")],
                _slot_facts(None, None, None, own, start, minutes),
            )
        kind = own or _type_from(schedule.data)
        staff_id, location_id, department, pending, waiting, why = self._schedule_parts(
            ref, schedule.data
        )
        if waiting:
            return self._hold(
                "Slot",
                fhir_id,
                facts,
                waiting,
                why,
                _slot_facts(staff_id, location_id, department, kind, start, minutes),
            )
        if pending:
            facts_out = _slot_facts(None, None, None, kind, start, minutes)
            return "created", Resolved(None, facts_out, pending=True)
        assert staff_id is not None and location_id is not None
        if self._staff_view(staff_id) is None:
            raise ResourceProblem(
                [(ref.path, "the schedule's provider has no staff record any more")]
            )
        data = SlotImport(
            external_id=fhir_id,
            staff_id=staff_id,
            location_id=location_id,
            department_id=department,
            appointment_type=kind,
            start=start,
            duration_minutes=minutes,
            status=SlotStatus(facts["status"]),
        )
        view, outcome = scheduling.upsert_imported_slot(
            self.rt, actor=self.actor, data=data, dry_run=self.dry_run
        )
        if not self.dry_run and ("Slot", fhir_id) in self.held:
            _drop_held(self.rt, "Slot", fhir_id)
            self.held.discard(("Slot", fhir_id))
        slot_facts = _slot_facts(
            view.staff_id,
            view.location_id,
            view.department_id,
            kind,
            view.start,
            view.duration_minutes,
        )
        return outcome, Resolved(view.id, slot_facts)

    # -------------------------------------------------------- Appointment

    def _appointment(self, entry: Entry, model: BaseModel) -> tuple[Outcome, Resolved]:
        assert entry.fhir_id is not None
        f = appointment_fields(cast(Appointment, model), full_urls=self.contents.full_urls)
        self.findings += f.warnings
        patient = self.resolve(f.patient, "Patient")
        facts = {
            "patient_id": patient.careline_id,
            "practitioner": _ref_data(f.practitioner),
            "location": _ref_data(f.location),
            "slot": _ref_data(f.slot),
            "start": f.start.isoformat() if f.start else None,
            "duration_minutes": f.duration_minutes,
            "status": f.status.value,
            "type": f.visit_type.model_dump() if f.visit_type else None,
            "cancellation_reason": f.cancellation_reason.value if f.cancellation_reason else None,
        }
        return self._place_appointment(entry.fhir_id, facts, pending=patient.pending)

    def _place_appointment(
        self, fhir_id: str, facts: dict[str, Any], *, pending: bool = False
    ) -> tuple[Outcome, Resolved]:
        """An appointment into scheduling when its provider, place, time and slot are
        all here; else held until they are. A Practitioner or Location it names that is
        not imported yet is waited for; one it does not name at all is taken from its
        slot, or else waited for in a later version of the appointment."""
        practitioner = _ref_from(facts.get("practitioner"))
        location = _ref_from(facts.get("location"))
        slot_ref = _ref_from(facts.get("slot"))
        staff = self._provider(practitioner) if practitioner else None
        place = self.lookup(location, "Location") if location else None
        slot = self.lookup(slot_ref, "Slot") if slot_ref else None
        from_slot = slot.data if slot else {}
        pending = pending or any(r is not None and r.pending for r in (staff, place, slot))
        waiting: list[str] = []
        why: list[tuple[str, str]] = []
        if slot_ref is not None and (slot is None or slot.held):
            waiting += [_name(slot_ref), *(slot.waiting if slot else ())]
            why.append(
                (slot_ref.path, f"{_name(slot_ref)} is not a careline slot yet: held until it is")
                if slot
                else _absent(slot_ref, "held until it is imported")
            )
        ids: dict[str, str | None] = {}
        for kind, ref, found in (
            ("Practitioner", practitioner, staff),
            ("Location", location, place),
        ):
            ids[kind] = found.careline_id if found else None
            if found is not None:
                continue
            if ref is not None:
                waiting.append(_name(ref))
                why.append(_absent(ref, "held until it is imported"))
            elif not slot_ref:
                why.append(
                    (
                        "Appointment.participant",
                        f"names no {kind} (nor a slot): held until the EHR names one",
                    )
                )
            elif slot is not None and not slot.held:
                ids[kind] = from_slot.get("staff_id" if kind == "Practitioner" else "location_id")
        start = facts.get("start")
        start_at = datetime.fromisoformat(start) if start else from_slot.get("start")
        minutes = facts.get("duration_minutes") or from_slot.get("duration_minutes")
        problems: list[tuple[str, str]] = []
        if start_at is None and not (slot_ref and not slot):
            problems.append(("Appointment.start", "is required (or a slot that has one)"))
        if minutes is None and not (slot_ref and not slot):
            problems.append(("Appointment.end", "is required (or minutesDuration, or a slot)"))
        if problems:
            raise ResourceProblem(problems)
        if why:
            return self._hold("Appointment", fhir_id, facts, waiting, why)
        if pending:
            return "created", Resolved(None, pending=True)
        staff_id, location_id, patient_id = (
            ids["Practitioner"],
            ids["Location"],
            facts["patient_id"],
        )
        assert staff_id and location_id and patient_id and start_at and minutes
        own = AppointmentType.model_validate(facts["type"]) if facts.get("type") else None
        reason = facts.get("cancellation_reason")
        data = AppointmentImport(
            external_id=fhir_id,
            patient_id=patient_id,
            staff_id=staff_id,
            location_id=location_id,
            department_id=from_slot.get("department_id") or self._department_of(staff_id),
            appointment_type=own or from_slot.get("type") or DEFAULT_TYPE,
            start=start_at,
            duration_minutes=minutes,
            status=AppointmentStatus(facts["status"]),
            cancellation_reason=CancelReason(reason) if reason else None,
            slot_external_id=slot_ref.fhir_id if slot_ref else None,
        )
        view, outcome = scheduling.upsert_imported_appointment(
            self.rt, actor=self.actor, data=data, dry_run=self.dry_run
        )
        if not self.dry_run and ("Appointment", fhir_id) in self.held:
            _drop_held(self.rt, "Appointment", fhir_id)
            self.held.discard(("Appointment", fhir_id))
        return outcome, Resolved(view.id)

    # -------------------------------------------------------- held, from earlier imports

    def _still_held(
        self, resource_type: str, fhir_id: str, problems: list[tuple[str, str]]
    ) -> None:
        """What this import brought was not enough after all: say why; it stays held
        until the EHR sends it again (or what it needs)."""
        for path, message in problems:
            self.report.warnings.append(
                ResourceError(
                    resource_type=resource_type,
                    id=fhir_id,
                    entry=None,
                    path=path,
                    message=f"held by an earlier import, and still held: {message}",
                )
            )

    def _resolve_held(self) -> None:
        """Slots and appointments held by earlier imports, whose wait this import may
        have ended: each is imported now if it can be (slots first, for the
        appointments in them); what still cannot be stays held."""
        if self.dry_run:
            return
        arrived = {f"{t}/{i}" for (t, i), done in self.done.items() if not done.failed}
        place = {"Slot": self._place_slot, "Appointment": self._place_appointment}
        held = _held_links(self.rt) if arrived and self.held else []
        for resource_type in ("Slot", "Appointment"):
            for kind, fhir_id, data in held:
                key = (resource_type, fhir_id)
                if kind != resource_type or key in self.done:
                    continue
                if not set(data.get(WAITING, ())) & arrived:
                    continue
                self.findings = []
                try:
                    outcome, result = place[resource_type](fhir_id, data[HELD])
                except ResourceProblem as exc:
                    self._still_held(resource_type, fhir_id, exc.problems)
                    continue
                except CarelineError as exc:
                    self._still_held(
                        resource_type, fhir_id, self._careline_problems(resource_type, exc)
                    )
                    continue
                except ValidationError as exc:
                    self._still_held(
                        resource_type,
                        fhir_id,
                        [
                            (_fhir_field(resource_type, ".".join(map(str, e["loc"]))), e["msg"])
                            for e in exc.errors()
                        ],
                    )
                    continue
                except SQLAlchemyError as exc:
                    log.warning("storing %s failed: %s", resource_type, type(exc).__name__)
                    self._still_held(
                        resource_type, fhir_id, [(resource_type, "the database refused it")]
                    )
                    continue
                self.done[key] = _Done(None, failed=False, result=result)
                if outcome == "held":
                    continue
                arrived.add(f"{resource_type}/{fhir_id}")
                self._counts(resource_type).resolved += 1
                self.report.resolved.append(
                    ResourceError(
                        resource_type=resource_type,
                        id=fhir_id,
                        entry=None,
                        path=resource_type,
                        message="held by an earlier import for what this one brought: imported",
                    )
                )


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
                "warnings": len(report.warnings),
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
