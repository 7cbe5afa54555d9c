"""Routing decisions: which agent takes a call, which call an agent takes next, how
long a caller will wait, when to offer a callback or overflow, where an emergency
goes, and how an agent's presence moves as calls are offered, answered and wrapped up.

Pure: plain dataclasses, instants passed in (`now`/`at`), no I/O, no clock. The
TwiML edge calls these for real calls and the simulator calls the very same
functions, so what the simulator measures is what production does.

The rules, in one place:

* Priority: emergency > urgent > routine; then the longest waiting. An emergency
  is never behind anyone: every clinical agent, whatever their skill or location,
  takes it before anything else.
* Urgent and emergency calls go only to clinical agents (`AgentState.clinical`).
  Urgent calls also need the call's skill (the triage department); emergencies
  take any clinical agent at once, and the on-call clinician when none is free.
* Location: a call in a clinic's queue (`location_id`) prefers that clinic's
  agents; other clinics may take it once it has waited the rule's
  `overflow_after` (network overflow; urgent and emergency calls by default at
  once). A call in a network-wide queue (no `location_id`) may go anywhere at
  once and prefers the caller's home clinic.
* Language: a caller with a language waits for an agent who speaks it while one
  is staffed (available, busy or wrapping up, at any location) with the needed
  skill. When no such agent is staffed, or once the call has waited the rule's
  `language_fallback_after`, any agent may take it with an interpreter bridged in
  (`AgentMatch.interpreter`). Emergencies never wait for a language.
* Agents: among those allowed, a speaker of the caller's language first, then one
  at the preferred location, then the longest idle (`available_since`), then the
  staff id (so ties never depend on the order agents were listed in).
* Escalation: after the rule's `escalate_after`, a routine call leaves for the
  answering service and an urgent or emergency call rings the on-call clinician.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from careline.core.errors import Conflict, FieldProblem, ValidationFailed
from careline.directory.model import PresenceState, normalise_language

# ---------------------------------------------------------------- errors


class RoutingInputInvalid(ValidationFailed):
    """A routing input that cannot be right (a naive instant, an unknown language...)."""

    error_id = "routing-input-invalid"
    title = "Invalid routing input"


class PresenceConflict(Conflict):
    """A presence change that the agent's current state does not allow."""

    error_id = "presence-transition-invalid"
    title = "Presence change not allowed now"


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise RoutingInputInvalid(
            f"{name} must be a timezone-aware instant",
            problems=[FieldProblem(name, "must be timezone-aware")],
        )
    return value


@lru_cache(maxsize=1024)
def _normal_language(raw: str) -> str:
    return normalise_language(raw)


def _language(raw: str, name: str) -> str:
    try:
        return _normal_language(raw)
    except ValueError as exc:
        raise RoutingInputInvalid(
            f"{name} is not a language code", problems=[FieldProblem(name, str(exc))]
        ) from None


def _primary(language: str) -> str:
    return language.split("-", 1)[0]


# ---------------------------------------------------------------- priorities and rules


class Priority(StrEnum):
    routine = "routine"
    urgent = "urgent"
    emergency = "emergency"

    @property
    def rank(self) -> int:
        """Higher is served first."""
        return _RANK[self]

    @property
    def needs_clinician(self) -> bool:
        return self is not Priority.routine


_RANK = {Priority.routine: 0, Priority.urgent: 1, Priority.emergency: 2}


class Destination(StrEnum):
    """Where a call goes when it leaves the queue without an agent."""

    answering_service = "answering_service"
    on_call = "on_call"


def escalation_destination(priority: Priority) -> Destination:
    """Routine calls go to the answering service; clinical ones to a clinician, always."""
    return Destination.answering_service if priority is Priority.routine else Destination.on_call


@dataclass(frozen=True)
class WaitRule:
    """How long a call of one priority waits before its options widen.

    `overflow_after`: other locations may answer it. `language_fallback_after`: an
    agent who does not speak the caller's language may answer with an interpreter
    (None: wait for a speaker as long as one is staffed). `escalate_after`: it
    leaves the queue (see `escalation_destination`); None: it never does.
    """

    overflow_after: timedelta = timedelta(0)
    language_fallback_after: timedelta | None = timedelta(0)
    escalate_after: timedelta | None = None

    def __post_init__(self) -> None:
        for name in ("overflow_after", "language_fallback_after", "escalate_after"):
            value = getattr(self, name)
            if value is not None and value < timedelta(0):
                raise RoutingInputInvalid(
                    f"{name} must not be negative",
                    problems=[FieldProblem(name, "must not be negative")],
                )


#: Emergencies never wait for a location or a language; with no clinical agent
#: free they ring the on-call clinician at once.
EMERGENCY_RULE = WaitRule(timedelta(0), timedelta(0), timedelta(0))

DEFAULT_RULES: Mapping[Priority, WaitRule] = {
    Priority.routine: WaitRule(
        overflow_after=timedelta(seconds=60),
        language_fallback_after=timedelta(seconds=120),
        escalate_after=timedelta(minutes=10),
    ),
    Priority.urgent: WaitRule(
        overflow_after=timedelta(0),
        language_fallback_after=timedelta(seconds=20),
        escalate_after=timedelta(seconds=90),
    ),
    Priority.emergency: EMERGENCY_RULE,
}


@dataclass(frozen=True)
class RoutingPolicy:
    """The wait rules of a network: one per priority, optionally per skill
    (a department's own maximum wait)."""

    rules: Mapping[Priority, WaitRule] = field(default_factory=lambda: dict(DEFAULT_RULES))
    skill_rules: Mapping[str, Mapping[Priority, WaitRule]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = [p.value for p in Priority if p not in self.rules]
        if missing:
            raise RoutingInputInvalid(
                f"the routing policy has no rule for {', '.join(missing)}",
                problems=[FieldProblem(f"rules.{p}", "is required") for p in missing],
            )

    def rule_for(self, call: QueuedCall) -> WaitRule:
        rule = self.skill_rules.get(call.skill, {}).get(call.priority, self.rules[call.priority])
        if call.priority is Priority.emergency and rule != EMERGENCY_RULE:
            # Only when to ring the on-call clinician is configurable for emergencies.
            return replace(EMERGENCY_RULE, escalate_after=rule.escalate_after)
        return rule


DEFAULT_POLICY = RoutingPolicy()

# ---------------------------------------------------------------- calls and agents


@dataclass(frozen=True)
class QueuedCall:
    """A call waiting for (or being offered to) an agent. No PHI: ids only."""

    id: str
    priority: Priority
    #: The department kind or skill it needs (e.g. "scheduling", "nurse_triage").
    skill: str
    entered_at: datetime
    language: str | None = None
    #: The location whose queue it is in; None for a network-wide queue.
    location_id: str | None = None
    #: The caller's home clinic: preferred when `location_id` is None.
    home_location_id: str | None = None
    #: The caller chose to be called back rather than hold (keeps the place in line).
    callback_requested: bool = False
    primary_language: str | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        _aware(self.entered_at, "entered_at")
        object.__setattr__(self, "priority", Priority(self.priority))
        if self.language is not None:
            language = _language(self.language, "language")
            object.__setattr__(self, "language", language)
            object.__setattr__(self, "primary_language", _primary(language))

    @property
    def preferred_location(self) -> str | None:
        return self.location_id or self.home_location_id

    def waited(self, now: datetime) -> timedelta:
        return now - self.entered_at


#: Presences in which an agent is at work and will take calls (now or soon).
STAFFED = frozenset({PresenceState.available, PresenceState.busy, PresenceState.wrap_up})


@dataclass(frozen=True)
class AgentState:
    """One staff member as routing sees them. `since` is when `presence` began;
    while on a call, `call_id` names it and `answered_at` is None until it is
    answered (the phone is ringing)."""

    staff_id: str
    skills: frozenset[str]
    languages: tuple[str, ...]
    location_ids: frozenset[str]
    presence: PresenceState
    since: datetime
    clinical: bool = False
    call_id: str | None = None
    answered_at: datetime | None = None
    primary_languages: frozenset[str] = field(
        init=False, repr=False, compare=False, default=frozenset()
    )

    def __post_init__(self) -> None:
        _aware(self.since, "since")
        object.__setattr__(self, "presence", PresenceState(self.presence))
        object.__setattr__(self, "skills", frozenset(self.skills))
        object.__setattr__(self, "location_ids", frozenset(self.location_ids))
        languages = tuple(_language(raw, f"languages.{i}") for i, raw in enumerate(self.languages))
        object.__setattr__(self, "languages", languages)
        object.__setattr__(
            self, "primary_languages", frozenset(_primary(lang) for lang in languages)
        )

    @property
    def available_since(self) -> datetime | None:
        """When the agent last became free (None unless available): longest idle first."""
        return self.since if self.presence is PresenceState.available else None

    def speaks(self, call: QueuedCall) -> bool:
        """Spanish ('es') callers are served by any Spanish speaker ('es-MX' too)."""
        return call.primary_language is None or call.primary_language in self.primary_languages


def _qualifies(agent: AgentState, call: QueuedCall) -> bool:
    """Skill and clinical licence, whatever the agent is doing."""
    if call.priority is Priority.emergency:
        return agent.clinical
    if call.priority is Priority.urgent and not agent.clinical:
        return False
    return call.skill in agent.skills


def qualifies(agent: AgentState, call: QueuedCall) -> bool:
    """Whether the agent could ever take the call (skill and licence), whatever they
    are doing now and wherever they are."""
    return _qualifies(agent, call)


def _location_ok(agent: AgentState, call: QueuedCall, waited: timedelta, rule: WaitRule) -> bool:
    """A clinic's queue keeps its calls until the overflow time; a network-wide
    queue (no `location_id`) only prefers the caller's home clinic."""
    local = call.location_id
    return local is None or local in agent.location_ids or waited >= rule.overflow_after


def _may_interpret(
    call: QueuedCall, pool_has_speaker: bool, waited: timedelta, rule: WaitRule
) -> bool:
    if not pool_has_speaker or call.priority is Priority.emergency:
        return True
    fallback = rule.language_fallback_after
    return fallback is not None and waited >= fallback


def _pool_has_speaker(call: QueuedCall, agents: Iterable[AgentState]) -> bool:
    return any(a.presence in STAFFED and _qualifies(a, call) and a.speaks(call) for a in agents)


# ---------------------------------------------------------------- selecting


@dataclass(frozen=True)
class AgentMatch:
    """The agent to offer a call to, and how: with an interpreter bridged in
    (they do not speak the caller's language), away from the preferred location."""

    agent: AgentState
    interpreter: bool
    overflow: bool


def select_agent(
    call: QueuedCall,
    agents: Sequence[AgentState],
    now: datetime,
    policy: RoutingPolicy = DEFAULT_POLICY,
) -> AgentMatch | None:
    """The agent to offer `call` to now, or None to keep it waiting (see the module rules)."""
    _aware(now, "now")
    rule = policy.rule_for(call)
    waited = call.waited(now)
    candidates = [
        a
        for a in agents
        if a.presence is PresenceState.available
        and _qualifies(a, call)
        and _location_ok(a, call, waited, rule)
    ]
    if not candidates:
        return None
    interpreter = False
    if call.language is not None:
        speakers = [a for a in candidates if a.speaks(call)]
        if speakers:
            candidates = speakers
        elif _may_interpret(call, _pool_has_speaker(call, agents), waited, rule):
            interpreter = True
        else:
            return None
    preferred = call.preferred_location

    def order(a: AgentState) -> tuple[bool, datetime, str]:
        away = preferred is not None and preferred not in a.location_ids
        return (away, a.since, a.staff_id)

    best = min(candidates, key=order)
    overflow = preferred is not None and preferred not in best.location_ids
    return AgentMatch(agent=best, interpreter=interpreter, overflow=overflow)


def call_order(call: QueuedCall) -> tuple[int, datetime, str]:
    """Sort key of a queue: highest priority, then longest waiting, then id."""
    return (-call.priority.rank, call.entered_at, call.id)


def next_call_for(
    agent: AgentState,
    queue: Iterable[QueuedCall],
    now: datetime,
    *,
    agents: Sequence[AgentState] = (),
    policy: RoutingPolicy = DEFAULT_POLICY,
) -> QueuedCall | None:
    """The waiting call an agent who just became available should take, or None.

    `agents` is the rest of the staff, used only to know whether a speaker of a
    caller's language is staffed (then the call waits for them, see the module
    rules). The agent must be available.
    """
    _aware(now, "now")
    if agent.presence is not PresenceState.available:
        return None
    pool = [*agents, agent]
    speaker_staffed: dict[tuple[str | None, bool, str | None], bool] = {}
    best: QueuedCall | None = None
    best_key: tuple[int, datetime, str] | None = None
    for call in queue:
        if not _qualifies(agent, call):
            continue
        key = call_order(call)
        if best_key is not None and key >= best_key:
            continue
        rule = policy.rule_for(call)
        waited = call.waited(now)
        if not _location_ok(agent, call, waited, rule):
            continue
        if not agent.speaks(call):
            cache_key = (
                None if call.priority is Priority.emergency else call.skill,
                call.priority.needs_clinician,
                call.primary_language,
            )
            if cache_key not in speaker_staffed:
                speaker_staffed[cache_key] = _pool_has_speaker(call, pool)
            if not _may_interpret(call, speaker_staffed[cache_key], waited, rule):
                continue
        best, best_key = call, key
    return best


def queue_position(call: QueuedCall, queue: Iterable[QueuedCall]) -> int:
    """How many calls of the same skill will be served before `call` (0: it is next)."""
    mine = call_order(call)
    return sum(
        1
        for other in queue
        if other.id != call.id and other.skill == call.skill and call_order(other) < mine
    )


# ---------------------------------------------------------------- waiting, callbacks, overflow


def estimate_wait(
    position: int,
    agents: Sequence[AgentState],
    recent_handle_seconds: Sequence[float],
    *,
    default_handle_seconds: float = 300.0,
) -> timedelta | None:
    """Expected wait of the call with `position` calls ahead of it, served by `agents`
    (those with its skill). None when nobody is staffed: the wait has no end.

    The k-th next free agent among n busy ones appears after about k x AHT / n
    (handle times include wrap-up; their recent mean is the AHT).
    """
    if position < 0:
        raise RoutingInputInvalid(
            "position must not be negative", problems=[FieldProblem("position", "must be >= 0")]
        )
    bad = [h for h in recent_handle_seconds if not (math.isfinite(h) and h > 0)]
    if bad or not (math.isfinite(default_handle_seconds) and default_handle_seconds > 0):
        raise RoutingInputInvalid(
            "handle times must be positive numbers of seconds",
            problems=[FieldProblem("recent_handle_seconds", "must be positive and finite")],
        )
    staffed = [a for a in agents if a.presence in STAFFED]
    if not staffed:
        return None
    available = sum(1 for a in staffed if a.presence is PresenceState.available)
    if position < available:
        return timedelta(0)
    aht = (
        sum(recent_handle_seconds) / len(recent_handle_seconds)
        if recent_handle_seconds
        else default_handle_seconds
    )
    departures = position - available + 1
    return timedelta(seconds=departures * aht / len(staffed))


def should_offer_callback(
    estimate: timedelta | None,
    threshold: timedelta,
    *,
    priority: Priority = Priority.routine,
) -> bool:
    """Offer to call back when the expected wait reaches `threshold` (or nobody is
    staffed). Never to urgent or emergency callers: they stay on the line for a
    clinician."""
    if priority.needs_clinician:
        return False
    return estimate is None or estimate >= threshold


class OverflowAction(StrEnum):
    wait_local = "wait_local"
    wait_network = "wait_network"
    answering_service = "answering_service"
    on_call = "on_call"


@dataclass(frozen=True)
class OverflowDecision:
    """Where a waiting call stands now, and when to ask again (None: never changes)."""

    action: OverflowAction
    reason: str
    review_at: datetime | None


def overflow_decision(
    call: QueuedCall, now: datetime, policy: RoutingPolicy = DEFAULT_POLICY
) -> OverflowDecision:
    """Waiting at its location, then at any location of the network, then leaving
    the queue: routine calls to the answering service, clinical ones to the on-call
    clinician (`escalation_destination`)."""
    _aware(now, "now")
    rule = policy.rule_for(call)
    waited = call.waited(now)
    escalate = rule.escalate_after
    if call.callback_requested and call.priority is Priority.routine:
        escalate = None  # a callback keeps its place until someone calls back
    if escalate is not None and waited >= escalate:
        if escalation_destination(call.priority) is Destination.answering_service:
            return OverflowDecision(
                OverflowAction.answering_service, "waited past the department's limit", None
            )
        return OverflowDecision(OverflowAction.on_call, "no clinician free in time", None)
    escalate_at = None if escalate is None else call.entered_at + escalate
    if call.location_id is not None and waited < rule.overflow_after:
        overflow_at = call.entered_at + rule.overflow_after
        review = overflow_at if escalate_at is None else min(overflow_at, escalate_at)
        return OverflowDecision(OverflowAction.wait_local, "within the local wait", review)
    reason = "network-wide queue" if call.location_id is None else "overflowed"
    return OverflowDecision(OverflowAction.wait_network, reason, escalate_at)


def review_times(call: QueuedCall, policy: RoutingPolicy = DEFAULT_POLICY) -> tuple[datetime, ...]:
    """The instants at which a waiting call's options widen: ask `select_agent` and
    `overflow_decision` again then (a queue worker's or the simulator's timers)."""
    rule = policy.rule_for(call)
    delays = {rule.overflow_after, rule.language_fallback_after, rule.escalate_after}
    return tuple(sorted(call.entered_at + d for d in delays if d is not None))


@dataclass(frozen=True)
class EmergencyRoute:
    """An emergency goes to an available clinical agent now (`match`), else it rings
    the on-call clinician (`on_call`)."""

    match: AgentMatch | None
    on_call: bool


def route_emergency(
    call: QueuedCall,
    agents: Sequence[AgentState],
    now: datetime,
    policy: RoutingPolicy = DEFAULT_POLICY,
) -> EmergencyRoute:
    """Any available clinical agent (a speaker of the caller's language, at the
    caller's location, longest idle first), else the on-call clinician."""
    if call.priority is not Priority.emergency:
        raise RoutingInputInvalid(
            "only emergency calls take the emergency route",
            problems=[FieldProblem("priority", "must be emergency")],
        )
    match = select_agent(call, agents, now, policy)
    return EmergencyRoute(match=match, on_call=match is None)


# ---------------------------------------------------------------- presence


def _evolve(agent: AgentState, **changes: object) -> AgentState:
    """A copy with presence fields changed. Skips `__post_init__`: the skills and
    languages were normalised when the agent was built, and this runs on every
    transition of every simulated call."""
    new = object.__new__(AgentState)
    new.__dict__.update(agent.__dict__)
    new.__dict__.update(changes)
    return new


def _moved(agent: AgentState, at: datetime) -> None:
    _aware(at, "at")
    if at < agent.since:
        raise RoutingInputInvalid(
            "a presence change cannot happen before the previous one",
            problems=[FieldProblem("at", "is earlier than the agent's last change")],
        )


def _refuse(agent: AgentState, action: str) -> PresenceConflict:
    return PresenceConflict(f"cannot {action} while the agent is {agent.presence.value}")


def offer_call(agent: AgentState, call_id: str, at: datetime) -> AgentState:
    """An available agent's phone starts ringing: busy, not answered yet."""
    _moved(agent, at)
    if agent.presence is not PresenceState.available:
        raise _refuse(agent, "offer a call")
    return _evolve(agent, presence=PresenceState.busy, since=at, call_id=call_id, answered_at=None)


def _on_call(agent: AgentState, call_id: str, action: str) -> None:
    if agent.presence is not PresenceState.busy or agent.call_id != call_id:
        raise PresenceConflict(f"cannot {action}: the agent was not offered this call")


def answer_call(agent: AgentState, call_id: str, at: datetime) -> AgentState:
    """The agent picks up the call they were offered."""
    _moved(agent, at)
    _on_call(agent, call_id, "answer")
    if agent.answered_at is not None:
        raise PresenceConflict("cannot answer: the call was already answered")
    return _evolve(agent, answered_at=at)


def miss_call(agent: AgentState, call_id: str, at: datetime) -> AgentState:
    """The offer rang out or was declined: the agent goes away, so the next
    call is not offered to an empty desk; the call goes back to the queue."""
    _moved(agent, at)
    _on_call(agent, call_id, "miss")
    if agent.answered_at is not None:
        raise PresenceConflict("cannot miss a call that was answered")
    return _evolve(agent, presence=PresenceState.away, since=at, call_id=None)


def withdraw_offer(agent: AgentState, call_id: str, at: datetime) -> AgentState:
    """The caller hung up (or was routed elsewhere) while the agent's phone rang:
    the agent is free again, and idle from now. Not the agent's fault, unlike
    `miss_call`."""
    _moved(agent, at)
    _on_call(agent, call_id, "withdraw the offer")
    if agent.answered_at is not None:
        raise PresenceConflict("cannot withdraw an offer that was answered")
    return _evolve(agent, presence=PresenceState.available, since=at, call_id=None)


def end_call(agent: AgentState, call_id: str, at: datetime) -> AgentState:
    """The answered call ends: wrap-up (notes) before the next call."""
    _moved(agent, at)
    _on_call(agent, call_id, "end the call")
    if agent.answered_at is None:
        raise PresenceConflict("cannot end a call that was never answered")
    return _evolve(agent, presence=PresenceState.wrap_up, since=at, call_id=None, answered_at=None)


def finish_wrap_up(agent: AgentState, at: datetime) -> AgentState:
    """Wrap-up done: available, and idle from now (the longest-idle clock restarts)."""
    _moved(agent, at)
    if agent.presence is not PresenceState.wrap_up:
        raise _refuse(agent, "finish wrap-up")
    return _evolve(agent, presence=PresenceState.available, since=at)


_MANUAL = frozenset({PresenceState.available, PresenceState.away, PresenceState.offline})


def set_presence(agent: AgentState, state: PresenceState, at: datetime) -> AgentState:
    """An agent (or their supervisor) changes presence by hand: available, away or
    offline. Busy comes only from an offer; nobody leaves a call by a status change."""
    _moved(agent, at)
    state = PresenceState(state)
    if state not in _MANUAL:
        raise PresenceConflict(f"{state.value} is set by calls, not by hand")
    if agent.presence is PresenceState.busy:
        raise _refuse(agent, f"go {state.value}")
    if state is agent.presence:
        return agent
    return _evolve(agent, presence=state, since=at, call_id=None, answered_at=None)
