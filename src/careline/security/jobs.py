"""Security's job kinds, wired into workers by `careline.jobs.registry.HANDLER_MODULES`."""

from __future__ import annotations

from careline.jobs.registry import Registry
from careline.security.audit_anchor import CHECKPOINT_JOB, checkpoint_job


def register_jobs(registry: Registry) -> None:
    registry.register(CHECKPOINT_JOB, checkpoint_job)
