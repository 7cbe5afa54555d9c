"""Run a scenario at simulated time with simpy, routing every call with the real
routing core (`careline.routing.model`).

Every random draw is made up front, per arrival stream, from generators seeded by
the scenario seed and the stream's index: the same seed gives the same report, and
changing the staff or the routing rules leaves the callers (when they call, how
long they would hold, how long they talk) exactly as they were, so two runs
compare like with like.

Simulated time is in seconds from the scenario's start; the routing core sees
real instants (`date` + `start` + seconds).

With a call flow (`Scenario.flow`), each caller first goes through the flow with the
real step engine (`careline.simulation.ivr`); what the flow hands the call to decides
where it goes: a queue of the routing core (with the flow's department, priority,
language and location), the on-call clinician, the answering service, a transfer, a
voicemail, a call back, or the end of the call. The routing core's decisions go back
to the flow as the telephony edge sends them: an answer, a call back chosen in line,
or an overflow when a waiting call reaches its escalation time (the flow's `overflow`
then says where the caller goes: for the nurse line, the on-call clinician).
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import simpy

from careline.core.errors import FieldProblem
from careline.directory.model import PresenceState
from careline.flows import actions as act
from careline.flows import events as ev
from careline.flows.model import FlowDocument
from careline.routing.model import (
    AgentMatch,
    AgentState,
    OverflowAction,
    Priority,
    QueuedCall,
    answer_call,
    call_order,
    end_call,
    estimate_wait,
    finish_wrap_up,
    next_call_for,
    offer_call,
    overflow_decision,
    queue_position,
    review_times,
    route_emergency,
    select_agent,
    set_presence,
    should_offer_callback,
)
from careline.simulation.ivr import IvrCall, Segment, World, make_world
from careline.simulation.model import (
    MAX_HOURS,
    CallerOutcome,
    CallOutcome,
    Constant,
    Outcome,
    Scenario,
    ScenarioInvalid,
    StaffUsage,
    build_report,
    flow_report,
    sample,
    shift_minutes,
)

DAY = 24 * 3600.0
#: Seconds below which two simulated instants are the same one.
_EPSILON = 1e-6
#: Kinds of a waiting call's deadlines; at the same instant, a review comes first.
_REVIEW, _HANG_UP = 0, 1
#: Handle times remembered per department for wait estimates (callback offers).
HANDLE_HISTORY = 50
#: How long an on-call clinician talks when the scenario has no clinical department.
ON_CALL_TALK = Constant(distribution="constant", value=300)

Progress = Callable[[float, float, int], None]
"""Called after each simulated hour with (simulated hours done, total, calls so far)."""


@dataclass(slots=True)
class _Call:
    q: QueuedCall
    t: float
    department: str
    location: str
    hour: int
    handle: float
    wrap: float
    patience: float | None
    accepts_callback: bool
    outcome: Outcome = Outcome.unfinished
    wait: float | None = None
    callback_offered: bool = False
    callback: bool = False
    overflow: bool = False
    interpreter: bool = False
    on_call: bool = False
    clinician: bool = False
    queued: bool = False
    #: The caller in the flow this queue entry belongs to (runs with a call flow).
    caller: _Caller | None = None
    #: Bumped at each (re)entry, so a waiting process of an earlier entry stands down.
    entry: int = 0

    def result(self) -> CallOutcome:
        return CallOutcome(
            queue=f"{self.department}@{self.location}",
            priority=self.q.priority,
            hour=self.hour,
            outcome=self.outcome,
            wait=self.wait,
            callback_offered=self.callback_offered,
            callback=self.callback,
            overflow=self.overflow,
            interpreter=self.interpreter,
            on_call=self.on_call,
            clinician=self.clinician,
        )


@dataclass(slots=True)
class _Caller:
    """One caller of a run with a call flow, from the first ring to the last hand-off."""

    id: str
    t: float
    location: str
    hour: int
    intent: str
    #: From the intent's urgent and emergency shares: what the caller's words say.
    urgency: Priority
    seed: int
    ivr: IvrCall
    #: Seconds in the flow before its first hand-off.
    ivr_seconds: float | None = None
    #: The last hand-off: 'queue', 'on_call', 'answering_service', 'transfer',
    #: 'voicemail', 'callback', 'hung_up_in_ivr', or 'unfinished' (none yet).
    end: str = "unfinished"
    queue: tuple[str, str] | None = None
    #: The queue entry the flow still decides about (escalated, or in line).
    record: _Call | None = None
    #: The queue entry waiting (or waited) as this caller's call back.
    callback: _Call | None = None
    clinician_at: float | None = None
    entries: int = 0

    def result(self) -> CallerOutcome:
        return CallerOutcome(
            intent=self.intent,
            urgency=self.urgency,
            priority=self.ivr.priority,
            language=self.ivr.state.language or "",
            end=self.end,
            queue=self.queue if self.end == "queue" else None,
            ivr_seconds=self.ivr_seconds,
            triage=self.ivr.triage,
            to_clinician=None if self.clinician_at is None else self.clinician_at - self.t,
        )


#: Stands in for a call's routing record until arrivals are sorted and numbered.
_PLACEHOLDER = QueuedCall(
    id="", priority=Priority.routine, skill="", entered_at=datetime(2000, 1, 1, tzinfo=UTC)
)


def _pick(shares: dict[str, float], u: float) -> str:
    total = 0.0
    last = ""
    for key, share in shares.items():
        total += share
        last = key
        if u < total:
            return key
    return last


def generate_calls(scenario: Scenario, *, seed: int, hours: float, base: datetime) -> list[_Call]:
    """Every caller of the run, in arrival order, with everything random drawn now.

    Rates are piecewise constant per clock hour (per_hour x the profile's
    multiplier for that hour), so each hour is its own Poisson process.
    """
    end = hours * 3600.0
    offset = scenario.start_minutes * 60.0
    drawn: list[tuple[float, int, int, _Call, Priority, str]] = []
    accept_share = scenario.callbacks.accept_share if scenario.callbacks else 0.0
    for index, stream in enumerate(scenario.arrivals):
        rng = random.Random(f"careline-sim:{seed}:{index}")
        intent = scenario.intents[stream.intent]
        emergency = intent.emergency_share
        urgent = emergency + intent.urgent_share
        profile = scenario.profiles.get(stream.profile) if stream.profile else None
        languages = stream.languages or scenario.languages
        #: What each priority of this stream's callers needs: department and its times.
        needs = {}
        for priority in Priority:
            if priority.needs_clinician and scenario.clinical_department is None:
                continue
            department = scenario.department_of(stream.intent, priority)
            dept = scenario.departments[department]
            needs[priority] = (
                department,
                dept.handle,
                dept.wrap_up,
                scenario.patience.of(priority),
            )
        t = 0.0
        seq = 0
        while t < end:
            clock = offset + t
            segment_end = min(end, t + (3600.0 - clock % 3600.0))
            hour = int(clock // 3600.0) % 24
            rate = stream.per_hour * (profile.multiplier(hour) if profile else 1.0) / 3600.0
            at = t
            while rate > 0:
                at += rng.expovariate(rate)
                if at >= segment_end:
                    break
                u = rng.random()
                if u < emergency:
                    priority = Priority.emergency
                elif u < urgent:
                    priority = Priority.urgent
                else:
                    priority = Priority.routine
                department, handle_dist, wrap_dist, patience_dist = needs[priority]
                language = _pick(languages, rng.random())
                patience = None if patience_dist is None else sample(patience_dist, rng)
                handle = sample(handle_dist, rng)
                wrap = sample(wrap_dist, rng)
                accepts = rng.random() < accept_share
                call = _Call(
                    q=_PLACEHOLDER,
                    t=at,
                    department=department,
                    location=stream.location,
                    hour=hour,
                    handle=handle,
                    wrap=wrap,
                    patience=patience,
                    accepts_callback=accepts,
                )
                drawn.append((at, index, seq, call, priority, language))
                seq += 1
            t = segment_end
    drawn.sort()  # by (time, stream, sequence): unique, so calls themselves never compare
    calls = []
    for number, (at, _, _, call, priority, language) in enumerate(drawn, start=1):
        call.q = QueuedCall(
            id=f"call-{number:07d}",
            priority=priority,
            skill=call.department,
            entered_at=base + timedelta(seconds=at),
            language=language,
            location_id=call.location,
            home_location_id=call.location,
        )
        calls.append(call)
    return calls


def _arrival_times(
    scenario: Scenario, stream_index: int, rng: random.Random, *, hours: float
) -> Generator[tuple[float, int], None, None]:
    """(seconds from the start, clock hour) of each arrival of one stream: Poisson with
    a rate that is constant within each clock hour."""
    stream = scenario.arrivals[stream_index]
    profile = scenario.profiles.get(stream.profile) if stream.profile else None
    end = hours * 3600.0
    offset = scenario.start_minutes * 60.0
    t = 0.0
    while t < end:
        clock = offset + t
        segment_end = min(end, t + (3600.0 - clock % 3600.0))
        hour = int(clock // 3600.0) % 24
        rate = stream.per_hour * (profile.multiplier(hour) if profile else 1.0) / 3600.0
        at = t
        while rate > 0:
            at += rng.expovariate(rate)
            if at >= segment_end:
                break
            yield at, hour
        t = segment_end


def generate_callers(scenario: Scenario, world: World, *, seed: int, hours: float) -> list[_Caller]:
    """Every caller of a run with a call flow, in arrival order. What is random about a
    caller is drawn now from their stream's generator (when they call, their urgency,
    language, which phrase they say, whether they take a call back) plus a seed of their
    own for what the flow decides later (patience and talk time at each queue)."""
    assert scenario.flow is not None
    accept_share = scenario.callbacks.accept_share if scenario.callbacks else 0.0
    drawn: list[tuple[float, int, int, _Caller]] = []
    for index, stream in enumerate(scenario.arrivals):
        rng = random.Random(f"careline-sim-flow:{seed}:{index}")
        intent = scenario.intents[stream.intent]
        script = scenario.flow.scripts[stream.intent]
        languages = stream.languages or scenario.languages
        for seq, (at, hour) in enumerate(_arrival_times(scenario, index, rng, hours=hours)):
            u = rng.random()
            if u < intent.emergency_share:
                urgency = Priority.emergency
            elif u < intent.emergency_share + intent.urgent_share:
                urgency = Priority.urgent
            else:
                urgency = Priority.routine
            language = _pick(languages, rng.random())
            ivr = IvrCall(
                world,
                location=stream.location,
                language=language,
                urgency=urgency,
                steps=script.steps(urgency),
                phrase_pick=rng.random(),
                accepts_callback=rng.random() < accept_share,
            )
            caller = _Caller(
                id="",
                t=at,
                location=stream.location,
                hour=hour,
                intent=stream.intent,
                urgency=urgency,
                seed=rng.getrandbits(63),
                ivr=ivr,
            )
            drawn.append((at, index, seq, caller))
    drawn.sort(key=lambda d: d[:3])
    callers = []
    for number, (*_, caller) in enumerate(drawn, start=1):
        caller.id = f"caller-{number:07d}"
        callers.append(caller)
    return callers


class _Simulation:
    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int,
        hours: float,
        flow: FlowDocument | None = None,
    ) -> None:
        self.scenario = scenario
        self.hours = hours
        self.env = simpy.Environment()
        start = time(scenario.start_minutes // 60, scenario.start_minutes % 60)
        self.base = datetime.combine(scenario.date, start, tzinfo=UTC)
        self.policy = scenario.policy()
        self._now_t = 0.0
        self._now_dt = self.base
        self.world: World | None = None
        self.callers: list[_Caller] = []
        if flow is None:
            self.calls = generate_calls(scenario, seed=seed, hours=hours, base=self.base)
        else:
            from careline.simulation.library import phrase_bank, triage_classifier

            self.world = make_world(
                scenario,
                flow,
                hours=hours,
                classify=triage_classifier(),
                phrases=phrase_bank(),
            )
            self.callers = generate_callers(scenario, self.world, seed=seed, hours=hours)
            self.calls = []  # queue entries, made as the flow hands callers to queues
        self.queue: dict[str, _Call] = {}
        self.agents: dict[str, AgentState] = {}
        self.group_of: dict[str, str] = {}
        self.leaving: set[str] = set()
        self.logged_in_at: dict[str, float] = {}
        self.staffed: dict[str, float] = {}
        self.busy: dict[str, float] = {}
        self.history: dict[str, deque[float]] = {
            name: deque(maxlen=HANDLE_HISTORY) for name in scenario.departments
        }
        self.on_call_busy = 0
        self.arrived = 0
        for g, group in enumerate(scenario.staff):
            clinical = group.clinical
            if clinical is None:
                clinical = scenario.departments[group.department].clinical
            for k in range(group.count):
                staff_id = f"{group.location}-{group.department}-{g + 1}-{k + 1:02d}"
                self.agents[staff_id] = AgentState(
                    staff_id=staff_id,
                    skills=frozenset([group.department, *group.skills]),
                    languages=tuple(group.languages),
                    location_ids=frozenset([group.location, *group.also_locations]),
                    presence=PresenceState.offline,
                    since=self.base,
                    clinical=clinical,
                )
                self.group_of[staff_id] = f"{group.department}@{group.location}"
                self.staffed[staff_id] = 0.0
                self.busy[staff_id] = 0.0
                self.env.process(self._shift(staff_id, group.shift))
        self._arrivals()

    # ------------------------------------------------------------ time

    def now(self) -> datetime:
        """The routing core's instant for the current simulated second (cached:
        several decisions happen at each instant)."""
        if self._now_t != self.env.now:
            self._now_t = self.env.now
            self._now_dt = self.base + timedelta(seconds=self._now_t)
        return self._now_dt

    def sim_time(self, at: datetime) -> float:
        return (at - self.base).total_seconds()

    # ------------------------------------------------------------ staff

    def _shift(self, staff_id: str, shift: str | None) -> Generator[simpy.Event, Any, None]:
        if shift is None:
            self._log_in(staff_id)
            return
        opens, closes = (m * 60.0 for m in shift_minutes(shift))
        offset = self.scenario.start_minutes * 60.0
        while True:
            tod = (offset + self.env.now) % DAY
            if tod >= closes - _EPSILON:  # (float sums land a hair before closing time)
                yield self.env.timeout(DAY - tod + opens)
            elif tod < opens - _EPSILON:
                yield self.env.timeout(opens - tod)
            self._log_in(staff_id)
            tod = (offset + self.env.now) % DAY
            yield self.env.timeout(max(0.0, closes - tod))
            self._log_out(staff_id)

    def _log_in(self, staff_id: str) -> None:
        self.leaving.discard(staff_id)
        agent = self.agents[staff_id]
        if agent.presence is not PresenceState.offline:
            return  # still finishing a call from the last shift
        self.agents[staff_id] = set_presence(agent, PresenceState.available, self.now())
        self.logged_in_at[staff_id] = self.env.now
        self._dispatch(staff_id)

    def _log_out(self, staff_id: str) -> None:
        agent = self.agents[staff_id]
        if agent.presence is PresenceState.available:
            self._go_offline(staff_id)
        else:
            self.leaving.add(staff_id)  # after this call and its wrap-up

    def _go_offline(self, staff_id: str) -> None:
        self.agents[staff_id] = set_presence(
            self.agents[staff_id], PresenceState.offline, self.now()
        )
        self.leaving.discard(staff_id)
        self.staffed[staff_id] += self.env.now - self.logged_in_at.pop(staff_id)

    # ------------------------------------------------------------ calls

    def _arrivals(self) -> None:
        """Arrivals as a chain of timeouts, one pending at a time (cheaper than a
        process: this runs once per call)."""
        if self.world is not None:
            self._chain(self.callers, self._ring)
        else:
            self._chain(self.calls, self._arrive)

    def _chain(self, items: list[Any], handle: Callable[[Any], None]) -> None:
        env = self.env

        def arrive_next(_event: simpy.Event | None = None) -> None:
            while self.arrived < len(items):
                item = items[self.arrived]
                if item.t > env.now:
                    env.timeout(item.t - env.now).callbacks.append(arrive_next)
                    return
                self.arrived += 1
                handle(item)

        arrive_next()

    def _arrive(self, call: _Call) -> None:
        now = self.now()
        agents = list(self.agents.values())
        if call.q.priority is Priority.emergency and call.caller is None:
            route = route_emergency(call.q, agents, now, self.policy)
            if route.match is not None:
                self._connect(call, route.match)
            elif self._on_call_free():
                self._connect_on_call(call)
            else:
                self._enqueue(call)
            return
        match = select_agent(call.q, agents, now, self.policy)
        if match is not None:
            self._connect(call, match)
            return
        callbacks = self.scenario.callbacks
        if callbacks is not None and call.q.priority is Priority.routine:
            skilled = [a for a in agents if call.department in a.skills]
            position = queue_position(call.q, (c.q for c in self.queue.values()))
            estimate = estimate_wait(position, skilled, list(self.history[call.department]))
            threshold = timedelta(seconds=callbacks.threshold_seconds)
            if should_offer_callback(estimate, threshold, priority=call.q.priority):
                call.callback_offered = True
                if call.accepts_callback:
                    call.callback = True
                    call.q = replace(call.q, callback_requested=True)
        self._enqueue(call)
        if call.caller is None:
            return
        if call.callback:  # chosen in line: the flow hears it as the edge tells it
            call.caller.callback = call
            self._send(call.caller, ev.QueueResult(ev.QueueOutcome.callback))
            return
        decision = overflow_decision(call.q, now, self.policy)
        if decision.action in (OverflowAction.on_call, OverflowAction.answering_service):
            self._escalate(call)  # e.g. an emergency with no clinician free: at once

    def _enqueue(self, call: _Call) -> None:
        call.queued = True
        call.entry += 1
        self.queue[call.q.id] = call
        deadlines = [(self.sim_time(at), _REVIEW) for at in review_times(call.q, self.policy)]
        if call.patience is not None and not call.callback:
            deadlines.append((call.t + call.patience, _HANG_UP))
        deadlines = sorted(d for d in deadlines if d[0] > self.env.now)
        if deadlines:
            self.env.process(self._wait(call, deadlines, call.entry))

    def _wait(
        self, call: _Call, deadlines: list[tuple[float, int]], entry: int
    ) -> Generator[simpy.Event, Any, None]:
        for at, kind in deadlines:
            if at > self.env.now:
                yield self.env.timeout(at - self.env.now)
            if not call.queued or call.entry != entry:
                return
            if kind == _HANG_UP:
                self._dequeue(call)
                call.outcome = Outcome.abandoned
                if call.caller is not None:
                    self._release(call.caller, call)
                    self._send(call.caller, ev.Hangup())
                return
            self._review(call)

    def _review(self, call: _Call) -> None:
        """A waiting call's options widened (overflow, language fallback, escalation)."""
        now = self.now()
        match = select_agent(call.q, list(self.agents.values()), now, self.policy)
        if match is not None:
            self._connect(call, match)
            return
        decision = overflow_decision(call.q, now, self.policy)
        escalate = decision.action in (OverflowAction.on_call, OverflowAction.answering_service)
        if call.caller is not None:
            if escalate:
                self._escalate(call)
        elif decision.action is OverflowAction.answering_service:
            self._dequeue(call)
            call.outcome = Outcome.answering_service
        elif decision.action is OverflowAction.on_call and self._on_call_free():
            self._connect_on_call(call)

    def _dequeue(self, call: _Call) -> None:
        call.queued = False
        del self.queue[call.q.id]

    def _connect(self, call: _Call, match: AgentMatch) -> None:
        if call.queued:
            self._dequeue(call)
        staff_id = match.agent.staff_id
        now = self.now()
        agent = answer_call(offer_call(self.agents[staff_id], call.q.id, now), call.q.id, now)
        self.agents[staff_id] = agent
        call.outcome = Outcome.callback if call.callback else Outcome.answered
        call.wait = self.env.now - call.t
        call.overflow = match.overflow
        call.interpreter = match.interpreter
        call.clinician = agent.clinical
        self.busy[staff_id] += call.handle + call.wrap
        self.history[call.department].append(call.handle + call.wrap)
        self.env.timeout(call.handle).callbacks.append(lambda _e: self._hang_up(staff_id, call))
        caller = call.caller
        if caller is not None:
            self._release(caller, call)
            if not call.callback:  # (a call back is a new call: the flow has ended)
                if agent.clinical and caller.clinician_at is None:
                    caller.clinician_at = self.env.now
                self._send(caller, ev.QueueResult(ev.QueueOutcome.answered))

    def _hang_up(self, staff_id: str, call: _Call) -> None:
        self.agents[staff_id] = end_call(self.agents[staff_id], call.q.id, self.now())
        if call.wrap > 0:
            self.env.timeout(call.wrap).callbacks.append(lambda _e: self._wrapped(staff_id))
        else:
            self._wrapped(staff_id)

    def _wrapped(self, staff_id: str) -> None:
        self.agents[staff_id] = finish_wrap_up(self.agents[staff_id], self.now())
        if staff_id in self.leaving:
            self._go_offline(staff_id)
        else:
            self._dispatch(staff_id)

    def _dispatch(self, staff_id: str) -> None:
        """An agent became available: give them the call the routing core picks."""
        agent = self.agents[staff_id]
        if not self.queue:
            return
        chosen = next_call_for(
            agent,
            [c.q for c in self.queue.values()],
            self.now(),
            agents=list(self.agents.values()),
            policy=self.policy,
        )
        if chosen is None:
            return
        preferred = chosen.preferred_location
        self._connect(
            self.queue[chosen.id],
            AgentMatch(
                agent=agent,
                interpreter=not agent.speaks(chosen),
                overflow=preferred is not None and preferred not in agent.location_ids,
            ),
        )

    # ------------------------------------------------------------ on-call clinicians

    def _on_call_free(self) -> bool:
        on_call = self.scenario.on_call
        return on_call is not None and self.on_call_busy < on_call.lines

    def _connect_on_call(self, call: _Call) -> None:
        assert self.scenario.on_call is not None
        if call.queued:
            self._dequeue(call)
        ring = self.scenario.on_call.answer_seconds
        call.outcome = Outcome.answered
        call.wait = self.env.now - call.t + ring
        call.on_call = True
        call.clinician = True
        self.on_call_busy += 1
        self.env.process(self._on_call_serve(ring + call.handle + call.wrap))

    def _on_call_serve(self, seconds: float) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(seconds)
        self.on_call_busy -= 1
        now = self.now()
        waiting = [
            c
            for c in self.queue.values()
            if c.q.priority.needs_clinician
            and overflow_decision(c.q, now, self.policy).action is OverflowAction.on_call
        ]
        if waiting and self.world is None:
            self._connect_on_call(min(waiting, key=lambda c: call_order(c.q)))

    # ------------------------------------------------------------ callers in a call flow

    def _ring(self, caller: _Caller) -> None:
        """A caller dials the clinic's number: the flow answers."""
        self._follow(caller, caller.ivr.start(self.env.now))

    def _send(self, caller: _Caller, event: ev.CallEvent) -> None:
        offers = caller.ivr.callback_offers
        segment = caller.ivr.send(event, self.env.now)
        if caller.ivr.callback_offers > offers and caller.record is not None:
            caller.record.callback_offered = True  # the flow's offer, e.g. after an overflow
        self._follow(caller, segment)

    def _follow(self, caller: _Caller, segment: Segment | None) -> None:
        """The flow's next hand-off, once the caller has heard and answered its prompts."""
        if segment is None:
            return
        if caller.ivr_seconds is None:
            caller.ivr_seconds = segment.seconds
        if segment.seconds > 0:
            self.env.timeout(segment.seconds).callbacks.append(
                lambda _e: self._hand_off(caller, segment)
            )
        else:
            self._hand_off(caller, segment)

    def _hand_off(self, caller: _Caller, segment: Segment) -> None:
        handoff = segment.handoff
        if isinstance(handoff, act.Enqueue):
            self._settle(caller, Outcome.left_queue)
            self._flow_enqueue(caller, handoff)
        elif isinstance(handoff, act.Dial):
            self._flow_dial(caller, handoff, segment.node_kind)
        elif isinstance(handoff, act.ScheduleCallback):
            self._flow_callback(caller, handoff)
        elif isinstance(handoff, act.Record):
            caller.end = "voicemail"
            self._settle(caller, Outcome.voicemail)
        else:
            caller.end = "hung_up_in_ivr"
            self._settle(caller, Outcome.left_queue)

    def _release(self, caller: _Caller, call: _Call) -> None:
        if caller.record is call:
            caller.record = None

    def _settle(self, caller: _Caller, outcome: Outcome) -> None:
        """The flow took the caller away from the queue entry it was deciding about."""
        call = caller.record
        if call is None:
            return
        if call.queued:
            self._dequeue(call)
        call.outcome = outcome
        caller.record = None

    def _escalate(self, call: _Call) -> None:
        """The call waited past its escalation time (or an emergency found no clinician
        free): out of the queue, and the flow's `overflow` decides where it goes."""
        assert call.caller is not None
        self._dequeue(call)
        self._send(call.caller, ev.QueueResult(ev.QueueOutcome.overflow))

    def _queue_entry(
        self,
        caller: _Caller,
        flow_department: str,
        priority: Priority,
        language: str,
        flow_location: str | None,
    ) -> _Call:
        assert self.world is not None
        department = self.world.settings.department(flow_department)
        location = self.world.location(flow_location, caller.location)
        caller.entries += 1
        rng = random.Random(f"{caller.seed}:{caller.entries}")
        patience_dist = self.scenario.patience.of(priority)
        patience = None if patience_dist is None else sample(patience_dist, rng)
        dept = self.scenario.departments[department]
        handle = sample(dept.handle, rng)
        wrap = sample(dept.wrap_up, rng)
        call = _Call(
            q=QueuedCall(
                id=f"{caller.id}-{caller.entries}",
                priority=priority,
                skill=department,
                entered_at=self.now(),
                language=language,
                location_id=location,
                home_location_id=caller.location,
            ),
            t=self.env.now,
            department=department,
            location=location,
            hour=caller.hour,
            handle=handle,
            wrap=wrap,
            patience=patience,
            accepts_callback=caller.ivr.accepts_callback,
            caller=caller,
        )
        self.calls.append(call)
        return call

    def _flow_enqueue(self, caller: _Caller, handoff: act.Enqueue) -> None:
        priority = Priority(handoff.priority)
        call = self._queue_entry(
            caller, handoff.department, priority, handoff.language, handoff.location_id
        )
        caller.record = call
        caller.end = "queue"
        caller.queue = (call.department, priority.value)
        self._arrive(call)

    def _flow_callback(self, caller: _Caller, handoff: act.ScheduleCallback) -> None:
        """A call back keeps the caller's place in line: the queue entry waits (never
        hanging up) until an agent is free to call back."""
        caller.end = "callback"
        call = caller.record
        caller.record = None
        if caller.callback is not None:
            return  # chosen while in line: it waits (or waited) as a call back already
        if call is None:
            call = self._queue_entry(
                caller,
                handoff.department,
                Priority(handoff.priority),
                handoff.language,
                handoff.location_id,
            )
        if call.queued:
            self._dequeue(call)  # back in at its old place, now as a call back
        call.callback_offered = call.callback = True
        call.q = replace(call.q, callback_requested=True)
        caller.callback = call
        self._enqueue(call)

    def _flow_dial(self, caller: _Caller, dial: act.Dial, kind: str) -> None:
        """Ring what the flow dials: the on-call clinician (a free line of the scenario's
        `on_call`, after its answer time), the answering service or a transfer's target
        (after the flow settings' answer times). Unanswered: the node's timeout, then
        the flow's `no_answer`."""
        assert self.world is not None
        settings = self.world.settings
        answer: float | None
        on_call = self.scenario.on_call
        if kind == "oncall":
            answer = on_call.answer_seconds if on_call and self._on_call_free() else None
        elif kind == "answering_service":
            answer = settings.answering_service_answer_seconds
        else:
            answer = settings.transfer_answer_seconds
        if answer is None or answer > dial.timeout_seconds:
            self.env.timeout(dial.timeout_seconds).callbacks.append(
                lambda _e: self._send(caller, ev.DialResult(ev.DialOutcome.no_answer))
            )
            return
        if kind == "oncall":
            self.on_call_busy += 1  # the line rings, then they talk
        self.env.timeout(answer).callbacks.append(lambda _e: self._dial_answered(caller, kind))

    def _dial_answered(self, caller: _Caller, kind: str) -> None:
        end = {"oncall": "on_call", "answering_service": "answering_service"}.get(kind, "transfer")
        caller.end = end
        call = caller.record
        if end == "on_call":
            if caller.clinician_at is None:
                caller.clinician_at = self.env.now
            self.env.process(self._on_call_talk(caller))
            if call is not None:
                call.on_call = call.clinician = True
                call.wait = self.env.now - call.t
                self._settle(caller, Outcome.answered)
        else:
            self._settle(
                caller,
                Outcome.answering_service if end == "answering_service" else Outcome.left_queue,
            )
        self._send(caller, ev.DialResult(ev.DialOutcome.answered))

    def _on_call_talk(self, caller: _Caller) -> Generator[simpy.Event, Any, None]:
        """The on-call clinician's line stays busy while they talk and write up."""
        name = self.scenario.clinical_department
        dept = self.scenario.departments.get(name) if name else None
        rng = random.Random(f"{caller.seed}:on-call:{caller.entries}")
        talk = sample(dept.handle if dept else ON_CALL_TALK, rng)
        wrap = sample(dept.wrap_up, rng) if dept else 0.0
        yield self.env.timeout(talk + wrap)
        self.on_call_busy -= 1

    # ------------------------------------------------------------ running

    def run(self, progress: Progress | None) -> list[CallOutcome]:
        end = (self.hours + self.scenario.drain_hours) * 3600.0
        total = end / 3600.0
        steps = math.ceil(total)
        for step in range(1, steps + 1):
            self.env.run(until=min(step * 3600.0, end))
            if progress is not None:
                progress(self.env.now / 3600.0, total, self.arrived)
        for staff_id in list(self.logged_in_at):
            self.staffed[staff_id] += self.env.now - self.logged_in_at.pop(staff_id)
        return [call.result() for call in self.calls]

    def caller_results(self) -> list[CallerOutcome]:
        return [caller.result() for caller in self.callers[: self.arrived]]

    def usage(self) -> list[StaffUsage]:
        return [
            StaffUsage(group=self.group_of[s], staffed_seconds=self.staffed[s], busy_seconds=b)
            for s, b in self.busy.items()
        ]


def simulate(
    scenario: Scenario,
    *,
    seed: int | None = None,
    hours: float | None = None,
    progress: Progress | None = None,
    flow: FlowDocument | None = None,
) -> dict[str, Any]:
    """Run `scenario` (with its own seed and length unless given) and return the report.
    A scenario with a `flow` runs its callers through that flow (`flow`, when given, is
    the document already loaded; else it is read and checked here)."""
    seed = scenario.seed if seed is None else seed
    hours = scenario.hours if hours is None else hours
    if not (math.isfinite(hours) and 0 < hours <= MAX_HOURS):
        raise ScenarioInvalid(
            f"hours must be more than 0 and at most {MAX_HOURS}",
            problems=[FieldProblem("hours", f"must be more than 0 and at most {MAX_HOURS}")],
        )
    if scenario.flow is not None and flow is None:
        from careline.simulation.library import load_flow

        flow = load_flow(scenario)
    sim = _Simulation(scenario, seed=seed, hours=hours, flow=flow)
    outcomes = sim.run(progress)
    report = build_report(scenario, seed=seed, hours=hours, calls=outcomes, staff=sim.usage())
    if flow is not None:
        assert scenario.flow is not None
        report["flow"] = flow_report(
            name=flow.name, source=scenario.flow.source, callers=sim.caller_results()
        )
    return report
