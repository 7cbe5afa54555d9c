"""The waitlist's job kinds, wired into workers by `careline.jobs.registry.HANDLER_MODULES`."""

from __future__ import annotations

from careline.jobs.registry import Registry
from careline.waitlist import replies as _replies  # noqa: F401  registers the SMS reply handler
from careline.waitlist.service import (
    EXPIRE_JOB,
    SLOT_OPENED_JOB,
    SWEEP_JOB,
    WAVE_JOB,
    expire_job,
    slot_opened_job,
    sweep_job,
    wave_job,
)


def register_jobs(registry: Registry) -> None:
    registry.register(SLOT_OPENED_JOB, slot_opened_job)
    registry.register(WAVE_JOB, wave_job)
    registry.register(EXPIRE_JOB, expire_job)
    registry.register(SWEEP_JOB, sweep_job)
