"""Workers start the periodic sweeps, once, however many workers start."""

from __future__ import annotations

from sqlalchemy import func, select

from careline.bootstrap import start_periodic_work
from careline.core.db import transaction
from careline.jobs.tables import JobRow


def test_sweeps_are_scheduled_once(rt):
    start_periodic_work(rt)
    start_periodic_work(rt)  # a second worker starting
    with transaction(rt.sessions) as s:
        counts = dict(s.execute(select(JobRow.kind, func.count()).group_by(JobRow.kind)).all())
    assert counts == {
        "reminders.sweep": 1,
        "waitlist.sweep": 1,
        "security.audit_checkpoint": 1,
        "compliance.retention": 1,
    }
