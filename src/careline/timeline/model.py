"""Interactions and their events: views, inputs and the pure checks on them.

An `Interaction` is one contact (a call, a text, a voicemail, a reminder, a
waitlist offer, a staff note); its `InteractionEvent`s are what happened during
it, in order. Event `data` holds structured, non-PHI facts (a menu choice, a
triage level, a queue id); anything a person said or wrote goes in `text`,
which is encrypted at rest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from careline.core.errors import FieldProblem

KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
STATUS = re.compile(r"^[a-z][a-z0-9_-]*$")
KIND_MAX = 60
STATUS_MAX = 30
TEXT_MAX = 20_000
DATA_MAX_BYTES = 8_000
EXTERNAL_REF_MAX = 120


class Channel(StrEnum):
    voice = "voice"
    sms = "sms"
    voicemail = "voicemail"
    reminder = "reminder"
    offer = "offer"
    note = "note"


class Direction(StrEnum):
    inbound = "inbound"
    outbound = "outbound"
    internal = "internal"


#: Status of an interaction that has not ended yet.
OPEN = "open"
#: Status of a staff note (it starts and ends at once).
RECORDED = "recorded"


class EventView(BaseModel):
    id: str
    interaction_id: str
    seq: int
    at: datetime
    kind: str
    data: dict[str, Any]
    text: str | None
    actor_user_id: str | None
    actor_name: str
    staff_id: str | None


class InteractionView(BaseModel):
    id: str
    patient_id: str | None
    channel: Channel
    direction: Direction
    staff_id: str | None
    location_id: str | None
    started_at: datetime
    ended_at: datetime | None
    status: str
    summary: str | None
    external_ref: str | None
    events: list[EventView]


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=TEXT_MAX)


def kind_problems(kind: str, *, field: str = "kind") -> list[FieldProblem]:
    if len(kind) <= KIND_MAX and KIND.match(kind):
        return []
    return [FieldProblem(field, "must be dotted lowercase words such as 'menu.choice'")]


def status_problems(status: str, *, field: str = "status") -> list[FieldProblem]:
    if len(status) <= STATUS_MAX and STATUS.match(status):
        return []
    return [FieldProblem(field, "must be a short lowercase word such as 'completed'")]


def text_problems(text: str | None, *, field: str = "text") -> list[FieldProblem]:
    if text is None:
        return []
    if not text.strip():
        return [FieldProblem(field, "must not be blank")]
    if len(text) > TEXT_MAX:
        return [FieldProblem(field, f"must be at most {TEXT_MAX} characters")]
    return []


def data_problems(data: dict[str, Any] | None, *, field: str = "data") -> list[FieldProblem]:
    """Event data must be a small JSON object (it is stored as JSON, unencrypted)."""
    if data is None:
        return []
    try:
        encoded = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError):
        return [FieldProblem(field, "must be a JSON object of plain values")]
    if len(encoded) > DATA_MAX_BYTES:
        return [FieldProblem(field, f"must be at most {DATA_MAX_BYTES} bytes as JSON")]
    return []


def external_ref_problems(ref: str | None, *, field: str = "external_ref") -> list[FieldProblem]:
    if ref is None or (0 < len(ref) <= EXTERNAL_REF_MAX and ref.isprintable()):
        return []
    return [FieldProblem(field, f"must be 1-{EXTERNAL_REF_MAX} printable characters")]


class PatientLink(BaseModel):
    """Whose an unknown caller's interaction was (audited when attached)."""

    model_config = ConfigDict(extra="forbid")
    patient_id: str = Field(min_length=1, max_length=36)


class ConversationView(BaseModel):
    """One patient's (or one unattached number's) texts, as the inbox lists them."""

    key: str
    patient_id: str | None
    patient_name: str | None
    #: Only for a text careline could not put on one patient's timeline.
    number: str | None
    location_id: str | None
    last_at: datetime
    last_direction: Direction
    last_text: str | None
    needs_reply: bool
    #: The triage of the newest inbound text, when it was triaged.
    urgency: str | None
    interaction_id: str
    #: A text came in since you last opened this conversation.
    unread: bool = False
    #: Who is answering it (a user id and their name), if someone took it.
    assigned_to: str | None = None
    assigned_name: str | None = None


class ConversationAssignee(BaseModel):
    assigned_to: str | None
    assigned_name: str | None


class ConversationAssign(BaseModel):
    """Give a conversation to a colleague (or yourself); null: nobody has it."""

    model_config = ConfigDict(extra="forbid")
    user_id: str | None = Field(default=None, max_length=36)


@dataclass(frozen=True)
class NewEvent:
    """One event for `service.append_events`: `data` is stored in the clear (no PHI),
    `text` encrypted."""

    kind: str
    data: dict[str, Any] | None = None
    text: str | None = None
