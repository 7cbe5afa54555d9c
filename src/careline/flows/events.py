"""What happens on a call, as the engine sees it: provider-agnostic events.

The telephony edge (TwiML webhooks, the virtual carrier) turns each provider
request into one of these and calls `engine.step`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DialOutcome(StrEnum):
    answered = "answered"
    no_answer = "no_answer"
    busy = "busy"
    failed = "failed"


class QueueOutcome(StrEnum):
    answered = "answered"  # an agent took the call: it has left the flow
    overflow = "overflow"  # the routing core sends the caller elsewhere
    timeout = "timeout"  # waited too long
    callback = "callback"  # the caller chose a call back while in line


@dataclass(frozen=True)
class CallStarted:
    from_number: str
    to_number: str


@dataclass(frozen=True)
class Digits:
    digits: str


@dataclass(frozen=True)
class Speech:
    text: str
    confidence: float = 1.0


@dataclass(frozen=True)
class NoInput:
    """The caller let a gather time out without pressing or saying anything."""


@dataclass(frozen=True)
class DialResult:
    outcome: DialOutcome


@dataclass(frozen=True)
class QueueResult:
    outcome: QueueOutcome


@dataclass(frozen=True)
class RecordingDone:
    url: str
    duration_seconds: int
    transcript: str | None = None


@dataclass(frozen=True)
class Hangup:
    """The caller (or the network) ended the call."""


CallEvent = (
    CallStarted | Digits | Speech | NoInput | DialResult | QueueResult | RecordingDone | Hangup
)
