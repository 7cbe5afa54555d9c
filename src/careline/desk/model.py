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
