"""One scrape: who may read the metrics, the database's gauges, the exposition text.

The gauges are counted from the database at every scrape (one short transaction of
GROUP BY counts), so every process answers the same and nothing has to be kept in
step with the tables. This reads other capabilities' tables directly, against the
usual rule: only counts per code or state leave them, and going through five
services would mean five transactions and views built for screens, not for counting.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from careline import __version__
from careline.core.db import transaction
from careline.core.errors import NotFound, Unauthenticated
from careline.core.settings import Environment, Settings
from careline.desk.model import EntryStatus
from careline.desk.tables import QueueEntryRow
from careline.directory.model import PresenceState
from careline.directory.tables import StaffRow
from careline.jobs.model import JobStatus
from careline.jobs.tables import JobRow
from careline.messaging.model import MessageStatus
from careline.messaging.tables import OutboundMessageRow
from careline.metrics.model import Snapshot, WaitingQueue, snapshot_families, with_zeros
from careline.runtime import Runtime
from careline.security.audit_anchor import anchor_file, newest_valid
from careline.worklist.model import TaskUrgency
from careline.worklist.tables import FrontDeskTaskRow

log = logging.getLogger("careline.metrics")

#: The classic Prometheus text format, which every Prometheus version reads.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: Only the end of the anchor file is read: the newest checkpoint is the last line,
#: and the file grows by one line every few minutes for as long as careline runs.
ANCHOR_TAIL_BYTES = 16 * 1024
OPEN_TASK = "open"


def scrape(rt: Runtime, *, authorization: str | None) -> bytes:
    """The exposition text for an authorised scraper (401/404 otherwise)."""
    authorize(rt.settings, authorization)
    return exposition(rt)


def authorize(settings: Settings, authorization: str | None) -> None:
    """With a metrics token, only its bearer; without one, only development and test
    (a production install that never configured metrics shows no such route)."""
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    if not token:
        if settings.environment in (Environment.development, Environment.test):
            return
        raise NotFound(
            "Metrics are off: set CARELINE_METRICS_TOKEN to serve them.",
            error_id="metrics-disabled",
        )
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise Unauthenticated(
            "Send the metrics token as 'Authorization: Bearer ...'.",
            error_id="metrics-token-required",
        )


class _Scrape:
    """One scrape's collector: the in-process metrics, then the database's gauges."""

    def __init__(self, sources: Iterable[Collector], families: list[Metric]) -> None:
        self._sources = list(sources)
        self._families = families

    def collect(self) -> Iterator[Metric]:
        for source in self._sources:
            yield from source.collect()
        yield from self._families


def in_process_collector() -> Collector:
    """Every process's counters when they share a multiprocess directory (several
    uvicorn workers, `careline worker`), else this process's own registry."""
    directory = os.environ.get(MULTIPROC_ENV)
    if not directory:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    return registry


def exposition(rt: Runtime) -> bytes:
    """Render every metric; a database that does not answer is `careline_database_up 0`,
    not a failed scrape (the in-process metrics still say what happened)."""
    snapshot: Snapshot | None
    try:
        snapshot = read_snapshot(rt)
    except SQLAlchemyError as error:
        log.warning("metrics: the database did not answer (%s)", type(error).__name__)
        snapshot = None
    families = snapshot_families(snapshot, version=__version__)
    return generate_latest(_Scrape([in_process_collector()], families))


def read_snapshot(rt: Runtime) -> Snapshot:
    """The database's gauges, in one transaction."""
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        waiting = _waiting(s, now)
        agents = _agents(s, now, timedelta(seconds=rt.settings.wrap_up_seconds))
        overdue, lag = _job_lag(s, now)
        failed = _count_by(s, JobRow.kind, JobRow.status == JobStatus.failed.value)
        messages = _count_by(s, OutboundMessageRow.status)
        tasks = _count_by(s, FrontDeskTaskRow.urgency, FrontDeskTaskRow.status == OPEN_TASK)
    return Snapshot(
        waiting=waiting,
        agents=agents,
        jobs_overdue=overdue,
        job_lag_seconds=lag,
        jobs_failed=failed,
        messages=with_zeros((m.value for m in MessageStatus), messages),
        open_tasks=with_zeros((u.value for u in TaskUrgency), tasks),
        audit_checkpoint_age_seconds=audit_checkpoint_age(rt, now),
    )


def _seconds_since(then: datetime | None, now: datetime) -> float:
    if then is None:
        return 0.0
    aware = then if then.tzinfo else then.replace(tzinfo=UTC)
    return max((now - aware).total_seconds(), 0.0)


def _waiting(s: Session, now: datetime) -> tuple[WaitingQueue, ...]:
    q = QueueEntryRow
    rows = s.execute(
        select(q.department, q.priority, func.count(), func.min(q.entered_at))
        .where(q.status == EntryStatus.waiting.value)
        .group_by(q.department, q.priority)
    ).all()
    return tuple(
        WaitingQueue(department, priority, int(calls), _seconds_since(oldest, now))
        for department, priority, calls, oldest in rows
    )


def _agents(s: Session, now: datetime, wrap_up: timedelta) -> dict[str, int]:
    """Staff by presence, as the desk sees it: a wrap-up past its limit has ended by
    itself (the desk records that only at its next step), so it counts as available."""
    counts = _count_by(s, StaffRow.presence)
    ended = s.execute(
        select(func.count()).where(
            StaffRow.presence == PresenceState.wrap_up.value,
            StaffRow.presence_since <= now - wrap_up,
        )
    ).scalar_one()
    agents = with_zeros((p.value for p in PresenceState), counts)
    agents[PresenceState.wrap_up.value] -= int(ended)
    agents[PresenceState.available.value] += int(ended)
    return agents


def _job_lag(s: Session, now: datetime) -> tuple[int, float]:
    """How many pending jobs are past due, and how far behind the oldest is: a worker
    that stopped or cannot keep up shows here first."""
    count, oldest = s.execute(
        select(func.count(), func.min(JobRow.due_at)).where(
            JobRow.status == JobStatus.due.value, JobRow.due_at <= now
        )
    ).one()
    return int(count), _seconds_since(oldest, now)


def _count_by(
    s: Session, column: InstrumentedAttribute[str], *where: ColumnElement[bool]
) -> dict[str, int]:
    query = select(column, func.count()).group_by(column)
    for condition in where:
        query = query.where(condition)
    return {str(value): int(n) for value, n in s.execute(query).all()}


def audit_checkpoint_age(rt: Runtime, now: datetime) -> float | None:
    """Seconds since the newest valid checkpoint in the audit anchor file (its MAC is
    checked: a line written without the audit key does not count); None without one."""
    path = anchor_file(rt)
    try:
        with path.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(size - ANCHOR_TAIL_BYTES, 0))
            lines = f.read().decode("ascii", errors="replace").splitlines()
    except OSError:
        return None
    if size > ANCHOR_TAIL_BYTES:
        lines = lines[1:]  # the tail's first line may be cut
    point, _invalid = newest_valid(lines, rt.cipher.keyring.audit_key)
    return None if point is None else _seconds_since(point.at, now)
