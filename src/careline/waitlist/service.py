"""Waitlist use cases: keep entries, offer an open slot in waves, book the first YES.

How a slot reaches the waitlist
- A cancellation: `scheduling.service` schedules a `waitlist.slot_opened` job in
  the cancel's own transaction (a job kind named by string: scheduling does not
  import the waitlist). In `careline serve` the in-process worker polls every
  second, so the first offer goes out within about a second of the cancel.
- Any other free slot (published, imported, unblocked): the `waitlist.sweep` job
  runs every `SWEEP_EVERY` and opens the free slots of the next `SWEEP_HORIZON`
  that have no live opening. `ensure_sweep` starts that chain.

Exactly one booking: every confirmation first turns the opening `open` ->
`booking` with a conditional UPDATE (one concurrent confirmation matches, the
others are told the slot is taken and keep their place), then books through
`scheduling.service.create_appointment`, which refuses double booking in the
database anyway.

Quiet hours: a wave due inside the location's quiet hours (21:00-08:00 local)
waits until they end (the job is deferred), so nobody is offered a slot at
22:00 and the ranking is unchanged in the morning.

Other services open their own transactions, so they are called between this
module's transactions, never inside one. Voice offers need telephony and are
not sent yet: entries whose channel is `voice` are not offered.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import CarelineError, Conflict, FieldProblem, NotFound, ValidationFailed
from careline.directory import service as directory
from careline.jobs import service as jobs
from careline.jobs.model import Defer
from careline.messaging import service as messaging
from careline.messaging.model import MessageStatus, is_quiet, next_allowed_send
from careline.patients import service as patients
from careline.runtime import Runtime
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentCreate, AppointmentType, SlotStatus
from careline.security import audit
from careline.security import service as security
from careline.security.model import Actor, Permission, system_actor
from careline.security.service import phi_transaction
from careline.waitlist.model import (
    BOOKED_TEXT,
    DECLINED_TEXT,
    TAKEN_TEXT,
    Candidate,
    ConfirmOutcome,
    EntryCreate,
    EntryStatus,
    EntryUpdate,
    EntryView,
    OfferStatus,
    OfferView,
    OpeningStatus,
    OpeningView,
    ReplyIntent,
    ReportRow,
    SlotFacts,
    TimeRange,
    WaitChannel,
    WaveSettings,
    Window,
    localized,
    median,
    next_wave,
    offer_text,
    rank,
    reply_intent,
)
from careline.waitlist.tables import (
    WaitlistEntryRow,
    WaitlistOfferRow,
    WaitlistOpeningRow,
    WaitlistWaveSettingsRow,
)

log = logging.getLogger("careline.waitlist")

SLOT_OPENED_JOB = "waitlist.slot_opened"
WAVE_JOB = "waitlist.wave"
EXPIRE_JOB = "waitlist.expire"
SWEEP_JOB = "waitlist.sweep"
SWEEP_EVERY = timedelta(seconds=5)
SWEEP_HORIZON = timedelta(days=14)
#: Visit type used when an untyped slot is booked for an entry that named only a department.
FALLBACK_TYPE = AppointmentType(code="WAITLIST", display="Waitlist visit")
GLOBAL_SCOPE = "*"
SYSTEM = system_actor("waitlist")
_LIVE = (OpeningStatus.open.value, OpeningStatus.booking.value, OpeningStatus.exhausted.value)


class NoSuchEntry(NotFound):
    error_id = "no-such-waitlist-entry"


class NoSuchOffer(NotFound):
    error_id = "no-such-waitlist-offer"


class EntryClosed(Conflict):
    error_id = "waitlist-entry-closed"


def _fail(problems: list[FieldProblem]) -> None:
    if problems:
        names = ", ".join(p.field for p in problems[:5])
        raise ValidationFailed(f"Fix these fields and retry: {names}.", problems=problems)


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


# ---------------------------------------------------------------- views


def _entry_view(row: WaitlistEntryRow) -> EntryView:
    return EntryView(
        id=row.id,
        patient_id=row.patient_id,
        department_id=row.department_id,
        appointment_type=row.type_code,
        location_ids=list(row.location_ids),
        staff_id=row.staff_id,
        provider_required=row.provider_required,
        language=row.language,
        priority=row.priority,
        window_start=row.window_start,
        window_end=row.window_end,
        preferred_times=[TimeRange.model_validate(t) for t in row.preferred_times or []],
        channel=WaitChannel(row.channel),
        status=EntryStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _offer_view(row: WaitlistOfferRow) -> OfferView:
    return OfferView.model_validate(row, from_attributes=True)


def _opening_view(row: WaitlistOpeningRow) -> OpeningView:
    return OpeningView(
        id=row.id,
        slot_id=row.slot_id,
        location_id=row.location_id,
        department_id=row.department_id,
        appointment_type=row.type_code,
        reason=row.reason,
        status=OpeningStatus(row.status),
        opened_at=row.opened_at,
        first_offer_at=row.first_offer_at,
        filled_at=row.filled_at,
        appointment_id=row.appointment_id,
        waves_sent=row.waves_sent,
    )


def _times_json(ranges: list[TimeRange]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in ranges]


def _audit(
    rt: Runtime,
    s: Session,
    *,
    actor: Actor,
    action: str,
    resource_type: str,
    resource_id: str,
    patient_id: str,
    flagged: bool = False,
    details: dict[str, Any] | None = None,
) -> None:
    audit.record(
        s,
        clock=rt.clock,
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        patient_id=patient_id,
        flagged=flagged,
        details=details,
    )


# ---------------------------------------------------------------- entries


def _location_problems(s: Session, location_ids: list[str], field: str) -> list[FieldProblem]:
    return [
        FieldProblem(f"{field}[{i}]", "no location has this id")
        for i, loc in enumerate(location_ids)
        if not directory.location_exists(s, loc)
    ]


def _entry_row(s: Session, entry_id: str, *, lock: bool = False) -> WaitlistEntryRow:
    stmt = select(WaitlistEntryRow).where(WaitlistEntryRow.id == entry_id)
    if lock:
        stmt = stmt.with_for_update()
    row = s.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NoSuchEntry("No waitlist entry has this id.")
    return row


def create_entry(rt: Runtime, *, actor: Actor, data: EntryCreate) -> EntryView:
    """Put a patient on the waitlist (access to the patient is checked and audited)."""
    now = rt.clock.now()
    if data.department_id is not None:
        try:
            directory.get_department(rt, department_id=data.department_id)
        except NotFound:
            _fail([FieldProblem("body.department_id", "no department has this id")])
    with phi_transaction(rt) as s:
        flagged = patients.require_patient_access(
            rt, s, actor=actor, permission=Permission.patients_write, patient_id=data.patient_id
        )
        _fail(_location_problems(s, data.location_ids, "body.location_ids"))
        row = WaitlistEntryRow(
            patient_id=data.patient_id,
            department_id=data.department_id,
            type_code=data.appointment_type,
            location_ids=list(data.location_ids),
            staff_id=data.staff_id,
            provider_required=data.provider_required,
            language=data.language,
            priority=data.priority,
            window_start=data.window_start,
            window_end=data.window_end,
            preferred_times=_times_json(data.preferred_times),
            channel=data.channel.value,
            status=EntryStatus.waiting.value,
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        s.flush()
        _audit(
            rt,
            s,
            actor=actor,
            action="waitlist.create",
            resource_type="waitlist_entry",
            resource_id=row.id,
            patient_id=row.patient_id,
            flagged=flagged,
            details={"priority": row.priority},
        )
        return _entry_view(row)


def get_entry(rt: Runtime, *, actor: Actor, entry_id: str) -> EntryView:
    with phi_transaction(rt) as s:
        row = _entry_row(s, entry_id)
        flagged = patients.require_patient_access(
            rt, s, actor=actor, permission=Permission.patients_read, patient_id=row.patient_id
        )
        _audit(
            rt,
            s,
            actor=actor,
            action="waitlist.read",
            resource_type="waitlist_entry",
            resource_id=row.id,
            patient_id=row.patient_id,
            flagged=flagged,
        )
        return _entry_view(row)


def update_entry(rt: Runtime, *, actor: Actor, entry_id: str, changes: EntryUpdate) -> EntryView:
    """Change a waiting entry, withdraw it, or put a withdrawn one back (it keeps its
    original `created_at`, so its time waited). A booked entry is closed."""
    now = rt.clock.now()
    given = changes.model_fields_set
    with phi_transaction(rt) as s:
        row = _entry_row(s, entry_id, lock=True)
        flagged = patients.require_patient_access(
            rt, s, actor=actor, permission=Permission.patients_write, patient_id=row.patient_id
        )
        if row.status == EntryStatus.booked.value:
            raise EntryClosed("This entry was booked from the waitlist; add a new entry instead.")
        if changes.location_ids is not None:
            _fail(_location_problems(s, changes.location_ids, "body.location_ids"))
            row.location_ids = list(changes.location_ids)
        for name in ("staff_id", "window_start", "window_end"):
            if name in given:
                setattr(row, name, getattr(changes, name))
        for name in ("priority", "language", "provider_required"):
            value = getattr(changes, name)
            if value is not None:
                setattr(row, name, value)
        if changes.channel is not None:
            row.channel = changes.channel.value
        if changes.preferred_times is not None:
            row.preferred_times = _times_json(changes.preferred_times)
        if row.provider_required and row.staff_id is None:
            _fail([FieldProblem("body.provider_required", "needs staff_id")])
        if row.window_start and row.window_end and row.window_end < row.window_start:
            _fail([FieldProblem("body.window_end", "must not be before window_start")])
        if changes.status == "withdrawn":
            _close_open_offers_of_entry(s, row.id, now)
            row.status = EntryStatus.withdrawn.value
        elif changes.status == "waiting" and row.status == EntryStatus.withdrawn.value:
            row.status = EntryStatus.waiting.value
        row.updated_at = now
        s.flush()
        _audit(
            rt,
            s,
            actor=actor,
            action="waitlist.update",
            resource_type="waitlist_entry",
            resource_id=row.id,
            patient_id=row.patient_id,
            flagged=flagged,
            details={"fields": sorted(given), "status": row.status},
        )
        return _entry_view(row)


def withdraw_entry(rt: Runtime, *, actor: Actor, entry_id: str) -> EntryView:
    return update_entry(rt, actor=actor, entry_id=entry_id, changes=EntryUpdate(status="withdrawn"))


def _close_open_offers_of_entry(s: Session, entry_id: str, now: datetime) -> None:
    s.execute(
        update(WaitlistOfferRow)
        .where(
            WaitlistOfferRow.entry_id == entry_id,
            WaitlistOfferRow.status == OfferStatus.open.value,
        )
        .values(status=OfferStatus.taken.value, responded_at=now)
        .execution_options(synchronize_session=False)
    )


def list_entries(
    rt: Runtime,
    *,
    actor: Actor,
    limit: int,
    offset: int,
    patient_id: str | None = None,
    location_id: str | None = None,
    status: EntryStatus | None = None,
) -> tuple[list[EntryView], int]:
    """One patient's entries (patient scope), or those accepting one location (the actor's
    role must cover it), oldest first: the order the list is worked in, before priority."""
    if (patient_id is None) == (location_id is None):
        _fail([FieldProblem("query.patient_id", "give exactly one of patient_id, location_id")])
    with phi_transaction(rt) as s:
        stmt = select(WaitlistEntryRow)
        if status is not None:
            stmt = stmt.where(WaitlistEntryRow.status == status.value)
        flagged = False
        if patient_id is not None:
            flagged = patients.require_patient_access(
                rt, s, actor=actor, permission=Permission.patients_read, patient_id=patient_id
            )
            rows = list(
                s.execute(
                    stmt.where(WaitlistEntryRow.patient_id == patient_id).order_by(
                        WaitlistEntryRow.created_at, WaitlistEntryRow.id
                    )
                ).scalars()
            )
        else:
            assert location_id is not None
            if not actor.can(Permission.patients_read, location_id):
                raise scheduling.LocationOutOfScope(
                    "Your patients:read permission does not cover this location."
                )
            # Locations are a JSON list (engine-neutral): filtered here, not in SQL.
            rows = [
                r
                for r in s.execute(
                    stmt.order_by(WaitlistEntryRow.created_at, WaitlistEntryRow.id)
                ).scalars()
                if location_id in r.location_ids
            ]
        page = rows[offset : offset + limit]
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="waitlist.list",
            resource_type="waitlist_entry",
            patient_id=patient_id,
            flagged=flagged,
            details={"count": len(page), "entry_ids": [r.id for r in page]},
        )
        return [_entry_view(r) for r in page], len(rows)


# ---------------------------------------------------------------- wave settings


def get_wave_settings(rt: Runtime, *, department_id: str | None = None) -> WaveSettings:
    with transaction(rt.sessions) as s:
        return _wave_settings(s, department_id)


def _wave_settings(s: Session, department_id: str | None) -> WaveSettings:
    for scope in (department_id, GLOBAL_SCOPE):
        if scope is None:
            continue
        row = s.get(WaitlistWaveSettingsRow, scope)
        if row is not None:
            return WaveSettings(
                wave_size=row.wave_size,
                spacing_minutes=row.spacing_minutes,
                offer_minutes=row.offer_minutes,
            )
    return WaveSettings()


def set_wave_settings(
    rt: Runtime, *, actor: Actor, department_id: str | None, data: WaveSettings
) -> WaveSettings:
    """Set the wave plan of a department (or the global default with `department_id` None).
    The global default is network-wide, so it needs a network-wide role; a department's
    needs directory:write at the department's clinic."""
    where = (
        directory.get_department(rt, department_id=department_id).location_id
        if department_id
        else None
    )
    security.require_scope(actor, Permission.directory_write, [where])
    scope = department_id or GLOBAL_SCOPE
    with transaction(rt.sessions) as s:
        row = s.get(WaitlistWaveSettingsRow, scope, with_for_update=True)
        if row is None:
            row = WaitlistWaveSettingsRow(scope=scope)
            s.add(row)
        row.wave_size = data.wave_size
        row.spacing_minutes = data.spacing_minutes
        row.offer_minutes = data.offer_minutes
        row.updated_at = rt.clock.now()
        s.flush()
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="waitlist.settings",
            resource_type="waitlist_settings",
            resource_id=scope,
            details=data.model_dump(),
        )
        return data


# ---------------------------------------------------------------- openings and waves


def _slot_facts(rt: Runtime, slot_id: str) -> tuple[SlotFacts, SlotStatus]:
    slot = scheduling.get_slot(rt, slot_id=slot_id)
    tz = directory.get_location(rt, location_id=slot.location_id).timezone
    facts = SlotFacts(
        slot_id=slot.id,
        staff_id=slot.staff_id,
        location_id=slot.location_id,
        department_id=slot.department_id,
        appointment_type=slot.appointment_type.code if slot.appointment_type else None,
        start=slot.start,
        timezone=tz,
    )
    return facts, slot.status


def _live_opening(s: Session, slot_id: str, *, lock: bool = False) -> WaitlistOpeningRow | None:
    stmt = select(WaitlistOpeningRow).where(WaitlistOpeningRow.active_slot_id == slot_id)
    if lock:
        stmt = stmt.with_for_update()
    return s.execute(stmt).scalar_one_or_none()


def _release_offers(
    s: Session, opening_id: str, now: datetime, *, except_offer: str | None = None
) -> None:
    """Open offers of an opening that ended become `taken`; their entries wait again
    (with their original place: `created_at` is untouched)."""
    stmt = select(WaitlistOfferRow).where(
        WaitlistOfferRow.opening_id == opening_id,
        WaitlistOfferRow.status == OfferStatus.open.value,
    )
    if except_offer is not None:
        stmt = stmt.where(WaitlistOfferRow.id != except_offer)
    for offer in s.execute(stmt.with_for_update()).scalars():
        offer.status = OfferStatus.taken.value
        offer.responded_at = now
        _entry_waits(s, offer.entry_id, now)
    s.flush()


def _entry_waits(s: Session, entry_id: str, now: datetime) -> None:
    s.execute(
        update(WaitlistEntryRow)
        .where(
            WaitlistEntryRow.id == entry_id,
            WaitlistEntryRow.status == EntryStatus.offered.value,
        )
        .values(status=EntryStatus.waiting.value, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def _end_opening(s: Session, row: WaitlistOpeningRow, status: OpeningStatus, now: datetime) -> None:
    row.status = status.value
    row.active_slot_id = None
    row.updated_at = now
    _release_offers(s, row.id, now, except_offer=row.booking_offer_id)


def offer_slot_as(rt: Runtime, *, actor: Actor, slot_id: str) -> OpeningView | None:
    """Someone at the clinic offers its free slot now: only a slot of a clinic whose
    directory they manage (another clinic's slot is 403, as for any located write)."""
    slot = scheduling.get_slot(rt, slot_id=slot_id)
    security.require_scope(actor, Permission.directory_write, [slot.location_id])
    return offer_slot(rt, slot_id=slot_id, reason=f"manual:{actor.username}"[:20])


def offer_slot(
    rt: Runtime, *, slot_id: str, reason: str, opened_at: datetime | None = None
) -> OpeningView | None:
    """Start filling a free slot from the waitlist: open it and send the first wave now.

    Idempotent for a slot already being worked; a new `cancellation` replaces a
    stale opening of the same slot. Returns None when the slot is not free or has
    started. `opened_at` is when the slot opened (the cancellation), for the metrics.
    """
    now = rt.clock.now()
    facts, status = _slot_facts(rt, slot_id)
    if status is not SlotStatus.free or facts.start <= now:
        return None
    try:
        with transaction(rt.sessions) as s:
            live = _live_opening(s, slot_id, lock=True)
            if live is not None:
                stale = live.status == OpeningStatus.exhausted.value or (
                    reason == "cancellation" and live.status == OpeningStatus.open.value
                )
                if not stale:
                    return _opening_view(live)
                _end_opening(s, live, OpeningStatus.gone, now)
                s.flush()
            row = WaitlistOpeningRow(
                slot_id=slot_id,
                active_slot_id=slot_id,
                location_id=facts.location_id,
                department_id=facts.department_id,
                type_code=facts.appointment_type,
                reason=reason[:20],
                status=OpeningStatus.open.value,
                waves_sent=0,
                opened_at=opened_at or now,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            job = jobs.schedule_in(
                s,
                now=now,
                kind=WAVE_JOB,
                payload={"opening_id": row.id, "wave": 1},
                due_at=now,
                dedupe_key=f"{WAVE_JOB}:{row.id}:1",
            )
            opening_id = row.id
    except IntegrityError:
        # Another caller opened this slot at the same moment: theirs is the one.
        with transaction(rt.sessions) as s:
            again = _live_opening(s, slot_id)
            return _opening_view(again) if again else None
    jobs.run_now(rt, job_id=job.id, run=wave_job)
    return get_opening(rt, opening_id=opening_id)


def list_slot_offers(rt: Runtime, *, actor: Actor, slot_id: str) -> list[OfferView]:
    """Every offer made for a slot, first sent first: the front desk sees who was asked,
    who declined, and who took it. A user of another clinic is told the slot does not
    exist (as for any located thing); each listed patient's read is audited."""
    slot = scheduling.get_slot(rt, slot_id=slot_id)
    if not actor.can(Permission.patients_read, slot.location_id):
        raise scheduling.NoSuchSlot("No slot has this id.")
    with transaction(rt.sessions) as s:
        rows = list(
            s.execute(
                select(WaitlistOfferRow)
                .where(WaitlistOfferRow.slot_id == slot_id)
                .order_by(WaitlistOfferRow.sent_at, WaitlistOfferRow.id)
            ).scalars()
        )
        for row in rows:
            _audit(
                rt,
                s,
                actor=actor,
                action="waitlist.offer.read",
                resource_type="waitlist_offer",
                resource_id=row.id,
                patient_id=row.patient_id,
            )
        return [_offer_view(r) for r in rows]


def get_opening(rt: Runtime, *, opening_id: str) -> OpeningView:
    with transaction(rt.sessions) as s:
        row = s.get(WaitlistOpeningRow, opening_id)
        if row is None:
            raise NotFound("No opening has this id.", error_id="no-such-waitlist-opening")
        return _opening_view(row)


def _candidates(s: Session, facts: SlotFacts) -> list[Candidate]:
    """Waiting SMS entries that could match the slot's department and type (the rest of
    eligibility is the pure `rank`). Plain columns, not ORM objects: this can be 100,000."""
    e = WaitlistEntryRow
    stmt = select(
        e.id,
        e.department_id,
        e.type_code,
        e.location_ids,
        e.staff_id,
        e.provider_required,
        e.priority,
        e.window_start,
        e.window_end,
        e.preferred_times,
        e.created_at,
    ).where(e.status == EntryStatus.waiting.value, e.channel == WaitChannel.sms.value)
    if facts.department_id is None:
        stmt = stmt.where(e.department_id.is_(None))
    else:
        stmt = stmt.where((e.department_id == facts.department_id) | e.department_id.is_(None))
    if facts.appointment_type is not None:
        stmt = stmt.where((e.type_code == facts.appointment_type) | e.type_code.is_(None))
    found: list[Candidate] = []
    for r in s.execute(stmt):
        created = r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC)
        found.append(
            Candidate(
                id=r.id,
                department_id=r.department_id,
                appointment_type=r.type_code,
                location_ids=tuple(r.location_ids),
                staff_id=r.staff_id,
                provider_required=r.provider_required,
                priority=r.priority,
                window_start=r.window_start,
                window_end=r.window_end,
                preferred_times=tuple(
                    Window(
                        frozenset(t["weekdays"]),
                        time.fromisoformat(t["start"]),
                        time.fromisoformat(t["end"]),
                    )
                    for t in r.preferred_times or []
                ),
                created_at=created,
            )
        )
    return found


def send_wave(rt: Runtime, *, opening_id: str, wave: int) -> datetime | None:
    """Offer the opening to the next wave of ranked entries; schedule their expiry and the
    next wave. Returns when to try again instead (quiet hours), else None. Safe to run
    twice: a wave is taken once (`waves_sent`), and its messages are sent under the
    offers' ids as idempotency keys, so a retry only sends what a crash left unsent."""
    with transaction(rt.sessions) as s:
        row = s.get(WaitlistOpeningRow, opening_id)
        if row is None:
            return None
        slot_id, status, waves_sent = row.slot_id, row.status, row.waves_sent
    if status != OpeningStatus.open.value:
        return None
    if waves_sent >= wave:
        _deliver(rt, opening_id=opening_id, wave=wave)
        return None
    now = rt.clock.now()
    try:
        facts, slot_status = _slot_facts(rt, slot_id)
    except NotFound:
        slot_status, facts = SlotStatus.blocked, None
    if facts is None or slot_status is not SlotStatus.free or facts.start <= now:
        with transaction(rt.sessions) as s:
            row = s.get(WaitlistOpeningRow, opening_id, with_for_update=True)
            if row is not None and row.status == OpeningStatus.open.value:
                _end_opening(s, row, OpeningStatus.gone, now)
        return None
    if is_quiet(now, facts.timezone):
        return next_allowed_send(now, facts.timezone)
    with transaction(rt.sessions) as s:
        row = s.get(WaitlistOpeningRow, opening_id, with_for_update=True)
        if row is None or row.status != OpeningStatus.open.value or row.waves_sent >= wave:
            return None
        plan = _wave_settings(s, facts.department_id)
        asked = frozenset(
            s.execute(
                select(WaitlistOfferRow.entry_id).where(WaitlistOfferRow.slot_id == slot_id)
            ).scalars()
        )
        chosen = next_wave(
            rank(_candidates(s, facts), facts, at=now), already_asked=asked, size=plan.wave_size
        )
        expires = now + timedelta(minutes=plan.offer_minutes)
        made = 0
        for c in chosen:
            taken = s.execute(
                update(WaitlistEntryRow)
                .where(
                    WaitlistEntryRow.id == c.id,
                    WaitlistEntryRow.status == EntryStatus.waiting.value,
                )
                .values(status=EntryStatus.offered.value, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if _rowcount(taken) != 1:
                continue  # offered for another slot a moment ago
            patient_id = s.execute(
                select(WaitlistEntryRow.patient_id).where(WaitlistEntryRow.id == c.id)
            ).scalar_one()
            offer = WaitlistOfferRow(
                entry_id=c.id,
                patient_id=patient_id,
                opening_id=opening_id,
                slot_id=slot_id,
                wave=wave,
                status=OfferStatus.open.value,
                sent_at=now,
                expires_at=expires,
            )
            s.add(offer)
            s.flush()
            jobs.schedule_in(
                s,
                now=now,
                kind=EXPIRE_JOB,
                payload={"offer_id": offer.id},
                due_at=expires,
                dedupe_key=f"{EXPIRE_JOB}:{offer.id}",
            )
            _audit(
                rt,
                s,
                actor=SYSTEM,
                action="waitlist.offer",
                resource_type="waitlist_offer",
                resource_id=offer.id,
                patient_id=patient_id,
                details={"slot_id": slot_id, "wave": wave, "entry_id": c.id},
            )
            made += 1
        row.waves_sent = wave
        row.updated_at = now
        still_open = s.execute(
            select(func.count(WaitlistOfferRow.id)).where(
                WaitlistOfferRow.opening_id == opening_id,
                WaitlistOfferRow.status == OfferStatus.open.value,
            )
        ).scalar_one()
        if made:
            row.first_offer_at = row.first_offer_at or now
        if not still_open:
            row.status = OpeningStatus.exhausted.value
        else:
            # Another wave even when nobody new is eligible: it ends the opening as
            # `exhausted` once the last offers expire or are declined.
            jobs.schedule_in(
                s,
                now=now,
                kind=WAVE_JOB,
                payload={"opening_id": opening_id, "wave": wave + 1},
                due_at=now + timedelta(minutes=plan.spacing_minutes),
                dedupe_key=f"{WAVE_JOB}:{opening_id}:{wave + 1}",
            )
        s.flush()
    _deliver(rt, opening_id=opening_id, wave=wave, timezone=facts.timezone, start=facts.start)
    return None


def _deliver(
    rt: Runtime,
    *,
    opening_id: str,
    wave: int,
    timezone: str | None = None,
    start: datetime | None = None,
) -> None:
    """Send the SMS of this wave's offers that have none yet (key: the offer id)."""
    with transaction(rt.sessions) as s:
        pending = [
            (o.id, o.patient_id, o.expires_at, o.sent_at, lang, o.slot_id)
            for o, lang in s.execute(
                select(WaitlistOfferRow, WaitlistEntryRow.language)
                .join(WaitlistEntryRow, WaitlistEntryRow.id == WaitlistOfferRow.entry_id)
                .where(
                    WaitlistOfferRow.opening_id == opening_id,
                    WaitlistOfferRow.wave == wave,
                    WaitlistOfferRow.status == OfferStatus.open.value,
                    WaitlistOfferRow.message_id.is_(None),
                )
            ).all()
        ]
    if not pending:
        return
    facts, _status = _slot_facts(rt, pending[0][5])
    if timezone is None or start is None:
        timezone, start = facts.timezone, facts.start
    local = directory_local(start, timezone)
    for offer_id, patient_id, expires_at, sent_at, language, _slot in pending:
        minutes = max(1, int((expires_at - sent_at).total_seconds() // 60))
        body = offer_text(local_start=local, language=language, minutes=minutes)
        try:
            message = messaging.send_message(
                rt,
                actor=SYSTEM,
                patient_id=patient_id,
                body=body,
                idempotency_key=f"waitlist.offer:{offer_id}",
                location_id=facts.location_id,
                recipient_tz=timezone,
            )
            failed = message.status in (MessageStatus.undeliverable, MessageStatus.failed)
            message_id: str | None = message.id
        except CarelineError as exc:
            log.info("waitlist offer %s not sent: %s", offer_id, exc.error_id)
            failed, message_id = True, None
        now = rt.clock.now()
        with transaction(rt.sessions) as s:
            offer = s.get(WaitlistOfferRow, offer_id, with_for_update=True)
            if offer is None:
                continue
            offer.message_id = message_id
            if failed and offer.status == OfferStatus.open.value:
                offer.status = OfferStatus.unsent.value
                offer.responded_at = now
                _entry_waits(s, offer.entry_id, now)


def directory_local(start: datetime, timezone: str) -> datetime:
    from zoneinfo import ZoneInfo

    return start.astimezone(ZoneInfo(timezone))


# ---------------------------------------------------------------- answers


def expire_offer(rt: Runtime, *, offer_id: str) -> OfferView:
    """An offer nobody answered in time: the entry waits again, in its original place."""
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        offer = s.get(WaitlistOfferRow, offer_id, with_for_update=True)
        if offer is None:
            raise NoSuchOffer("No waitlist offer has this id.")
        if offer.status == OfferStatus.open.value and offer.expires_at <= now:
            offer.status = OfferStatus.expired.value
            offer.responded_at = now
            _entry_waits(s, offer.entry_id, now)
            s.flush()
        return _offer_view(offer)


def decline_offer(rt: Runtime, *, offer_id: str) -> OfferView:
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        offer = s.get(WaitlistOfferRow, offer_id, with_for_update=True)
        if offer is None:
            raise NoSuchOffer("No waitlist offer has this id.")
        if offer.status == OfferStatus.open.value:
            offer.status = OfferStatus.declined.value
            offer.responded_at = now
            _entry_waits(s, offer.entry_id, now)
            _audit(
                rt,
                s,
                actor=SYSTEM,
                action="waitlist.decline",
                resource_type="waitlist_offer",
                resource_id=offer.id,
                patient_id=offer.patient_id,
            )
        return _offer_view(offer)


def confirm_offer(rt: Runtime, *, offer_id: str) -> tuple[ConfirmOutcome, OfferView]:
    """A YES: book the slot if this is the first confirmation, else say it is taken.

    Step 1 claims the opening (`open` -> `booking`, conditional: one winner). Step 2
    books through scheduling (which refuses double booking itself). Step 3 records
    the result and releases every other open offer of the opening.
    """
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        offer = s.get(WaitlistOfferRow, offer_id, with_for_update=True)
        if offer is None:
            raise NoSuchOffer("No waitlist offer has this id.")
        if offer.status == OfferStatus.open.value and offer.expires_at <= now:
            offer.status = OfferStatus.expired.value
            offer.responded_at = now
            _entry_waits(s, offer.entry_id, now)
        if offer.status != OfferStatus.open.value:
            return ConfirmOutcome.not_open, _offer_view(offer)
        claimed = s.execute(
            update(WaitlistOpeningRow)
            .where(
                WaitlistOpeningRow.id == offer.opening_id,
                WaitlistOpeningRow.status == OpeningStatus.open.value,
            )
            .values(status=OpeningStatus.booking.value, booking_offer_id=offer.id, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if _rowcount(claimed) != 1:
            offer.status = OfferStatus.taken.value
            offer.responded_at = now
            _entry_waits(s, offer.entry_id, now)
            return ConfirmOutcome.taken, _offer_view(offer)
        entry = _entry_row(s, offer.entry_id)
        wanted = (
            AppointmentType(code=entry.type_code, display=entry.type_code)
            if entry.type_code
            else None
        )
        patient_id, slot_id, opening_id = offer.patient_id, offer.slot_id, offer.opening_id
    slot = scheduling.get_slot(rt, slot_id=slot_id)
    kind = None if slot.appointment_type is not None else (wanted or FALLBACK_TYPE)
    try:
        booked = scheduling.create_appointment(
            rt,
            actor=SYSTEM,
            data=AppointmentCreate(
                patient_id=patient_id, slot_id=slot_id, appointment_type=kind, source="waitlist"
            ),
        )
        appointment_id: str | None = booked.id
    except CarelineError as exc:
        log.info("waitlist offer %s could not book: %s", offer_id, exc.error_id)
        appointment_id = None
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        opening = s.get(WaitlistOpeningRow, opening_id, with_for_update=True)
        offer = s.get(WaitlistOfferRow, offer_id, with_for_update=True)
        assert opening is not None and offer is not None
        offer.responded_at = now
        if appointment_id is None:
            offer.status = OfferStatus.taken.value
            _entry_waits(s, offer.entry_id, now)
            _end_opening(s, opening, OpeningStatus.gone, now)
            return ConfirmOutcome.taken, _offer_view(offer)
        offer.status = OfferStatus.accepted.value
        s.execute(
            update(WaitlistEntryRow)
            .where(WaitlistEntryRow.id == offer.entry_id)
            .values(status=EntryStatus.booked.value, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        opening.appointment_id = appointment_id
        opening.filled_at = now
        _end_opening(s, opening, OpeningStatus.filled, now)
        _audit(
            rt,
            s,
            actor=SYSTEM,
            action="waitlist.accept",
            resource_type="waitlist_offer",
            resource_id=offer.id,
            patient_id=offer.patient_id,
            details={"appointment_id": appointment_id, "slot_id": slot_id},
        )
        return ConfirmOutcome.booked, _offer_view(offer)


def handle_reply(rt: Runtime, *, patient_id: str, text: str, at: datetime) -> str | None:
    """The `messaging.replies` handler: YES/NO from a patient with a live offer.

    Returns the text to answer, or None when the SMS is not about an offer (another
    handler, e.g. reminders, may take it). A YES to an offer someone else already
    took (and that has not expired) is answered politely too.
    """
    intent = reply_intent(text)
    if intent is None:
        return None
    with transaction(rt.sessions) as s:
        found = s.execute(
            select(WaitlistOfferRow.id, WaitlistOfferRow.status, WaitlistEntryRow.language)
            .join(WaitlistEntryRow, WaitlistEntryRow.id == WaitlistOfferRow.entry_id)
            .where(
                WaitlistOfferRow.patient_id == patient_id,
                WaitlistOfferRow.status.in_([OfferStatus.open.value, OfferStatus.taken.value]),
                WaitlistOfferRow.expires_at > at,
            )
            .order_by(
                (WaitlistOfferRow.status == OfferStatus.open.value).desc(),
                WaitlistOfferRow.sent_at.desc(),
                WaitlistOfferRow.id,
            )
            .limit(1)
        ).first()
    if found is None:
        return None
    offer_id, status, language = found
    if status == OfferStatus.taken.value:
        return localized(TAKEN_TEXT, language)
    if intent is ReplyIntent.no:
        decline_offer(rt, offer_id=offer_id)
        return localized(DECLINED_TEXT, language)
    outcome, offer = confirm_offer(rt, offer_id=offer_id)
    if outcome is ConfirmOutcome.booked:
        facts, _status = _slot_facts(rt, offer.slot_id)
        when = directory_local(facts.start, facts.timezone).strftime("%a %b %d at %H:%M")
        return localized(BOOKED_TEXT, language).format(when=when)
    return localized(TAKEN_TEXT, language)


# ---------------------------------------------------------------- sweep


#: A confirmation holds an opening in `booking` only while it books; longer means the
#: process died in between.
BOOKING_STALE_AFTER = timedelta(minutes=2)


def recover_stuck_bookings(rt: Runtime) -> int:
    """Finish what a crashed confirmation left in `booking`; returns how many it mended.

    If the patient now holds the slot (the booking went through before the crash),
    the opening is filled with that appointment; otherwise the offer is released and
    the opening returns to `open` for the next YES.
    """
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        stuck = list(
            s.execute(
                select(WaitlistOpeningRow.id, WaitlistOfferRow.patient_id, WaitlistOfferRow.slot_id)
                .join(WaitlistOfferRow, WaitlistOfferRow.id == WaitlistOpeningRow.booking_offer_id)
                .where(
                    WaitlistOpeningRow.status == OpeningStatus.booking.value,
                    WaitlistOpeningRow.updated_at < now - BOOKING_STALE_AFTER,
                )
            ).all()
        )
    mended = 0
    for opening_id, patient_id, slot_id in stuck:
        appointments, _ = scheduling.list_appointments_for_patient(
            rt, actor=SYSTEM, patient_id=patient_id, limit=200, offset=0
        )
        held = next(
            (
                a
                for a in appointments
                if a.slot_id == slot_id and a.status.value not in ("cancelled", "noshow")
            ),
            None,
        )
        with transaction(rt.sessions) as s:
            opening = s.get(WaitlistOpeningRow, opening_id, with_for_update=True)
            if opening is None or opening.status != OpeningStatus.booking.value:
                continue  # someone else finished it meanwhile
            offer = s.get(WaitlistOfferRow, opening.booking_offer_id, with_for_update=True)
            if held is not None and offer is not None:
                offer.status = OfferStatus.accepted.value
                offer.responded_at = offer.responded_at or now
                s.execute(
                    update(WaitlistEntryRow)
                    .where(WaitlistEntryRow.id == offer.entry_id)
                    .values(status=EntryStatus.booked.value, updated_at=now)
                    .execution_options(synchronize_session=False)
                )
                opening.appointment_id = held.id
                opening.filled_at = now
                _end_opening(s, opening, OpeningStatus.filled, now)
            else:
                if offer is not None and offer.expires_at > now:
                    offer.status = OfferStatus.open.value  # their YES may simply be retried
                    offer.responded_at = None
                elif offer is not None:
                    offer.status = OfferStatus.expired.value
                    offer.responded_at = offer.responded_at or now
                    _entry_waits(s, offer.entry_id, now)
                opening.status = OpeningStatus.open.value
                opening.booking_offer_id = None
                opening.updated_at = now
            _audit(
                rt,
                s,
                actor=SYSTEM,
                action="waitlist.recovered",
                resource_type="waitlist_opening",
                resource_id=opening_id,
                patient_id=patient_id,
                details={"outcome": "filled" if held is not None else "reopened"},
            )
        mended += 1
    return mended


def sweep(rt: Runtime, *, horizon: timedelta = SWEEP_HORIZON) -> int:
    """Mend bookings a crash interrupted, then open the free slots of the next `horizon`
    that have no live opening; returns how many it opened."""
    recover_stuck_bookings(rt)
    now = rt.clock.now()
    slots = scheduling.free_slots(rt, window_start=now, window_end=now + horizon, limit=1000)
    if not slots:
        return 0
    with transaction(rt.sessions) as s:
        live = set(
            s.execute(
                select(WaitlistOpeningRow.active_slot_id).where(
                    WaitlistOpeningRow.active_slot_id.in_([x.id for x in slots])
                )
            ).scalars()
        )
    opened = 0
    for slot in slots:
        if slot.id not in live and offer_slot(rt, slot_id=slot.id, reason="sweep") is not None:
            opened += 1
    return opened


def ensure_sweep(rt: Runtime) -> None:
    """Start the sweep chain (idempotent per time bucket): call when a worker starts."""
    now = rt.clock.now()
    bucket = int(now.timestamp() // SWEEP_EVERY.total_seconds())
    jobs.schedule(rt, kind=SWEEP_JOB, payload={}, due_at=now, dedupe_key=f"{SWEEP_JOB}:{bucket}")


# ---------------------------------------------------------------- job handlers


def slot_opened_job(rt: Runtime, payload: dict[str, Any]) -> None:
    """A cancellation freed time: fill the provider's free slot at that start, if any."""
    opened_at = datetime.fromisoformat(payload["at"]) if "at" in payload else None
    appointment = scheduling.get_appointment(
        rt, actor=SYSTEM, appointment_id=str(payload["appointment_id"])
    )
    slots = scheduling.free_slots(
        rt,
        staff_id=appointment.staff_id,
        window_start=appointment.start,
        window_end=appointment.start + timedelta(seconds=1),
        limit=1,
    )
    for slot in slots:
        offer_slot(rt, slot_id=slot.id, reason="cancellation", opened_at=opened_at)


def wave_job(rt: Runtime, payload: dict[str, Any]) -> None:
    later = send_wave(rt, opening_id=str(payload["opening_id"]), wave=int(payload["wave"]))
    if later is not None:
        raise Defer(later)


def expire_job(rt: Runtime, payload: dict[str, Any]) -> None:
    expire_offer(rt, offer_id=str(payload["offer_id"]))


def sweep_job(rt: Runtime, payload: dict[str, Any]) -> None:
    sweep(rt)
    now = rt.clock.now()
    due = now + SWEEP_EVERY
    bucket = int(due.timestamp() // SWEEP_EVERY.total_seconds())
    jobs.schedule(rt, kind=SWEEP_JOB, payload={}, due_at=due, dedupe_key=f"{SWEEP_JOB}:{bucket}")


# ---------------------------------------------------------------- metrics


def report(rt: Runtime, *, actor: Actor, start: datetime, end: datetime) -> list[ReportRow]:
    """Per location and appointment type, openings in [start, end): offers sent, fill rate,
    median seconds from opening (the cancellation) to first offer and to booking.
    Counts only, no patient: limited to the locations the actor's patients:read covers."""
    if start.tzinfo is None or end.tzinfo is None:
        _fail([FieldProblem("query.from", "must include a time zone offset")])
    if end <= start:
        _fail([FieldProblem("query.to", "must be later than from")])
    scope = actor.scope_location_ids(Permission.patients_read)
    with transaction(rt.sessions) as s:
        stmt = select(WaitlistOpeningRow).where(
            WaitlistOpeningRow.opened_at >= start, WaitlistOpeningRow.opened_at < end
        )
        if scope is not None:
            stmt = stmt.where(WaitlistOpeningRow.location_id.in_(sorted(scope)))
        openings = list(s.execute(stmt).scalars())
        offer_counts: dict[str, int] = {}
        if openings:
            counted = s.execute(
                select(WaitlistOfferRow.opening_id, func.count(WaitlistOfferRow.id))
                .where(WaitlistOfferRow.opening_id.in_([o.id for o in openings]))
                .group_by(WaitlistOfferRow.opening_id)
            ).all()
            offer_counts = {str(k): int(v) for k, v in counted}
    groups: dict[tuple[str, str | None], list[WaitlistOpeningRow]] = defaultdict(list)
    for o in openings:
        groups[(o.location_id, o.type_code)].append(o)
    rows: list[ReportRow] = []
    for (location_id, type_code), items in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
    ):
        filled = [o for o in items if o.filled_at is not None]
        rows.append(
            ReportRow(
                location_id=location_id,
                appointment_type=type_code,
                openings=len(items),
                offers=sum(offer_counts.get(o.id, 0) for o in items),
                filled=len(filled),
                fill_rate=round(len(filled) / len(items), 4) if items else None,
                median_seconds_to_first_offer=median(
                    [
                        (o.first_offer_at - o.opened_at).total_seconds()
                        for o in items
                        if o.first_offer_at
                    ]
                ),
                median_seconds_to_fill=median(
                    [(o.filled_at - o.opened_at).total_seconds() for o in filled if o.filled_at]
                ),
            )
        )
    return rows


def list_offers(
    rt: Runtime, *, opening_id: str | None = None, entry_id: str | None = None
) -> list[OfferView]:
    """Offers of one opening or one entry (ids and states only; for staff tools and tests)."""
    with transaction(rt.sessions) as s:
        stmt = select(WaitlistOfferRow).order_by(WaitlistOfferRow.sent_at, WaitlistOfferRow.id)
        if opening_id is not None:
            stmt = stmt.where(WaitlistOfferRow.opening_id == opening_id)
        if entry_id is not None:
            stmt = stmt.where(WaitlistOfferRow.entry_id == entry_id)
        return [_offer_view(r) for r in s.execute(stmt).scalars()]
