"""Erlang C: how many agents a queue needs, and what callers will see with N agents.

Callers arrive at random (Poisson), handle times are exponential, nobody hangs up
(M/M/N). Erlang B comes from its recurrence B(0) = 1, B(n) = A*B(n-1) / (n + A*B(n-1)),
which stays in [0, 1] at every step: no factorials or powers that overflow at a
few hundred agents, and O(N) for N agents. Erlang C is derived from it:
C = N*B / (N - A*(1 - B)).

Pure: numbers in, numbers out. Staffing plans use this; the simulator checks it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from careline.core.errors import FieldProblem, ValidationFailed

#: A search past this many agents means the inputs are not a real call centre.
MAX_AGENTS = 1_000_000


class StaffingInputInvalid(ValidationFailed):
    error_id = "staffing-input-invalid"
    title = "Invalid staffing input"


class UnstableQueue(ValidationFailed):
    """Traffic at or above the number of agents: the queue grows without end."""

    error_id = "queue-unstable"
    title = "The queue would grow without end"


def _check(**values: float | int) -> None:
    problems: list[FieldProblem] = []
    for name, value in values.items():
        if isinstance(value, bool) or not math.isfinite(value):
            problems.append(FieldProblem(name, "must be a finite number"))
        elif name == "agents":
            if value != int(value) or value < 1:
                problems.append(FieldProblem(name, "must be a whole number of at least 1"))
        elif name == "target_seconds":
            if value < 0:
                problems.append(FieldProblem(name, "must not be negative"))
        elif name == "target_level":
            if not 0 < value < 1:
                problems.append(
                    FieldProblem(name, "must be a fraction between 0 and 1 (0.8 for 80%)")
                )
        elif value <= 0:
            problems.append(FieldProblem(name, "must be greater than 0"))
    if problems:
        raise StaffingInputInvalid(
            "; ".join(f"{p.field} {p.message}" for p in problems), problems=problems
        )


def traffic_erlangs(calls_per_hour: float, aht_seconds: float) -> float:
    """Offered load: how many agents would be busy all the time (A = lambda x AHT)."""
    _check(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds)
    return calls_per_hour * aht_seconds / 3600.0


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability of N agents with no queue, by the stable recurrence."""
    _check(traffic=traffic, agents=agents)
    b = 1.0
    for n in range(1, int(agents) + 1):
        b = traffic * b / (n + traffic * b)
    return b


def _c_from_b(traffic: float, agents: int, b: float) -> float:
    return agents * b / (agents - traffic * (1.0 - b))


def _stable(traffic: float, agents: int) -> None:
    if traffic >= agents:
        raise UnstableQueue(
            f"{traffic:.2f} erlangs of traffic need more than {agents} agents: "
            "the queue would grow without end (add agents or cut the load)",
            extra={"traffic_erlangs": traffic, "agents": agents},
        )


def erlang_c(traffic: float, agents: int) -> float:
    """Probability that a caller waits at all (Erlang C), for traffic < agents."""
    _check(traffic=traffic, agents=agents)
    _stable(traffic, agents)
    return _c_from_b(traffic, agents, erlang_b(traffic, agents))


def p_wait(*, calls_per_hour: float, aht_seconds: float, agents: int) -> float:
    """Share of callers who wait before an agent answers."""
    _check(agents=agents)
    return erlang_c(traffic_erlangs(calls_per_hour, aht_seconds), agents)


def asa_seconds(*, calls_per_hour: float, aht_seconds: float, agents: int) -> float:
    """Average speed of answer over all callers: C x AHT / (N - A)."""
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    c = p_wait(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds, agents=agents)
    return c * aht_seconds / (agents - traffic)


def _service_level(traffic: float, agents: int, c: float, aht: float, target: float) -> float:
    return 1.0 - c * math.exp(-(agents - traffic) * target / aht)


def service_level(
    *, calls_per_hour: float, aht_seconds: float, agents: int, target_seconds: float
) -> float:
    """Share of callers answered within `target_seconds`: 1 - C x e^(-(N-A) t / AHT)."""
    _check(target_seconds=target_seconds)
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    c = p_wait(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds, agents=agents)
    return _service_level(traffic, agents, c, aht_seconds, target_seconds)


def occupancy(*, calls_per_hour: float, aht_seconds: float, agents: int) -> float:
    """Share of the agents' time spent on calls (A / N)."""
    _check(agents=agents)
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    _stable(traffic, agents)
    return traffic / agents


def agents_for_service_level(
    *, calls_per_hour: float, aht_seconds: float, target_seconds: float, target_level: float
) -> int:
    """The fewest agents that answer `target_level` of callers within `target_seconds`.

    Walks N up from the first stable count, carrying Erlang B forward one step
    at a time, so the whole search is O(N).
    """
    _check(target_seconds=target_seconds, target_level=target_level)
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    agents = math.floor(traffic) + 1
    b = erlang_b(traffic, agents)
    while agents <= MAX_AGENTS:
        c = _c_from_b(traffic, agents, b)
        if _service_level(traffic, agents, c, aht_seconds, target_seconds) >= target_level:
            return agents
        agents += 1
        b = traffic * b / (agents + traffic * b)
    raise StaffingInputInvalid(
        f"no staffing up to {MAX_AGENTS} agents reaches that service level",
        problems=[FieldProblem("target_level", "is out of reach")],
    )


@dataclass(frozen=True)
class StaffingReport:
    """What callers see with `agents` agents (the answer of `careline staffing`)."""

    calls_per_hour: float
    aht_seconds: float
    target_seconds: float
    traffic_erlangs: float
    agents: int
    p_wait: float
    asa_seconds: float
    service_level: float
    occupancy: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def staffing_report(
    *,
    calls_per_hour: float,
    aht_seconds: float,
    target_seconds: float,
    agents: int | None = None,
    target_level: float | None = None,
) -> StaffingReport:
    """Either the outcome of `agents` agents, or the agents needed for `target_level`
    (exactly one of the two) and their outcome."""
    if (agents is None) == (target_level is None):
        raise StaffingInputInvalid(
            "give either a number of agents or a target service level, not both or neither",
            problems=[FieldProblem("agents", "or target_level is required, not both")],
        )
    load = {"calls_per_hour": calls_per_hour, "aht_seconds": aht_seconds}
    _check(target_seconds=target_seconds, **load)
    if agents is None:
        assert target_level is not None
        agents = agents_for_service_level(
            target_seconds=target_seconds, target_level=target_level, **load
        )
    _check(agents=agents)
    return StaffingReport(
        calls_per_hour=calls_per_hour,
        aht_seconds=aht_seconds,
        target_seconds=target_seconds,
        traffic_erlangs=traffic_erlangs(**load),
        agents=agents,
        p_wait=p_wait(agents=agents, **load),
        asa_seconds=asa_seconds(agents=agents, **load),
        service_level=service_level(agents=agents, target_seconds=target_seconds, **load),
        occupancy=occupancy(agents=agents, **load),
    )
