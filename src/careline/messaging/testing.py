"""A test-only provider for crash tests: the outbox, made slow (and optionally stuck).

Selected in the composition root by `CARELINE_TEST_PROVIDER=slow-outbox`, never in
production. `CARELINE_TEST_PROVIDER_DELAY_MS` is the pause before and again after
storing each message (so a kill lands between "provider accepted" and "receipt
recorded"); `CARELINE_TEST_PROVIDER_HANG_AFTER=N` makes this process block for
good right after storing its N-th message, holding its claim until it is killed.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from datetime import datetime

from careline.core.clock import Clock
from careline.core.db import SessionFactory
from careline.core.settings import Environment, Settings
from careline.providers.outbox.service import OutboxProvider
from careline.providers.protocol import CommsProvider, OutboundCall, OutboundMessage, Receipt

SELECTOR = "CARELINE_TEST_PROVIDER"
DELAY = "CARELINE_TEST_PROVIDER_DELAY_MS"
HANG_AFTER = "CARELINE_TEST_PROVIDER_HANG_AFTER"


class SlowOutboxProvider:
    """The outbox provider with a pause around each store, and an optional hang."""

    name = "outbox"

    def __init__(
        self,
        inner: OutboxProvider,
        *,
        delay_seconds: float,
        hang_after: int | None = None,
    ) -> None:
        self._inner = inner
        self._delay = delay_seconds
        self._hang_after = hang_after
        self._stored = 0
        self._lock = threading.Lock()
        self._never = threading.Event()

    def send_message(self, message: OutboundMessage) -> Receipt:
        time.sleep(self._delay)
        receipt = self._inner.send_message(message)
        with self._lock:
            self._stored += 1
            hang = self._hang_after is not None and self._stored >= self._hang_after
        if hang:
            self._never.wait()  # stuck after the provider accepted: only a kill ends this
        time.sleep(self._delay)
        return receipt

    def place_call(self, call: OutboundCall) -> Receipt:
        return self._inner.place_call(call)

    def find_messages(self, message: OutboundMessage, *, since: datetime) -> list[Receipt]:
        return self._inner.find_messages(message, since=since)

    def find_calls(self, call: OutboundCall, *, since: datetime) -> list[Receipt]:
        return self._inner.find_calls(call, since=since)

    def redirect_queue_member(self, *, queue: str, call_sid: str, url: str) -> bool:
        return self._inner.redirect_queue_member(queue=queue, call_sid=call_sid, url=url)


def provider_from_env(
    settings: Settings,
    *,
    sessions: SessionFactory,
    clock: Clock,
    environ: Mapping[str, str] = os.environ,
) -> CommsProvider | None:
    """The test provider when `CARELINE_TEST_PROVIDER` asks for it; else None."""
    choice = environ.get(SELECTOR)
    if not choice:
        return None
    if settings.environment is Environment.production:
        raise ValueError(f"{SELECTOR} is for tests and is refused in production")
    if choice != "slow-outbox":
        raise ValueError(f"{SELECTOR} must be 'slow-outbox'")
    hang = environ.get(HANG_AFTER)
    return SlowOutboxProvider(
        OutboxProvider(sessions=sessions, clock=clock),
        delay_seconds=int(environ.get(DELAY, "20")) / 1000,
        hang_after=int(hang) if hang else None,
    )
