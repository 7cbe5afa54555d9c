"""What a caller waiting in a provider queue hears, decided by the routing rules.

The provider requests the queue's wait URL again and again while the caller
waits, reporting the caller's position and time in line. Each time, careline
decides (purely, from the call's priority and those numbers): keep holding,
offer a call back (routine callers, long expected wait), or take the caller out
of the queue because it waited past its priority's limit (the flow's
`overflow`: other locations, on-call, answering service).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from careline.routing.model import DEFAULT_RULES, Priority, should_offer_callback

CALLBACK_THRESHOLD = timedelta(minutes=2)
#: Emergencies get a few seconds for an in-house clinician to pick up before the
#: on-call clinician rings (the bar: a clinician within 15 s).
EMERGENCY_GRACE = timedelta(seconds=5)


def hold_seconds(priority: str) -> int:
    """How long one pass of the wait music lasts: short for clinical callers, so the
    next decision (overflow to on-call) comes on time."""
    return {Priority.emergency.value: 2, Priority.urgent.value: 5}.get(priority, 20)


class WaitChoice(StrEnum):
    hold = "hold"
    offer_callback = "offer_callback"
    overflow = "overflow"


@dataclass(frozen=True)
class WaitFacts:
    priority: str
    position: int  # 1 = next in line
    waited_seconds: int
    average_wait_seconds: int  # the provider's recent average for this queue


def estimated_wait(facts: WaitFacts) -> timedelta:
    """Callers ahead of this one times the queue's recent average wait per place."""
    per_place = max(facts.average_wait_seconds, 30)
    return timedelta(seconds=max(0, facts.position - 1) * per_place + per_place)


def decide(facts: WaitFacts, *, callback_offered: bool) -> WaitChoice:
    try:
        priority = Priority(facts.priority)
    except ValueError:
        priority = Priority.urgent  # an unknown priority is treated as urgent: safety first
    rule = DEFAULT_RULES[priority]
    limit = rule.escalate_after
    if priority is Priority.emergency and limit is not None:
        limit = max(limit, EMERGENCY_GRACE)
    if limit is not None and facts.waited_seconds >= limit.total_seconds():
        return WaitChoice.overflow
    if not callback_offered and should_offer_callback(
        estimated_wait(facts), CALLBACK_THRESHOLD, priority=priority
    ):
        return WaitChoice.offer_callback
    return WaitChoice.hold
