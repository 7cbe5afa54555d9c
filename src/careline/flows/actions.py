"""What the engine asks the telephony edge to do: abstract, provider-agnostic actions.

The TwiML adapter renders them as verbs (a `Gather` nests its prompts so the
caller can answer before they end); the virtual carrier plays them out; `Log`
becomes a timeline event (structured `data` never holds PHI; what a caller said
goes in `text`, which the timeline encrypts).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

InputKind = Literal["dtmf", "speech"]


@dataclass(frozen=True)
class Say:
    text: str
    language: str


@dataclass(frozen=True)
class Play:
    url: str


@dataclass(frozen=True)
class Gather:
    """Wait for the caller: `prompts` are played while listening (barge-in allowed)."""

    prompts: tuple[Say | Play, ...]
    input: tuple[InputKind, ...]
    timeout_seconds: int
    language: str
    hints: tuple[str, ...] = ()
    num_digits: int | None = None


@dataclass(frozen=True)
class Enqueue:
    department: str
    priority: str  # 'emergency' | 'urgent' | 'routine'
    language: str
    location_id: str | None


@dataclass(frozen=True)
class Dial:
    target: str
    mode: str
    timeout_seconds: int


@dataclass(frozen=True)
class Record:
    max_seconds: int
    transcribe: bool


@dataclass(frozen=True)
class ScheduleCallback:
    """Call this caller back, keeping their place in line (the edge knows the number)."""

    department: str
    priority: str  # 'emergency' | 'urgent' | 'routine'
    language: str
    location_id: str | None


@dataclass(frozen=True)
class Hangup:
    """End the call."""


@dataclass(frozen=True)
class Log:
    """A timeline event: `kind` like 'menu.choice', `data` non-PHI facts, `text` what the
    caller said (PHI: the timeline stores it encrypted)."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    text: str | None = None


Action = Say | Play | Gather | Enqueue | Dial | Record | ScheduleCallback | Hangup | Log


def action_to_dict(action: Action) -> dict[str, Any]:
    """A JSON-ready form tagged with the action type (for simulators and tests; a Log
    keeps its `text`, which is PHI: never write this form to a log file)."""
    return {"type": type(action).__name__.lower(), **asdict(action)}
