"""The provider protocol: every carrier adapter speaks this, nothing more.

A send returns a receipt with the provider's id for the message or call and
its first status; later status changes arrive through the status callback URL
(for a carrier) or are recorded directly (for the outbox).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class OutboundMessage:
    to: str  # E.164
    from_: str  # E.164 or a sender id
    body: str
    idempotency_key: str
    status_callback: str | None = None
    patient_id: str | None = None


@dataclass(frozen=True)
class OutboundCall:
    to: str
    from_: str
    url: str  # where the provider fetches the call's instructions (TwiML)
    idempotency_key: str
    status_callback: str | None = None
    patient_id: str | None = None


@dataclass(frozen=True)
class Receipt:
    provider: str
    provider_id: str
    status: str  # queued | sent | delivered | failed | stored


class ProviderError(Exception):
    """A send failed. `permanent` failures (invalid number, opted out) are not retried;
    the others are, no sooner than `retry_after` seconds when the provider said so.

    Codes careline acts on: `opted-out` (the patient's SMS consent becomes opted
    out), `unreachable` (a front-desk task; reminders fall back to voice),
    `provider-no-answer` (the request may have been accepted: look before resending).
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code
        self.retry_after = retry_after


class CommsProvider(Protocol):
    """A carrier. Providers without idempotency keys must answer `find_messages` and
    `find_calls`: what they already accepted for a hand-off whose answer was lost
    (a crash, a timeout), oldest first, so careline adopts it instead of resending."""

    name: str

    def send_message(self, message: OutboundMessage) -> Receipt: ...

    def place_call(self, call: OutboundCall) -> Receipt: ...

    def find_messages(self, message: OutboundMessage, *, since: datetime) -> Sequence[Receipt]: ...

    def find_calls(self, call: OutboundCall, *, since: datetime) -> Sequence[Receipt]: ...

    def redirect_queue_member(self, *, queue: str, call_sid: str, url: str) -> bool:
        """Take a caller out of a provider queue now, to the TwiML at `url` (an agent was
        reserved for them). False when the caller is no longer in that queue, or the
        provider holds no live calls: their next wait request takes them out instead."""
        ...
