"""Routing decisions, one rule at a time: priority, skills, clinical licence, language,
longest idle, location and overflow, waits and callbacks, escalation, presence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from careline.directory.model import PresenceState
from careline.routing.model import (
    DEFAULT_POLICY,
    AgentState,
    OverflowAction,
    PresenceConflict,
    Priority,
    QueuedCall,
    RoutingInputInvalid,
    RoutingPolicy,
    WaitRule,
    answer_call,
    end_call,
    estimate_wait,
    finish_wrap_up,
    miss_call,
    next_call_for,
    offer_call,
    overflow_decision,
    queue_position,
    review_times,
    route_emergency,
    select_agent,
    set_presence,
    should_offer_callback,
    withdraw_offer,
)

NOW = datetime(2026, 1, 12, 14, 0, tzinfo=UTC)
AVAILABLE = PresenceState.available


def agent(
    staff_id: str,
    *,
    skills: tuple[str, ...] = ("scheduling",),
    languages: tuple[str, ...] = ("en",),
    locations: tuple[str, ...] = ("north",),
    presence: PresenceState = AVAILABLE,
    idle: float = 0,
    clinical: bool = False,
) -> AgentState:
    return AgentState(
        staff_id=staff_id,
        skills=frozenset(skills),
        languages=languages,
        location_ids=frozenset(locations),
        presence=presence,
        since=NOW - timedelta(seconds=idle),
        clinical=clinical,
    )


def call(
    call_id: str,
    *,
    priority: Priority = Priority.routine,
    skill: str = "scheduling",
    waited: float = 0,
    language: str | None = "en",
    location: str | None = "north",
    home: str | None = None,
    callback: bool = False,
) -> QueuedCall:
    return QueuedCall(
        id=call_id,
        priority=priority,
        skill=skill,
        entered_at=NOW - timedelta(seconds=waited),
        language=language,
        location_id=location,
        home_location_id=home,
        callback_requested=callback,
    )


def nurse(staff_id: str, **kw: object) -> AgentState:
    kw.setdefault("skills", ("nurse_triage",))
    return agent(staff_id, clinical=True, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------- priority order


def test_next_call_is_highest_priority_then_longest_waiting():
    a = nurse("n1")
    queue = [
        call("r-old", skill="nurse_triage", waited=900),
        call("u-new", priority=Priority.urgent, skill="nurse_triage", waited=5),
        call("u-old", priority=Priority.urgent, skill="nurse_triage", waited=40),
        call("r-new", skill="nurse_triage", waited=10),
    ]
    assert next_call_for(a, queue, NOW).id == "u-old"
    assert next_call_for(a, [q for q in queue if q.id != "u-old"], NOW).id == "u-new"
    assert next_call_for(a, [q for q in queue if q.priority is Priority.routine], NOW).id == "r-old"


def test_emergency_is_never_behind_anyone():
    """A pediatric nurse at another clinic who does not speak the caller's language
    still takes a brand-new emergency before calls that waited for an hour."""
    peds = nurse("p1", skills=("pediatrics",), locations=("south",), languages=("en",))
    queue = [
        call("r", skill="pediatrics", waited=3600, location="south"),
        call("u", priority=Priority.urgent, skill="pediatrics", waited=3000, location="south"),
        call("e", priority=Priority.emergency, skill="nurse_triage", language="vi", waited=0),
    ]
    assert next_call_for(peds, queue, NOW).id == "e"
    # ...and a non-clinical agent never takes it, whatever it waited.
    desk = agent("d1", skills=("pediatrics",), locations=("south",))
    assert next_call_for(desk, queue, NOW).id == "r"


def test_priority_values_rank_and_clinical_need():
    assert Priority.emergency.rank > Priority.urgent.rank > Priority.routine.rank
    assert Priority.urgent.needs_clinician and not Priority.routine.needs_clinician


def test_queue_position_counts_only_calls_served_first():
    queue = [
        call("a", waited=100),
        call("b", waited=50),
        call("c", priority=Priority.urgent, skill="scheduling", waited=1),
        call("other-skill", skill="billing", waited=500),
    ]
    mine = call("me", waited=60)
    assert queue_position(mine, [*queue, mine]) == 2  # a (older) and c (urgent)
    assert queue_position(call("first", priority=Priority.emergency), queue) == 0


# ---------------------------------------------------------------- who may answer


def test_skill_is_required():
    billing = agent("b1", skills=("billing",), idle=600)
    sched = agent("s1", idle=10)
    match = select_agent(call("c"), [billing, sched], NOW)
    assert match is not None and match.agent.staff_id == "s1"
    assert select_agent(call("c"), [billing], NOW) is None


def test_urgent_calls_go_only_to_clinicians():
    desk = agent("d1", skills=("nurse_triage",), idle=900)
    n = nurse("n1", idle=5)
    urgent = call("u", priority=Priority.urgent, skill="nurse_triage")
    assert select_agent(urgent, [desk], NOW) is None
    assert select_agent(urgent, [desk, n], NOW).agent.staff_id == "n1"


def test_only_available_agents_are_offered_calls():
    busy = agent("x", presence=PresenceState.busy, idle=999)
    wrap = agent("y", presence=PresenceState.wrap_up, idle=999)
    away = agent("z", presence=PresenceState.away, idle=999)
    assert select_agent(call("c"), [busy, wrap, away], NOW) is None
    assert next_call_for(busy, [call("c")], NOW) is None


def test_longest_idle_first_then_staff_id():
    agents = [agent("s2", idle=30), agent("s3", idle=300), agent("s1", idle=300)]
    assert select_agent(call("c"), agents, NOW).agent.staff_id == "s1"
    assert select_agent(call("c"), agents[:2], NOW).agent.staff_id == "s3"


# ---------------------------------------------------------------- language


def test_caller_waits_for_a_staffed_speaker_then_gets_an_interpreter():
    english = agent("en1", idle=600)
    spanish_busy = agent("es1", languages=("en", "es-MX"), presence=PresenceState.busy)
    rule = DEFAULT_POLICY.rules[Priority.routine].language_fallback_after
    assert rule is not None
    early = call("c", language="es", waited=rule.total_seconds() - 1)
    assert select_agent(early, [english, spanish_busy], NOW) is None
    assert next_call_for(english, [early], NOW, agents=[spanish_busy]) is None
    late = call("c", language="es", waited=rule.total_seconds())
    match = select_agent(late, [english, spanish_busy], NOW)
    assert match is not None and match.agent.staff_id == "en1" and match.interpreter
    assert next_call_for(english, [late], NOW, agents=[spanish_busy]).id == "c"


def test_interpreter_at_once_when_no_speaker_is_staffed():
    english = agent("en1")
    spanish_offline = agent("es1", languages=("es",), presence=PresenceState.offline)
    spanish_billing = agent("es2", skills=("billing",), languages=("es",))
    match = select_agent(call("c", language="es"), [english, spanish_offline, spanish_billing], NOW)
    assert match is not None and match.interpreter
    assert (
        next_call_for(english, [call("c", language="es")], NOW, agents=[spanish_offline]).id == "c"
    )


def test_a_speaker_beats_a_longer_idle_agent_and_regional_variants_match():
    english = agent("en1", idle=900)
    mexican = agent("es1", languages=("es-MX",), idle=1)
    match = select_agent(call("c", language="es"), [english, mexican], NOW)
    assert match.agent.staff_id == "es1" and not match.interpreter
    match = select_agent(call("c", language="es-ES"), [english, mexican], NOW)
    assert match.agent.staff_id == "es1"


def test_emergency_never_waits_for_a_language():
    n = nurse("n1", languages=("en",))
    vietnamese_busy = nurse("n2", languages=("vi",), presence=PresenceState.busy)
    route = route_emergency(
        call("e", priority=Priority.emergency, language="vi"), [n, vietnamese_busy], NOW
    )
    assert route.match is not None and route.match.interpreter and not route.on_call


def test_bad_language_codes_are_refused():
    with pytest.raises(RoutingInputInvalid) as err:
        call("c", language="klingon")
    assert err.value.problems[0].field == "language"
    with pytest.raises(RoutingInputInvalid):
        agent("a", languages=("en", "??"))


# ---------------------------------------------------------------- location and overflow


def test_local_agent_preferred_over_a_longer_idle_remote_one():
    local = agent("n1", locations=("north",), idle=5)
    remote = agent("s1", locations=("south",), idle=900)
    match = select_agent(call("c", location="north"), [local, remote], NOW)
    assert match.agent.staff_id == "n1" and not match.overflow


def test_network_overflow_only_after_the_departments_max_wait():
    remote = agent("s1", locations=("south",))
    limit = DEFAULT_POLICY.rules[Priority.routine].overflow_after.total_seconds()
    assert select_agent(call("c", waited=limit - 1), [remote], NOW) is None
    assert next_call_for(remote, [call("c", waited=limit - 1)], NOW) is None
    match = select_agent(call("c", waited=limit), [remote], NOW)
    assert match is not None and match.overflow
    assert next_call_for(remote, [call("c", waited=limit)], NOW).id == "c"


def test_department_rules_override_the_network_rules():
    policy = RoutingPolicy(
        rules=dict(DEFAULT_POLICY.rules),
        skill_rules={"billing": {Priority.routine: WaitRule(overflow_after=timedelta(0))}},
    )
    remote = agent("s1", skills=("billing", "scheduling"), locations=("south",))
    assert select_agent(call("b", skill="billing"), [remote], NOW, policy).overflow
    assert select_agent(call("s", skill="scheduling"), [remote], NOW, policy) is None


def test_urgent_calls_cross_locations_at_once():
    remote = nurse("s1", locations=("south",))
    urgent = call("u", priority=Priority.urgent, skill="nurse_triage", location="north")
    match = select_agent(urgent, [remote], NOW)
    assert match is not None and match.overflow


def test_network_queue_prefers_the_callers_home_clinic():
    north = agent("n1", locations=("north",), idle=1)
    south = agent("s1", locations=("south",), idle=500)
    network_call = call("c", location=None, home="north")
    assert select_agent(network_call, [north, south], NOW).agent.staff_id == "n1"
    assert select_agent(network_call, [south], NOW).agent.staff_id == "s1"
    anywhere = call("c", location=None, home=None)
    assert select_agent(anywhere, [north, south], NOW).agent.staff_id == "s1"


def test_overflow_decision_walks_local_network_answering_service():
    rule = DEFAULT_POLICY.rules[Priority.routine]
    assert rule.escalate_after is not None
    c = call("c", waited=0)
    first = overflow_decision(c, NOW)
    assert first.action is OverflowAction.wait_local
    assert first.review_at == c.entered_at + rule.overflow_after
    middle = overflow_decision(c, c.entered_at + rule.overflow_after)
    assert middle.action is OverflowAction.wait_network
    assert middle.review_at == c.entered_at + rule.escalate_after
    last = overflow_decision(c, c.entered_at + rule.escalate_after)
    assert last.action is OverflowAction.answering_service and last.review_at is None


def test_clinical_calls_escalate_to_on_call_not_the_answering_service():
    urgent = call("u", priority=Priority.urgent, skill="nurse_triage")
    limit = DEFAULT_POLICY.rules[Priority.urgent].escalate_after
    assert limit is not None
    assert overflow_decision(urgent, NOW).action is OverflowAction.wait_network
    assert overflow_decision(urgent, NOW + limit).action is OverflowAction.on_call
    emergency = call("e", priority=Priority.emergency, skill="nurse_triage")
    assert overflow_decision(emergency, NOW).action is OverflowAction.on_call


def test_callbacks_keep_their_place_and_never_go_to_the_answering_service():
    c = call("c", callback=True)
    assert overflow_decision(c, NOW + timedelta(days=1)).action is OverflowAction.wait_network


def test_review_times_are_when_options_widen():
    c = call("c")
    rule = DEFAULT_POLICY.rules[Priority.routine]
    assert review_times(c) == tuple(
        sorted(
            c.entered_at + d
            for d in (rule.overflow_after, rule.language_fallback_after, rule.escalate_after)
            if d is not None
        )
    )


def test_policy_rules_are_checked():
    with pytest.raises(RoutingInputInvalid):
        RoutingPolicy(rules={Priority.routine: WaitRule()})
    with pytest.raises(RoutingInputInvalid):
        WaitRule(overflow_after=timedelta(seconds=-1))


# ---------------------------------------------------------------- emergencies


def test_emergency_goes_to_any_free_clinician_else_on_call():
    desk = agent("d1", skills=("nurse_triage",), idle=999)
    oncology = nurse("o1", skills=("oncology",), locations=("south",))
    emergency = call("e", priority=Priority.emergency, skill="nurse_triage")
    route = route_emergency(emergency, [desk, oncology], NOW)
    assert route.match.agent.staff_id == "o1" and not route.on_call
    route = route_emergency(emergency, [desk], NOW)
    assert route.match is None and route.on_call


def test_only_emergencies_take_the_emergency_route():
    with pytest.raises(RoutingInputInvalid):
        route_emergency(call("c"), [], NOW)


# ---------------------------------------------------------------- waits and callbacks


def test_estimate_wait():
    busy = [agent(f"b{i}", presence=PresenceState.busy) for i in range(3)]
    free = agent("f", presence=AVAILABLE)
    assert estimate_wait(0, [], [300]) is None
    assert estimate_wait(0, [agent("x", presence=PresenceState.offline)], [300]) is None
    assert estimate_wait(0, [*busy, free], [300]) == timedelta(0)
    # 3 busy agents, 200 s and 400 s recent: the 3rd departure, 3 x 300 / 3 = 300 s.
    assert estimate_wait(2, busy, [200, 400]) == timedelta(seconds=300)
    # No history yet: the default handle time.
    assert estimate_wait(0, busy, [], default_handle_seconds=120) == timedelta(seconds=40)


@pytest.mark.parametrize(
    ("position", "handles"), [(-1, [300.0]), (0, [0.0]), (0, [-5.0]), (0, [float("nan")])]
)
def test_estimate_wait_refuses_nonsense(position, handles):
    with pytest.raises(RoutingInputInvalid):
        estimate_wait(position, [agent("a", presence=PresenceState.busy)], handles)


def test_callback_offered_at_the_threshold_and_never_to_clinical_callers():
    threshold = timedelta(minutes=4)
    assert not should_offer_callback(timedelta(minutes=3, seconds=59), threshold)
    assert should_offer_callback(timedelta(minutes=4), threshold)
    assert should_offer_callback(None, threshold)  # nobody staffed
    assert not should_offer_callback(None, threshold, priority=Priority.urgent)
    assert not should_offer_callback(timedelta(hours=1), threshold, priority=Priority.emergency)


# ---------------------------------------------------------------- presence


def test_presence_cycle_offer_answer_wrap_up_available():
    a = agent("a", idle=60)
    t = NOW
    a = offer_call(a, "c1", t)
    assert a.presence is PresenceState.busy and a.call_id == "c1" and a.answered_at is None
    assert a.available_since is None
    a = answer_call(a, "c1", t + timedelta(seconds=5))
    assert a.answered_at == t + timedelta(seconds=5) and a.since == t
    a = end_call(a, "c1", t + timedelta(minutes=4))
    assert a.presence is PresenceState.wrap_up and a.call_id is None
    a = finish_wrap_up(a, t + timedelta(minutes=5))
    assert a.presence is AVAILABLE and a.available_since == t + timedelta(minutes=5)
    # The skills and languages survive every transition.
    assert a.skills == frozenset({"scheduling"}) and a.languages == ("en",)


def test_a_missed_offer_makes_the_agent_away():
    a = miss_call(offer_call(agent("a"), "c1", NOW), "c1", NOW + timedelta(seconds=20))
    assert a.presence is PresenceState.away and a.call_id is None
    assert select_agent(call("c2"), [a], NOW + timedelta(seconds=21)) is None
    back = set_presence(a, AVAILABLE, NOW + timedelta(minutes=1))
    assert back.presence is AVAILABLE


def test_a_withdrawn_offer_frees_the_agent_without_blame():
    later = NOW + timedelta(seconds=8)
    a = withdraw_offer(offer_call(agent("a"), "c1", NOW), "c1", later)
    assert a.presence is AVAILABLE and a.call_id is None and a.available_since == later
    assert select_agent(call("c2"), [a], later) is not None


@pytest.mark.parametrize(
    "move",
    [
        lambda a: offer_call(offer_call(a, "c1", NOW), "c2", NOW),  # offered twice
        lambda a: answer_call(a, "c1", NOW),  # never offered
        lambda a: answer_call(offer_call(a, "c1", NOW), "c2", NOW),  # another call
        lambda a: answer_call(answer_call(offer_call(a, "c1", NOW), "c1", NOW), "c1", NOW),
        lambda a: end_call(offer_call(a, "c1", NOW), "c1", NOW),  # never answered
        lambda a: miss_call(answer_call(offer_call(a, "c1", NOW), "c1", NOW), "c1", NOW),
        lambda a: finish_wrap_up(a, NOW),  # not wrapping up
        lambda a: withdraw_offer(a, "c1", NOW),  # nothing offered
        lambda a: withdraw_offer(answer_call(offer_call(a, "c1", NOW), "c1", NOW), "c1", NOW),
        lambda a: set_presence(a, PresenceState.busy, NOW),  # busy comes from calls
        lambda a: set_presence(offer_call(a, "c1", NOW), PresenceState.offline, NOW),
        lambda a: offer_call(set_presence(a, PresenceState.away, NOW), "c1", NOW),
    ],
)
def test_impossible_presence_changes_are_refused(move):
    with pytest.raises(PresenceConflict) as err:
        move(agent("a"))
    assert err.value.error_id == "presence-transition-invalid"


def test_wrap_up_can_be_ended_by_hand():
    a = end_call(answer_call(offer_call(agent("a"), "c", NOW), "c", NOW), "c", NOW)
    assert set_presence(a, PresenceState.offline, NOW).presence is PresenceState.offline
    assert set_presence(a, AVAILABLE, NOW).presence is AVAILABLE


def test_time_never_runs_backwards_and_must_be_aware():
    a = agent("a")
    with pytest.raises(RoutingInputInvalid):
        offer_call(a, "c", NOW - timedelta(seconds=1))
    with pytest.raises(RoutingInputInvalid):
        offer_call(a, "c", NOW.replace(tzinfo=None))
    with pytest.raises(RoutingInputInvalid):
        select_agent(call("c"), [a], NOW.replace(tzinfo=None))
    with pytest.raises(RoutingInputInvalid):
        QueuedCall(id="c", priority=Priority.routine, skill="s", entered_at=datetime(2026, 1, 1))


def test_urgent_calls_need_the_clinical_skill_emergencies_do_not():
    oncology = nurse("o1", skills=("oncology",))
    urgent = call("u", priority=Priority.urgent, skill="nurse_triage")
    assert select_agent(urgent, [oncology], NOW) is None
    emergency = call("e", priority=Priority.emergency, skill="nurse_triage")
    assert select_agent(emergency, [oncology], NOW).agent.staff_id == "o1"


def test_emergencies_ignore_location_and_language_limits_whatever_the_policy():
    slow = WaitRule(
        overflow_after=timedelta(hours=1),
        language_fallback_after=timedelta(hours=1),
        escalate_after=timedelta(seconds=30),
    )
    policy = RoutingPolicy(rules={**DEFAULT_POLICY.rules, Priority.emergency: slow})
    remote = nurse("s1", locations=("south",), languages=("en",))
    speaker_busy = nurse("s2", languages=("vi",), presence=PresenceState.busy)
    emergency = call("e", priority=Priority.emergency, language="vi", location="north")
    match = select_agent(emergency, [remote, speaker_busy], NOW, policy)
    assert match is not None and match.overflow and match.interpreter
    # Only the on-call timing is the policy's to choose.
    assert overflow_decision(emergency, NOW, policy).action is OverflowAction.wait_network
    assert (
        overflow_decision(emergency, NOW + timedelta(seconds=30), policy).action
        is OverflowAction.on_call
    )
