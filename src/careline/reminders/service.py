"""Reminder use cases: plans, planning reminders as durable jobs, sending them, reading
replies (SMS and keypad, filing front-desk tasks in `worklist`) and reports.

How scheduling's changes reach reminders: scheduling must not depend on us, so we
(re)plan from our side — `plan_reminders` is called by our API right after a
booking or move, and a periodic `reminders.sweep` job runs `plan_upcoming`, which
(re)plans every upcoming appointment idempotently (a booking, an EHR import, a
reschedule or a cancellation made anywhere is picked up within an hour). A
reminder's send job checks, when it runs, that the appointment is still active
and at the same start, so a change the sweep has not seen yet never sends a stale
reminder.

Voice reminders: messaging sends SMS only, so a voice reminder is recorded, when
due, as `voice_pending` (error code `voice-not-supported`) for the voice edge,
which lists them with `pending_voice_reminders` and reports keypad answers with
`handle_voice_reminder_input`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import CarelineError, FieldProblem, NotFound, ValidationFailed
from careline.core.phone import is_e164
from careline.directory import service as directory
from careline.directory.model import LocationView
from careline.flows import service as flows
from careline.jobs import service as jobs
from careline.jobs.model import PermanentFailure
from careline.messaging import replies
from careline.messaging import service as messaging
from careline.messaging.model import MessageStatus
from careline.patients import service as patients
from careline.patients.model import PatientUpdate, PatientView, PreferredChannel, SmsConsent
from careline.providers.protocol import OutboundCall, ProviderError, Receipt
from careline.reminders.model import (
    TEMPLATES,
    ClinicalReading,
    ReminderPlanIn,
    ReminderPlanView,
    ReminderStatus,
    ReminderStep,
    ReminderView,
    ReplyAction,
    ReportRow,
    clinical_reading,
    interpret_reply,
    is_keyword_reply,
    language_of,
    local_date_time,
    pick_plan,
    plan_problems,
    plan_send_time,
    prep_missing,
    render,
    render_reminder,
    too_late_to_send,
    voice_digit_action,
    voice_script,
)
from careline.reminders.tables import ReminderPlanRow, ReminderRow, ReplyRow
from careline.runtime import Runtime
from careline.scheduling import service as scheduling
from careline.scheduling.model import (
    AppointmentStatus,
    AppointmentView,
    CancelReason,
    ConfirmedVia,
)
from careline.security import audit
from careline.security import service as security
from careline.security.model import Actor, Permission, system_actor
from careline.security.service import phi_transaction
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction, InteractionView
from careline.triage.service import triage
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind, TaskView

log = logging.getLogger("careline.reminders")

SEND_JOB = "reminders.send"
NO_ANSWER_JOB = "reminders.noanswer"
SWEEP_JOB = "reminders.sweep"
#: The timeline event a screen picks up for an inbound text triaged clinical (there is
#: no live event bus yet: screens poll the timeline and the task list).
ALERT_EVENT = "triage.alert"
DEFAULT_HORIZON = timedelta(hours=72)
SWEEP_EVERY = timedelta(hours=1)
OPTIONS_MAX = 3
_ACTIVE = {AppointmentStatus.booked, AppointmentStatus.confirmed}
_SENT = (ReminderStatus.sent.value, ReminderStatus.voice_pending.value)


class NoSuchReminder(NotFound):
    error_id = "no-such-reminder"


def _actor() -> Actor:
    return system_actor("reminders")


def _fail(problems: list[FieldProblem]) -> None:
    if problems:
        names = ", ".join(p.field for p in problems[:5])
        raise ValidationFailed(f"Fix these fields and retry: {names}.", problems=problems)


def _epoch(at: datetime) -> int:
    return int(at.astimezone(UTC).timestamp())


# ---------------------------------------------------------------- plans


def _plan_view(row: ReminderPlanRow) -> ReminderPlanView:
    view = ReminderPlanView(
        id=row.id,
        location_id=row.location_id,
        type_code=row.type_code,
        steps=[ReminderStep.model_validate(s) for s in row.steps],
        include_type=row.include_type,
        prep_instructions=row.prep_instructions,
        templates=dict(row.templates or {}),
        prep_translations=dict(row.prep_translations or {}),
        include_prep=row.include_prep,
        no_answer_hours=row.no_answer_hours,
        notify_caregivers=row.notify_caregivers,
        updated_at=row.updated_at,
    )
    return view.model_copy(update={"prep_missing_languages": prep_missing(view)})


def set_plan(rt: Runtime, *, actor: Actor, data: ReminderPlanIn) -> ReminderPlanView:
    """Create or replace the plan for (location, appointment type); None means any.
    A clinic's plan needs directory:write there; the network's (location None) a
    network-wide role: its wording reaches every clinic's patients."""
    security.require_scope(actor, Permission.directory_write, [data.location_id])
    problems = [FieldProblem(f, m) for f, m in plan_problems(data)]
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        if data.location_id is not None and not directory.location_exists(s, data.location_id):
            problems.append(FieldProblem("body.location_id", "no location has this id"))
        _fail(problems)
        stmt = select(ReminderPlanRow).where(
            ReminderPlanRow.location_id.is_(None)
            if data.location_id is None
            else ReminderPlanRow.location_id == data.location_id,
            ReminderPlanRow.type_code.is_(None)
            if data.type_code is None
            else ReminderPlanRow.type_code == data.type_code,
        )
        row = s.execute(stmt.with_for_update()).scalar_one_or_none()
        if row is None:
            row = ReminderPlanRow(
                location_id=data.location_id, type_code=data.type_code, created_at=now
            )
            s.add(row)
        row.steps = [st.model_dump(mode="json") for st in data.steps]
        row.include_type = data.include_type
        row.prep_instructions = data.prep_instructions
        row.prep_translations = {k: v.strip() for k, v in data.prep_translations.items()}
        row.templates = {k: v.strip() for k, v in data.templates.items()}
        row.include_prep = data.include_prep
        row.no_answer_hours = data.no_answer_hours
        row.notify_caregivers = data.notify_caregivers
        row.updated_at = now
        s.flush()
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="reminder_plan.set",
            resource_type="reminder_plan",
            resource_id=row.id,
            details={"steps": len(data.steps), "include_type": data.include_type},
        )
        return _plan_view(row)


def list_plans(rt: Runtime, *, limit: int, offset: int) -> tuple[list[ReminderPlanView], int]:
    with transaction(rt.sessions) as s:
        total = s.execute(select(func.count()).select_from(ReminderPlanRow)).scalar_one()
        rows = s.execute(
            select(ReminderPlanRow).order_by(ReminderPlanRow.id).limit(limit).offset(offset)
        ).scalars()
        return [_plan_view(r) for r in rows], int(total)


def _plans(s: Session, location_id: str, type_code: str) -> list[ReminderPlanView]:
    rows = s.execute(
        select(ReminderPlanRow).where(
            (ReminderPlanRow.location_id == location_id) | ReminderPlanRow.location_id.is_(None),
            (ReminderPlanRow.type_code == type_code) | ReminderPlanRow.type_code.is_(None),
        )
    ).scalars()
    return [_plan_view(r) for r in rows]


def effective_plan(rt: Runtime, *, location_id: str, type_code: str) -> ReminderPlanView:
    """The plan that applies (the most specific one configured, or the default)."""
    with transaction(rt.sessions) as s:
        return pick_plan(
            _plans(s, location_id, type_code), location_id=location_id, type_code=type_code
        )


# ---------------------------------------------------------------- planning


def _view(row: ReminderRow) -> ReminderView:
    return ReminderView(
        id=row.id,
        appointment_id=row.appointment_id,
        patient_id=row.patient_id,
        location_id=row.location_id,
        type_code=row.type_code,
        step=row.step,
        recipient="caregiver" if row.recipient == "caregiver" else "patient",
        channel=row.channel,
        appointment_start=row.appointment_start,
        due_at=row.due_at,
        status=ReminderStatus(row.status),
        message_id=row.message_id,
        error_code=row.error_code,
    )


def _void_in(s: Session, rt: Runtime, rows: Iterable[ReminderRow], now: datetime) -> int:
    count = 0
    starts: set[tuple[str, datetime]] = set()
    for row in rows:
        if row.status != ReminderStatus.planned.value:
            continue
        if row.job_id is not None:
            jobs.cancel_in(s, now=now, job_id=row.job_id)
        row.status = ReminderStatus.void.value
        row.updated_at = now
        starts.add((row.appointment_id, row.appointment_start))
        count += 1
    for appointment_id, start in starts:
        jobs.cancel_in(s, now=now, dedupe_key=f"{NO_ANSWER_JOB}:{appointment_id}:{_epoch(start)}")
    return count


def void_reminders(rt: Runtime, *, appointment_id: str) -> int:
    """Cancel every reminder of an appointment not sent yet (it was cancelled)."""
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(ReminderRow).where(ReminderRow.appointment_id == appointment_id)
        ).scalars()
        return _void_in(s, rt, list(rows), now)


@dataclass(frozen=True)
class _Recipient:
    kind: str  # patient | caregiver
    caregiver_id: str | None
    channel: str  # sms | voice


def recipients(patient: PatientView, *, notify_caregivers: bool) -> list[_Recipient]:
    """Who gets a reminder, on which channel: voice for a patient who prefers it or has no
    SMS-capable number; caregivers allowed to receive messages get SMS too."""
    has_sms = any(p.sms_capable for p in patient.phones)
    voice = patient.preferred_channel is PreferredChannel.voice or not has_sms
    out = [_Recipient("patient", None, "voice" if voice else "sms")]
    if notify_caregivers:
        out += [
            _Recipient("caregiver", c.id, "sms")
            for c in patient.caregivers
            if c.may_receive_messages
        ]
    return out


#: Void reminders that planning may bring back: voided because the visit moved or was
#: called off, never because their moment passed or their recipient went away.
_REVIVABLE = (None, "appointment-changed")


def _plan(rt: Runtime, appt: AppointmentView) -> list[ReminderView]:
    now = rt.clock.now()
    start = appt.start.astimezone(UTC)
    if appt.status not in _ACTIVE or start <= now:
        void_reminders(rt, appointment_id=appt.id)
        return []
    with transaction(rt.sessions) as s:
        rows = list(
            s.execute(select(ReminderRow).where(ReminderRow.appointment_id == appt.id)).scalars()
        )
        stale = [r for r in rows if r.appointment_start != start]
        current = [_view(r) for r in rows if r.appointment_start == start]
        if current and not any(r.status == ReminderStatus.planned.value for r in stale):
            return current  # already planned for this start: nothing to read or write
    tz = directory.get_location(rt, location_id=appt.location_id).timezone
    patient = patients.get_patient(rt, actor=_actor(), patient_id=appt.patient_id)
    with transaction(rt.sessions) as s:
        plan = pick_plan(
            _plans(s, appt.location_id, appt.appointment_type.code),
            location_id=appt.location_id,
            type_code=appt.appointment_type.code,
        )
        old = s.execute(
            select(ReminderRow).where(
                ReminderRow.appointment_id == appt.id, ReminderRow.appointment_start != start
            )
        ).scalars()
        _void_in(s, rt, list(old), now)
        made: list[ReminderView] = []
        for step in plan.steps:
            send_at = plan_send_time(step, start=start, tz=tz, now=now)
            if send_at is None:
                continue
            for who in recipients(patient, notify_caregivers=plan.notify_caregivers):
                key = f"{appt.id}:{step.name}:{who.caregiver_id or who.kind}:{_epoch(start)}"
                row = s.execute(
                    select(ReminderRow).where(ReminderRow.dedupe_key == key)
                ).scalar_one_or_none()
                if row is None:
                    row = ReminderRow(
                        dedupe_key=key,
                        appointment_id=appt.id,
                        patient_id=appt.patient_id,
                        location_id=appt.location_id,
                        type_code=appt.appointment_type.code,
                        step=step.name,
                        recipient=who.kind,
                        caregiver_id=who.caregiver_id,
                        channel=who.channel,
                        appointment_start=start,
                        due_at=send_at,
                        status=ReminderStatus.planned.value,
                        created_at=now,
                        updated_at=now,
                    )
                    s.add(row)
                    s.flush()
                    job = jobs.schedule_in(
                        s,
                        now=now,
                        kind=SEND_JOB,
                        payload={"reminder_id": row.id},
                        due_at=send_at,
                        dedupe_key=f"{SEND_JOB}:{row.id}",
                    )
                    row.job_id = job.id
                elif row.status == ReminderStatus.void.value and row.error_code in _REVIVABLE:
                    # The visit moved away and back (issue 11, item 27): this start is
                    # wanted again, so its reminder is too. A new job key, because the
                    # old send job may have run (and voided it) and keeps its key.
                    row.status = ReminderStatus.planned.value
                    row.error_code = None
                    row.due_at = send_at
                    row.updated_at = now
                    job = jobs.schedule_in(
                        s,
                        now=now,
                        kind=SEND_JOB,
                        payload={"reminder_id": row.id},
                        due_at=send_at,
                        dedupe_key=f"{SEND_JOB}:{row.id}:{_epoch(now)}",
                    )
                    row.job_id = job.id
                made.append(_view(row))
        check_at = start - timedelta(hours=plan.no_answer_hours)
        if check_at > now:
            jobs.schedule_in(
                s,
                now=now,
                kind=NO_ANSWER_JOB,
                payload={"appointment_id": appt.id, "start": start.isoformat()},
                due_at=check_at,
                dedupe_key=f"{NO_ANSWER_JOB}:{appt.id}:{_epoch(start)}",
            )
        audit.record(
            s,
            clock=rt.clock,
            actor=_actor(),
            action="reminder.plan",
            resource_type="appointment",
            resource_id=appt.id,
            patient_id=appt.patient_id,
            details={"reminders": len(made)},
        )
        return made


def plan_reminders(rt: Runtime, *, appointment_id: str) -> list[ReminderView]:
    """(Re)plan an appointment's reminders; idempotent. A moved appointment gets new
    reminders and its old ones are voided; a cancelled one has them all voided."""
    appt = scheduling.get_appointment(rt, actor=_actor(), appointment_id=appointment_id)
    return _plan(rt, appt)


def plan_upcoming(rt: Runtime, *, horizon: timedelta = DEFAULT_HORIZON) -> int:
    """Plan every appointment starting within `horizon` at every location (the sweep);
    returns how many appointments it looked at. Idempotent."""
    now = rt.clock.now()
    end = now + horizon
    seen = 0
    offset = 0
    locations: list[tuple[str, str]] = []
    while True:
        page, total = directory.list_locations(rt, limit=200, offset=offset)
        locations += [(loc.id, loc.timezone) for loc in page]
        offset += len(page)
        if not page or offset >= total:
            break
    for location_id, tz in locations:
        zone = ZoneInfo(tz)
        day = now.astimezone(zone).date()
        while day <= end.astimezone(zone).date():
            at = 0
            while True:
                items, total = scheduling.list_appointments_at_location(
                    rt, actor=_actor(), location_id=location_id, day=day, limit=200, offset=at
                )
                for appt in items:
                    if now < appt.start <= end:
                        seen += 1
                        try:
                            _plan(rt, appt)
                        except CarelineError as exc:
                            log.warning("reminders for %s not planned: %s", appt.id, exc.error_id)
                at += len(items)
                if not items or at >= total:
                    break
            day += timedelta(days=1)
    return seen


def start_sweep(rt: Runtime, *, at: datetime | None = None) -> None:
    """Make sure a sweep job is scheduled (idempotent per hour)."""
    due = at or rt.clock.now()
    jobs.schedule(
        rt,
        kind=SWEEP_JOB,
        payload={},
        due_at=due,
        dedupe_key=f"{SWEEP_JOB}:{_epoch(due) // 3600}",
    )


def list_reminders(rt: Runtime, *, actor: Actor, appointment_id: str) -> list[ReminderView]:
    """An appointment's reminders (scope checked by reading the appointment)."""
    scheduling.get_appointment(rt, actor=actor, appointment_id=appointment_id)
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(ReminderRow)
            .where(ReminderRow.appointment_id == appointment_id)
            .order_by(ReminderRow.due_at, ReminderRow.id)
        ).scalars()
        return [_view(r) for r in rows]


def pending_voice_reminders(rt: Runtime) -> list[ReminderView]:
    """Voice reminders that are due and wait for the voice edge to call."""
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(ReminderRow)
            .where(ReminderRow.status == ReminderStatus.voice_pending.value)
            .order_by(ReminderRow.due_at)
        ).scalars()
        return [_view(r) for r in rows]


# ---------------------------------------------------------------- sending


def _set_status(
    rt: Runtime,
    reminder_id: str,
    status: ReminderStatus,
    *,
    code: str | None = None,
    message_id: str | None = None,
) -> None:
    with transaction(rt.sessions) as s:
        row = s.get(ReminderRow, reminder_id)
        if row is None:
            return
        row.status = status.value
        row.error_code = code
        row.message_id = message_id or row.message_id
        row.updated_at = rt.clock.now()


def _timeline_note(
    rt: Runtime, *, patient_id: str, ref: str, kind: str, data: dict[str, Any]
) -> None:
    """A reminder on the patient's timeline; a failure is logged, not raised (sent is sent)."""
    actor = _actor()
    try:
        started = timeline.start_interaction(
            rt,
            actor=actor,
            channel=Channel.reminder,
            direction=Direction.outbound,
            patient_id=patient_id,
            external_ref=ref,
        )
        timeline.append_event(rt, actor=actor, interaction_id=started.id, kind=kind, data=data)
        timeline.end_interaction(rt, actor=actor, interaction_id=started.id, status="completed")
    except CarelineError as exc:
        log.warning("timeline entry for %s not written: %s", ref, exc.error_id)


VOICE_REMINDER_PATH = "/telephony/voice/reminder"


def _place_voice_reminder(
    rt: Runtime,
    reminder: ReminderView,
    patient_id: str,
    location_id: str,
    ref: str,
    data: dict[str, Any],
) -> ReminderView:
    """Ask the provider to call; the voice webhook plays the reminder and takes 1/2/3.

    The call's idempotency key is the reminder's, so a retried job never rings twice.
    Without a number to call or a clinic line to call from, the reminder waits as
    `voice_pending` for the front desk.
    """
    patient = patients.get_patient(rt, actor=_actor(), patient_id=patient_id)
    location = directory.get_location(rt, location_id=location_id)
    to = next((p.number for p in patient.phones if p.primary), None) or next(
        (p.number for p in patient.phones), None
    )
    base = (rt.settings.public_base_url or "").rstrip("/")
    if to is None or not location.main_phone:
        _set_status(rt, reminder.id, ReminderStatus.voice_pending, code="no-number")
        _timeline_note(rt, patient_id=patient_id, ref=ref, kind="reminder.voice_pending", data=data)
        return _reload(rt, reminder.id)
    call = OutboundCall(
        to=to,
        from_=location.main_phone,
        url=f"{base}{VOICE_REMINDER_PATH}?reminder={reminder.id}",
        idempotency_key=f"reminder-call:{reminder.id}",
        patient_id=patient_id,
    )
    try:
        lost_since = _hand_off_call(rt, reminder.id)
        receipt = _adopt_call(rt, reminder.id, call, lost_since) if lost_since else None
        if receipt is None:
            receipt = rt.provider.place_call(call)
    except ProviderError as exc:
        _set_status(
            rt, reminder.id, ReminderStatus.voice_pending, code=(exc.code or "provider-error")[:40]
        )
        return _reload(rt, reminder.id)
    with transaction(rt.sessions) as s:
        row = s.get(ReminderRow, reminder.id)
        if row is not None:
            row.call_sid = receipt.provider_id
            row.call_handed_off_at = None
    _set_status(rt, reminder.id, ReminderStatus.sent, code=None)
    _timeline_note(
        rt,
        patient_id=patient_id,
        ref=ref,
        kind="reminder.call_placed",
        data={**data, "provider": receipt.provider},
    )
    return _reload(rt, reminder.id)


def _hand_off_call(rt: Runtime, reminder_id: str) -> datetime | None:
    """Record that the call is being asked for (wall clock: the provider's clock is what
    it is compared with); returns an earlier hand-off whose answer was lost, if any."""
    with transaction(rt.sessions) as s:
        row = s.get(ReminderRow, reminder_id)
        if row is None:
            return None
        earlier = row.call_handed_off_at
        row.call_handed_off_at = earlier or datetime.now(UTC)
        return earlier


def _adopt_call(
    rt: Runtime, reminder_id: str, call: OutboundCall, since: datetime
) -> Receipt | None:
    """The call an earlier, lost try already placed, unless another reminder owns it."""
    for receipt in rt.provider.find_calls(call, since=since):
        with transaction(rt.sessions) as s:
            taken = s.execute(
                select(ReminderRow.id).where(
                    ReminderRow.call_sid == receipt.provider_id, ReminderRow.id != reminder_id
                )
            ).first()
        if taken is None:
            log.info("reminder %s: adopted the call the provider already placed", reminder_id)
            return receipt
    return None


def voice_reminder_script(rt: Runtime, *, reminder_id: str) -> tuple[str, str]:
    """(text, language) the voice edge says when the patient answers a reminder call."""
    with transaction(rt.sessions) as s:
        row = s.get(ReminderRow, reminder_id)
        if row is None:
            raise NoSuchReminder("No reminder has this id.")
        reminder = _view(row)
    appt = scheduling.get_appointment(rt, actor=_actor(), appointment_id=reminder.appointment_id)
    patient = patients.get_patient(rt, actor=_actor(), patient_id=reminder.patient_id)
    location = directory.get_location(rt, location_id=appt.location_id)
    lang = language_of(patient.preferred_language)
    text = voice_script(lang=lang, clinic=location.name, start=appt.start, tz=location.timezone)
    return text, lang


def send_reminder(rt: Runtime, *, reminder_id: str) -> ReminderView:
    """The send job's work: check the appointment still stands, then send (or hand a
    voice reminder to the voice edge)."""
    with transaction(rt.sessions) as s:
        row = s.get(ReminderRow, reminder_id)
        if row is None:
            raise NoSuchReminder("No reminder has this id.")
        if row.status != ReminderStatus.planned.value:
            return _view(row)
        reminder = _view(row)
        caregiver_id = row.caregiver_id
        later = s.execute(
            select(ReminderRow.due_at).where(
                ReminderRow.appointment_id == row.appointment_id,
                ReminderRow.recipient == row.recipient,
                ReminderRow.caregiver_id.is_(None)
                if row.caregiver_id is None
                else ReminderRow.caregiver_id == row.caregiver_id,
                ReminderRow.appointment_start == row.appointment_start,
                ReminderRow.due_at > row.due_at,
                ReminderRow.id != row.id,
            )
        ).scalars()
        late = too_late_to_send(
            now=rt.clock.now(),
            due_at=row.due_at,
            start=row.appointment_start,
            later_steps_due=list(later),
        )
    if late:
        # Issue 11, item 27: a worker back hours late sent the 48 h and the day-of
        # reminder after the visit had started. Recorded once, never sent.
        _set_status(rt, reminder_id, ReminderStatus.void, code="too-late")
        return _reload(rt, reminder_id)
    actor = _actor()
    appt = scheduling.get_appointment(rt, actor=actor, appointment_id=reminder.appointment_id)
    if appt.status not in _ACTIVE or appt.start != reminder.appointment_start:
        _set_status(rt, reminder_id, ReminderStatus.void, code="appointment-changed")
        return _reload(rt, reminder_id)
    ref = f"reminder:{reminder_id}"
    data = {"appointment_id": appt.id, "step": reminder.step, "recipient": reminder.recipient}
    if reminder.channel == "voice":
        return _place_voice_reminder(rt, reminder, appt.patient_id, appt.location_id, ref, data)
    location = directory.get_location(rt, location_id=appt.location_id)
    patient = patients.get_patient(rt, actor=actor, patient_id=appt.patient_id)
    with transaction(rt.sessions) as s:
        plan = pick_plan(
            _plans(s, appt.location_id, appt.appointment_type.code),
            location_id=appt.location_id,
            type_code=appt.appointment_type.code,
        )
    to = None
    if caregiver_id is not None:
        found = [
            c.phone for c in patient.caregivers if c.id == caregiver_id and c.may_receive_messages
        ]
        if not found:
            _set_status(rt, reminder_id, ReminderStatus.void, code="caregiver-removed")
            return _reload(rt, reminder_id)
        to = found[0]
    text = render_reminder(
        plan,
        lang=language_of(patient.preferred_language),
        clinic=location.name,
        start=appt.start,
        tz=location.timezone,
        type_display=appt.appointment_type.display,
    )
    try:
        message = messaging.send_message(
            rt,
            actor=actor,
            patient_id=appt.patient_id,
            body=text.text,
            idempotency_key=ref,
            to=to,
            location_id=location.id,
            recipient_tz=location.timezone,
        )
    except ValidationFailed as exc:
        _set_status(rt, reminder_id, ReminderStatus.refused, code=exc.error_id)
        return _reload(rt, reminder_id)
    if message.status is MessageStatus.undeliverable:
        _set_status(
            rt, reminder_id, ReminderStatus.refused, code=message.error_code, message_id=message.id
        )
    else:
        _set_status(rt, reminder_id, ReminderStatus.sent, message_id=message.id)
        _timeline_note(
            rt,
            patient_id=appt.patient_id,
            ref=ref,
            kind="reminder.sent",
            data={**data, "message_id": message.id, "segments": text.segments.segments},
        )
    return _reload(rt, reminder_id)


def _reload(rt: Runtime, reminder_id: str) -> ReminderView:
    with transaction(rt.sessions) as s:
        row = s.get(ReminderRow, reminder_id)
        if row is None:
            raise NoSuchReminder("No reminder has this id.")
        return _view(row)


# ---------------------------------------------------------------- tasks


def check_answer(rt: Runtime, *, appointment_id: str, start: datetime) -> TaskView | None:
    """The no-answer job: an appointment still unconfirmed at its start gets a task."""
    appt = scheduling.get_appointment(rt, actor=_actor(), appointment_id=appointment_id)
    if appt.status is not AppointmentStatus.booked or appt.start != start:
        return None
    return worklist.create_task(
        rt,
        kind=TaskKind.no_answer,
        patient_id=appt.patient_id,
        appointment_id=appt.id,
        location_id=appt.location_id,
        dedupe_key=f"noanswer:{appt.id}:{_epoch(start)}",
    )


# ---------------------------------------------------------------- replies


def _pending_appointment(rt: Runtime, patient_ids: list[str]) -> AppointmentView | None:
    """The soonest upcoming, still active appointment the sender was reminded of."""
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(ReminderRow.appointment_id, ReminderRow.appointment_start)
            .where(
                ReminderRow.patient_id.in_(patient_ids),
                ReminderRow.status.in_(_SENT),
                ReminderRow.appointment_start > now,
            )
            .order_by(ReminderRow.appointment_start)
            .distinct()
        ).all()
    for appointment_id, start in rows:
        appt = scheduling.get_appointment(rt, actor=_actor(), appointment_id=appointment_id)
        if appt.status in _ACTIVE and appt.start == start:
            return appt
    return None


@dataclass(frozen=True)
class ReplyOutcome:
    action: ReplyAction
    answer: str | None
    appointment_id: str | None


def _said(lang: str, key: str, clinic: str, appt: AppointmentView, tz: str) -> str:
    day, clock = local_date_time(appt.start, tz, lang)
    return render(lang, key, clinic=clinic, date=day, time=clock).text


def act_on_reply(
    rt: Runtime,
    *,
    action: ReplyAction,
    patient_id: str,
    appt: AppointmentView | None,
    lang: str,
    channel: str,
) -> ReplyOutcome:
    """Do what a reminder reply asks for an appointment (confirm, reschedule, cancel)."""
    actor = _actor()
    if appt is None:
        loc_name = "careline"
        return ReplyOutcome(action, render(lang, "nothing", clinic=loc_name).text, None)
    location = directory.get_location(rt, location_id=appt.location_id)
    clinic, tz = location.name, location.timezone
    if action is ReplyAction.confirm:
        if appt.status is AppointmentStatus.booked:
            via = ConfirmedVia.reminder_text if channel == "sms" else ConfirmedVia.reminder_call
            appt = scheduling.confirm(rt, actor=actor, appointment_id=appt.id, via=via)
        text = _said(lang, "confirmed", clinic, appt, tz)
    elif action is ReplyAction.cancel:
        scheduling.cancel(rt, actor=actor, appointment_id=appt.id, reason=CancelReason.patient)
        void_reminders(rt, appointment_id=appt.id)
        text = _said(lang, "cancelled", clinic, appt, tz)
    else:  # reschedule
        worklist.create_task(
            rt,
            kind=TaskKind.reschedule_request,
            patient_id=patient_id,
            appointment_id=appt.id,
            location_id=appt.location_id,
            dedupe_key=f"reschedule:{appt.id}:{_epoch(appt.start)}:{channel}",
        )
        now = rt.clock.now()
        slots = scheduling.free_slots(
            rt,
            location_id=appt.location_id,
            appointment_type=appt.appointment_type.code,
            window_start=now + timedelta(hours=2),
            window_end=appt.start + timedelta(days=14),
            limit=OPTIONS_MAX,
        )
        options = ""
        if slots:
            shown = ", ".join(" ".join(local_date_time(sl.start, tz, lang)) for sl in slots)
            options = TEMPLATES.get(lang, TEMPLATES["en"])["options"].format(slots=shown)
        text = render(lang, "reschedule", clinic=clinic, options=options).text
    return ReplyOutcome(action, text, appt.id)


def _claim_sid(rt: Runtime, sid: str) -> tuple[bool, str | None]:
    """Take a provider message id (True), or return the answer already given to it."""
    now = rt.clock.now()
    try:
        with phi_transaction(rt) as s:
            s.add(ReplyRow(message_sid=sid, channel="sms", action="processing", received_at=now))
            s.flush()
            return True, None
    except IntegrityError:
        with phi_transaction(rt) as s:
            row = s.execute(select(ReplyRow).where(ReplyRow.message_sid == sid)).scalar_one()
            return False, row.answer


def handle_inbound_sms(
    rt: Runtime, *, message_sid: str, from_: str, body: str, to: str | None = None
) -> str | None:
    """Read one inbound text and act on it; returns the answer to text back (None: none).

    A provider's retry (same MessageSid) acts once and gets the same answer. Order:
    triage first (`careline.triage.service.triage`): words with clinical content get the
    clinical answer and task (`_clinical`) and are not read as keywords, except that an
    opt-out word is still honoured. Everything else as before: carrier keywords
    (STOP/START/HELP, and the CANCEL rule, see `interpret_reply`) first, for compliance;
    then the handlers other capabilities registered in `careline.messaging.replies`;
    then our own reading of a reminder reply. `to` is the number texted: a clinic's
    number tells whose clinical team an unknown sender's emergency goes to.
    """
    fresh, previous = _claim_sid(rt, message_sid)
    if not fresh:
        return previous
    try:
        outcome = _handle(rt, sid=message_sid, from_=from_, to=to, body=body)
    except Exception:
        with transaction(rt.sessions) as s:  # let the provider's retry try again
            s.execute(delete(ReplyRow).where(ReplyRow.message_sid == message_sid))
        raise
    return outcome


def _clinic_of_number(rt: Runtime, number: str | None) -> LocationView | None:
    """The clinic a number belongs to: its main phone, or the location its flow answers
    for; None for a network number (bound without a location) or one we do not know."""
    if not number or not is_e164(number):
        return None
    found = directory.location_for_number(rt, number=number)
    if found is not None:
        return found
    try:
        binding = flows.flow_for_number(rt, number=number).binding
    except CarelineError:
        return None
    if binding.location_id is None:
        return None
    return directory.get_location(rt, location_id=binding.location_id)


#: How far back a reply may answer careline's last text to a shared number.
CONVERSATION_WINDOW = timedelta(days=14)


def _who_wrote(rt: Runtime, number: str, now: datetime) -> tuple[list[str], list[str]]:
    """(the patient a text is from — one id or none, everyone the number belongs to).

    A number several patients share (a household, a caregiver) is never "the first
    match": the text answers the conversation careline last had with that number
    (the patient its last text was about), or it is nobody's until a person decides.
    """
    if not is_e164(number):
        return [], []
    everyone = list(dict.fromkeys(patients.match_caller(rt, phone_e164=number)))
    if len(everyone) <= 1:
        return everyone, everyone
    last = messaging.last_sent_to(rt, number=number, since=now - CONVERSATION_WINDOW)
    if last is not None and last.patient_id in everyone:
        return [last.patient_id], everyone
    return [], everyone


def _handle(rt: Runtime, *, sid: str, from_: str, to: str | None, body: str) -> str | None:
    now = rt.clock.now()
    actor = _actor()
    ids, everyone = _who_wrote(rt, from_, now)
    shared = not ids and len(everyone) > 1
    patient = patients.get_patient(rt, actor=actor, patient_id=ids[0]) if ids else None
    lang = language_of(patient.preferred_language) if patient else "en"
    found = triage(body, lang if patient else None)
    opted_out = patient is not None and patient.sms_consent is SmsConsent.opted_out
    appt = _pending_appointment(rt, ids) if ids else None
    action = interpret_reply(body, opted_out=opted_out, has_pending_appointment=appt is not None)
    clinic = "careline"
    location: LocationView | None = None
    if appt is not None:
        location = directory.get_location(rt, location_id=appt.location_id)
    elif patient is not None and patient.home_location_id is not None:
        location = directory.get_location(rt, location_id=patient.home_location_id)
    reading = None
    if not is_keyword_reply(body):
        reading = clinical_reading(
            urgency=found.urgency.value,
            intent=found.intent.value,
            guidance=found.guidance.value if found.guidance is not None else None,
        )
    if location is None and reading is not None:
        location = _clinic_of_number(rt, to)
    if location is not None:
        clinic = location.name
    answer: str | None
    appointment_id = appt.id if appt else None
    heard = {"urgency": found.urgency.value, "intent": found.intent.value}
    if reading is not None:
        answer = _clinical(
            rt,
            sid=sid,
            from_=from_,
            body=body,
            reading=reading,
            heard={**heard, "guidance": found.guidance.value if found.guidance else None},
            patient_ids=ids,
            consent_ids=everyone,
            candidates=everyone if shared else [],
            appointment_id=appointment_id,
            location_id=location.id if location else None,
            keyword=action,
            opted_out=opted_out,
            # a stranger is answered in the language they wrote in
            lang=lang if patient else language_of(found.language),
            clinic=clinic,
        )
        _store_reply(
            rt,
            sid=sid,
            patient_id=ids[0] if ids else None,
            appointment_id=appointment_id,
            action=ReplyAction.clinical,
            answer=answer,
        )
        return answer
    # STOP and START are about the number: every patient texted on it.
    if action is ReplyAction.opt_out:
        for pid in everyone:
            patients.set_sms_consent(
                rt, actor=actor, patient_id=pid, consent=SmsConsent.opted_out, source="sms-keyword"
            )
        answer = render(lang, "stopped", clinic=clinic).text
    elif action is ReplyAction.opt_in:
        for pid in everyone:
            patients.set_sms_consent(
                rt, actor=actor, patient_id=pid, consent=SmsConsent.opted_in, source="sms-keyword"
            )
        answer = render(lang, "started", clinic=clinic).text
    elif action is ReplyAction.help:
        answer = render(lang, "help", clinic=clinic).text
    elif shared:
        # Several patients, and the text answers nothing careline asked: act on nothing
        # and let a person decide who wrote.
        home = _clinic_of_number(rt, to)
        lang = language_of(found.language)
        answer = render(lang, "which_patient", clinic=home.name if home else clinic).text
        kept = _open_sms_interaction(
            rt,
            sid=sid,
            patient_id=None,
            location_id=home.id if home else None,
            body=body,
            data={"action": "which_patient", "candidates": len(everyone)},
        )
        worklist.create_task(
            rt,
            kind=TaskKind.which_patient,
            patient_id=None,
            appointment_id=None,
            location_id=home.id if home else None,
            dedupe_key=f"reply:{sid}",
            candidates=everyone,
            interaction_id=kept.id if kept else None,
        )
        if kept is not None:
            _keep_unattached_text(
                rt,
                kept,
                kind="sms.shared_number",
                note=f"Several patients use {from_}: attach this text to the one who wrote.",
                answer=answer,
            )
    elif patient is None:
        # An unknown number writing words: nothing to act on, but the text is kept,
        # unattached, for the clinic it was sent to (the inbox lists it; staff attach it).
        answer = None
        home = _clinic_of_number(rt, to)
        kept = _open_sms_interaction(
            rt,
            sid=sid,
            patient_id=None,
            location_id=home.id if home else None,
            body=body,
            data={"action": "unknown_sender"},
        )
        if kept is not None:
            _keep_unattached_text(
                rt,
                kept,
                kind="sms.unknown_sender",
                note=f"Texted from {from_}, a number careline does not know: attach this "
                "text to the patient who wrote it.",
                answer=None,
            )
    elif opted_out:
        answer = None  # no texts to someone who opted out, except the keyword answers
    else:
        consumed = replies.offer(rt, patient_id=patient.id, text=body, at=now)
        if consumed is not None:
            action, answer = ReplyAction.none, consumed
            appointment_id = None
        elif action is ReplyAction.none:
            worklist.create_task(
                rt,
                kind=TaskKind.reply_needs_staff,
                patient_id=patient.id,
                appointment_id=appointment_id,
                location_id=appt.location_id if appt else patient.home_location_id,
                dedupe_key=f"reply:{sid}",
            )
            answer = render(lang, "unknown", clinic=clinic).text
        else:
            outcome = act_on_reply(
                rt, action=action, patient_id=patient.id, appt=appt, lang=lang, channel="sms"
            )
            answer = outcome.answer
            if appt is None:
                answer = render(lang, "nothing", clinic=clinic).text
    _store_reply(
        rt,
        sid=sid,
        patient_id=patient.id if patient else None,
        appointment_id=appointment_id,
        action=action,
        answer=answer,
    )
    if patient is not None:
        _reply_timeline(
            rt,
            patient_id=patient.id,
            sid=sid,
            body=body,
            answer=answer,
            data={"action": action.value, "appointment_id": appointment_id, **heard},
        )
    return answer


def _store_reply(
    rt: Runtime,
    *,
    sid: str,
    patient_id: str | None,
    appointment_id: str | None,
    action: ReplyAction,
    answer: str | None,
) -> None:
    """The claimed reply row takes what was done and the answer a retry will get."""
    with phi_transaction(rt) as s:
        row = s.execute(select(ReplyRow).where(ReplyRow.message_sid == sid)).scalar_one()
        row.patient_id = patient_id
        row.appointment_id = appointment_id
        row.action = action.value
        row.answer = answer
        audit.record(
            s,
            clock=rt.clock,
            actor=_actor(),
            action="reminder.reply",
            resource_type="reply",
            resource_id=row.id,
            patient_id=row.patient_id,
            details={"action": action.value, "channel": "sms"},
        )


def _clinical(
    rt: Runtime,
    *,
    sid: str,
    from_: str,
    body: str,
    reading: ClinicalReading,
    heard: dict[str, str | None],
    patient_ids: list[str],
    consent_ids: list[str],
    candidates: list[str],
    appointment_id: str | None,
    location_id: str | None,
    keyword: ReplyAction,
    opted_out: bool,
    lang: str,
    clinic: str,
) -> str | None:
    """A text with clinical content: a task for the clinical team (once per message), an
    alert on the sender's timeline, and the answer (911/988 guidance, or that a nurse
    will call or the care team will read it).

    Nothing else in the text is acted on (no confirmation, no waitlist YES): one clear
    answer, and the clinician who calls back can confirm. An opt-out word is the
    exception: revoking consent is honoured whatever else the text says. The 911/988
    answer goes even to someone who opted out (a safety message is not marketing);
    other answers follow consent, and after an opt-out only its confirmation follows.
    """
    actor = _actor()
    stopping = keyword is ReplyAction.opt_out
    if stopping:
        for pid in consent_ids:
            patients.set_sms_consent(
                rt, actor=actor, patient_id=pid, consent=SmsConsent.opted_out, source="sms-keyword"
            )
    parts: list[str] = []
    if reading.safety or not (opted_out or stopping):
        parts.append(render(lang, reading.template, clinic=clinic).text)
    if stopping:
        parts.append(render(lang, "stopped", clinic=clinic).text)
    answer = " ".join(parts) or None
    patient_id = patient_ids[0] if patient_ids else None
    interaction = _open_sms_interaction(
        rt,
        sid=sid,
        patient_id=patient_id,
        location_id=location_id,
        body=body,
        data={
            "action": ReplyAction.clinical.value,
            "keyword": keyword.value,
            "appointment_id": appointment_id,
            "urgency": heard["urgency"],
            "intent": heard["intent"],
        },
    )
    task = worklist.create_task(
        rt,
        kind=reading.task,
        urgency=reading.urgency,
        patient_id=patient_id,
        appointment_id=appointment_id,
        location_id=location_id,
        interaction_id=interaction.id if interaction else None,
        dedupe_key=f"triage:{sid}",
        candidates=candidates,
    )
    alert = {
        **heard,
        "task_id": task.id,
        "task_kind": task.kind.value,
        "task_urgency": task.urgency.value,
        "location_id": location_id,
        "known_sender": patient_id is not None,
        "answered": answer is not None,
    }
    _close_sms_interaction(
        rt,
        interaction,
        alert=alert,
        call_back=from_ if is_e164(from_) else None,
        answer=answer,
    )
    return answer


def _open_sms_interaction(
    rt: Runtime,
    *,
    sid: str,
    patient_id: str | None,
    location_id: str | None,
    body: str,
    data: dict[str, Any],
) -> InteractionView | None:
    """The text's interaction with its words (encrypted), found again on a retry after a
    crash so a message has one; a failure is logged (the task and answer still go)."""
    actor = _actor()
    ref = f"sms:{sid}"
    try:
        found = timeline.find_by_external_ref(
            rt, actor=actor, external_ref=ref, channel=Channel.sms
        )
        if found is None:
            found = timeline.start_interaction(
                rt,
                actor=actor,
                channel=Channel.sms,
                direction=Direction.inbound,
                patient_id=patient_id,
                location_id=location_id,
                external_ref=ref,
            )
        if not any(e.kind == "sms.received" for e in found.events):
            timeline.append_event(
                rt,
                actor=actor,
                interaction_id=found.id,
                kind="sms.received",
                text=body if body.strip() else None,
                data=data,
            )
        return found
    except CarelineError as exc:
        log.warning("timeline entry for an inbound text not written: %s", exc.error_id)
        return None


def _close_sms_interaction(
    rt: Runtime,
    interaction: InteractionView | None,
    *,
    alert: dict[str, Any],
    call_back: str | None,
    answer: str | None,
) -> None:
    """The alert a screen picks up (`triage.alert`, with the urgency), the answer, and
    the end of the interaction; each written once even across retries."""
    if interaction is None:
        return
    actor = _actor()
    kinds = {e.kind for e in interaction.events}
    try:
        if ALERT_EVENT not in kinds:
            timeline.append_event(
                rt,
                actor=actor,
                interaction_id=interaction.id,
                kind=ALERT_EVENT,
                data=alert,
                text=f"Call back at {call_back}" if call_back else None,
            )
        if answer is not None and "sms.answered" not in kinds:
            timeline.append_event(
                rt, actor=actor, interaction_id=interaction.id, kind="sms.answered", text=answer
            )
        if interaction.ended_at is None:
            timeline.end_interaction(
                rt, actor=actor, interaction_id=interaction.id, status="completed"
            )
    except CarelineError as exc:
        log.warning("triage alert for an inbound text not written: %s", exc.error_id)


def _keep_unattached_text(
    rt: Runtime, interaction: InteractionView, *, kind: str, note: str, answer: str | None
) -> None:
    """A text careline could not put on one patient's timeline (a shared number, an
    unknown one), kept for staff: who wrote (in the encrypted note), what careline said."""
    actor = _actor()
    kinds = {e.kind for e in interaction.events}
    try:
        if kind not in kinds:
            timeline.append_event(
                rt, actor=actor, interaction_id=interaction.id, kind=kind, data={}, text=note
            )
        if answer is not None and "sms.answered" not in kinds:
            timeline.append_event(
                rt, actor=actor, interaction_id=interaction.id, kind="sms.answered", text=answer
            )
        if interaction.ended_at is None:
            timeline.end_interaction(
                rt, actor=actor, interaction_id=interaction.id, status="completed"
            )
    except CarelineError as exc:
        log.warning("a shared number's text was not kept: %s", exc.error_id)


def _reply_timeline(
    rt: Runtime,
    *,
    patient_id: str,
    sid: str,
    body: str,
    answer: str | None,
    data: dict[str, Any],
) -> None:
    actor = _actor()
    try:
        started = timeline.start_interaction(
            rt,
            actor=actor,
            channel=Channel.sms,
            direction=Direction.inbound,
            patient_id=patient_id,
            external_ref=f"sms:{sid}",
        )
        timeline.append_event(
            rt,
            actor=actor,
            interaction_id=started.id,
            kind="sms.received",
            text=body,
            data=data,
        )
        if answer is not None:
            timeline.append_event(
                rt, actor=actor, interaction_id=started.id, kind="sms.answered", text=answer
            )
        timeline.end_interaction(rt, actor=actor, interaction_id=started.id, status="completed")
    except CarelineError as exc:
        log.warning("timeline entry for an inbound text not written: %s", exc.error_id)


def handle_voice_reminder_input(rt: Runtime, *, reminder_id: str, digits: str) -> ReplyOutcome:
    """A keypad answer to a voice reminder (1 confirm, 2 reschedule, 3 cancel); the voice
    webhook speaks `answer` back."""
    with transaction(rt.sessions) as s:
        row = s.get(ReminderRow, reminder_id)
        if row is None:
            raise NoSuchReminder("No reminder has this id.")
        reminder = _view(row)
    action = voice_digit_action(digits)
    patient = patients.get_patient(rt, actor=_actor(), patient_id=reminder.patient_id)
    lang = language_of(patient.preferred_language)
    appt = scheduling.get_appointment(rt, actor=_actor(), appointment_id=reminder.appointment_id)
    if action is ReplyAction.none:
        clinic = directory.get_location(rt, location_id=appt.location_id).name
        outcome = ReplyOutcome(action, render(lang, "unknown", clinic=clinic).text, appt.id)
    elif appt.status not in _ACTIVE or appt.start != reminder.appointment_start:
        outcome = act_on_reply(
            rt, action=action, patient_id=patient.id, appt=None, lang=lang, channel="voice"
        )
    else:
        outcome = act_on_reply(
            rt, action=action, patient_id=patient.id, appt=appt, lang=lang, channel="voice"
        )
    with transaction(rt.sessions) as s:
        reply = ReplyRow(
            message_sid=None,
            channel="voice",
            patient_id=patient.id,
            appointment_id=outcome.appointment_id,
            action=outcome.action.value,
            answer=outcome.answer,
            received_at=rt.clock.now(),
        )
        s.add(reply)
        s.flush()
        audit.record(
            s,
            clock=rt.clock,
            actor=_actor(),
            action="reminder.reply",
            resource_type="reply",
            resource_id=reply.id,
            patient_id=patient.id,
            details={"action": outcome.action.value, "channel": "voice"},
        )
    return outcome


# ---------------------------------------------------------------- reports


def reminder_report(
    rt: Runtime, *, actor: Actor, start: datetime, end: datetime
) -> list[ReportRow]:
    """Per location and appointment type, for appointments with reminders starting in
    [start, end): reminders sent / delivered, confirmations, cancellations, no-shows."""
    if start.tzinfo is None or end.tzinfo is None or end <= start:
        _fail([FieldProblem("to", "must be a time-zone-aware instant after 'from'")])
    with transaction(rt.sessions) as s:
        rows = list(
            s.execute(
                select(ReminderRow).where(
                    ReminderRow.appointment_start >= start, ReminderRow.appointment_start < end
                )
            ).scalars()
        )
        confirmed_ids = {
            a
            for (a,) in s.execute(
                select(ReplyRow.appointment_id).where(ReplyRow.action == ReplyAction.confirm.value)
            ).all()
            if a is not None
        }
        reminders = [_view(r) for r in rows]
    groups: dict[tuple[str, str], _Group] = {}
    status_of: dict[str, AppointmentStatus] = {}
    for r in reminders:
        if not actor.can(Permission.patients_read, r.location_id):
            continue
        g = groups.setdefault((r.location_id, r.type_code), _Group())
        g.appointments.add(r.appointment_id)
        if r.status in (ReminderStatus.sent, ReminderStatus.voice_pending):
            g.sent += 1
            if r.message_id is not None:
                message = messaging.get_message(rt, actor=_actor(), message_id=r.message_id)
                if message.status is MessageStatus.delivered:
                    g.delivered += 1
        if r.appointment_id not in status_of:
            status_of[r.appointment_id] = scheduling.get_appointment(
                rt, actor=_actor(), appointment_id=r.appointment_id
            ).status
    out: list[ReportRow] = []
    for (location_id, type_code), g in sorted(groups.items()):
        statuses = [status_of[a] for a in g.appointments]
        noshow = statuses.count(AppointmentStatus.noshow)
        attended = statuses.count(AppointmentStatus.fulfilled) + statuses.count(
            AppointmentStatus.arrived
        )
        confirmed = {
            a
            for a in g.appointments
            if a in confirmed_ids or status_of[a] is AppointmentStatus.confirmed
        }
        out.append(
            ReportRow(
                location_id=location_id,
                type_code=type_code,
                appointments=len(g.appointments),
                reminders_sent=g.sent,
                reminders_delivered=g.delivered,
                confirmed=len(confirmed),
                cancelled=statuses.count(AppointmentStatus.cancelled),
                noshow=noshow,
                noshow_rate=round(noshow / (noshow + attended), 4) if noshow + attended else 0.0,
            )
        )
    return out


@dataclass
class _Group:
    appointments: set[str] = field(default_factory=set)
    sent: int = 0
    delivered: int = 0


# ---------------------------------------------------------------- job kinds


def _payload_str(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value:
        raise PermanentFailure("bad-payload")
    return value


def send_job(rt: Runtime, payload: dict[str, Any]) -> None:
    send_reminder(rt, reminder_id=_payload_str(payload, "reminder_id"))


def no_answer_job(rt: Runtime, payload: dict[str, Any]) -> None:
    start = datetime.fromisoformat(_payload_str(payload, "start"))
    check_answer(rt, appointment_id=_payload_str(payload, "appointment_id"), start=start)


def sweep_job(rt: Runtime, payload: dict[str, Any]) -> None:
    """Plan upcoming appointments, then schedule the next sweep."""
    hours = payload.get("horizon_hours", int(DEFAULT_HORIZON.total_seconds() // 3600))
    if not isinstance(hours, int) or not 1 <= hours <= 24 * 30:
        raise PermanentFailure("bad-payload")
    plan_upcoming(rt, horizon=timedelta(hours=hours))
    start_sweep(rt, at=rt.clock.now() + SWEEP_EVERY)


# ---------------------------------------------------------------- refused messages

#: The provider's code for a number texts cannot reach (see `careline.providers`).
UNREACHABLE = "unreachable"


def on_message_refused(rt: Runtime, *, patient_id: str, message_id: str, code: str) -> None:
    """The carrier refused a text for good. For an unreachable number (a landline, a
    dead number): the patient's reminders fall back to voice, and the front desk gets
    a task to check the number. Wired by `bootstrap`; once per refused message."""
    if code != UNREACHABLE:
        return
    actor = _actor()
    patient = patients.get_patient(rt, actor=actor, patient_id=patient_id)
    if patient.preferred_channel is PreferredChannel.sms:
        patients.update_patient(
            rt,
            actor=actor,
            patient_id=patient_id,
            changes=PatientUpdate(preferred_channel=PreferredChannel.voice),
        )
    worklist.create_task(
        rt,
        kind=TaskKind.number_unreachable,
        patient_id=patient_id,
        appointment_id=None,
        location_id=patient.home_location_id,
        dedupe_key=f"number-unreachable:{message_id}",
    )
