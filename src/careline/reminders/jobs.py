"""Reminders' job kinds, wired into workers by `careline.jobs.registry.HANDLER_MODULES`."""

from __future__ import annotations

from careline.jobs.registry import Registry
from careline.reminders.service import (
    NO_ANSWER_JOB,
    SEND_JOB,
    SWEEP_JOB,
    no_answer_job,
    send_job,
    sweep_job,
)


def register_jobs(registry: Registry) -> None:
    registry.register(SEND_JOB, send_job)
    registry.register(NO_ANSWER_JOB, no_answer_job)
    registry.register(SWEEP_JOB, sweep_job)
