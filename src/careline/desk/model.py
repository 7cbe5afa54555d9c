"""The agent desk, purely: turning staff and queue entries into the routing core's
agents and calls, and the views agents and supervisors read.

The decisions themselves (which agent, which call, presence transitions) are the
routing core's (`careline.routing.model`), the very functions the simulator runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from careline.directory.model import PresenceState, RoutingStaff
from careline.routing.model import AgentState, Priority, QueuedCall

#: A skill that marks a licensed clinician (urgent and emergency calls need one).
CLINICAL_SKILL = "clinical"
#: Wrap-up ends by itself after this long, so a forgotten desk does not stall a queue.
DEFAULT_WRAP_UP = timedelta(seconds=60)
#: How long an agent's phone rings before the offer counts as missed.
RING_SECONDS = 20


class EntryStatus(StrEnum):
    waiting = "waiting"
    offered = "offered"
    connected = "connected"
    done = "done"
    left = "left"


#: Entries that hold an agent.
HOLDING = frozenset({EntryStatus.offered, EntryStatus.connected})


@dataclass(frozen=True)
class EntryFacts:
    """A queue entry as the desk reasons about it."""

    id: str
    call_sid: str
    department: str
    priority: str
    language: str | None
    location_id: str | None
    home_location_id: str | None
    entered_at: datetime
    status: EntryStatus
    staff_id: str | None
    answered_at: datetime | None


def safe_priority(raw: str) -> Priority:
    """An unknown priority is routed as urgent: safety first."""
    try:
        return Priority(raw)
    except ValueError:
        return Priority.urgent


def queued_call(entry: EntryFacts) -> QueuedCall:
    return QueuedCall(
        id=entry.call_sid,
        priority=safe_priority(entry.priority),
        skill=entry.department,
        entered_at=entry.entered_at,
        language=entry.language or None,
        location_id=entry.location_id,
        home_location_id=entry.home_location_id,
    )


def agent_state(staff: RoutingStaff, holding: EntryFacts | None) -> AgentState:
    """The routing core's view of a staff member. Staff who cannot be rung (no
    endpoint) are never offered calls: routing sees them away."""
    presence = staff.presence if staff.endpoint is not None else PresenceState.away
    return AgentState(
        staff_id=staff.staff_id,
        skills=staff.skills - {CLINICAL_SKILL},
        languages=staff.languages,
        location_ids=staff.location_ids,
        presence=presence,
        since=staff.since,
        clinical=CLINICAL_SKILL in staff.skills,
        call_id=holding.call_sid if holding is not None else None,
        answered_at=holding.answered_at if holding is not None else None,
    )


@dataclass(frozen=True)
class Offer:
    """A waiting call offered to an agent: ring `endpoint`. No PHI."""

    entry_id: str
    call_sid: str
    staff_id: str
    endpoint: str
    department: str
    priority: str
    language: str | None
    location_id: str | None
    interpreter: bool
    overflow: bool


@dataclass(frozen=True)
class Connected:
    """An agent picked up: what the timeline records."""

    call_sid: str
    staff_id: str
    waited_seconds: int
    interpreter: bool
    overflow: bool
    department: str
    priority: str
    language: str | None


@dataclass(frozen=True)
class DialEnd:
    """How an offer ended. `answered`: the agent talked to the caller (now wrapping
    up). Otherwise the agent missed it (now away) and the call is back in line with
    its place kept: `next_offer` is another agent to ring at once, if one is free."""

    call_sid: str
    staff_id: str | None
    answered: bool
    next_offer: Offer | None
    entry: EntryFacts | None


def whisper_text(offer: Offer | Connected) -> str:
    """What the agent hears before the caller is bridged: the queue, never PHI."""
    department = offer.department.replace("_", " ")
    parts = [f"{offer.priority.capitalize()} {department} call."]
    if offer.language and not offer.language.startswith("en"):
        parts.append(f"Caller language {offer.language}.")
    if offer.interpreter:
        parts.append("Bring in an interpreter.")
    if offer.overflow:
        parts.append("Overflow from another clinic.")
    return " ".join(parts)


# ---------------------------------------------------------------- views


class CurrentCallView(BaseModel):
    """The call an agent is being offered or is on (ids and codes only)."""

    entry_id: str
    status: EntryStatus
    department: str
    priority: str
    language: str | None
    location_id: str | None
    entered_at: datetime
    offered_at: datetime | None
    answered_at: datetime | None
    interpreter: bool
    overflow: bool


class DeskView(BaseModel):
    staff_id: str
    presence: PresenceState
    presence_since: datetime
    current_call: CurrentCallView | None
    #: Calls waiting now that this agent could be offered, by priority.
    waiting_for_me: dict[str, int]


class WaitingCallView(BaseModel):
    entry_id: str
    status: EntryStatus
    department: str
    priority: str
    language: str | None
    location_id: str | None
    entered_at: datetime
    waited_seconds: int
    staff_id: str | None


class DeskPresence(BaseModel):
    """What an agent may set by hand; busy and wrap-up come from calls."""

    model_config = ConfigDict(extra="forbid")
    state: PresenceState = Field(description="available, away or offline")


# ---------------------------------------------------------------- the call card and wrap-up
# (`careline.desk.call_card`): what an agent sees of the call offered to them or that
# they are on, and what they record when it is over.


class CardStatus(StrEnum):
    """Where the agent is with the card's call: ringing, talking, or writing it up."""

    offered = "offered"
    connected = "connected"
    wrap_up = "wrap_up"


class Disposition(StrEnum):
    """How a call ended, as the agent records it in wrap-up (a short, fixed list so
    reports can count them)."""

    resolved = "resolved"
    appointment_booked = "appointment_booked"
    message_taken = "message_taken"
    callback_needed = "callback_needed"
    transferred = "transferred"
    clinical_advice = "clinical_advice"
    wrong_number = "wrong_number"
    other = "other"


#: The longest wrap-up note (a note, not a chart entry).
WRAP_UP_NOTE_MAX = 2000
#: The timeline event a wrap-up records on the call's interaction.
WRAP_UP_EVENT = "agent.wrap_up"


class WrapUpIn(BaseModel):
    """The agent's wrap-up: a disposition, and optionally a note for the timeline."""

    model_config = ConfigDict(extra="forbid")
    disposition: Disposition
    note: str | None = Field(
        default=None,
        max_length=WRAP_UP_NOTE_MAX,
        description="Free text for the call's timeline (encrypted there); blank means none",
    )


class TriageWord(BaseModel):
    """One phrase of the caller's words that triage matched: character offsets into
    `CallTriage.words`. `discounted`: negated or about the past, shown but not driving."""

    start: int
    end: int
    phrase: str
    urgency: str
    discounted: bool


class CallTriage(BaseModel):
    """What careline's triage made of the caller's words on this call (the last
    decision the flow acted on), and the words themselves (PHI)."""

    urgency: str
    intent: str | None
    escalated: bool
    words: str | None
    drivers: list[TriageWord]


class CallerPatient(BaseModel):
    """The patient the call is about. `verified`: the caller proved it (date of birth
    on the keypad); otherwise careline only matched the calling number."""

    patient_id: str
    verified: bool
    identified_by: str = Field(
        description="caller_id, or how the caller verified (birth_date, birth_date+first_name)"
    )


class RecentInteraction(BaseModel):
    """One earlier contact with the patient, without anything said or written in it."""

    id: str
    channel: str
    direction: str
    started_at: datetime
    status: str
    #: What happened in it, as event kinds (e.g. "triage.result", "agent.connected").
    kinds: list[str]
    #: The most urgent triage reading in it, if any.
    urgency: str | None
    #: A wrap-up disposition recorded on it, if any.
    disposition: str | None


class OpenTask(BaseModel):
    id: str
    kind: str
    urgency: str
    created_at: datetime
    due_at: datetime | None
    claimed_by_name: str | None


class CallCardView(BaseModel):
    """The incoming call card. Queue facts are always there; the caller's words, their
    patient, history and tasks only for agents who may read patients at the call's
    clinic (`phi_withheld` says when they were left out)."""

    entry_id: str
    status: CardStatus
    department: str
    priority: str
    language: str | None
    location_id: str | None
    entered_at: datetime
    offered_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    #: In line before an agent answered (still counting while it rings).
    waited_seconds: int
    interpreter: bool
    overflow: bool
    phi_withheld: bool
    interaction_id: str | None
    triage: CallTriage | None
    patient: CallerPatient | None
    recent: list[RecentInteraction]
    open_tasks: list[OpenTask]
    #: When wrap-up ends by itself (status wrap_up only).
    wrap_up_ends_at: datetime | None
    #: The disposition already recorded for this call, if any.
    disposition: Disposition | None
