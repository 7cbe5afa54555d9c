"""The worklist's pure rules: due times from urgency and the clinic's hours, the order
tasks are worked in, and what claiming does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from careline.directory.model import Calendar, WeeklyInterval
from careline.worklist.model import (
    ClaimOutcome,
    TaskUrgency,
    claim_outcome,
    due_at,
    may_act,
    sort_key,
)

CHICAGO = Calendar(
    timezone="America/Chicago",
    weekly=tuple(WeeklyInterval.of(d, "08:00", "17:00") for d in range(5)),
)
MON_10 = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)  # Mon 10:00 in Chicago (CST)


def test_an_emergency_is_due_at_once_and_urgent_within_15_minutes():
    assert due_at(TaskUrgency.emergency, since=MON_10, calendar=CHICAGO) == MON_10
    assert due_at(TaskUrgency.urgent, since=MON_10, calendar=CHICAGO) == MON_10 + timedelta(
        minutes=15
    )


def test_a_routine_task_is_due_when_the_clinic_closes_that_day():
    due = due_at(TaskUrgency.routine, since=MON_10, calendar=CHICAGO)
    assert due == datetime(2026, 11, 2, 23, 0, tzinfo=UTC)  # Mon 17:00 CST


def test_a_routine_task_filed_after_hours_is_due_at_the_next_days_close():
    mon_evening = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)  # Mon 20:00 CST
    assert due_at(TaskUrgency.routine, since=mon_evening, calendar=CHICAGO) == datetime(
        2026, 11, 3, 23, 0, tzinfo=UTC
    )
    friday_night = datetime(2026, 11, 7, 3, 0, tzinfo=UTC)  # Fri 21:00 CST
    assert due_at(TaskUrgency.routine, since=friday_night, calendar=CHICAGO) == datetime(
        2026, 11, 9, 23, 0, tzinfo=UTC
    )  # Monday's close


def test_a_routine_task_with_no_calendar_or_no_hours_is_due_in_8_hours():
    assert due_at(TaskUrgency.routine, since=MON_10, calendar=None) == MON_10 + timedelta(hours=8)
    never = Calendar(timezone="America/Chicago")
    assert due_at(TaskUrgency.routine, since=MON_10, calendar=never) == MON_10 + timedelta(hours=8)


def test_work_order_is_urgency_then_due_time_then_age():
    t0 = MON_10
    tasks = [
        ("routine-late", TaskUrgency.routine, t0 + timedelta(hours=5), t0),
        ("routine-soon", TaskUrgency.routine, t0 + timedelta(hours=1), t0 + timedelta(minutes=9)),
        ("urgent", TaskUrgency.urgent, t0 + timedelta(hours=9), t0 + timedelta(hours=2)),
        ("emergency", TaskUrgency.emergency, t0 + timedelta(hours=9), t0 + timedelta(hours=3)),
    ]
    ordered = sorted(tasks, key=lambda t: sort_key(t[1], t[2], t[3], t[0]))
    assert [t[0] for t in ordered] == ["emergency", "urgent", "routine-soon", "routine-late"]


@pytest.mark.parametrize(
    ("status", "holder", "take_over", "may", "expected"),
    [
        ("open", None, False, False, ClaimOutcome.claim),
        ("open", "me", False, False, ClaimOutcome.already_mine),
        ("open", "colleague", False, False, ClaimOutcome.held),
        ("open", "colleague", True, False, ClaimOutcome.held),  # asked, not allowed
        ("open", "colleague", False, True, ClaimOutcome.held),  # allowed, not asked
        ("open", "colleague", True, True, ClaimOutcome.take_over),
        ("done", None, False, False, ClaimOutcome.done),
    ],
)
def test_claim_outcomes(status, holder, take_over, may, expected):
    got = claim_outcome(
        status=status, holder=holder, actor="me", take_over=take_over, may_take_over=may
    )
    assert got is expected


def test_who_may_release_or_resolve():
    assert may_act(holder=None, actor="me", may_take_over=False)
    assert may_act(holder="me", actor="me", may_take_over=False)
    assert not may_act(holder="colleague", actor="me", may_take_over=False)
    assert may_act(holder="colleague", actor="me", may_take_over=True)
