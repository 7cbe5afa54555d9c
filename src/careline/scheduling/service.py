"""Scheduling use cases: publish and block slots, find open capacity, book, move,
cancel and record the outcome of appointments, and take in an EHR's slots and
appointments.

Each public function is one transaction (appointments: `phi_transaction`, so a
refusal for scope is audited). Appointment reads and writes are audited naming
the patient by id; slot writes are audited like directory writes (no PHI).

Access to an appointment: staff whose role covers the appointment's location
may act on it (the front desk of a clinic runs that clinic's day, whoever the
patient is); anyone else needs access to the patient, checked through
`careline.patients.service.require_patient_access` (home location, break-glass).

Each change is also written to the patient's timeline: one `note` interaction
per appointment (external ref `appointment:<id>`), one event per change, ended
when the appointment reaches a final status. The timeline offers no way to
write inside another capability's transaction, so these entries are written
right after the change commits, as the system; a failure there is logged (ids
only) and does not undo the booking the patient already has.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import (
    CarelineError,
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from careline.directory import service as directory
from careline.events import service as events
from careline.events.model import EventKind
from careline.jobs import service as jobs
from careline.patients import service as patients
from careline.runtime import Runtime
from careline.scheduling.model import (
    ACTIVE,
    RESCHEDULABLE,
    TERMINAL,
    AppointmentCreate,
    AppointmentImport,
    AppointmentSource,
    AppointmentStatus,
    AppointmentType,
    AppointmentView,
    CancelReason,
    ConfirmedVia,
    RescheduleRequest,
    SlotCreate,
    SlotImport,
    SlotStatus,
    SlotView,
    TransitionRefused,
    Upsert,
    check_transition,
    create_problems,
    day_bounds,
    ends_at,
    imported_status,
    reschedule_problems,
    start_problems,
)
from careline.scheduling.tables import AppointmentRow, SlotRow
from careline.security import audit
from careline.security.model import Actor, Permission, system_actor
from careline.security.service import phi_transaction
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction

log = logging.getLogger("careline.scheduling")

#: Most free slots one query returns.
FREE_SLOTS_MAX = 1000
_ACTIVE_VALUES = sorted(s.value for s in ACTIVE)


class NoSuchAppointment(NotFound):
    error_id = "no-such-appointment"


class NoSuchSlot(NotFound):
    error_id = "no-such-slot"


class SlotTaken(Conflict):
    error_id = "slot-taken"
    title = "The slot is no longer free"


class SlotUnavailable(Conflict):
    error_id = "slot-unavailable"
    title = "The slot cannot be booked"


class ProviderDoubleBooked(Conflict):
    error_id = "provider-double-booked"
    title = "The provider already has an appointment then"


class SlotOverlaps(Conflict):
    error_id = "slot-overlaps"


class LocationOutOfScope(Forbidden):
    error_id = "location-out-of-scope"


def _fail(problems: list[FieldProblem]) -> None:
    if problems:
        names = ", ".join(p.field for p in problems[:5])
        raise ValidationFailed(f"Fix these fields and retry: {names}.", problems=problems)


# ---------------------------------------------------------------- views


def _type(code: str | None, display: str | None) -> AppointmentType | None:
    if code is None or display is None:
        return None
    return AppointmentType(code=code, display=display)


def _appointment_view(row: AppointmentRow) -> AppointmentView:
    return AppointmentView(
        id=row.id,
        patient_id=row.patient_id,
        staff_id=row.staff_id,
        location_id=row.location_id,
        department_id=row.department_id,
        appointment_type=AppointmentType(code=row.type_code, display=row.type_display),
        start=row.starts_at,
        end=row.ends_at,
        duration_minutes=row.duration_minutes,
        status=AppointmentStatus(row.status),
        source=AppointmentSource(row.source),
        slot_id=row.slot_id,
        external_id=row.external_id,
        cancellation_reason=CancelReason(row.cancellation_reason)
        if row.cancellation_reason
        else None,
        confirmed_via=ConfirmedVia(row.confirmed_via) if row.confirmed_via else None,
        interaction_id=row.interaction_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _slot_view(row: SlotRow) -> SlotView:
    return SlotView(
        id=row.id,
        staff_id=row.staff_id,
        location_id=row.location_id,
        department_id=row.department_id,
        appointment_type=_type(row.type_code, row.type_display),
        start=row.starts_at,
        end=row.ends_at,
        duration_minutes=row.duration_minutes,
        status=SlotStatus(row.status),
        external_id=row.external_id,
    )


# ---------------------------------------------------------------- checks and locks


def _reference_problems(
    rt: Runtime, *, staff_id: str | None, department_id: str | None, prefix: str = "body"
) -> list[FieldProblem]:
    """Staff and departments are checked through the directory before our transaction
    opens (its functions run their own; SQLite allows one writer at a time)."""
    problems: list[FieldProblem] = []
    if staff_id is not None:
        try:
            directory.get_staff(rt, staff_id=staff_id)
        except NotFound:
            problems.append(FieldProblem(f"{prefix}.staff_id", "no staff member has this id"))
    if department_id is not None:
        try:
            directory.get_department(rt, department_id=department_id)
        except NotFound:
            problems.append(FieldProblem(f"{prefix}.department_id", "no department has this id"))
    return problems


def _location_problems(s: Session, location_id: str, field: str) -> list[FieldProblem]:
    return (
        []
        if directory.location_exists(s, location_id)
        else [FieldProblem(field, "no location has this id")]
    )


def _access(
    rt: Runtime,
    s: Session,
    *,
    actor: Actor,
    permission: Permission,
    patient_id: str,
    location_id: str,
) -> bool:
    """Allowed when a role covers the appointment's location, else by the patient's scope.
    Returns True when access rests on break-glass (the audit entry is flagged)."""
    if actor.can(permission, location_id):
        if not patients.patient_exists(s, patient_id):
            raise patients.NoSuchPatient("No patient has this id.")
        return False
    return patients.require_patient_access(
        rt, s, actor=actor, permission=permission, patient_id=patient_id
    )


def _lock_provider(s: Session, staff_id: str) -> None:
    """Serialise bookings of one provider so the overlap check below cannot race.

    PostgreSQL: a transaction-scoped advisory lock keyed by the staff id. SQLite:
    careline's engine begins every transaction with BEGIN IMMEDIATE, which already
    admits one writer at a time.
    """
    if s.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"careline.provider:{staff_id}".encode()).digest()
    s.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest[:8], "big", signed=True))))


def _provider_busy(
    s: Session, *, staff_id: str, start: datetime, end: datetime, other_than: str | None = None
) -> bool:
    stmt = select(AppointmentRow.id).where(
        AppointmentRow.staff_id == staff_id,
        AppointmentRow.status.in_(_ACTIVE_VALUES),
        AppointmentRow.starts_at < end,
        AppointmentRow.ends_at > start,
    )
    if other_than is not None:
        stmt = stmt.where(AppointmentRow.id != other_than)
    return s.execute(stmt.limit(1)).first() is not None


def _refuse_double_booking(
    s: Session, *, staff_id: str, start: datetime, end: datetime, other_than: str | None = None
) -> None:
    _lock_provider(s, staff_id)
    if _provider_busy(s, staff_id=staff_id, start=start, end=end, other_than=other_than):
        raise ProviderDoubleBooked(
            "The provider already has an appointment that overlaps this time."
        )


def _slot_row(s: Session, slot_id: str) -> SlotRow:
    row = s.get(SlotRow, slot_id)
    if row is None:
        raise NoSuchSlot("No slot has this id.")
    return row


def _claim_slot(s: Session, slot: SlotRow, now: datetime) -> None:
    """Turn the slot busy if and only if it is still free (exactly one concurrent
    booking's UPDATE matches; the other waits for the row and then matches nothing)."""
    if slot.starts_at <= now:
        raise SlotUnavailable("The slot has already started.", error_id="slot-in-past")
    result = cast(
        CursorResult[Any],
        s.execute(
            update(SlotRow)
            .where(SlotRow.id == slot.id, SlotRow.status == SlotStatus.free.value)
            .values(status=SlotStatus.busy.value, updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        s.refresh(slot)
        if slot.status == SlotStatus.blocked.value:
            raise SlotUnavailable("The slot is blocked.", error_id="slot-blocked")
        raise SlotTaken("Someone else booked this slot a moment ago; pick another one.")
    s.refresh(slot)


def _slot_overlapping(s: Session, *, staff_id: str, start: datetime, end: datetime) -> bool:
    return (
        s.execute(
            select(SlotRow.id)
            .where(SlotRow.staff_id == staff_id, SlotRow.starts_at < end, SlotRow.ends_at > start)
            .limit(1)
        ).first()
        is not None
    )


def _release(s: Session, row: AppointmentRow, now: datetime) -> None:
    """Give the appointment's time back as open capacity: free the slot it holds, or,
    for an appointment booked without one, publish a free slot (if it is still ahead
    and the provider has no slot there already)."""
    if row.holds_slot_id is not None:
        s.execute(
            update(SlotRow)
            .where(SlotRow.id == row.holds_slot_id, SlotRow.status == SlotStatus.busy.value)
            .values(status=SlotStatus.free.value, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        row.holds_slot_id = None
        s.flush()
        return
    if row.starts_at <= now or _slot_overlapping(
        s, staff_id=row.staff_id, start=row.starts_at, end=row.ends_at
    ):
        return
    slot = SlotRow(
        staff_id=row.staff_id,
        location_id=row.location_id,
        department_id=row.department_id,
        type_code=row.type_code,
        type_display=row.type_display,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        duration_minutes=row.duration_minutes,
        status=SlotStatus.free.value,
        created_at=now,
        updated_at=now,
    )
    s.add(slot)
    s.flush()


def _slot_type(wanted: AppointmentType | None, slot: SlotRow, field: str) -> AppointmentType:
    """A typed slot takes only its own type; an untyped slot takes any, named by the caller."""
    offered = _type(slot.type_code, slot.type_display)
    if offered is not None and wanted is not None and wanted.code != offered.code:
        _fail([FieldProblem(field, "does not match the slot's appointment type")])
    chosen = wanted or offered
    if chosen is None:
        _fail([FieldProblem(field, "is required: the slot accepts any appointment type")])
    assert chosen is not None
    return chosen


def _is_slot_clash(exc: IntegrityError) -> bool:
    # Both engines name the column of the violated unique constraint (never a value).
    return "holds_slot_id" in str(exc.orig)


def _appointment_row(s: Session, appointment_id: str, *, lock: bool = False) -> AppointmentRow:
    stmt = select(AppointmentRow).where(AppointmentRow.id == appointment_id)
    if lock:
        stmt = stmt.with_for_update()
    row = s.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NoSuchAppointment("No appointment has this id.")
    return row


def _audit(
    rt: Runtime,
    s: Session,
    *,
    actor: Actor,
    action: str,
    row: AppointmentRow,
    flagged: bool,
    details: dict[str, Any] | None = None,
) -> None:
    audit.record(
        s,
        clock=rt.clock,
        actor=actor,
        action=action,
        resource_type="appointment",
        resource_id=row.id,
        patient_id=row.patient_id,
        flagged=flagged,
        details=details,
    )
    if action != "appointment.read":
        # Open day schedules at the clinic refetch (ids only).
        events.publish_in(
            s,
            kind=EventKind.appointment,
            permission=Permission.patients_read,
            location_id=row.location_id,
            ids={"appointment_id": row.id},
        )


# ---------------------------------------------------------------- timeline


def _set_interaction(rt: Runtime, appointment_id: str, interaction_id: str) -> AppointmentView:
    """Remember the appointment's timeline entry. Not audited on its own: it links two
    records the audit log already names, and changes no fact about the patient."""
    with transaction(rt.sessions) as s:
        row = _appointment_row(s, appointment_id, lock=True)
        row.interaction_id = interaction_id
        return _appointment_view(row)


def _record(
    rt: Runtime,
    *,
    actor: Actor,
    view: AppointmentView,
    kind: str,
    data: dict[str, Any] | None = None,
) -> AppointmentView:
    """Write one event about the appointment on the patient's timeline (ids and codes only)."""
    system = system_actor("scheduling")
    event: dict[str, Any] = {
        "appointment_id": view.id,
        "status": view.status.value,
        "start": view.start.isoformat(),
        "duration_minutes": view.duration_minutes,
        "staff_id": view.staff_id,
        "location_id": view.location_id,
        "type_code": view.appointment_type.code,
        "source": view.source.value,
        "by": actor.username,
        **(data or {}),
    }
    try:
        if view.interaction_id is None:
            started = timeline.start_interaction(
                rt,
                actor=system,
                channel=Channel.note,
                direction=Direction.internal,
                patient_id=view.patient_id,
                staff_id=view.staff_id,
                location_id=view.location_id,
                external_ref=f"appointment:{view.id}",
            )
            view = _set_interaction(rt, view.id, started.id)
        assert view.interaction_id is not None
        timeline.append_event(
            rt, actor=system, interaction_id=view.interaction_id, kind=kind, data=event
        )
        if view.status in TERMINAL:
            timeline.end_interaction(
                rt, actor=system, interaction_id=view.interaction_id, status=view.status.value
            )
    except CarelineError as exc:
        log.warning(
            "timeline entry %s for appointment %s not written: %s", kind, view.id, exc.error_id
        )
    return view


# ---------------------------------------------------------------- slots


def _check_slot_scope(actor: Actor, location_id: str) -> None:
    if not actor.can(Permission.directory_write, location_id):
        raise LocationOutOfScope("Your directory:write permission does not cover this location.")


def _slot_audit(rt: Runtime, s: Session, actor: Actor, action: str, row: SlotRow) -> None:
    audit.record(
        s,
        clock=rt.clock,
        actor=actor,
        action=action,
        resource_type="slot",
        resource_id=row.id,
        details={"status": row.status},
    )


def create_slot(rt: Runtime, *, actor: Actor, data: SlotCreate) -> SlotView:
    """Publish free capacity. A provider's slots may not overlap one another."""
    _check_slot_scope(actor, data.location_id)
    now = rt.clock.now()
    problems = start_problems(data.start, now=now, field="body.start")
    problems += _reference_problems(rt, staff_id=data.staff_id, department_id=data.department_id)
    with transaction(rt.sessions) as s:
        problems += _location_problems(s, data.location_id, "body.location_id")
        _fail(problems)
        end = ends_at(data.start, data.duration_minutes)
        _lock_provider(s, data.staff_id)
        if _slot_overlapping(s, staff_id=data.staff_id, start=data.start, end=end):
            raise SlotOverlaps("The provider already has a slot that overlaps this time.")
        row = SlotRow(
            staff_id=data.staff_id,
            location_id=data.location_id,
            department_id=data.department_id,
            type_code=data.appointment_type.code if data.appointment_type else None,
            type_display=data.appointment_type.display if data.appointment_type else None,
            starts_at=data.start,
            ends_at=end,
            duration_minutes=data.duration_minutes,
            status=SlotStatus.free.value,
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        s.flush()
        _slot_audit(rt, s, actor, "slot.create", row)
        return _slot_view(row)


def get_slot(rt: Runtime, *, slot_id: str) -> SlotView:
    with transaction(rt.sessions) as s:
        return _slot_view(_slot_row(s, slot_id))


def set_slot_status(rt: Runtime, *, actor: Actor, slot_id: str, status: SlotStatus) -> SlotView:
    """Block a free slot or free a blocked one. A busy slot belongs to its appointment:
    cancel or move the appointment instead."""
    if status is SlotStatus.busy:
        _fail([FieldProblem("status", "a slot becomes busy only by booking it")])
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(SlotRow).where(SlotRow.id == slot_id).with_for_update()
        ).scalar_one_or_none()
        if row is None:
            raise NoSuchSlot("No slot has this id.")
        _check_slot_scope(actor, row.location_id)
        if row.status == status.value:
            return _slot_view(row)
        if row.status == SlotStatus.busy.value:
            raise Conflict(
                "The slot is booked; cancel or move its appointment first.", error_id="slot-busy"
            )
        row.status = status.value
        row.updated_at = rt.clock.now()
        s.flush()
        _slot_audit(
            rt, s, actor, f"slot.{'block' if status is SlotStatus.blocked else 'free'}", row
        )
        return _slot_view(row)


def _free_slot_filter(
    *,
    now: datetime,
    department_id: str | None,
    appointment_type: str | None,
    location_id: str | None,
    staff_id: str | None,
    window_start: datetime | None,
    window_end: datetime | None,
) -> list[ColumnElement[bool]]:
    busy_then = exists().where(
        AppointmentRow.staff_id == SlotRow.staff_id,
        AppointmentRow.status.in_(_ACTIVE_VALUES),
        AppointmentRow.starts_at < SlotRow.ends_at,
        AppointmentRow.ends_at > SlotRow.starts_at,
    )
    where: list[ColumnElement[bool]] = [
        SlotRow.status == SlotStatus.free.value,
        SlotRow.starts_at > now,
        ~busy_then,
    ]
    if window_start is not None:
        where.append(SlotRow.starts_at >= window_start)
    if window_end is not None:
        where.append(SlotRow.starts_at < window_end)
    if department_id is not None:
        where.append(SlotRow.department_id == department_id)
    if location_id is not None:
        where.append(SlotRow.location_id == location_id)
    if staff_id is not None:
        where.append(SlotRow.staff_id == staff_id)
    if appointment_type is not None:
        where.append((SlotRow.type_code == appointment_type) | SlotRow.type_code.is_(None))
    return where


def _window_problems(
    window_start: datetime | None,
    window_end: datetime | None,
    names: tuple[str, str] = ("window_start", "window_end"),
) -> list[FieldProblem]:
    problems = [
        FieldProblem(name, "must include a time zone offset")
        for name, value in zip(names, (window_start, window_end), strict=True)
        if value is not None and value.utcoffset() is None
    ]
    if not problems and window_start and window_end and window_end <= window_start:
        problems.append(FieldProblem(names[1], f"must be later than {names[0]}"))
    return problems


def list_free_slots(
    rt: Runtime,
    *,
    limit: int,
    offset: int = 0,
    department_id: str | None = None,
    appointment_type: str | None = None,
    location_id: str | None = None,
    staff_id: str | None = None,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
) -> tuple[list[SlotView], int]:
    """Open capacity, soonest first: free slots that start from now (or the window's start),
    whose provider has no active appointment overlapping them. A slot with no type takes
    any `appointment_type`."""
    _fail(_window_problems(window_start, window_end))
    where = _free_slot_filter(
        now=rt.clock.now(),
        department_id=department_id,
        appointment_type=appointment_type,
        location_id=location_id,
        staff_id=staff_id,
        window_start=window_start,
        window_end=window_end,
    )
    with transaction(rt.sessions) as s:
        total = s.execute(select(func.count(SlotRow.id)).where(*where)).scalar_one()
        rows = s.execute(
            select(SlotRow)
            .where(*where)
            .order_by(SlotRow.starts_at, SlotRow.id)
            .limit(min(limit, FREE_SLOTS_MAX))
            .offset(offset)
        ).scalars()
        return [_slot_view(r) for r in rows], int(total)


def free_slots(
    rt: Runtime,
    *,
    department_id: str | None = None,
    appointment_type: str | None = None,
    location_id: str | None = None,
    staff_id: str | None = None,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
    limit: int = 200,
) -> list[SlotView]:
    """For other capabilities (the waitlist): the free slots matching every filter given."""
    items, _total = list_free_slots(
        rt,
        limit=limit,
        department_id=department_id,
        appointment_type=appointment_type,
        location_id=location_id,
        staff_id=staff_id,
        window_start=window_start,
        window_end=window_end,
    )
    return items


def find_slot_by_external_id(rt: Runtime, *, external_id: str) -> SlotView | None:
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(SlotRow).where(SlotRow.external_id == external_id)
        ).scalar_one_or_none()
        return _slot_view(row) if row else None


# ---------------------------------------------------------------- appointments: booking


def create_appointment(rt: Runtime, *, actor: Actor, data: AppointmentCreate) -> AppointmentView:
    """Book a patient into a free slot, or at a time with a provider.

    The slot turns busy in the same transaction; a slot someone else just took is
    refused (`slot-taken`), and so is a time the provider is already booked for
    (`provider-double-booked`).
    """
    _fail(create_problems(data))
    now = rt.clock.now()
    problems = _reference_problems(rt, staff_id=data.staff_id, department_id=data.department_id)
    if data.start is not None:
        problems += start_problems(data.start, now=now, field="body.start")
    _fail(problems)
    try:
        with phi_transaction(rt) as s:
            slot = _slot_row(s, data.slot_id) if data.slot_id is not None else None
            if slot is not None:
                location_id, staff_id = slot.location_id, slot.staff_id
                start, minutes = slot.starts_at, slot.duration_minutes
                department_id = slot.department_id or data.department_id
            else:
                assert data.location_id and data.staff_id and data.start and data.duration_minutes
                _fail(_location_problems(s, data.location_id, "body.location_id"))
                location_id, staff_id = data.location_id, data.staff_id
                start, minutes = data.start, data.duration_minutes
                department_id = data.department_id
            flagged = _access(
                rt,
                s,
                actor=actor,
                permission=Permission.patients_write,
                patient_id=data.patient_id,
                location_id=location_id,
            )
            if slot is not None:
                kind = _slot_type(data.appointment_type, slot, "body.appointment_type")
                _claim_slot(s, slot, now)
            else:
                assert data.appointment_type is not None
                kind = data.appointment_type
            end = ends_at(start, minutes)
            _refuse_double_booking(s, staff_id=staff_id, start=start, end=end)
            row = AppointmentRow(
                patient_id=data.patient_id,
                staff_id=staff_id,
                location_id=location_id,
                department_id=department_id,
                type_code=kind.code,
                type_display=kind.display,
                starts_at=start,
                ends_at=end,
                duration_minutes=minutes,
                status=AppointmentStatus.booked.value,
                source=data.source,
                slot_id=slot.id if slot else None,
                holds_slot_id=slot.id if slot else None,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            _audit(
                rt,
                s,
                actor=actor,
                action="appointment.create",
                row=row,
                flagged=flagged,
                details={"slot_id": row.slot_id, "source": row.source},
            )
            view = _appointment_view(row)
    except IntegrityError as exc:
        if _is_slot_clash(exc):
            raise SlotTaken(
                "Someone else booked this slot a moment ago; pick another one."
            ) from None
        raise
    return _record(rt, actor=actor, view=view, kind="appointment.booked")


def reschedule(
    rt: Runtime, *, actor: Actor, appointment_id: str, to: RescheduleRequest
) -> AppointmentView:
    """Move a booked or confirmed appointment to a free slot or another time: the old
    time is given back as open capacity, the new one taken, in one transaction. The
    appointment is `booked` again: a confirmation was for the old time."""
    _fail(reschedule_problems(to))
    now = rt.clock.now()
    problems = _reference_problems(rt, staff_id=to.staff_id, department_id=None)
    if to.start is not None:
        problems += start_problems(to.start, now=now, field="body.start")
    _fail(problems)
    try:
        with phi_transaction(rt) as s:
            row = _appointment_row(s, appointment_id, lock=True)
            flagged = _access(
                rt,
                s,
                actor=actor,
                permission=Permission.patients_write,
                patient_id=row.patient_id,
                location_id=row.location_id,
            )
            current = AppointmentStatus(row.status)
            if current not in RESCHEDULABLE:
                raise TransitionRefused(
                    f"An appointment that is {current.value} cannot be rescheduled.",
                    extra={"status": current.value},
                )
            before = row.starts_at
            if to.slot_id is not None:
                if to.slot_id == row.holds_slot_id:
                    _fail([FieldProblem("body.slot_id", "is the appointment's current slot")])
                slot = _slot_row(s, to.slot_id)
                if slot.location_id != row.location_id:
                    _access(
                        rt,
                        s,
                        actor=actor,
                        permission=Permission.patients_write,
                        patient_id=row.patient_id,
                        location_id=slot.location_id,
                    )
                kind = _slot_type(
                    AppointmentType(code=row.type_code, display=row.type_display),
                    slot,
                    "body.slot_id",
                )
                _claim_slot(s, slot, now)
                _release(s, row, now)
                row.staff_id, row.location_id = slot.staff_id, slot.location_id
                row.department_id = slot.department_id or row.department_id
                row.type_code, row.type_display = kind.code, kind.display
                row.starts_at, row.duration_minutes = slot.starts_at, slot.duration_minutes
                row.slot_id = row.holds_slot_id = slot.id
            else:
                assert to.start is not None
                location_id = to.location_id or row.location_id
                if location_id != row.location_id:
                    _fail(_location_problems(s, location_id, "body.location_id"))
                    _access(
                        rt,
                        s,
                        actor=actor,
                        permission=Permission.patients_write,
                        patient_id=row.patient_id,
                        location_id=location_id,
                    )
                _release(s, row, now)
                row.staff_id = to.staff_id or row.staff_id
                row.location_id = location_id
                row.starts_at = to.start
                row.duration_minutes = to.duration_minutes or row.duration_minutes
                row.slot_id = None
            row.ends_at = ends_at(row.starts_at, row.duration_minutes)
            _refuse_double_booking(
                s, staff_id=row.staff_id, start=row.starts_at, end=row.ends_at, other_than=row.id
            )
            row.status = AppointmentStatus.booked.value
            row.updated_at = now
            s.flush()
            _audit(
                rt,
                s,
                actor=actor,
                action="appointment.reschedule",
                row=row,
                flagged=flagged,
                details={
                    "from_start": before.isoformat(),
                    "to_start": row.starts_at.isoformat(),
                    "slot_id": row.slot_id,
                },
            )
            view = _appointment_view(row)
    except IntegrityError as exc:
        if _is_slot_clash(exc):
            raise SlotTaken(
                "Someone else booked this slot a moment ago; pick another one."
            ) from None
        raise
    return _record(
        rt,
        actor=actor,
        view=view,
        kind="appointment.rescheduled",
        data={"from_start": before.isoformat()},
    )


# ---------------------------------------------------------------- appointments: status


def _change_status(
    rt: Runtime,
    *,
    actor: Actor,
    appointment_id: str,
    target: AppointmentStatus,
    reason: CancelReason | None = None,
    via: ConfirmedVia | None = None,
) -> AppointmentView:
    """One move of the state machine. Asking for the status it already has is a no-op, so
    a retried request (a double click, a provider's webhook retry) does no harm."""
    now = rt.clock.now()
    with phi_transaction(rt) as s:
        row = _appointment_row(s, appointment_id, lock=True)
        flagged = _access(
            rt,
            s,
            actor=actor,
            permission=Permission.patients_write,
            patient_id=row.patient_id,
            location_id=row.location_id,
        )
        current = AppointmentStatus(row.status)
        if current is target:
            _audit(
                rt,
                s,
                actor=actor,
                action=f"appointment.{target.value}",
                row=row,
                flagged=flagged,
                details={"from": current.value, "to": target.value, "unchanged": True},
            )
            return _appointment_view(row)
        check_transition(current, target, at=now, starts_at=row.starts_at)
        row.status = target.value
        row.updated_at = now
        if target is AppointmentStatus.confirmed:
            row.confirmed_via = (via or ConfirmedVia.staff).value
        if target is AppointmentStatus.cancelled:
            row.cancellation_reason = (reason or CancelReason.other).value
            _release(s, row, now)
            # The freed time goes to the waitlist (a job kind by name: no import of it).
            jobs.schedule_in(
                s,
                now=now,
                kind="waitlist.slot_opened",
                payload={"appointment_id": row.id, "at": now.isoformat()},
                due_at=now,
                dedupe_key=f"waitlist.slot_opened:{row.id}",
            )
        s.flush()
        _audit(
            rt,
            s,
            actor=actor,
            action=f"appointment.{target.value}",
            row=row,
            flagged=flagged,
            details={"from": current.value, "to": target.value, "reason": row.cancellation_reason},
        )
        view = _appointment_view(row)
    data = {"from_status": current.value}
    if reason is not None:
        data["reason"] = reason.value
    return _record(rt, actor=actor, view=view, kind=f"appointment.{target.value}", data=data)


def confirm(
    rt: Runtime, *, actor: Actor, appointment_id: str, via: ConfirmedVia = ConfirmedVia.staff
) -> AppointmentView:
    """Confirm, remembering how (a reminder reply, or someone at the clinic)."""
    return _change_status(
        rt, actor=actor, appointment_id=appointment_id, target=AppointmentStatus.confirmed, via=via
    )


def cancel(
    rt: Runtime, *, actor: Actor, appointment_id: str, reason: CancelReason
) -> AppointmentView:
    """Cancel, and give the time back as open capacity (its slot turns free)."""
    return _change_status(
        rt,
        actor=actor,
        appointment_id=appointment_id,
        target=AppointmentStatus.cancelled,
        reason=reason,
    )


def mark_arrived(rt: Runtime, *, actor: Actor, appointment_id: str) -> AppointmentView:
    return _change_status(
        rt, actor=actor, appointment_id=appointment_id, target=AppointmentStatus.arrived
    )


def mark_noshow(rt: Runtime, *, actor: Actor, appointment_id: str) -> AppointmentView:
    return _change_status(
        rt, actor=actor, appointment_id=appointment_id, target=AppointmentStatus.noshow
    )


def mark_fulfilled(rt: Runtime, *, actor: Actor, appointment_id: str) -> AppointmentView:
    return _change_status(
        rt, actor=actor, appointment_id=appointment_id, target=AppointmentStatus.fulfilled
    )


# ---------------------------------------------------------------- appointments: reads


def get_appointment(rt: Runtime, *, actor: Actor, appointment_id: str) -> AppointmentView:
    with phi_transaction(rt) as s:
        row = _appointment_row(s, appointment_id)
        flagged = _access(
            rt,
            s,
            actor=actor,
            permission=Permission.patients_read,
            patient_id=row.patient_id,
            location_id=row.location_id,
        )
        _audit(rt, s, actor=actor, action="appointment.read", row=row, flagged=flagged)
        return _appointment_view(row)


def list_appointments_for_patient(
    rt: Runtime,
    *,
    actor: Actor,
    patient_id: str,
    limit: int,
    offset: int,
    since: datetime | None = None,
) -> tuple[list[AppointmentView], int]:
    """A patient's appointments in time order (from `since`, when given)."""
    _fail(_window_problems(since, None, ("since", "until")))
    with phi_transaction(rt) as s:
        flagged = patients.require_patient_access(
            rt, s, actor=actor, permission=Permission.patients_read, patient_id=patient_id
        )
        stmt = select(AppointmentRow).where(AppointmentRow.patient_id == patient_id)
        if since is not None:
            stmt = stmt.where(AppointmentRow.starts_at >= since)
        total = s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
        rows = s.execute(
            stmt.order_by(AppointmentRow.starts_at, AppointmentRow.id).limit(limit).offset(offset)
        ).scalars()
        items = [_appointment_view(r) for r in rows]
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="appointment.list",
            resource_type="patient",
            resource_id=patient_id,
            patient_id=patient_id,
            flagged=flagged,
            details={"count": len(items)},
        )
        return items, int(total)


def list_appointments_at_location(
    rt: Runtime, *, actor: Actor, location_id: str, day: date, limit: int, offset: int
) -> tuple[list[AppointmentView], int]:
    """A location's day, in time order. The day is the location's local calendar day."""
    if not actor.can(Permission.patients_read, location_id):
        raise LocationOutOfScope("This location is outside the locations you work for.")
    with transaction(rt.sessions) as s:
        zone = directory.location_calendar(s, location_id).timezone
        start, end = day_bounds(day, zone)
        stmt = select(AppointmentRow).where(
            AppointmentRow.location_id == location_id,
            AppointmentRow.starts_at >= start,
            AppointmentRow.starts_at < end,
        )
        total = s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
        rows = s.execute(
            stmt.order_by(AppointmentRow.starts_at, AppointmentRow.id).limit(limit).offset(offset)
        ).scalars()
        items = [_appointment_view(r) for r in rows]
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="appointment.list",
            resource_type="location",
            resource_id=location_id,
            details={
                "day": day.isoformat(),
                "count": len(items),
                "patient_ids": [i.patient_id for i in items],
            },
        )
        return items, int(total)


# ---------------------------------------------------------------- imports (from an EHR)


def upsert_imported_slot(
    rt: Runtime, *, actor: Actor, data: SlotImport, dry_run: bool = False
) -> tuple[SlotView, Upsert]:
    """Create or update a slot by its external id. Staff and department ids must have
    been resolved by the importer. A slot an appointment holds stays busy whatever the
    EHR says: the booking made here has not reached the EHR yet. What the EHR said is
    applied only when it differs from what it said last time (see `_fingerprint`)."""
    now = rt.clock.now()
    fingerprint = _fingerprint(data)
    with transaction(rt.sessions) as s:
        _fail(_location_problems(s, data.location_id, "location_id"))
        row = s.execute(
            select(SlotRow).where(SlotRow.external_id == data.external_id).with_for_update()
        ).scalar_one_or_none()
        end = ends_at(data.start, data.duration_minutes)
        wanted = {
            "staff_id": data.staff_id,
            "location_id": data.location_id,
            "department_id": data.department_id,
            "type_code": data.appointment_type.code if data.appointment_type else None,
            "type_display": data.appointment_type.display if data.appointment_type else None,
            "starts_at": data.start,
            "ends_at": end,
            "duration_minutes": data.duration_minutes,
            "status": data.status.value,
        }
        outcome: Upsert
        if row is None:
            row = SlotRow(
                external_id=data.external_id,
                external_hash=fingerprint,
                created_at=now,
                updated_at=now,
                **wanted,
            )
            s.add(row)
            outcome = "created"
        elif row.external_hash == fingerprint:
            outcome = "unchanged"
        else:
            row.external_hash = fingerprint
            held = s.execute(
                select(AppointmentRow.id).where(AppointmentRow.holds_slot_id == row.id)
            ).first()
            if held is not None:
                wanted["status"] = SlotStatus.busy.value
            changed = [k for k, v in wanted.items() if getattr(row, k) != v]
            for key in changed:
                setattr(row, key, wanted[key])
            outcome = "updated" if changed else "unchanged"
            if changed:
                row.updated_at = now
        s.flush()
        if outcome != "unchanged":
            _slot_audit(rt, s, actor, f"slot.import.{outcome}", row)
        view = _slot_view(row)
        if dry_run:
            s.rollback()
        return view, outcome


def upsert_imported_appointment(
    rt: Runtime, *, actor: Actor, data: AppointmentImport, dry_run: bool = False
) -> tuple[AppointmentView, Upsert]:
    """Create or update an EHR appointment by its external id (re-importing changes
    nothing). Its status is the EHR's (see `imported_status`); a cancelled one gives its
    time back; its slot (by external id) is held unless another appointment holds it
    already (an EHR may overbook: that is its call, not ours to refuse).

    Changes made here (a cancellation by text, a confirmation) stand until the EHR
    itself says something new about the appointment: what it said is applied only
    when it differs from what it said last time (see `_fingerprint`)."""
    now = rt.clock.now()
    fingerprint = _fingerprint(data)
    with phi_transaction(rt) as s:
        problems = _location_problems(s, data.location_id, "location_id")
        slot: SlotRow | None = None
        if data.slot_external_id is not None:
            slot = s.execute(
                select(SlotRow).where(SlotRow.external_id == data.slot_external_id)
            ).scalar_one_or_none()
            if slot is None:
                problems.append(FieldProblem("slot_external_id", "no slot has this external id"))
        _fail(problems)
        flagged = _access(
            rt,
            s,
            actor=actor,
            permission=Permission.patients_write,
            patient_id=data.patient_id,
            location_id=data.location_id,
        )
        row = s.execute(
            select(AppointmentRow)
            .where(AppointmentRow.external_id == data.external_id)
            .with_for_update()
        ).scalar_one_or_none()
        if row is not None and row.external_hash == fingerprint:
            return _appointment_view(row), "unchanged"
        before = AppointmentStatus(row.status) if row else None
        status = imported_status(before, data.status)
        wanted: dict[str, Any] = {
            "patient_id": data.patient_id,
            "staff_id": data.staff_id,
            "location_id": data.location_id,
            "department_id": data.department_id,
            "type_code": data.appointment_type.code,
            "type_display": data.appointment_type.display,
            "starts_at": data.start,
            "ends_at": ends_at(data.start, data.duration_minutes),
            "duration_minutes": data.duration_minutes,
            "status": status.value,
            "cancellation_reason": data.cancellation_reason.value
            if status is AppointmentStatus.cancelled and data.cancellation_reason
            else None,
            "slot_id": slot.id if slot else None,
        }
        outcome: Upsert
        if row is None:
            row = AppointmentRow(
                external_id=data.external_id,
                external_hash=fingerprint,
                source=AppointmentSource.ehr.value,
                created_at=now,
                updated_at=now,
                **wanted,
            )
            s.add(row)
            s.flush()
            outcome = "created"
            changed = list(wanted)
        else:
            row.external_hash = fingerprint
            changed = [k for k, v in wanted.items() if getattr(row, k) != v]
            if row.holds_slot_id is not None and "slot_id" in changed:
                _release(s, row, now)  # the EHR moved it to another slot (or to none)
            for key in changed:
                setattr(row, key, wanted[key])
            outcome = "updated" if changed else "unchanged"
            if changed:
                row.updated_at = now
        if status is AppointmentStatus.cancelled:
            if before is not AppointmentStatus.cancelled:
                _release(s, row, now)
        elif slot is not None:
            _hold_imported(s, row, slot, now)
        s.flush()
        if outcome != "unchanged":
            _audit(
                rt,
                s,
                actor=actor,
                action=f"appointment.import.{outcome}",
                row=row,
                flagged=flagged,
                details={"status": row.status, "fields": sorted(changed)},
            )
        view = _appointment_view(row)
        if dry_run:
            s.rollback()
    if dry_run or outcome == "unchanged":
        return view, outcome
    if outcome == "created":
        view = _record(rt, actor=actor, view=view, kind="appointment.imported")
    elif before is not None and status is not before:
        view = _record(
            rt,
            actor=actor,
            view=view,
            kind=f"appointment.{status.value}",
            data={"from_status": before.value},
        )
    else:
        view = _record(
            rt, actor=actor, view=view, kind="appointment.updated", data={"fields": changed}
        )
    return view, outcome


def _fingerprint(data: SlotImport | AppointmentImport) -> str:
    """What the EHR said about a record, hashed: equal on a re-import of the same data.
    Ids, times and codes only (the input carries no PHI)."""
    canonical = data.model_copy(update={"start": data.start.astimezone(UTC)})
    return hashlib.sha256(canonical.model_dump_json().encode()).hexdigest()


def _hold_imported(s: Session, row: AppointmentRow, slot: SlotRow, now: datetime) -> None:
    """Hold the EHR's slot for its appointment, unless another appointment holds it."""
    if row.holds_slot_id == slot.id:
        return
    other = s.execute(
        select(AppointmentRow.id).where(
            AppointmentRow.holds_slot_id == slot.id, AppointmentRow.id != row.id
        )
    ).first()
    if other is not None:
        return
    row.holds_slot_id = slot.id
    if slot.status != SlotStatus.busy.value:
        slot.status = SlotStatus.busy.value
        slot.updated_at = now
