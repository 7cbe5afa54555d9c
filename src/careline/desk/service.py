"""The agent desk: live calls meet available agents.

Callers wait in provider queues (TwiML `<Enqueue>`); the provider asks the wait
URL again and again while they wait. Each time, and whenever an agent becomes
available, careline matches waiting calls to agents with the routing core —
`select_agent` in priority order for calls, `next_call_for` for an agent who just
became free — and reserves the agent (presence busy, phone about to ring). The
caller's next wait request takes them out of the queue (`<Leave/>`) and the edge
dials the agent. The agent's answer, hang-up or missed ring moves presence
(answered, wrap-up, away) with the same routing-core functions the simulator uses.

Matching runs under one lock (a PostgreSQL advisory lock; SQLite's write lock),
so two webhooks never hand one agent two calls. No PHI here: ids and codes only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import NotFound
from careline.desk.model import (
    HOLDING,
    Connected,
    CurrentCallView,
    DeskView,
    DialEnd,
    EntryFacts,
    EntryStatus,
    Offer,
    WaitingCallView,
    agent_state,
    queued_call,
)
from careline.desk.tables import QueueEntryRow
from careline.directory import service as directory
from careline.directory.model import PresenceState, RoutingStaff
from careline.events import service as events
from careline.events.model import EventKind
from careline.routing.model import (
    DEFAULT_POLICY,
    AgentState,
    PresenceConflict,
    QueuedCall,
    answer_call,
    call_order,
    end_call,
    finish_wrap_up,
    miss_call,
    next_call_for,
    offer_call,
    qualifies,
    select_agent,
    set_presence,
    withdraw_offer,
)
from careline.runtime import Runtime
from careline.security import audit
from careline.security.model import Actor, Permission

log = logging.getLogger("careline.desk")

#: Any 64-bit key nobody else uses: serialises matching on PostgreSQL.
_DESK_LOCK = 0x6361_7265_6465_736B  # "caredesk"
_OPEN = (EntryStatus.waiting.value, EntryStatus.offered.value, EntryStatus.connected.value)


class NotAnAgent(NotFound):
    error_id = "no-staff-record"
    title = "You have no staff record"


def _lock(s: Session) -> None:
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _DESK_LOCK})


def _facts(row: QueueEntryRow) -> EntryFacts:
    return EntryFacts(
        id=row.id,
        call_sid=row.call_sid,
        department=row.department,
        priority=row.priority,
        language=row.language,
        location_id=row.location_id,
        home_location_id=row.home_location_id,
        entered_at=row.entered_at,
        status=EntryStatus(row.status),
        staff_id=row.staff_id,
        answered_at=row.answered_at,
    )


@dataclass
class _Floor:
    """Everyone and everything the matcher looks at, inside one locked transaction."""

    s: Session
    now: datetime
    rows: dict[str, QueueEntryRow]  # open entries by call sid
    staff: dict[str, RoutingStaff]
    agents: dict[str, AgentState]
    offers: dict[str, Offer] = field(default_factory=dict)  # made in this pass, by sid

    def waiting(self) -> list[QueuedCall]:
        return [
            queued_call(_facts(r)) for r in self.rows.values() if r.status == EntryStatus.waiting
        ]

    def move(self, agent: AgentState) -> None:
        self.agents[agent.staff_id] = agent
        directory.move_presence(
            self.s, staff_id=agent.staff_id, state=agent.presence, since=agent.since
        )
        _tell_presence(self.s, agent)

    def reserve(self, call: QueuedCall, agent: AgentState, *, interpreter: bool) -> Offer:
        row = self.rows[call.id]
        self.move(offer_call(agent, call.id, self.now))
        preferred = call.preferred_location
        overflow = preferred is not None and preferred not in agent.location_ids
        row.status = EntryStatus.offered.value
        row.staff_id = agent.staff_id
        row.offered_at = self.now
        row.answered_at = None
        row.interpreter = interpreter
        row.overflow = overflow
        row.offers = (row.offers or 0) + 1
        row.updated_at = self.now
        offer = _offer(row, self.staff[agent.staff_id])
        self.offers[call.id] = offer
        _tell_queue(self.s, row)
        return offer


def _tell_queue(s: Session, row: QueueEntryRow, *, also: str | None = None) -> None:
    """Live events for a queue entry that changed: the clinic's queue screens, and the
    desk of the agent it rings or left (`also`). Ids only, never the caller."""
    if row.id is None:
        s.flush()
    events.publish_in(
        s,
        kind=EventKind.queue,
        permission=Permission.directory_read,
        location_id=row.location_id,
        ids={"entry_id": row.id},
    )
    for staff_id in {row.staff_id, also} - {None}:
        events.publish_in(
            s,
            kind=EventKind.desk,
            permission=Permission.presence_write,
            location_id=None,
            staff_id=staff_id,
            ids={"entry_id": row.id},
        )


def _tell_presence(s: Session, agent: AgentState) -> None:
    """An agent's state moved: their own desk, and the walls of their clinics."""
    events.publish_in(
        s,
        kind=EventKind.desk,
        permission=Permission.presence_write,
        location_id=None,
        staff_id=agent.staff_id,
        ids={"staff_id": agent.staff_id},
    )
    located: list[str | None] = [*sorted(agent.location_ids)]
    for location_id in located or [None]:
        events.publish_in(
            s,
            kind=EventKind.presence,
            permission=Permission.directory_read,
            location_id=location_id,
            ids={"staff_id": agent.staff_id},
        )


def _offer(row: QueueEntryRow, staff: RoutingStaff) -> Offer:
    assert staff.endpoint is not None  # agents without one are never offered calls
    return Offer(
        entry_id=row.id,
        call_sid=row.call_sid,
        staff_id=staff.staff_id,
        endpoint=staff.endpoint,
        department=row.department,
        priority=row.priority,
        language=row.language,
        location_id=row.location_id,
        interpreter=bool(row.interpreter),
        overflow=bool(row.overflow),
    )


def _not_before(
    now: datetime, agents: Iterable[AgentState], rows: Iterable[QueueEntryRow]
) -> datetime:
    """The floor's time, never earlier than what it already recorded (issue 11, item
    16): with two servers slightly out of sync, or a clock stepped back, a presence
    change "before the previous one" made the waiting caller's step fail and the call
    drop. Time on the floor stands still for a moment instead."""
    latest = [now, *(a.since for a in agents)]
    for r in rows:
        latest.extend(t for t in (r.updated_at, r.offered_at, r.answered_at) if t is not None)
    return max(latest)


def _floor(s: Session, now: datetime, wrap_up: timedelta) -> _Floor:
    """Lock, load, and end the wrap-ups that ran past the limit."""
    _lock(s)
    rows = {
        r.call_sid: r
        for r in s.execute(select(QueueEntryRow).where(QueueEntryRow.status.in_(_OPEN))).scalars()
    }
    holding = {r.staff_id: _facts(r) for r in rows.values() if r.staff_id and r.status in HOLDING}
    staff = {
        st.staff_id: st
        for st in directory.routing_staff(
            s,
            presences=(PresenceState.available, PresenceState.busy, PresenceState.wrap_up),
            lock=True,
        )
    }
    agents = {sid: agent_state(st, holding.get(sid)) for sid, st in staff.items()}
    now = _not_before(now, agents.values(), rows.values())
    floor = _Floor(s=s, now=now, rows=rows, staff=staff, agents=agents)
    for agent in list(agents.values()):
        if agent.presence is PresenceState.wrap_up and agent.since + wrap_up <= now:
            floor.move(finish_wrap_up(agent, agent.since + wrap_up))
        elif agent.presence is PresenceState.busy and agent.call_id is None:
            # Busy with no call in our queues (a crash between steps, or set by hand
            # through the directory): nothing will ever free them but this.
            floor.move(replace(agent, presence=PresenceState.available, since=now))
    return floor


def _match_calls(floor: _Floor) -> None:
    """Every waiting call, highest priority and longest waiting first, gets the best
    available agent the routing core allows (options widen as calls wait)."""
    for call in sorted(floor.waiting(), key=call_order):
        free = [a for a in floor.agents.values() if a.presence is PresenceState.available]
        if not free:
            return
        match = select_agent(call, list(floor.agents.values()), floor.now, DEFAULT_POLICY)
        if match is not None:
            floor.reserve(call, match.agent, interpreter=match.interpreter)


def _serve_agent(floor: _Floor, staff_id: str) -> None:
    """An agent just became available: the call the routing core picks for them."""
    agent = floor.agents.get(staff_id)
    if agent is None or agent.presence is not PresenceState.available:
        return
    chosen = next_call_for(
        agent, floor.waiting(), floor.now, agents=list(floor.agents.values()), policy=DEFAULT_POLICY
    )
    if chosen is not None:
        floor.reserve(chosen, agent, interpreter=not agent.speaks(chosen))


def _reserved_for_others(rt: Runtime, floor: _Floor, requesting: str | None) -> None:
    """After commit: agents reserved in this pass for callers other than `requesting`
    are still in the provider's queue; the voice edge takes them out now. Never fails
    the caller's own step (their next wait request takes them out anyway)."""
    offers = [o for sid, o in floor.offers.items() if sid != requesting]
    if not offers or rt.on_agents_reserved is None:
        return
    try:
        rt.on_agents_reserved(rt, offers)
    except Exception:  # the redirect is an optimisation; the wait pass is the guarantee
        log.warning("taking reserved callers out of the queue failed", exc_info=False)


def _wrap_up(rt: Runtime) -> timedelta:
    return timedelta(seconds=rt.settings.wrap_up_seconds)


# ---------------------------------------------------------------- the voice edge's side


def enqueue(
    rt: Runtime,
    *,
    call_sid: str,
    department: str,
    priority: str,
    language: str | None,
    location_id: str | None,
    home_location_id: str | None,
) -> None:
    """The flow put a caller in line (a new place: the time in line starts now)."""
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(QueueEntryRow).where(QueueEntryRow.call_sid == call_sid).with_for_update()
        ).scalar_one_or_none()
        if row is None:
            row = QueueEntryRow(call_sid=call_sid, offers=0)
            s.add(row)
        elif row.status in (EntryStatus.offered.value, EntryStatus.connected.value):
            return  # an agent holds it already; a replayed webhook must not undo that
        row.department = department[:40]
        row.priority = priority[:20]
        row.language = (language or None) and language[:20]
        row.location_id = location_id
        row.home_location_id = home_location_id
        row.entered_at = now
        row.status = EntryStatus.waiting.value
        row.staff_id = None
        row.offered_at = row.answered_at = row.ended_at = None
        row.interpreter = row.overflow = False
        row.updated_at = now
        _tell_queue(s, row)


def review(rt: Runtime, *, call_sid: str) -> Offer | None:
    """A waiting caller's wait request: match the floor, then say whether this call
    has an agent's phone ringing for it (take it out of the queue) or waits on."""
    with transaction(rt.sessions) as s:
        floor = _floor(s, rt.clock.now(), _wrap_up(rt))
        row = floor.rows.get(call_sid)
        if row is None:
            return None
        if row.status == EntryStatus.waiting.value:
            _match_calls(floor)
        mine = (
            _offer(row, floor.staff[row.staff_id])
            if row.status == EntryStatus.offered.value and row.staff_id in floor.staff
            else None
        )
    _reserved_for_others(rt, floor, call_sid)
    return mine


def current_offer(rt: Runtime, *, call_sid: str) -> Offer | None:
    """The agent this call was taken out of the queue for (None: none any more)."""
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(QueueEntryRow).where(QueueEntryRow.call_sid == call_sid)
        ).scalar_one_or_none()
        if row is None or row.status != EntryStatus.offered.value or row.staff_id is None:
            return None
        staff = directory.routing_staff(s, staff_ids=[row.staff_id])
        if not staff or staff[0].endpoint is None:
            return None
        return _offer(row, staff[0])


def entry_facts(rt: Runtime, *, call_sid: str) -> EntryFacts | None:
    """Where a call stands in careline's queues (None: it never entered one)."""
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(QueueEntryRow).where(QueueEntryRow.call_sid == call_sid)
        ).scalar_one_or_none()
        return _facts(row) if row is not None else None


def answered(rt: Runtime, *, entry_id: str) -> Connected | None:
    """The agent picked up (the whisper plays on their leg). None: the offer is
    gone (the caller hung up while it rang)."""
    with transaction(rt.sessions) as s:
        floor = _floor(s, rt.clock.now(), _wrap_up(rt))
        row = next((r for r in floor.rows.values() if r.id == entry_id), None)
        if row is None or row.staff_id is None:
            return None
        if row.status == EntryStatus.connected.value:  # a retried whisper request
            return _connected(row, floor.now)
        agent = floor.agents.get(row.staff_id)
        if row.status != EntryStatus.offered.value or agent is None:
            return None
        floor.agents[agent.staff_id] = answer_call(agent, row.call_sid, floor.now)
        row.status = EntryStatus.connected.value
        row.answered_at = floor.now
        row.updated_at = floor.now
        _tell_queue(s, row)
        return _connected(row, floor.now)


def _connected(row: QueueEntryRow, now: datetime) -> Connected:
    assert row.staff_id is not None and row.answered_at is not None
    return Connected(
        call_sid=row.call_sid,
        staff_id=row.staff_id,
        waited_seconds=max(0, int((row.answered_at - row.entered_at).total_seconds())),
        interpreter=bool(row.interpreter),
        overflow=bool(row.overflow),
        department=row.department,
        priority=row.priority,
        language=row.language,
    )


def dial_ended(rt: Runtime, *, entry_id: str) -> DialEnd:
    """The provider reports the agent's leg ended (the Dial's action). Answered calls
    go to wrap-up; a missed ring makes the agent away and puts the call back in line
    with its place kept — ringing the next free agent at once if there is one."""
    with transaction(rt.sessions) as s:
        floor = _floor(s, rt.clock.now(), _wrap_up(rt))
        row = next((r for r in floor.rows.values() if r.id == entry_id), None)
        if row is None:
            done = s.get(QueueEntryRow, entry_id)
            sid = done.call_sid if done is not None else ""
            return DialEnd(call_sid=sid, staff_id=None, answered=False, next_offer=None, entry=None)
        staff_id = row.staff_id
        agent = floor.agents.get(staff_id) if staff_id else None
        if row.status == EntryStatus.connected.value:
            if agent is not None and agent.call_id == row.call_sid:
                floor.move(end_call(agent, row.call_sid, floor.now))
            row.status = EntryStatus.done.value
            row.ended_at = floor.now
            row.updated_at = floor.now
            _tell_queue(s, row)
            return DialEnd(row.call_sid, staff_id, True, None, _facts(row))
        if row.status == EntryStatus.offered.value and agent is not None:
            floor.move(miss_call(agent, row.call_sid, floor.now))
        row.status = EntryStatus.waiting.value
        row.staff_id = None
        row.offered_at = None
        row.updated_at = floor.now
        _tell_queue(s, row, also=staff_id)
        _match_calls(floor)
        ended = DialEnd(row.call_sid, staff_id, False, floor.offers.get(row.call_sid), _facts(row))
    _reserved_for_others(rt, floor, ended.call_sid)
    return ended


def caller_left(rt: Runtime, *, call_sid: str) -> None:
    """The caller left the queue without an agent (hung up, overflowed, chose a call
    back): drop the entry and free an agent whose phone was ringing for them."""
    with transaction(rt.sessions) as s:
        floor = _floor(s, rt.clock.now(), _wrap_up(rt))
        row = floor.rows.get(call_sid)
        if row is None or row.status == EntryStatus.connected.value:
            return
        agent = floor.agents.get(row.staff_id) if row.staff_id else None
        if row.status == EntryStatus.offered.value and agent is not None:
            floor.move(withdraw_offer(agent, call_sid, floor.now))
        row.status = EntryStatus.left.value
        row.ended_at = floor.now
        row.updated_at = floor.now
        _tell_queue(s, row)
        if agent is not None:
            _serve_agent(floor, agent.staff_id)


def finished(rt: Runtime, *, call_sid: str) -> None:
    """The whole call ended (status callback): nothing of it may hold an agent."""
    with transaction(rt.sessions) as s:
        floor = _floor(s, rt.clock.now(), _wrap_up(rt))
        row = floor.rows.get(call_sid)
        if row is None:
            return
        agent = floor.agents.get(row.staff_id) if row.staff_id else None
        if agent is not None and agent.call_id == call_sid:
            if agent.answered_at is not None:
                floor.move(end_call(agent, call_sid, floor.now))
            else:
                floor.move(withdraw_offer(agent, call_sid, floor.now))
        row.status = EntryStatus.done.value if row.answered_at else EntryStatus.left.value
        row.ended_at = floor.now
        row.updated_at = floor.now
        _tell_queue(s, row)


# ---------------------------------------------------------------- the agent's side


def _one_staff(s: Session, staff_id: str) -> RoutingStaff:
    [staff] = directory.routing_staff(s, staff_ids=[staff_id])
    return staff


def _my_staff_id(s: Session, actor: Actor) -> str:
    staff_id = directory.staff_id_for_user(s, user_id=actor.user_id) if actor.user_id else None
    if staff_id is None:
        raise NotAnAgent(
            "Your user account is not linked to a staff record, so it cannot take calls. "
            "Ask an administrator to set user_id on your staff record."
        )
    return staff_id


def _desk_view(s: Session, staff_id: str, now: datetime) -> DeskView:
    me = _one_staff(s, staff_id)
    rows = list(s.execute(select(QueueEntryRow).where(QueueEntryRow.status.in_(_OPEN))).scalars())
    mine = next(
        (r for r in rows if r.staff_id == staff_id and r.status in {h.value for h in HOLDING}),
        None,
    )
    probe = agent_state(me, None)
    waiting: dict[str, int] = {}
    for r in rows:
        if r.status == EntryStatus.waiting.value and qualifies(probe, queued_call(_facts(r))):
            waiting[r.priority] = waiting.get(r.priority, 0) + 1
    current = None
    if mine is not None:
        current = CurrentCallView(
            entry_id=mine.id,
            status=EntryStatus(mine.status),
            department=mine.department,
            priority=mine.priority,
            language=mine.language,
            location_id=mine.location_id,
            entered_at=mine.entered_at,
            offered_at=mine.offered_at,
            answered_at=mine.answered_at,
            interpreter=bool(mine.interpreter),
            overflow=bool(mine.overflow),
        )
    return DeskView(
        staff_id=staff_id,
        presence=me.presence,
        presence_since=me.since,
        current_call=current,
        waiting_for_me=waiting,
    )


def my_desk(rt: Runtime, *, actor: Actor) -> DeskView:
    """The signed-in agent's presence, current call and the calls waiting for them."""
    with transaction(rt.sessions) as s:
        staff_id = _my_staff_id(s, actor)
        floor = _floor(s, rt.clock.now(), _wrap_up(rt))
        return _desk_view(s, staff_id, floor.now)


def set_my_presence(rt: Runtime, *, actor: Actor, state: PresenceState) -> DeskView:
    """Available, away or offline by hand (refused while a call holds the agent).
    Becoming available takes the next waiting call the routing core picks."""
    with transaction(rt.sessions) as s:
        staff_id = _my_staff_id(s, actor)
        floor = _floor(s, rt.clock.now(), _wrap_up(rt))
        agent = floor.agents.get(staff_id)
        if agent is None:  # away or offline: not on the floor yet
            me = _one_staff(s, staff_id)
            agent = agent_state(me, None)
            floor.staff[staff_id] = me
            floor.now = max(floor.now, agent.since)
        before = agent.presence
        moved = set_presence(agent, state, floor.now)
        if moved is not agent:
            floor.move(moved)
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="desk.presence",
                resource_type="staff",
                resource_id=staff_id,
                details={"from": before.value, "to": moved.presence.value},
            )
        _serve_agent(floor, staff_id)
        view = _desk_view(s, staff_id, floor.now)
    _reserved_for_others(rt, floor, None)
    return view


def finish_my_wrap_up(rt: Runtime, *, actor: Actor) -> DeskView:
    """Done with notes: available now, and the next call the routing core picks."""
    with transaction(rt.sessions) as s:
        staff_id = _my_staff_id(s, actor)
        floor = _floor(s, rt.clock.now(), _wrap_up(rt))
        agent = floor.agents.get(staff_id)
        if agent is not None and agent.presence is PresenceState.wrap_up:
            floor.move(finish_wrap_up(agent, floor.now))
            _serve_agent(floor, staff_id)
        elif agent is None or agent.presence is not PresenceState.available:
            me = _one_staff(s, staff_id)
            raise PresenceConflict(f"cannot finish wrap-up while the agent is {me.presence.value}")
        view = _desk_view(s, staff_id, floor.now)
    _reserved_for_others(rt, floor, None)
    return view


def waiting_calls(
    rt: Runtime, *, location_ids: Iterable[str] | None, limit: int, offset: int
) -> tuple[list[WaitingCallView], int]:
    """Calls in line or ringing an agent now, highest priority and longest waiting
    first (a supervisor's live queue). `location_ids` None: the whole network."""
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        where = [QueueEntryRow.status.in_(_OPEN)]
        if location_ids is not None:
            where.append(QueueEntryRow.location_id.in_(list(location_ids)))
        rows = list(s.execute(select(QueueEntryRow).where(*where)).scalars())
    rows.sort(key=lambda r: call_order(queued_call(_facts(r))))
    return [
        WaitingCallView(
            entry_id=r.id,
            status=EntryStatus(r.status),
            department=r.department,
            priority=r.priority,
            language=r.language,
            location_id=r.location_id,
            entered_at=r.entered_at,
            waited_seconds=max(0, int((now - r.entered_at).total_seconds())),
            staff_id=r.staff_id,
        )
        for r in rows[offset : offset + limit]
    ], len(rows)
