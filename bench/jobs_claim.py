"""Claiming the next due jobs, as the due backlog grows (issue 14).

A worker claims its next batch with `jobs.service.claim_due`. It used to select
`status = due AND due_at <= now OR status = running AND lease expired` ordered by
due time: the OR kept the database from reading an index in order, so every claim
sorted every due job, and dispatch slowed as work piled up (36/s at 1k due jobs,
13/s at 100k). Now two queries read (status, due_at, id) and (status,
lease_expires_at) in index order.

This benchmark fills the jobs table with N due jobs all due at the same instant
(the 08:00 reminders of a network), then times, in the same run on the same
database: the old single-OR read (the baseline) against the two reads that replace
it, then the whole `claim_due` (reads, claim, commit; undone after each round so
the backlog stays N), and a bare primary-key lookup (the floor). Batches of 10.
Prints milliseconds at 1k, 10k and 100k due jobs and the ratio old/new. Not a
test: nothing passes or fails on timing.

    .venv/bin/python bench/jobs_claim.py [--sizes 1000,10000,100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, create_engine, insert, or_, select, text
from sqlalchemy.engine import make_url

from careline.bootstrap import build_runtime
from careline.core.clock import ManualClock
from careline.core.db import Base, transaction
from careline.core.settings import Environment, Settings
from careline.db_schema import load_all_tables
from careline.jobs import service as jobs
from careline.jobs.model import JobStatus
from careline.jobs.tables import JobRow

NOW = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
ROUNDS = 15


def _fill(rt, n: int) -> None:
    due = NOW - timedelta(minutes=5)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "kind": "reminders.send",
            "payload": {"reminder_id": str(i)},
            "status": JobStatus.due.value,
            "due_at": due,
            "attempts": 0,
            "max_attempts": 5,
            "dedupe_key": f"bench:{uuid.uuid4().hex}",
            "created_at": due,
            "updated_at": due,
        }
        for i in range(n)
    ]
    with transaction(rt.sessions) as s:
        s.execute(text("DELETE FROM jobs"))
        for start in range(0, n, 5000):
            s.execute(insert(JobRow), rows[start : start + 5000])
    with rt.engine.connect() as conn:  # as autovacuum would after a bulk load
        conn.execute(text("ANALYZE jobs" if rt.engine.dialect.name == "postgresql" else "ANALYZE"))
        conn.commit()


def _old_claim(rt) -> int:
    with rt.sessions() as s:
        stmt = (
            select(JobRow)
            .where(
                or_(
                    and_(JobRow.status == JobStatus.due.value, JobRow.due_at <= NOW),
                    and_(JobRow.status == JobStatus.running.value, JobRow.lease_expires_at <= NOW),
                )
            )
            .order_by(JobRow.due_at, JobRow.id)
            .limit(10)
        )
        if rt.engine.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        found = len(list(s.execute(stmt).scalars()))
        s.rollback()
        return found


def _new_query(rt) -> int:
    """The two reads `claim_due` now makes, without the claim's writes."""
    due = (
        select(JobRow)
        .where(JobRow.status == JobStatus.due.value, JobRow.due_at <= NOW)
        .order_by(JobRow.due_at, JobRow.id)
        .limit(10)
    )
    expired = (
        select(JobRow)
        .where(JobRow.status == JobStatus.running.value, JobRow.lease_expires_at <= NOW)
        .order_by(JobRow.lease_expires_at, JobRow.id)
        .limit(10)
    )
    if rt.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
        expired = expired.with_for_update(skip_locked=True)
    with rt.sessions() as s:
        found = len([*s.execute(expired).scalars(), *s.execute(due).scalars()])
        s.rollback()
        return found


def _new_claim(rt) -> int:
    with rt.sessions() as s:
        s.rollback()
    # claim_due commits; undo its claim so the backlog stays the same for every round.
    claimed = jobs.claim_due(rt, worker_id="bench", limit=10, now=NOW)
    with transaction(rt.sessions) as s:
        s.execute(
            JobRow.__table__.update()
            .where(JobRow.id.in_([c.id for c in claimed]))
            .values(status=JobStatus.due.value, attempts=0, locked_by=None, lease_expires_at=None)
        )
    return len(claimed)


def _floor(rt, job_id: str) -> int:
    with rt.sessions() as s:
        found = s.get(JobRow, job_id) is not None
        s.rollback()
        return int(found)


def _ms(fn, *args) -> float:
    samples = []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        fn(*args)
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def run(url: str, label: str, sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            environment=Environment.test,
            database_url=url,
            keyring_file=Path(tmp) / "keyring.json",
            audit_anchor_file=Path(tmp) / "anchor.jsonl",
        )
        rt = build_runtime(settings, clock=ManualClock(NOW))
        load_all_tables()
        Base.metadata.create_all(rt.engine)
        print(f"\n{label}: ms per claim of 10 (median of {ROUNDS})")
        print(
            f"{'due jobs':>9} {'old OR read':>12} {'new reads':>10} {'old/new':>8} "
            f"{'claim_due (read+claim+commit)':>30} {'pk floor':>9}"
        )
        for n in sizes:
            _fill(rt, n)
            with rt.sessions() as s:
                any_id = s.execute(select(JobRow.id).limit(1)).scalar_one()
            assert _old_claim(rt) == 10 and _new_query(rt) == 10 and _new_claim(rt) == 10
            old, new = _ms(_old_claim, rt), _ms(_new_query, rt)
            claim, floor = _ms(_new_claim, rt), _ms(_floor, rt, any_id)
            print(
                f"{n:>9,} {old:>12.2f} {new:>10.2f} {old / new:>7.1f}x {claim:>30.2f} {floor:>9.2f}"
            )
        rt.events.close()
        rt.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--database-url", default=os.environ.get("CARELINE_TEST_DATABASE_URL"))
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", "SQLite", sizes)
    if args.database_url:
        admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
        name = f"careline_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.database_url).set(database=name)
            run(url.render_as_string(hide_password=False), "PostgreSQL", sizes)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
