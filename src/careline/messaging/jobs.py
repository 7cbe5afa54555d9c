"""Messaging's job kinds, wired into workers by `careline.jobs.registry.HANDLER_MODULES`."""

from __future__ import annotations

from careline.jobs.registry import Registry
from careline.messaging.service import SEND_JOB, give_up_job, send_job


def register_jobs(registry: Registry) -> None:
    registry.register(SEND_JOB, send_job, on_give_up=give_up_job)
