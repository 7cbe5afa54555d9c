"""Live events: published inside a service's transaction, delivered after it commits.

`publish_in(s, ...)` is all a capability calls. What happens next depends on the
database, chosen once by the composition root:

- SQLite (one `careline serve` process): the event waits on the session and goes to
  this process's open streams after the commit; a rollback drops it.
- PostgreSQL (several processes behind a load balancer, workers elsewhere): the event
  is a `pg_notify` inside the same transaction, so PostgreSQL itself delivers it on
  commit (and drops it on rollback) to every process listening on the channel; each
  `careline serve` runs one listener thread that feeds its own streams.

Either way an event is only ever a hint to refetch: a lost one costs freshness, never
correctness, and screens also refetch on a slow timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import event as sa_event
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from careline.core.clock import Clock
from careline.events.model import Audience, EventKind, LiveEvent, sse_frame
from careline.security.model import Permission

log = logging.getLogger(__name__)

#: The key under which a session factory carries the hub (`session_info`).
SESSION_KEY = "careline.events"
_PENDING_KEY = "careline.events.pending"
CHANNEL = "careline_events"
#: Events one slow browser may fall behind by before it is told to refetch everything.
STREAM_BUFFER = 256
#: A comment line this often keeps proxies from closing an idle stream.
HEARTBEAT_SECONDS = 15.0


class _Subscriber:
    """One open stream: a bounded queue on the event loop that serves it."""

    def __init__(self, loop: asyncio.AbstractEventLoop, audience: Audience) -> None:
        self.loop = loop
        self.audience = audience
        self.queue: asyncio.Queue[LiveEvent] = asyncio.Queue(maxsize=STREAM_BUFFER)
        self.behind = False

    def offer(self, event: LiveEvent) -> None:
        """Runs on the subscriber's loop. A full queue is replaced by one resync."""
        if self.behind:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.behind = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(
                LiveEvent(
                    kind=EventKind.resync,
                    permission=event.permission,
                    location_id=None,
                    at=event.at,
                )
            )


class Transport(Protocol):
    """How committed events reach streams: `before_commit` runs inside the publishing
    transaction, `after_commit` once it has committed."""

    def before_commit(self, s: Session, events: list[LiveEvent]) -> None: ...
    def after_commit(self, hub: EventHub, events: list[LiveEvent]) -> None: ...
    def start(self, hub: EventHub) -> None: ...
    def stop(self) -> None: ...


@dataclass
class EventHub:
    """This process's open streams, and the transport that feeds them."""

    clock: Clock
    transport: Transport | None = None
    _subscribers: set[_Subscriber] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _started: bool = False

    def session_info(self) -> dict[str, Any]:
        """What the session factory carries so `publish_in(s)` finds this hub."""
        return {SESSION_KEY: self}

    def deliver(self, events: list[LiveEvent]) -> None:
        """Hand events to every stream that may hear them (thread-safe)."""
        with self._lock:
            subscribers = list(self._subscribers)
        for sub in subscribers:
            for ev in events:
                if sub.audience.hears(ev):
                    with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                        sub.loop.call_soon_threadsafe(sub.offer, ev)

    def subscribe(self, audience: Audience) -> _Subscriber:
        sub = _Subscriber(asyncio.get_running_loop(), audience)
        with self._lock:
            self._subscribers.add(sub)
            start = not self._started
            self._started = True
        if start and self.transport is not None:
            # The PostgreSQL listener starts with the first stream, so CLI commands and
            # workers (which publish but never stream) never hold a listening connection.
            self.transport.start(self)
        return sub

    def unsubscribe(self, sub: _Subscriber) -> None:
        with self._lock:
            self._subscribers.discard(sub)

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.stop()


class LocalTransport:
    """SQLite: deliver to this process's streams once the transaction commits."""

    def before_commit(self, s: Session, events: list[LiveEvent]) -> None:
        return None

    def after_commit(self, hub: EventHub, events: list[LiveEvent]) -> None:
        hub.deliver(events)

    def start(self, hub: EventHub) -> None:
        return None

    def stop(self) -> None:
        return None


def watch(factory: sessionmaker[Session]) -> None:
    """Hook a session factory's commits and rollbacks once (the composition root)."""
    sa_event.listen(factory, "before_commit", _before_commit)
    sa_event.listen(factory, "after_commit", _after_commit)
    sa_event.listen(factory, "after_soft_rollback", _after_rollback)


def _pending(s: Session) -> dict[str, LiveEvent]:
    """This transaction's events, once each (a step that moves three agents and one
    queue entry tells each screen once, not once per row)."""
    pending: dict[str, LiveEvent] | None = s.info.get(_PENDING_KEY)
    if pending is None:
        pending = s.info[_PENDING_KEY] = {}
    return pending


def _forget(s: Session) -> list[LiveEvent]:
    pending: dict[str, LiveEvent] = s.info.pop(_PENDING_KEY, None) or {}
    return list(pending.values())


def _before_commit(s: Session) -> None:
    hub: EventHub | None = s.info.get(SESSION_KEY)
    pending: dict[str, LiveEvent] = s.info.get(_PENDING_KEY) or {}
    if hub is not None and hub.transport is not None and pending:
        hub.transport.before_commit(s, list(pending.values()))


def _after_commit(s: Session) -> None:
    events = _forget(s)
    hub: EventHub | None = s.info.get(SESSION_KEY)
    if hub is not None and hub.transport is not None and events:
        hub.transport.after_commit(hub, events)


def _after_rollback(s: Session, _previous_transaction: Any) -> None:
    _forget(s)


class PostgresTransport:
    """PostgreSQL: NOTIFY in the publishing transaction; one LISTEN thread per process."""

    def __init__(self, url: URL, *, reconnect_seconds: float = 1.0) -> None:
        # psycopg takes a libpq URL, without SQLAlchemy's "+driver" part.
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._reconnect = reconnect_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()

    def before_commit(self, s: Session, events: list[LiveEvent]) -> None:
        # NOTIFY is transactional: PostgreSQL sends these on commit, drops them on
        # rollback, and delivers them to this process's own listener too.
        for ev in events:
            s.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANNEL, "payload": ev.to_json()},
            )

    def after_commit(self, hub: EventHub, events: list[LiveEvent]) -> None:
        return None

    def start(self, hub: EventHub) -> None:
        self._thread = threading.Thread(
            target=self._listen, args=(hub,), name="careline-events-listen", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _listen(self, hub: EventHub) -> None:
        import psycopg

        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if not first:
                        # Events may have been sent while we were not listening.
                        hub.deliver([_resync(hub.clock)])
                    first = False
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            _deliver_notification(hub, note.payload)
            except Exception as error:  # the listener must outlive outages
                self.listening.clear()
                log.warning("live events: listener lost its connection (%s)", type(error).__name__)
                self._stop.wait(self._reconnect)


def _deliver_notification(hub: EventHub, payload: str) -> None:
    try:
        hub.deliver([LiveEvent.from_json(payload)])
    except (ValueError, KeyError, TypeError):
        log.warning("live events: ignored a malformed notification")


def _resync(clock: Clock) -> LiveEvent:
    return LiveEvent(
        kind=EventKind.resync,
        permission=Permission.directory_read,
        location_id=None,
        at=clock.now(),
    )


def transport_for(url: URL) -> Transport:
    return PostgresTransport(url) if url.get_backend_name() == "postgresql" else LocalTransport()


def publish_in(
    s: Session,
    *,
    kind: EventKind | str,
    permission: Permission,
    location_id: str | None,
    staff_id: str | None = None,
    ids: dict[str, str] | None = None,
) -> None:
    """Tell the screens that may see it that something changed, once `s` commits.

    `ids` are opaque ids only (never names, numbers or text). Sessions made outside the
    composition root carry no hub: publishing there is a no-op, by design.
    """
    hub: EventHub | None = s.info.get(SESSION_KEY)
    if hub is None or hub.transport is None:
        return
    event = LiveEvent(
        kind=EventKind(kind),
        permission=permission,
        location_id=location_id,
        staff_id=staff_id,
        at=hub.clock.now(),
        ids=dict(ids or {}),
    )
    key = f"{event.kind}|{permission}|{location_id}|{staff_id}|{sorted(event.ids.items())}"
    _pending(s).setdefault(key, event)


async def stream(
    hub: EventHub,
    audience: Audience,
    *,
    still_signed_in: Callable[[], bool],
    recheck_seconds: float = 30.0,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
) -> AsyncIterator[str]:
    """The text/event-stream of one browser tab, until the client goes away or its
    session ends (checked every `recheck_seconds`, in a thread: it reads the database).
    """
    sub = hub.subscribe(audience)
    loop = asyncio.get_running_loop()
    sent = 0
    try:
        yield "retry: 3000\n: connected\n\n"
        next_check = loop.time() + recheck_seconds
        while True:
            timeout = min(heartbeat_seconds, max(0.0, next_check - loop.time()))
            try:
                ev = await asyncio.wait_for(sub.queue.get(), timeout=timeout)
            except TimeoutError:
                if loop.time() >= next_check:
                    if not await asyncio.to_thread(still_signed_in):
                        yield "event: signed-out\ndata: {}\n\n"
                        return
                    next_check = loop.time() + recheck_seconds
                yield ": keep-alive\n\n"
                continue
            if ev.kind is EventKind.resync:
                sub.behind = False
            sent += 1
            yield sse_frame(ev, event_id=sent)
    finally:
        hub.unsubscribe(sub)
