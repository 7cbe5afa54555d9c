"""Live events over Server-Sent Events, through a real uvicorn server on loopback:
an offer reaches the agent it rings (and nobody else's desk), a clinic's queue
screens hear its queue move and another clinic's do not, a rolled-back change tells
nobody, several server processes on PostgreSQL stay in step through LISTEN/NOTIFY,
and a stream neither keeps a session alive nor outlives it."""

from __future__ import annotations

import asyncio
import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from careline.api.app import create_app
from careline.bootstrap import build_runtime
from careline.core.db import transaction
from careline.events import service as events
from careline.events.model import Audience, EventKind, LiveEvent
from careline.events.service import STREAM_BUFFER, EventHub, PostgresTransport, _Subscriber
from careline.security.model import Actor, Permission, Role, RoleGrant
from careline.security.tables import SessionRow
from live import live_server

FRONT_DESK = "+13125550180"
WAIT = 5.0  # seconds a test waits for an event that must come


@dataclass
class Frame:
    kind: str
    data: dict


class Stream:
    """One browser tab's EventSource, read on a thread into a queue."""

    def __init__(self, base: str, cookies: httpx.Cookies) -> None:
        self.closing = threading.Event()
        self.frames: queue.Queue[Frame] = queue.Queue()
        self.opened = threading.Event()
        self._client = httpx.Client(base_url=base, cookies=cookies, timeout=None)
        self._response: httpx.Response | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self.opened.wait(WAIT), "the event stream did not open"

    def _read(self) -> None:
        kind = "message"
        try:
            with self._client.stream("GET", "/api/v1/events") as response:
                self._response = response
                self.status = response.status_code
                for line in response.iter_lines():
                    if self.closing.is_set():  # woken by a keep-alive at the latest
                        return
                    if line.startswith(": connected"):
                        self.opened.set()
                    elif line.startswith("event: "):
                        kind = line[7:]
                    elif line.startswith("data: "):
                        self.frames.put(Frame(kind, json.loads(line[6:])))
                        kind = "message"
        except (httpx.HTTPError, RuntimeError):
            return  # the stream was closed under us: the test closing this tab
        finally:
            self.opened.set()

    def next(self, kind: str, timeout: float = WAIT) -> Frame:
        """The next frame of this kind (others are skipped); fails after `timeout`."""
        deadline = threading.Event()
        timer = threading.Timer(timeout, deadline.set)
        timer.start()
        try:
            while not deadline.is_set():
                try:
                    frame = self.frames.get(timeout=0.05)
                except queue.Empty:
                    continue
                if frame.kind == kind:
                    return frame
            raise AssertionError(f"no {kind!r} event within {timeout} s")
        finally:
            timer.cancel()

    def drain(self, settle: float = 0.5) -> list[Frame]:
        """Everything that arrives within `settle` seconds."""
        out: list[Frame] = []
        try:
            while True:
                out.append(self.frames.get(timeout=settle))
        except queue.Empty:
            return out

    def close(self) -> None:
        self.closing.set()
        self._thread.join(timeout=5)
        self._client.close()


def sign_in(base: str, user, clock) -> httpx.Cookies:
    r = httpx.post(
        f"{base}/api/v1/auth/login",
        json={"username": user.username, "password": user.password, "totp": user.code(clock)},
    )
    assert r.status_code == 200, r.text
    clock.advance(timedelta(seconds=31))  # each TOTP code works once
    return r.cookies


@contextmanager
def streams_on(rt) -> Iterator[str]:
    # Keep-alives every 0.2 s, so a closed test tab is noticed at once.
    rt.settings.live_heartbeat_seconds = 0.2
    with live_server(create_app(rt)) as base:
        yield base


def wait_listening(rt) -> None:
    """On PostgreSQL the stream's listener connects in the background: wait for it."""
    transport = rt.events.transport
    if isinstance(transport, PostgresTransport):
        assert transport.listening.wait(WAIT), "the LISTEN connection did not come up"


def test_an_offer_reaches_the_agent_it_rings_and_the_clinics_queue_screens_only(
    rt, clock, clinic, hire, make_user, make_location, line
):
    other_clinic = make_location("Lakeside")
    agent = make_user((Role.agent, clinic))
    colleague = make_user((Role.agent, clinic))
    hire(clinic, FRONT_DESK, skills=["scheduling"], user_id=agent.id)
    hire(clinic, "+13125550181", skills=["billing"], available=False, user_id=colleague.id)
    supervisor_here = make_user((Role.supervisor, clinic))
    supervisor_elsewhere = make_user((Role.supervisor, other_clinic))
    with streams_on(rt) as base:
        tabs = {
            who: Stream(base, sign_in(base, user, clock))
            for who, user in (
                ("agent", agent),
                ("colleague", colleague),
                ("here", supervisor_here),
                ("elsewhere", supervisor_elsewhere),
            )
        }
        wait_listening(rt)
        try:
            call = line("+17735550120")
            call.voice("incoming")
            call.voice("gather", Digits="1")
            call.voice("gather", Digits="1")
            call.wait()  # matched: the agent's phone rings
            offered = tabs["agent"].next("desk")
            while "entry_id" not in offered.data["ids"]:  # its presence moved first
                offered = tabs["agent"].next("desk")
            entry_id = offered.data["ids"]["entry_id"]
            assert set(offered.data) == {"kind", "at", "ids"}  # no audience, no PHI
            queue_event = tabs["here"].next("queue")
            assert queue_event.data["ids"]["entry_id"] == entry_id
            # Within the same step the agent's presence moved (busy): the wall hears it.
            assert tabs["here"].next("presence").data["ids"]
            # Another clinic's supervisor, and a colleague's desk, hear nothing of it.
            assert tabs["elsewhere"].drain() == []
            assert [f for f in tabs["colleague"].drain() if f.kind == "desk"] == []
        finally:
            for tab in tabs.values():
                tab.close()


def test_a_rolled_back_change_tells_nobody_and_a_committed_one_tells_each_screen_once(
    rt, clock, make_user, make_location
):
    clinic = make_location("Riverside")
    viewer = make_user((Role.supervisor, clinic))
    with streams_on(rt) as base:
        tab = Stream(base, sign_in(base, viewer, clock))
        wait_listening(rt)
        try:
            with pytest.raises(RuntimeError), transaction(rt.sessions) as s:
                events.publish_in(
                    s,
                    kind=EventKind.queue,
                    permission=Permission.directory_read,
                    location_id=clinic,
                    ids={"entry_id": "rolled-back"},
                )
                raise RuntimeError("the step failed")
            with transaction(rt.sessions) as s:
                for _ in range(3):  # the same change, three times in one transaction
                    events.publish_in(
                        s,
                        kind=EventKind.queue,
                        permission=Permission.directory_read,
                        location_id=clinic,
                        ids={"entry_id": "kept"},
                    )
            frames = [tab.next("queue"), *tab.drain()]
            assert [f.data["ids"]["entry_id"] for f in frames if f.kind == "queue"] == ["kept"]
        finally:
            tab.close()


def test_ids_only_an_event_refuses_free_text(rt, clock):
    with pytest.raises(ValueError, match="opaque ids"):
        LiveEvent(
            kind=EventKind.task,
            permission=Permission.patients_read,
            location_id=None,
            at=clock.now(),
            ids={"note": "Patient says her chest has hurt since breakfast, please call"},
        )


def test_two_server_processes_stay_in_step_on_postgresql_and_only_there(
    rt, settings, clock, make_user, make_location
):
    """PostgreSQL: an event committed by one process (a server or a worker) reaches
    another server's streams. SQLite runs one server process: events stay in the
    process that committed them, and a second process hears nothing (screens there
    fall back to refetching on their timer)."""
    clinic = make_location("Riverside")
    viewer = make_user((Role.supervisor, clinic))
    second = build_runtime(settings, clock=clock)  # another `careline serve`, same database
    on_postgresql = rt.engine.url.get_backend_name() == "postgresql"
    try:
        with streams_on(second) as base:
            tab = Stream(base, sign_in(base, viewer, clock))
            wait_listening(second)
            try:
                with transaction(rt.sessions) as s:  # the first process (or a worker)
                    events.publish_in(
                        s,
                        kind=EventKind.task,
                        permission=Permission.directory_read,
                        location_id=clinic,
                        ids={"task_id": "t-1"},
                    )
                if on_postgresql:
                    assert tab.next("task").data["ids"] == {"task_id": "t-1"}
                else:
                    assert [f for f in tab.drain(settle=1.0) if f.kind == "task"] == []
            finally:
                tab.close()
    finally:
        second.events.close()
        second.engine.dispose()


def test_opening_a_stream_does_not_keep_an_idle_session_alive(rt, clock, make_user, make_location):
    clinic = make_location("Riverside")
    viewer = make_user((Role.supervisor, clinic))
    with streams_on(rt) as base:
        cookies = sign_in(base, viewer, clock)
        with transaction(rt.sessions) as s:
            before = s.execute(select(SessionRow.last_seen_at)).scalars().all()
        clock.advance(timedelta(minutes=5))
        tab = Stream(base, cookies)
        tab.close()
        with transaction(rt.sessions) as s:
            after = s.execute(select(SessionRow.last_seen_at)).scalars().all()
        assert after == before
        # Past the idle limit the session is over, stream or no stream.
        clock.advance(timedelta(minutes=rt.settings.session_idle_minutes))
        r = httpx.get(f"{base}/api/v1/events", cookies=cookies)
        assert r.status_code == 401


def test_a_stream_ends_with_signed_out_when_its_session_does(clock):
    hub = EventHub(clock=clock, transport=events.LocalTransport())
    signed_in = {"yes": True}
    actor = Actor(user_id="u", username="u", grants=(RoleGrant(Role.supervisor, None),))

    async def run() -> list[str]:
        frames: list[str] = []
        gen = events.stream(
            hub,
            Audience(actor=actor, staff_id=None),
            still_signed_in=lambda: signed_in["yes"],
            recheck_seconds=0.05,
            heartbeat_seconds=0.05,
        )
        async for frame in gen:
            frames.append(frame)
            if len(frames) == 3:
                signed_in["yes"] = False
        return frames

    frames = asyncio.run(asyncio.wait_for(run(), timeout=5))
    assert frames[-1].startswith("event: signed-out")
    assert hub.subscriber_count == 0  # the stream let go of its subscription


def test_a_browser_that_falls_behind_is_told_to_refetch_everything(clock):
    actor = Actor(user_id="u", username="u", grants=(RoleGrant(Role.supervisor, None),))

    async def run() -> list[LiveEvent]:
        sub = _Subscriber(asyncio.get_running_loop(), Audience(actor=actor, staff_id=None))
        for n in range(STREAM_BUFFER + 10):
            sub.offer(
                LiveEvent(
                    kind=EventKind.queue,
                    permission=Permission.directory_read,
                    location_id=None,
                    at=clock.now(),
                    ids={"entry_id": str(n)},
                )
            )
        return [sub.queue.get_nowait() for _ in range(sub.queue.qsize())]

    kept = asyncio.run(run())
    assert [e.kind for e in kept] == [EventKind.resync]


def test_who_hears_what():
    here, there = "loc-here", "loc-there"
    nurse = Audience(
        actor=Actor(user_id="n", username="n", grants=(RoleGrant(Role.clinician, here),)),
        staff_id="staff-nurse",
    )

    def ev(kind: EventKind, permission: Permission, location: str | None, staff: str | None = None):
        from datetime import UTC, datetime

        return LiveEvent(
            kind=kind,
            permission=permission,
            location_id=location,
            staff_id=staff,
            at=datetime(2026, 1, 1, tzinfo=UTC),
        )

    assert nurse.hears(ev(EventKind.task, Permission.patients_read, here))
    assert not nurse.hears(ev(EventKind.task, Permission.patients_read, there))
    assert not nurse.hears(ev(EventKind.task, Permission.users_manage, here))
    assert nurse.hears(ev(EventKind.desk, Permission.presence_write, None, "staff-nurse"))
    assert not nurse.hears(ev(EventKind.desk, Permission.presence_write, None, "staff-other"))
    assert nurse.hears(ev(EventKind.resync, Permission.users_manage, there))
