"""The wait policy: hold, offer a call back, or overflow, by priority and time in line."""

from __future__ import annotations

import pytest

from careline.telephony.queue_wait import WaitChoice, WaitFacts, decide, estimated_wait


def facts(priority="routine", position=1, waited=0, average=0):
    return WaitFacts(priority, position, waited, average)


def test_short_routine_waits_hold():
    assert decide(facts(average=30), callback_offered=False) is WaitChoice.hold


def test_long_routine_waits_offer_a_call_back_once():
    long = facts(position=4, average=90)
    assert estimated_wait(long).total_seconds() == 4 * 90
    assert decide(long, callback_offered=False) is WaitChoice.offer_callback
    assert decide(long, callback_offered=True) is WaitChoice.hold


@pytest.mark.parametrize("priority", ["urgent", "emergency"])
def test_clinical_callers_are_never_offered_a_call_back(priority):
    assert decide(facts(priority, position=9, average=600), callback_offered=False) in (
        WaitChoice.hold,
        WaitChoice.overflow,
    )


def test_each_priority_overflows_after_its_limit():
    assert decide(facts("emergency", waited=0), callback_offered=False) is WaitChoice.hold
    assert decide(facts("emergency", waited=5), callback_offered=False) is WaitChoice.overflow
    assert decide(facts("urgent", waited=89), callback_offered=False) is WaitChoice.hold
    assert decide(facts("urgent", waited=90), callback_offered=False) is WaitChoice.overflow
    assert decide(facts("routine", waited=599, average=10), callback_offered=True) is (
        WaitChoice.hold
    )
    assert decide(facts("routine", waited=600), callback_offered=True) is WaitChoice.overflow


def test_an_unknown_priority_is_treated_as_urgent():
    assert decide(facts("whatever", waited=90), callback_offered=False) is WaitChoice.overflow
