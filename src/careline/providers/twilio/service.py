"""The Twilio adapter: a `CommsProvider` on the `twilio` library's REST client.

Pointed at api.twilio.com in production and at the virtual carrier's REST side
(`careline.providers.virtual`) in demos and tests; the same code runs in both.

What a clinic needs from the provider's errors (`provider_error`):
- opted out / unsubscribed (21610) → permanent, code `opted-out`: careline
  records the patient's SMS consent as opted out;
- unreachable, landline, invalid number (21211, 21612, 21614, 21408, 30003,
  30005, 30006) → permanent, code `unreachable`: a front-desk task, and the
  patient's reminders fall back to voice;
- throttled (429 / 20429) and provider trouble (5xx) → retried later, no sooner
  than the provider's Retry-After (the messaging service adds the jitter);
- no answer at all (a timeout, a dropped connection) → `provider-no-answer`,
  retried; the request may have been accepted, so before trying again careline
  asks the provider what it already holds (`find_message` / `find_call`).

The `twilio` library logs the query string of every request at INFO (numbers
are query parameters of a list): its logger here is held at WARNING. Error
messages from the provider can quote the number; only their codes are kept.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from careline.core.phone import is_e164
from careline.metrics.model import counts_provider_errors
from careline.providers.protocol import OutboundCall, OutboundMessage, ProviderError, Receipt

PROVIDER_NAME = "twilio"

_http_log = logging.getLogger("careline.providers.twilio.http")
_http_log.setLevel(logging.WARNING)  # the library logs numbers at INFO
# urllib3 logs every request line at DEBUG, and the provider's list filter puts the
# patient's number in the query string: never below INFO, whatever the log level.
logging.getLogger("urllib3.connectionpool").setLevel(logging.INFO)

OPTED_OUT_CODES = frozenset({21610})
UNREACHABLE_CODES = frozenset({21211, 21408, 21612, 21614, 30003, 30005, 30006})
#: How far before the hand-off a provider's clock may disagree with ours.
CLOCK_SLACK = timedelta(minutes=2)
#: How many of the newest resources to a number are read when recovering.
RECOVERY_PAGE = 50


def provider_error(
    status: int | None, code: int | None, retry_after: float | None
) -> ProviderError:
    """The protocol's error for a provider's HTTP status and error code (no text: PHI)."""
    if code in OPTED_OUT_CODES:
        return ProviderError("recipient opted out", permanent=True, code="opted-out")
    if code in UNREACHABLE_CODES:
        return ProviderError("number unreachable", permanent=True, code="unreachable")
    if status == 429 or code == 20429:
        return ProviderError(
            "throttled", permanent=False, code="throttled", retry_after=retry_after
        )
    if status is not None and status >= 500:
        return ProviderError(
            "provider unavailable",
            permanent=False,
            code="provider-unavailable",
            retry_after=retry_after,
        )
    if status in (401, 403):
        # Wrong credentials will not fix themselves mid-batch, but they are not the
        # message's fault either: keep it pending for when the settings are fixed.
        return ProviderError("provider refused our credentials", permanent=False, code="auth")
    return ProviderError(
        "provider refused the request", permanent=True, code=f"twilio-{code or status}"
    )


class SendPacer(Protocol):
    """Blocks until a sender may send (returns how long it waited)."""

    def wait(self, sender: str) -> float: ...


class Pacer:
    """Keep each sender (and the whole service) under its documented throughput, in
    one process. careline itself uses `providers.pacing.SharedPacer`, which holds the
    pace in the database so that all worker processes together keep to it."""

    def __init__(
        self,
        *,
        per_number: float,
        per_service: float,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._gap_number = 1.0 / per_number
        self._gap_service = 1.0 / per_service
        self._now, self._sleep = now, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, sender: str) -> float:
        """Block until `sender` may send; returns how long it waited."""
        with self._lock:
            now = self._now()
            at = max(now, self._next.get(sender, now), self._next.get("*", now))
            self._next[sender] = at + self._gap_number
            self._next["*"] = at + self._gap_service
        waited = at - now
        if waited > 0:
            self._sleep(waited)
        return waited


class TwilioProvider:
    """Texts and calls through the Twilio REST API (or the virtual carrier's copy of it)."""

    name = PROVIDER_NAME

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        base_url: str | None = None,
        messaging_service_sid: str | None = None,
        timeout_seconds: float = 10.0,
        pacer: SendPacer | None = None,
    ) -> None:
        http = TwilioHttpClient(timeout=timeout_seconds, logger=_http_log)
        self._client = Client(account_sid, auth_token, http_client=http)
        if base_url:
            self._client.api.base_url = base_url.rstrip("/")
        self._service = messaging_service_sid
        self._pacer = pacer
        self._queues: dict[str, str] = {}

    @counts_provider_errors(PROVIDER_NAME)
    def _call(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except TwilioRestException as exc:
            raise provider_error(exc.status, exc.code, _retry_after(exc)) from None
        except (requests.Timeout, requests.ConnectionError):
            # The request may have been accepted: the caller must look before resending.
            raise ProviderError(
                "no answer from the provider", permanent=False, code="provider-no-answer"
            ) from None

    # ------------------------------------------------------------ messages

    def send_message(self, message: OutboundMessage) -> Receipt:
        own_number = is_e164(message.from_)
        if self._pacer is not None:
            self._pacer.wait(message.from_ if own_number else (self._service or message.from_))
        kwargs: dict[str, Any] = {"to": message.to, "body": message.body}
        if self._service:
            kwargs["messaging_service_sid"] = self._service
        if own_number:
            # A clinic's own number; with a Messaging Service too, it must be in the
            # service's sender pool (the provider refuses it otherwise).
            kwargs["from_"] = message.from_
        elif not self._service:
            # A sender name with no Messaging Service to send it: a setting is missing.
            # Not permanent: the messages wait (with backoff) for the setting to be fixed.
            raise ProviderError(
                "no Messaging Service SID and no sender number", permanent=False, code="no-sender"
            )
        if message.status_callback:
            kwargs["status_callback"] = message.status_callback
        created = self._call(lambda: self._client.messages.create(**kwargs))
        return Receipt(provider=PROVIDER_NAME, provider_id=created.sid, status=created.status)

    def find_messages(self, message: OutboundMessage, *, since: datetime) -> list[Receipt]:
        """What the provider already holds for this hand-off, oldest first.

        Matched by number, sender, text and creation time (a provider without
        idempotency keys offers nothing better); the caller skips ids it already
        recorded for other messages.
        """
        kwargs: dict[str, Any] = {"to": message.to, "limit": RECOVERY_PAGE}
        if is_e164(message.from_) or not self._service:
            kwargs["from_"] = message.from_
        found = self._call(lambda: self._client.messages.list(**kwargs))
        earliest = since - CLOCK_SLACK
        matches = [
            m
            for m in found
            if m.body == message.body
            and _aware(m.date_created) >= earliest
            and (not self._service or m.messaging_service_sid == self._service)
            and (m.direction or "").startswith("outbound")
        ]
        matches.sort(key=lambda m: _aware(m.date_created))
        return [
            Receipt(provider=PROVIDER_NAME, provider_id=m.sid, status=m.status) for m in matches
        ]

    # ------------------------------------------------------------ calls

    def place_call(self, call: OutboundCall) -> Receipt:
        kwargs: dict[str, Any] = {"to": call.to, "from_": call.from_, "url": call.url}
        if call.status_callback:
            kwargs["status_callback"] = call.status_callback
        created = self._call(lambda: self._client.calls.create(**kwargs))
        return Receipt(provider=PROVIDER_NAME, provider_id=created.sid, status=created.status)

    def find_calls(self, call: OutboundCall, *, since: datetime) -> list[Receipt]:
        """The calls the provider already placed to this number since the hand-off."""
        found = self._call(
            lambda: self._client.calls.list(to=call.to, from_=call.from_, limit=RECOVERY_PAGE)
        )
        earliest = since - CLOCK_SLACK
        matches = [
            c
            for c in found
            if _aware(c.date_created) >= earliest and (c.direction or "").startswith("outbound")
        ]
        matches.sort(key=lambda c: _aware(c.date_created))
        return [
            Receipt(provider=PROVIDER_NAME, provider_id=c.sid, status=c.status) for c in matches
        ]

    # ------------------------------------------------------------ queues

    def _queue_sid(self, name: str, *, fresh: bool = False) -> str | None:
        """A queue's SID from its friendly name (the TwiML names queues; the REST API
        addresses them by SID). Cached: queues live as long as the account."""
        if fresh or name not in self._queues:
            found = self._call(lambda: self._client.queues.list(limit=1000))
            self._queues.update({q.friendly_name: q.sid for q in found})
        return self._queues.get(name)

    def redirect_queue_member(self, *, queue: str, call_sid: str, url: str) -> bool:
        """Dequeue the caller to `url` at once, instead of at their next wait request
        (up to a wait pass later: 2 to 20 s)."""
        sid = self._queue_sid(queue)
        if sid is None:
            sid = self._queue_sid(queue, fresh=True)
            if sid is None:
                return False
        queue_sid = sid

        def update() -> object:
            return self._client.queues(queue_sid).members(call_sid).update(url=url, method="POST")

        try:
            self._call(update)
        except ProviderError as exc:
            if exc.code in ("twilio-20404", "twilio-404"):
                return False  # the caller left the queue meanwhile (hung up, or served)
            raise
        return True


def _aware(at: datetime | None) -> datetime:
    if at is None:
        return datetime.min.replace(tzinfo=UTC)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _retry_after(exc: TwilioRestException) -> float | None:
    """Seconds to wait after a 429: the library keeps no response headers on its
    exception, so one second (Twilio's own guidance for 20429) plus jitter."""
    return 1.0 if exc.status == 429 else None
