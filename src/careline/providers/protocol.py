"""The provider protocol: every carrier adapter speaks this, nothing more.

A send returns a receipt with the provider's id for the message or call and
its first status; later status changes arrive through the status callback URL
(for a carrier) or are recorded directly (for the outbox).
"""

from __future__ import annotations

from dataclasses import dataclass
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
    """A send failed. `permanent` failures (invalid number, opted out) are not retried."""

    def __init__(self, message: str, *, permanent: bool, code: str | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code


class CommsProvider(Protocol):
    name: str

    def send_message(self, message: OutboundMessage) -> Receipt: ...

    def place_call(self, call: OutboundCall) -> Receipt: ...
