"""A worker that comes back late sends nothing out of date (issue 11, item 27).

Before: a worker down over a weekend came back after the visit had started and sent
both the 48 h and the day-of reminder. Now each reminder is judged at send time:
too late is recorded once (void, `too-late`) and nothing is sent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reminders_support import local
from sqlalchemy import select

from careline.core.db import transaction
from careline.messaging.tables import OutboundMessageRow
from careline.reminders import service as reminders
from careline.reminders.model import LATE_GRACE, SEND_MARGIN, ReminderStatus, too_late_to_send
from careline.reminders.tables import ReminderRow

T = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)


def test_the_send_time_rule():
    start = T + timedelta(hours=48)
    assert not too_late_to_send(now=T, due_at=T, start=start, later_steps_due=[])
    assert not too_late_to_send(now=T + LATE_GRACE, due_at=T, start=start, later_steps_due=[])
    assert too_late_to_send(
        now=T + LATE_GRACE + timedelta(seconds=1), due_at=T, start=start, later_steps_due=[]
    )
    assert too_late_to_send(
        now=start - SEND_MARGIN,
        due_at=start - timedelta(minutes=20),
        start=start,
        later_steps_due=[],
    )
    # Superseded: the day-of step is due, the 48 h one says the same, later.
    day_of = T + timedelta(minutes=30)
    assert too_late_to_send(
        now=day_of, due_at=T, start=T + timedelta(hours=3), later_steps_due=[day_of]
    )
    assert not too_late_to_send(
        now=day_of - timedelta(minutes=1),
        due_at=T,
        start=T + timedelta(hours=3),
        later_steps_due=[day_of],
    )


def _reminders(rt, appointment_id: str) -> list[ReminderRow]:
    with transaction(rt.sessions) as s:
        return list(
            s.execute(
                select(ReminderRow)
                .where(ReminderRow.appointment_id == appointment_id)
                .order_by(ReminderRow.due_at)
            ).scalars()
        )


def _texts(rt, patient_id: str) -> int:
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(OutboundMessageRow).where(OutboundMessageRow.patient_id == patient_id)
        ).scalars()
        return len(list(rows))


def test_a_worker_back_after_the_visit_started_sends_nothing(rt, clock, make_patient, book, worker):
    patient, _ = make_patient()
    clock.set(local(2026, 11, 9, 9, 0))  # Monday
    appt = book(patient, local(2026, 11, 12, 10, 0))  # Thursday 10:00
    planned = reminders.plan_reminders(rt, appointment_id=appt.id)
    assert [r.step for r in planned] == ["48h", "dayof"]
    clock.set(local(2026, 11, 12, 10, 5))  # the worker was down until the visit began
    worker.run_until_idle()
    rows = _reminders(rt, appt.id)
    assert [(r.status, r.error_code) for r in rows] == [
        (ReminderStatus.void.value, "too-late"),
        (ReminderStatus.void.value, "too-late"),
    ]
    assert _texts(rt, patient) == 0
    worker.run_until_idle()  # recorded once: nothing left to run, nothing changes
    assert [(r.status, r.error_code) for r in _reminders(rt, appt.id)] == [
        (r.status, r.error_code) for r in rows
    ]


def test_a_worker_back_on_the_morning_sends_only_the_day_of_reminder(
    rt, clock, make_patient, book, worker
):
    patient, _ = make_patient()
    clock.set(local(2026, 11, 9, 9, 0))
    appt = book(patient, local(2026, 11, 12, 14, 0))
    reminders.plan_reminders(rt, appointment_id=appt.id)
    clock.set(local(2026, 11, 12, 8, 10))  # back just after the day-of reminder's time
    worker.run_until_idle()
    by_step = {r.step: (r.status, r.error_code) for r in _reminders(rt, appt.id)}
    assert by_step == {
        "48h": (ReminderStatus.void.value, "too-late"),
        "dayof": (ReminderStatus.sent.value, None),
    }
    assert _texts(rt, patient) == 1
