"""Compliance's job kinds: the daily retention purge, self-renewing like the audit
checkpoint (wired into workers by `careline.jobs.registry.HANDLER_MODULES`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from careline.jobs import service as jobs
from careline.jobs.registry import Registry
from careline.runtime import Runtime
from careline.security.model import system_actor

PURGE_JOB = "compliance.retention"
EVERY = timedelta(days=1)


def _key(day: int) -> str:
    return f"{PURGE_JOB}:{day}"


def ensure_daily_purge(rt: Runtime) -> None:
    """Start the daily purge (idempotent per day: every worker may call this)."""
    now = rt.clock.now()
    day = int(now.timestamp() // EVERY.total_seconds())
    jobs.schedule(rt, kind=PURGE_JOB, payload={}, due_at=now, dedupe_key=_key(day))


def purge_job(rt: Runtime, payload: dict[str, Any]) -> None:
    from careline.compliance import retention_service

    retention_service.run(rt, actor=system_actor("retention"))
    due = rt.clock.now() + EVERY
    day = int(due.timestamp() // EVERY.total_seconds())
    jobs.schedule(rt, kind=PURGE_JOB, payload={}, due_at=due, dedupe_key=_key(day))


def register_jobs(registry: Registry) -> None:
    registry.register(PURGE_JOB, purge_job)
