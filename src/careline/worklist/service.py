"""Worklist use cases: file a task (once per dedupe key), list them in working order,
claim and release one, resolve it with a note, and read what is needed to act on it.

Every write checks the task's clinic against the actor's scope: a task of another
clinic is "no such task" (404), as if it did not exist. Every change is published to
the screens (`events`, kind "task") when its transaction commits.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from sqlalchemy import select
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
from careline.directory.model import Calendar
from careline.events import service as events
from careline.patients import service as patients
from careline.runtime import Runtime
from careline.scheduling import service as scheduling
from careline.security import audit
from careline.security import service as security
from careline.security.model import Actor, Permission, system_actor
from careline.security.service import phi_transaction
from careline.timeline import service as timeline
from careline.timeline.model import EventView, InteractionView
from careline.worklist.model import (
    ClaimOutcome,
    TaskAppointment,
    TaskDetail,
    TaskKind,
    TaskUrgency,
    TaskView,
    claim_outcome,
    due_at,
    may_act,
    more_urgent,
    sort_key,
    task_urgency,
)
from careline.worklist.tables import FrontDeskTaskRow

TaskFilter = Literal["all", "mine", "unclaimed"]


class NoSuchTask(NotFound):
    error_id = "no-such-task"


class TaskClaimed(Conflict):
    """Someone else holds the task; the problem names them (a colleague's name is not PHI)."""

    error_id = "task-claimed"


class TaskAlreadyDone(Conflict):
    error_id = "task-done"


class ClaimNeedsUser(Forbidden):
    error_id = "claim-needs-user"


def _actor() -> Actor:
    return system_actor("worklist")


def _calendar(s: Session, location_id: str | None) -> Calendar | None:
    if location_id is None:
        return None
    try:
        return directory.location_calendar(s, location_id)
    except NotFound:
        return None


def _due(row: FrontDeskTaskRow) -> datetime:
    """The stored due time; for a task filed before due times existed, its urgency's
    rule without a calendar (so an old routine task is due 8 hours after it came)."""
    if row.due_at is not None:
        return row.due_at
    return due_at(TaskUrgency(row.urgency), since=row.created_at, calendar=None)


def _view(row: FrontDeskTaskRow) -> TaskView:
    return TaskView(
        id=row.id,
        kind=TaskKind(row.kind),
        urgency=TaskUrgency(row.urgency),
        patient_id=row.patient_id,
        appointment_id=row.appointment_id,
        location_id=row.location_id,
        interaction_id=row.interaction_id,
        status="done" if row.status == "done" else "open",
        created_at=row.created_at,
        done_at=row.done_at,
        candidates=row.candidates.split(",") if row.candidates else [],
        due_at=_due(row),
        claimed_by_user_id=row.claimed_by_user_id,
        claimed_by_name=row.claimed_by_name,
        claimed_at=row.claimed_at,
        done_by_name=row.done_by_name,
    )


def _publish(s: Session, row: FrontDeskTaskRow) -> None:
    events.publish_in(
        s,
        kind="task",
        permission=Permission.patients_read,
        location_id=row.location_id,
        ids={"task_id": row.id},
    )


def _in_scope(actor: Actor, row: FrontDeskTaskRow, permission: Permission) -> bool:
    return actor.can(permission, row.location_id)


def _task(
    s: Session, actor: Actor, task_id: str, permission: Permission, *, lock: bool = False
) -> FrontDeskTaskRow:
    stmt = select(FrontDeskTaskRow).where(FrontDeskTaskRow.id == task_id)
    if lock:
        stmt = stmt.with_for_update()
    row = s.execute(stmt).scalar_one_or_none()
    if row is None or not _in_scope(actor, row, permission):
        raise NoSuchTask("No task has this id.")
    return row


# ---------------------------------------------------------------- filing


def create_task(
    rt: Runtime,
    *,
    kind: TaskKind,
    patient_id: str | None,
    appointment_id: str | None,
    location_id: str | None,
    dedupe_key: str | None = None,
    escalate: bool = False,
    urgency: TaskUrgency | None = None,
    interaction_id: str | None = None,
    candidates: list[str] | None = None,
) -> TaskView:
    """A task for the front desk (once per `dedupe_key`). With `escalate`, a task
    already there under the key takes `kind` (e.g. a voicemail whose transcript
    turned out urgent) and the more urgent of the two urgencies, so the desk sees one
    task, marked for what it is; its due time moves up to the new urgency's, counted
    from now. `urgency` defaults to the kind's (`task_urgency`)."""
    now = rt.clock.now()
    level = task_urgency(kind, urgency)
    try:
        with transaction(rt.sessions) as s:
            if dedupe_key is not None:
                found = s.execute(
                    select(FrontDeskTaskRow)
                    .where(FrontDeskTaskRow.dedupe_key == dedupe_key)
                    .with_for_update()
                ).scalar_one_or_none()
                if found is not None:
                    if escalate and found.kind != kind.value and found.status == "open":
                        audit.record(
                            s,
                            clock=rt.clock,
                            actor=_actor(),
                            action="task.escalate",
                            resource_type="task",
                            resource_id=found.id,
                            patient_id=found.patient_id,
                            details={"from": found.kind, "to": kind.value},
                        )
                        found.kind = kind.value
                        found.urgency = more_urgent(TaskUrgency(found.urgency), level).value
                        sooner = due_at(
                            TaskUrgency(found.urgency),
                            since=now,
                            calendar=_calendar(s, found.location_id),
                        )
                        found.due_at = min(_due(found), sooner)
                        if interaction_id and not found.interaction_id:
                            found.interaction_id = interaction_id
                        _publish(s, found)
                    return _view(found)
            row = FrontDeskTaskRow(
                dedupe_key=dedupe_key,
                kind=kind.value,
                urgency=level.value,
                patient_id=patient_id,
                appointment_id=appointment_id,
                location_id=location_id,
                interaction_id=interaction_id,
                candidates=",".join(candidates[:10]) if candidates else None,
                status="open",
                created_at=now,
                due_at=due_at(level, since=now, calendar=_calendar(s, location_id)),
            )
            s.add(row)
            s.flush()
            audit.record(
                s,
                clock=rt.clock,
                actor=_actor(),
                action="task.create",
                resource_type="task",
                resource_id=row.id,
                patient_id=patient_id,
                details={"kind": kind.value, "urgency": level.value},
            )
            _publish(s, row)
            return _view(row)
    except IntegrityError:
        with transaction(rt.sessions) as s:
            again = s.execute(
                select(FrontDeskTaskRow).where(FrontDeskTaskRow.dedupe_key == dedupe_key)
            ).scalar_one()
            return _view(again)


# ---------------------------------------------------------------- reading


def list_tasks(
    rt: Runtime,
    *,
    actor: Actor,
    limit: int,
    offset: int,
    status: str | None = "open",
    location_id: str | None = None,
    view: TaskFilter = "all",
    patient_id: str | None = None,
) -> tuple[list[TaskView], int]:
    """Tasks in working order: most urgent first (emergency, urgent, routine), then the
    soonest due, then the oldest; those of clinics outside the actor's scope are left
    out. `view`: "mine" (claimed by the actor), "unclaimed", or "all"; `patient_id`:
    one patient's (the call card)."""
    with transaction(rt.sessions) as s:
        stmt = select(FrontDeskTaskRow)
        if status is not None:
            stmt = stmt.where(FrontDeskTaskRow.status == status)
        if location_id is not None:
            stmt = stmt.where(FrontDeskTaskRow.location_id == location_id)
        if patient_id is not None:
            stmt = stmt.where(FrontDeskTaskRow.patient_id == patient_id)
        if view == "mine":
            stmt = stmt.where(FrontDeskTaskRow.claimed_by_user_id == (actor.user_id or ""))
        elif view == "unclaimed":
            stmt = stmt.where(FrontDeskTaskRow.claimed_by_user_id.is_(None))
        rows = [
            r
            for r in s.execute(stmt).scalars()
            if r.location_id is None or actor.can(Permission.patients_read, r.location_id)
        ]
        rows.sort(key=lambda r: sort_key(TaskUrgency(r.urgency), _due(r), r.created_at, r.id))
        page = rows[offset : offset + limit]
        for r in page:
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="task.read",
                resource_type="task",
                resource_id=r.id,
                patient_id=r.patient_id,
            )
        return [_view(r) for r in page], len(rows)


def tasks_created_in(
    s: Session, *, kinds: frozenset[TaskKind], location_ids: list[str], since: datetime
) -> list[tuple[str, TaskKind, datetime]]:
    """For figures (the supervisor wall), inside the caller's transaction: (clinic, kind,
    created at) of the tasks of `kinds` filed at `location_ids` since `since`. Opaque
    ids and times only: nothing here is audited PHI."""
    rows = s.execute(
        select(
            FrontDeskTaskRow.location_id, FrontDeskTaskRow.kind, FrontDeskTaskRow.created_at
        ).where(
            FrontDeskTaskRow.kind.in_([k.value for k in kinds]),
            FrontDeskTaskRow.location_id.in_(list(location_ids)),
            FrontDeskTaskRow.created_at >= since,
        )
    ).all()
    return [(loc, TaskKind(kind), at) for loc, kind, at in rows if loc is not None]


def get_task(rt: Runtime, *, actor: Actor, task_id: str) -> TaskView:
    with transaction(rt.sessions) as s:
        row = _task(s, actor, task_id, Permission.patients_read)
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="task.read",
            resource_type="task",
            resource_id=row.id,
            patient_id=row.patient_id,
        )
        return _view(row)


_E164 = re.compile(r"\+\d{8,15}")
#: Timeline events in which careline wrote down (encrypted) the number to call back.
_NUMBER_EVENTS = ("callback.queued", "triage.alert", "sms.shared_number", "sms.unknown_sender")


def _events(interaction: InteractionView | None) -> list[EventView]:
    return interaction.events if interaction else []


def _number_in(interaction: InteractionView | None) -> str | None:
    for event in _events(interaction):
        if event.kind in _NUMBER_EVENTS and event.text:
            found = _E164.search(event.text)
            if found:
                return found.group(0)
    return None


def _words(interaction: InteractionView | None, *kinds: str) -> str | None:
    """The newest text of an event of one of `kinds` (in the order given)."""
    for kind in kinds:
        for event in reversed(_events(interaction)):
            if event.kind == kind and event.text:
                return event.text
    return None


def _appointment(rt: Runtime, actor: Actor, appointment_id: str) -> TaskAppointment | None:
    try:
        appt = scheduling.get_appointment(rt, actor=actor, appointment_id=appointment_id)
    except (NotFound, Forbidden):
        return None
    try:
        provider: str | None = directory.get_staff(rt, staff_id=appt.staff_id).display_name
    except NotFound:
        provider = None
    return TaskAppointment(
        id=appt.id,
        start=appt.start,
        end=appt.end,
        status=appt.status.value,
        type_display=appt.appointment_type.display,
        provider_id=appt.staff_id,
        provider_name=provider,
    )


def task_detail(rt: Runtime, *, actor: Actor, task_id: str) -> TaskDetail:
    """What is needed to act: the number to call back (the caller's, from the task's
    interaction, else the patient's), the voicemail's transcript or the text's words,
    whether a recording exists, and the linked appointment. Each PHI read is audited
    by the capability that holds it (patient, interaction, appointment), and the whole
    by `task.detail`."""
    with transaction(rt.sessions) as s:
        task = _view(_task(s, actor, task_id, Permission.patients_read))
    interaction: InteractionView | None = None
    if task.interaction_id:
        try:
            interaction = timeline.get_interaction(
                rt, actor=actor, interaction_id=task.interaction_id
            )
        except (NotFound, Forbidden):
            interaction = None
    number = _number_in(interaction)
    source: Literal["interaction", "patient"] | None = "interaction" if number else None
    patient_id = task.patient_id or (interaction.patient_id if interaction else None)
    if number is None and patient_id:
        try:
            patient = patients.get_patient(rt, actor=actor, patient_id=patient_id)
        except (NotFound, Forbidden):
            patient = None
        phones = sorted(
            patient.phones if patient else [], key=lambda p: (not p.primary, not p.sms_capable)
        )
        if phones:
            number, source = phones[0].number, "patient"
    appointment = _appointment(rt, actor, task.appointment_id) if task.appointment_id else None
    detail = TaskDetail(
        **task.model_dump(),
        caller_number=number,
        number_source=source,
        transcript=_words(interaction, "voicemail.transcribed", "voicemail.recorded"),
        message=_words(interaction, "sms.received"),
        has_recording=any(e.kind == "voicemail.recorded" for e in _events(interaction)),
        appointment=appointment,
    )
    with transaction(rt.sessions) as s:
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="task.detail",
            resource_type="task",
            resource_id=task.id,
            patient_id=patient_id,
            details={
                "number": detail.caller_number is not None,
                "transcript": detail.transcript is not None,
                "message": detail.message is not None,
            },
        )
    return detail


# ---------------------------------------------------------------- claims


def _may_take_over(actor: Actor, row: FrontDeskTaskRow) -> bool:
    """Clinic managers (who set the clinic up) may take over or finish a colleague's
    claim, e.g. one left by someone who went home."""
    return actor.can(Permission.directory_write, row.location_id)


def _held(row: FrontDeskTaskRow) -> TaskClaimed:
    who = row.claimed_by_name or "a colleague"
    return TaskClaimed(
        f"{who} is working on this task.",
        extra={"claimed_by_user_id": row.claimed_by_user_id, "claimed_by_name": who},
    )


def _display_name(rt: Runtime, actor: Actor) -> str:
    if actor.user_id is None:
        return actor.username
    try:
        return security.get_user(rt, user_id=actor.user_id).display_name
    except CarelineError:
        return actor.username


def claim_task(rt: Runtime, *, actor: Actor, task_id: str, take_over: bool = False) -> TaskView:
    """The actor takes the task, so colleagues see who is on it. A task a colleague
    holds is refused (409 `task-claimed`) unless `take_over` is asked by who may."""
    if actor.user_id is None:
        raise ClaimNeedsUser("Only a signed-in user can claim a task.")
    name = _display_name(rt, actor)
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        row = _task(s, actor, task_id, Permission.patients_write, lock=True)
        outcome = claim_outcome(
            status=row.status,
            holder=row.claimed_by_user_id,
            actor=actor.user_id,
            take_over=take_over,
            may_take_over=_may_take_over(actor, row),
        )
        if outcome is ClaimOutcome.done:
            raise TaskAlreadyDone("This task is done already.")
        if outcome is ClaimOutcome.held:
            raise _held(row)
        if outcome is ClaimOutcome.already_mine:
            return _view(row)
        previous = row.claimed_by_user_id
        row.claimed_by_user_id, row.claimed_by_name, row.claimed_at = actor.user_id, name, now
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="task.take_over" if outcome is ClaimOutcome.take_over else "task.claim",
            resource_type="task",
            resource_id=row.id,
            patient_id=row.patient_id,
            details={"from_user_id": previous} if previous else None,
        )
        _publish(s, row)
        return _view(row)


def release_task(rt: Runtime, *, actor: Actor, task_id: str) -> TaskView:
    """The holder lets the task go back to everyone (idempotent when nobody holds it);
    a colleague's claim is refused (409) except for who may take over."""
    with transaction(rt.sessions) as s:
        row = _task(s, actor, task_id, Permission.patients_write, lock=True)
        if row.claimed_by_user_id is None:
            return _view(row)
        if not may_act(
            holder=row.claimed_by_user_id,
            actor=actor.user_id or "",
            may_take_over=_may_take_over(actor, row),
        ):
            raise _held(row)
        previous = row.claimed_by_user_id
        row.claimed_by_user_id = row.claimed_by_name = row.claimed_at = None
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="task.release",
            resource_type="task",
            resource_id=row.id,
            patient_id=row.patient_id,
            details={"from_user_id": previous},
        )
        _publish(s, row)
        return _view(row)


def complete_task(rt: Runtime, *, actor: Actor, task_id: str, note: str | None = None) -> TaskView:
    """Resolve a task; with a `note`, the note lands on the patient's timeline (the
    task's patient, or the patient its interaction was attached to) in the same
    transaction. A task a colleague holds is refused (409) except for who may take
    over. Resolving a done task again changes nothing (and writes no second note)."""
    note = note.strip() if note else None
    name = _display_name(rt, actor)
    attached: str | None = None
    if note:
        with transaction(rt.sessions) as s:
            first = _task(s, actor, task_id, Permission.patients_write)
            known, interaction_id = first.patient_id, first.interaction_id
        if known is None:
            attached = _attached_patient(rt, actor, interaction_id)
    now = rt.clock.now()
    with phi_transaction(rt) as s:
        row = _task(s, actor, task_id, Permission.patients_write, lock=True)
        if row.status == "done":
            return _view(row)
        if not may_act(
            holder=row.claimed_by_user_id,
            actor=actor.user_id or "",
            may_take_over=_may_take_over(actor, row),
        ):
            raise _held(row)
        noted: str | None = None
        if note:
            patient_id = row.patient_id or attached
            if patient_id is None:
                raise ValidationFailed(
                    "This task has no patient to write the note for: attach its text or "
                    "call to the patient first, or resolve it without a note.",
                    problems=[FieldProblem("body.note", "the task has no patient")],
                )
            noted = timeline.add_note_in(
                rt,
                s,
                actor=actor,
                patient_id=patient_id,
                text=note,
                at=now,
                data={"task_id": row.id, "task_kind": row.kind},
                field="body.note",
            ).id
        row.status, row.done_at = "done", now
        row.done_by_user_id, row.done_by_name = actor.user_id, name
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="task.done",
            resource_type="task",
            resource_id=row.id,
            patient_id=row.patient_id,
            details={"note_interaction_id": noted} if noted else None,
        )
        _publish(s, row)
        return _view(row)


def _attached_patient(rt: Runtime, actor: Actor, interaction_id: str | None) -> str | None:
    """The patient an unknown sender's text was attached to after the task was filed."""
    if interaction_id is None:
        return None
    try:
        return timeline.get_interaction(rt, actor=actor, interaction_id=interaction_id).patient_id
    except (NotFound, Forbidden):
        return None
