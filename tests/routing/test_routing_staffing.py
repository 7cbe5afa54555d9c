"""Erlang C against textbook values and an independent factorial formula, at scale,
and its refusals."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from careline.routing.staffing import (
    StaffingInputInvalid,
    UnstableQueue,
    agents_for_service_level,
    asa_seconds,
    erlang_b,
    erlang_c,
    occupancy,
    p_wait,
    service_level,
    staffing_report,
)


def erlang_c_by_factorials(traffic: Fraction, agents: int) -> Fraction:
    """The textbook formula, exactly, in rationals: fine for small N only."""
    top = traffic**agents / math.factorial(agents) * Fraction(agents) / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return top / bottom


@pytest.mark.parametrize(
    ("traffic", "agents"),
    [
        (Fraction(1, 2), 1),
        (Fraction(2), 3),
        (Fraction(10), 11),
        (Fraction(10), 14),
        (Fraction(37, 2), 25),
    ],
)
def test_matches_the_factorial_formula(traffic, agents):
    expected = float(erlang_c_by_factorials(traffic, agents))
    assert erlang_c(float(traffic), agents) == pytest.approx(expected, rel=1e-12)


def test_matches_the_factorial_formula_across_a_grid():
    for agents in range(1, 31):
        for tenths in range(1, agents * 10, 7):
            traffic = Fraction(tenths, 10)
            expected = float(erlang_c_by_factorials(traffic, agents))
            assert erlang_c(float(traffic), agents) == pytest.approx(expected, rel=1e-10)


def test_textbook_values():
    # Erlang C tables: 10 erlangs on 11 agents wait with probability 0.6821.
    assert erlang_c(10.0, 11) == pytest.approx(0.6821, abs=5e-5)
    # M/M/1: P(wait) = utilisation.
    assert erlang_c(0.75, 1) == pytest.approx(0.75)
    # The classic example: 100 calls per half hour, 3-minute calls, 80% in 20 s.
    load = {"calls_per_hour": 200.0, "aht_seconds": 180.0}
    assert agents_for_service_level(**load, target_seconds=20, target_level=0.8) == 14
    assert service_level(**load, agents=13, target_seconds=20) == pytest.approx(0.7956, abs=1e-4)
    assert service_level(**load, agents=14, target_seconds=20) == pytest.approx(0.8884, abs=1e-4)
    assert asa_seconds(**load, agents=14) == pytest.approx(7.84, abs=0.01)
    assert occupancy(**load, agents=14) == pytest.approx(10 / 14)


def test_asa_and_service_level_follow_from_p_wait():
    load = {"calls_per_hour": 96.0, "aht_seconds": 240.0}
    c = p_wait(**load, agents=8)
    assert asa_seconds(**load, agents=8) == pytest.approx(c * 240 / (8 - 6.4))
    assert service_level(**load, agents=8, target_seconds=0) == pytest.approx(1 - c)
    levels = [service_level(**load, agents=n, target_seconds=20) for n in range(7, 15)]
    assert levels == sorted(levels)


def test_erlang_b_recurrence():
    assert erlang_b(1.0, 1) == pytest.approx(0.5)
    assert erlang_b(2.0, 2) == pytest.approx(0.4)  # (4/2) / (1 + 2 + 2)


def test_stable_for_large_agent_counts():
    """Factorials of 24,000 overflow any float; the recurrence does not."""
    load = {"calls_per_hour": 360_000.0, "aht_seconds": 240.0}  # 24,000 erlangs
    needed = agents_for_service_level(**load, target_seconds=20, target_level=0.8)
    assert 24_000 < needed < 24_200
    assert service_level(**load, agents=needed, target_seconds=20) >= 0.8
    assert service_level(**load, agents=needed - 1, target_seconds=20) < 0.8
    assert 0 < p_wait(**load, agents=needed) < 1
    assert 0 < erlang_b(24_000.0, 24_500) < 1


def test_fewest_agents_is_the_fewest():
    for calls, aht, target, level in [(30, 300, 30, 0.8), (500, 200, 15, 0.9), (5, 600, 60, 0.5)]:
        load = {"calls_per_hour": float(calls), "aht_seconds": float(aht)}
        n = agents_for_service_level(**load, target_seconds=target, target_level=level)
        assert service_level(**load, agents=n, target_seconds=target) >= level
        if n - 1 > load["calls_per_hour"] * load["aht_seconds"] / 3600:
            assert service_level(**load, agents=n - 1, target_seconds=target) < level


def test_unstable_queues_are_refused():
    with pytest.raises(UnstableQueue) as err:
        p_wait(calls_per_hour=200, aht_seconds=180, agents=10)  # 10 erlangs on 10 agents
    assert err.value.error_id == "queue-unstable"
    with pytest.raises(UnstableQueue):
        occupancy(calls_per_hour=200, aht_seconds=180, agents=9)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"calls_per_hour": 0, "aht_seconds": 180, "agents": 5}, "calls_per_hour"),
        ({"calls_per_hour": -3, "aht_seconds": 180, "agents": 5}, "calls_per_hour"),
        ({"calls_per_hour": float("nan"), "aht_seconds": 180, "agents": 5}, "calls_per_hour"),
        ({"calls_per_hour": 10, "aht_seconds": float("inf"), "agents": 5}, "aht_seconds"),
        ({"calls_per_hour": 10, "aht_seconds": 180, "agents": 0}, "agents"),
        ({"calls_per_hour": 10, "aht_seconds": 180, "agents": 2.5}, "agents"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(StaffingInputInvalid) as err:
        p_wait(**kwargs)
    assert field in {p.field for p in err.value.problems}


@pytest.mark.parametrize("level", [0, 1, 80, -0.1])
def test_target_level_is_a_fraction(level):
    with pytest.raises(StaffingInputInvalid) as err:
        agents_for_service_level(
            calls_per_hour=100, aht_seconds=180, target_seconds=20, target_level=level
        )
    assert err.value.problems[0].field == "target_level"


def test_report_needs_agents_or_a_level_not_both():
    with pytest.raises(StaffingInputInvalid):
        staffing_report(calls_per_hour=100, aht_seconds=180, target_seconds=20)
    with pytest.raises(StaffingInputInvalid):
        staffing_report(
            calls_per_hour=100, aht_seconds=180, target_seconds=20, agents=8, target_level=0.8
        )
    with pytest.raises(StaffingInputInvalid):
        staffing_report(calls_per_hour=100, aht_seconds=180, target_seconds=-1, agents=8)
    report = staffing_report(calls_per_hour=100, aht_seconds=180, target_seconds=20, agents=7)
    assert report.traffic_erlangs == 5.0 and report.agents == 7
