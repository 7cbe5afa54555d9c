"""The worklist's pure core: front-desk tasks, how urgent each is, when it is due, who
holds it, and the order a receptionist works them in.

No I/O and no clock: instants and a location's opening calendar come in as arguments.

When a task is due (`due_at`), from its urgency:
- emergency: at once (its creation time);
- urgent: within 15 minutes of creation (or of the moment it became urgent);
- routine: by the end of the clinic's business day — the close of the opening period
  the task is created in, or, if the clinic is closed then, the close of the next
  period it opens for (a voicemail left overnight is due when the next day's hours
  end). A task with no clinic, or a clinic with no hours within 30 days, is due
  8 hours after it was created.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from careline.directory.model import Calendar, is_open, next_open


class TaskKind(StrEnum):
    reschedule_request = "reschedule_request"
    no_answer = "no_answer"
    reply_needs_staff = "reply_needs_staff"
    callback_request = "callback_request"  # a caller chose a call back over waiting
    voicemail = "voicemail"  # a caller left a message: someone listens and calls back
    urgent_voicemail = "urgent_voicemail"  # triage heard an urgent or emergency message
    clinical_emergency = "clinical_emergency"  # a text triaged emergency or crisis
    urgent_clinical_review = "urgent_clinical_review"  # a text about an urgent symptom
    clinical_review = "clinical_review"  # a text about a routine symptom: a nurse reads it
    number_unreachable = "number_unreachable"  # the carrier cannot deliver texts to it
    which_patient = "which_patient"  # a text from a shared number that answers nothing


class TaskUrgency(StrEnum):
    """How soon a task needs someone: worklists show emergency, then urgent, then routine.
    The same words as triage's urgency, kept here so tasks do not depend on triage."""

    emergency = "emergency"
    urgent = "urgent"
    routine = "routine"


#: Sort rank of each urgency (lower comes first).
URGENCY_RANK = {TaskUrgency.emergency: 0, TaskUrgency.urgent: 1, TaskUrgency.routine: 2}

#: A task's urgency when its creator gives none (a voicemail escalated by its transcript
#: keeps this default, so the voice edge need not know about urgencies).
KIND_URGENCY = {
    TaskKind.clinical_emergency: TaskUrgency.emergency,
    TaskKind.urgent_clinical_review: TaskUrgency.urgent,
    TaskKind.urgent_voicemail: TaskUrgency.urgent,
}

#: How long an urgent task may wait.
URGENT_WITHIN = timedelta(minutes=15)
#: A routine task with no clinic calendar to go by.
ROUTINE_FALLBACK = timedelta(hours=8)


def task_urgency(kind: TaskKind, given: TaskUrgency | None = None) -> TaskUrgency:
    """The urgency a task is stored with: the one given, else its kind's default."""
    return given if given is not None else KIND_URGENCY.get(kind, TaskUrgency.routine)


def more_urgent(a: TaskUrgency, b: TaskUrgency) -> TaskUrgency:
    return a if URGENCY_RANK[a] <= URGENCY_RANK[b] else b


def _closing_after(calendar: Calendar, opened: datetime) -> datetime:
    """The first instant after `opened` (an open instant) when the clinic is closed, on
    a 5-minute grid (opening hours are set in whole minutes, in practice on the
    quarter hour): walked to the end of the period, at most a day, so part-day
    closures and holidays count without a second copy of the calendar's rules."""
    step = timedelta(minutes=5)
    at = opened.replace(minute=opened.minute - opened.minute % 5, second=0, microsecond=0)
    limit = opened + timedelta(days=1)
    while at < limit:
        at += step
        if not is_open(calendar, at):
            return at.astimezone(UTC)
    return limit.astimezone(UTC)


def due_at(urgency: TaskUrgency, *, since: datetime, calendar: Calendar | None) -> datetime:
    """When a task of `urgency`, needing someone since `since`, is due (see the module)."""
    since = since.astimezone(UTC)
    if urgency is TaskUrgency.emergency:
        return since
    if urgency is TaskUrgency.urgent:
        return since + URGENT_WITHIN
    if calendar is None:
        return since + ROUTINE_FALLBACK
    opened = since if is_open(calendar, since) else next_open(calendar, since)
    if opened is None:
        return since + ROUTINE_FALLBACK
    return _closing_after(calendar, opened)


def is_overdue(due: datetime, now: datetime) -> bool:
    return due < now


def sort_key(
    urgency: TaskUrgency, due: datetime, created_at: datetime, task_id: str
) -> tuple[int, datetime, datetime, str]:
    """Worklist order: most urgent first, then the soonest due, then the oldest."""
    return (URGENCY_RANK[urgency], due.astimezone(UTC), created_at.astimezone(UTC), task_id)


# ---------------------------------------------------------------- claims


class ClaimOutcome(StrEnum):
    claim = "claim"  # the task is free: the actor takes it
    already_mine = "already_mine"  # nothing to change
    held = "held"  # someone else holds it: refused
    take_over = "take_over"  # someone else holds it and the actor may take it over
    done = "done"  # a finished task is not claimed


def claim_outcome(
    *,
    status: str,
    holder: str | None,
    actor: str,
    take_over: bool,
    may_take_over: bool,
) -> ClaimOutcome:
    """What claiming a task does. Taking over a colleague's claim must be asked for
    explicitly (`take_over`) and is only open to who may take over (a clinic manager)."""
    if status == "done":
        return ClaimOutcome.done
    if holder is None:
        return ClaimOutcome.claim
    if holder == actor:
        return ClaimOutcome.already_mine
    if take_over and may_take_over:
        return ClaimOutcome.take_over
    return ClaimOutcome.held


def may_act(*, holder: str | None, actor: str, may_take_over: bool) -> bool:
    """Whether the actor may release or resolve a task: nobody holds it, they do, or
    they may take over (a colleague's claim is theirs to finish)."""
    return holder is None or holder == actor or may_take_over


# ---------------------------------------------------------------- shapes


class TaskView(BaseModel):
    id: str
    kind: TaskKind
    urgency: TaskUrgency
    patient_id: str | None
    appointment_id: str | None
    location_id: str | None
    #: The timeline interaction the task came from (an inbound text, a voicemail), when
    #: there is one: for a number careline does not know it is the only way back.
    interaction_id: str | None
    status: Literal["open", "done"]
    created_at: datetime
    done_at: datetime | None
    #: For "which patient?": the patients the sender's number belongs to.
    candidates: list[str] = []
    due_at: datetime | None = Field(
        default=None,
        description="When it is due: emergency at once, urgent within 15 min, routine by "
        "the end of the clinic's business day",
    )
    claimed_by_user_id: str | None = None
    claimed_by_name: str | None = Field(default=None, description="The holder's display name")
    claimed_at: datetime | None = None
    done_by_name: str | None = None


class TaskClaim(BaseModel):
    """Claiming a task; `take_over` takes a colleague's claim (clinic managers only)."""

    model_config = ConfigDict(extra="forbid")
    take_over: bool = False


class TaskDone(BaseModel):
    """Resolving a task; a note lands on the patient's timeline."""

    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=2000)


class TaskAppointment(BaseModel):
    id: str
    start: datetime
    end: datetime
    status: str
    type_display: str
    provider_id: str
    provider_name: str | None


class TaskDetail(TaskView):
    """What a receptionist needs to act on a task (PHI: reading it is audited)."""

    caller_number: str | None = Field(
        default=None, description="The number to call back: the caller's, else the patient's"
    )
    number_source: Literal["interaction", "patient"] | None = None
    #: The words of a voicemail (its transcript), when there is one.
    transcript: str | None = None
    #: The words of the inbound text the task came from, when there is one.
    message: str | None = None
    #: A voicemail was recorded (careline has no recording-download endpoint yet).
    has_recording: bool = False
    appointment: TaskAppointment | None = None
