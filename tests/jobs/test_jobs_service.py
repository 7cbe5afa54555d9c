"""The jobs runner on real databases (SQLite, and PostgreSQL when configured):
scheduling, de-duplication, cancelling, claims, leases, backoff, permanent failures."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from careline.core.db import transaction
from careline.core.errors import ValidationFailed
from careline.jobs import service as jobs
from careline.jobs.model import JobEventKind, JobStatus
from careline.jobs.service import NoSuchJob
from careline.jobs.tables import JobEventRow, JobRow

LEASE = timedelta(minutes=5)


def _claim(rt, worker="w1", limit=10, lease=LEASE, kinds=None):
    return jobs.claim_due(
        rt, worker_id=worker, limit=limit, now=rt.clock.now(), lease=lease, kinds=kinds
    )


def _schedule(rt, *, in_=timedelta(0), key=None, kind="test.ping", max_attempts=5, **payload):
    return jobs.schedule(
        rt,
        kind=kind,
        payload=payload or {"n": 1},
        due_at=rt.clock.now() + in_,
        dedupe_key=key,
        max_attempts=max_attempts,
    )


def _events(rt, job_id):
    return [e.kind for e in jobs.job_events(rt, job_id=job_id)]


def test_a_job_is_claimed_only_once_it_is_due(rt, clock):
    job = _schedule(rt, in_=timedelta(minutes=10), n=7)
    assert job.status is JobStatus.due and job.attempts == 0
    assert _claim(rt) == []
    clock.advance(timedelta(minutes=10))
    [claimed] = _claim(rt)
    assert claimed.id == job.id and claimed.payload == {"n": 7} and claimed.attempt == 1
    assert claimed.lease_expires_at == clock.now() + LEASE
    assert _claim(rt, worker="w2") == []  # running, lease still valid
    assert jobs.complete(rt, job=claimed)
    done = jobs.get_job(rt, job_id=job.id)
    assert done.status is JobStatus.done and done.finished_at == clock.now()
    assert _events(rt, job.id) == [
        JobEventKind.scheduled,
        JobEventKind.claimed,
        JobEventKind.completed,
    ]
    assert _claim(rt) == []


def test_claims_take_the_oldest_due_first_up_to_the_limit(rt, clock):
    late = _schedule(rt, in_=-timedelta(minutes=1))
    early = _schedule(rt, in_=-timedelta(minutes=30))
    middle = _schedule(rt, in_=-timedelta(minutes=5))
    _schedule(rt, in_=timedelta(hours=1))  # not yet due
    first = _claim(rt, limit=2)
    assert [j.id for j in first] == [early.id, middle.id]
    assert [j.id for j in _claim(rt, limit=5)] == [late.id]
    with pytest.raises(ValueError):
        _claim(rt, limit=0)


def test_claims_only_take_the_kinds_asked_for(rt):
    mine = _schedule(rt, kind="test.mine")
    _schedule(rt, kind="test.other")
    assert [j.id for j in _claim(rt, kinds={"test.mine"})] == [mine.id]
    assert _claim(rt, kinds={"test.unknown"}) == []


def test_scheduling_the_same_dedupe_key_twice_is_a_no_op(rt, clock):
    first = _schedule(rt, key="reminder:appt-1:24h", n=1)
    again = _schedule(rt, key="reminder:appt-1:24h", in_=timedelta(hours=3), n=2)
    assert again.id == first.id and again.payload == {"n": 1} and again.due_at == first.due_at
    [claimed] = _claim(rt)
    jobs.complete(rt, job=claimed)
    # Still a no-op once the job has run: the logical job happened.
    after = _schedule(rt, key="reminder:appt-1:24h", n=3)
    assert after.id == first.id and after.status is JobStatus.done
    with transaction(rt.sessions) as s:
        assert s.execute(select(func.count()).select_from(JobRow)).scalar_one() == 1
    assert jobs.find_job(rt, dedupe_key="reminder:appt-1:24h").id == first.id
    assert jobs.find_job(rt, dedupe_key="reminder:appt-1:48h") is None


def test_a_cancelled_job_releases_its_key_and_a_failed_or_done_one_keeps_it(rt, clock):
    # Issue 11, item 27: an appointment moved away cancels its job; moved back, the
    # same key must schedule again (before, the cancelled job held the key forever).
    first = _schedule(rt, key="noanswer:appt-1:1700000000", in_=timedelta(hours=1), n=1)
    jobs.cancel(rt, dedupe_key="noanswer:appt-1:1700000000")
    clock.advance(timedelta(minutes=1))
    second = _schedule(rt, key="noanswer:appt-1:1700000000", in_=timedelta(hours=1), n=2)
    assert second.id != first.id and second.status is JobStatus.due and second.payload == {"n": 2}
    assert jobs.get_job(rt, job_id=first.id).status is JobStatus.cancelled  # history kept
    assert jobs.find_job(rt, dedupe_key="noanswer:appt-1:1700000000").id == second.id
    # Cancelling by key reaches the holder, not the old cancelled job.
    assert jobs.cancel(rt, dedupe_key="noanswer:appt-1:1700000000").id == second.id
    assert jobs.cancel(rt, dedupe_key="noanswer:appt-1:1700000000").id == second.id  # idempotent
    third = _schedule(rt, key="noanswer:appt-1:1700000000", n=3)
    assert third.id not in (first.id, second.id)

    # A failed job keeps its key: a permanent failure is not undone by re-planning.
    failing = _schedule(rt, key="send:r-9", max_attempts=1)
    [claimed] = [j for j in _claim(rt) if j.id == failing.id]
    jobs.fail(rt, job=claimed, error="test-permanent", permanent=True)
    assert jobs.get_job(rt, job_id=failing.id).status is JobStatus.failed
    assert _schedule(rt, key="send:r-9").id == failing.id


def test_the_database_refuses_two_jobs_holding_one_key(rt, clock):
    # The partial unique index, not only the service's check, keeps a key single:
    # any number of cancelled jobs may share it, never two that hold it.
    now = clock.now()

    def row(status):
        return JobRow(
            kind="test.ping",
            payload={},
            due_at=now,
            status=status,
            attempts=0,
            max_attempts=1,
            dedupe_key="k-held",
            created_at=now,
            updated_at=now,
        )

    with transaction(rt.sessions) as s:
        s.add_all([row("cancelled"), row("cancelled"), row("done")])
    for status in ("due", "running", "failed", "done"):
        with pytest.raises(IntegrityError), transaction(rt.sessions) as s:
            s.add(row(status))
            s.flush()
    with transaction(rt.sessions) as s:
        assert s.execute(select(func.count()).select_from(JobRow)).scalar_one() == 3


def test_schedule_in_joins_the_callers_transaction(rt, clock):
    with pytest.raises(RuntimeError), transaction(rt.sessions) as s:
        jobs.schedule_in(
            s, now=clock.now(), kind="test.ping", payload={}, due_at=clock.now(), dedupe_key="k1"
        )
        raise RuntimeError("the caller's change failed")
    assert jobs.find_job(rt, dedupe_key="k1") is None  # rolled back with it
    with transaction(rt.sessions) as s:
        a = jobs.schedule_in(
            s, now=clock.now(), kind="test.ping", payload={}, due_at=clock.now(), dedupe_key="k1"
        )
        b = jobs.schedule_in(
            s, now=clock.now(), kind="test.ping", payload={}, due_at=clock.now(), dedupe_key="k1"
        )
    assert a.id == b.id


def test_bad_jobs_are_refused_and_nothing_is_written(rt, clock):
    with pytest.raises(ValidationFailed) as info:
        jobs.schedule(rt, kind="Bad Kind", payload={"x": {1}}, due_at=clock.now())
    assert {p.field for p in info.value.problems} == {"kind", "payload"}
    with pytest.raises(ValueError):
        jobs.schedule(rt, kind="test.ping", payload={}, due_at=clock.now().replace(tzinfo=None))
    with transaction(rt.sessions) as s:
        assert s.execute(select(func.count()).select_from(JobRow)).scalar_one() == 0


def test_cancel_stops_a_due_job_but_not_a_running_one(rt, clock):
    by_key = _schedule(rt, key="offer:1:expiry", in_=timedelta(hours=1))
    cancelled = jobs.cancel(rt, dedupe_key="offer:1:expiry")
    assert cancelled.id == by_key.id and cancelled.status is JobStatus.cancelled
    assert jobs.cancel(rt, job_id=by_key.id).status is JobStatus.cancelled  # idempotent
    clock.advance(timedelta(hours=2))
    assert _claim(rt) == []
    assert _events(rt, by_key.id) == [JobEventKind.scheduled, JobEventKind.cancelled]

    running = _schedule(rt)
    [claimed] = _claim(rt)
    assert jobs.cancel(rt, job_id=running.id).status is JobStatus.running
    assert jobs.complete(rt, job=claimed)


def test_cancel_needs_exactly_one_existing_job(rt):
    with pytest.raises(NoSuchJob):
        jobs.cancel(rt, job_id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(NoSuchJob):
        jobs.cancel(rt, dedupe_key="never-scheduled")
    with pytest.raises(ValidationFailed):
        jobs.cancel(rt)
    with pytest.raises(ValidationFailed):
        jobs.cancel(rt, job_id="a", dedupe_key="b")
    with pytest.raises(NoSuchJob):
        jobs.get_job(rt, job_id="nope")
    with pytest.raises(NoSuchJob):
        jobs.job_events(rt, job_id="nope")


def test_a_dead_workers_job_is_reclaimed_when_its_lease_expires(rt, clock):
    job = _schedule(rt)
    [a] = _claim(rt, worker="worker-a")
    clock.advance(LEASE - timedelta(seconds=1))
    assert _claim(rt, worker="worker-b") == []  # worker-a may still be alive
    clock.advance(timedelta(seconds=1))
    [b] = _claim(rt, worker="worker-b")
    assert b.id == job.id and b.attempt == 2 and b.worker_id == "worker-b"
    # worker-a wakes up late: its outcome is not recorded over worker-b's claim.
    assert jobs.complete(rt, job=a) is False
    assert jobs.fail(rt, job=a, error="late", permanent=True) is None
    assert jobs.get_job(rt, job_id=job.id).status is JobStatus.running
    assert jobs.complete(rt, job=b) is True
    events = jobs.job_events(rt, job_id=job.id)
    assert [e.kind for e in events] == [
        JobEventKind.scheduled,
        JobEventKind.claimed,
        JobEventKind.reclaimed,
        JobEventKind.completed,
    ]
    assert events[2].error == "lease-expired:worker-a" and events[2].worker_id == "worker-b"


def test_renewed_leases_are_not_reclaimed(rt, clock):
    _schedule(rt)
    [held] = _claim(rt, worker="worker-a")
    clock.advance(timedelta(minutes=4))
    assert (
        jobs.renew_leases(rt, worker_id="worker-a", job_ids=[held.id], now=clock.now(), lease=LEASE)
        == 1
    )
    assert (
        jobs.renew_leases(rt, worker_id="intruder", job_ids=[held.id], now=clock.now(), lease=LEASE)
        == 0
    )
    clock.advance(timedelta(minutes=4))  # past the first lease, inside the renewed one
    assert _claim(rt, worker="worker-b") == []
    assert (
        jobs.renew_leases(rt, worker_id="worker-a", job_ids=[], now=clock.now(), lease=LEASE) == 0
    )


def test_retryable_failures_back_off_exponentially_then_fail(rt, clock):
    job = _schedule(rt, max_attempts=3)
    delays = []
    for attempt in (1, 2):
        [claimed] = _claim(rt)
        assert claimed.attempt == attempt
        assert jobs.fail(rt, job=claimed, error="30001", permanent=False) is JobStatus.due
        view = jobs.get_job(rt, job_id=job.id)
        assert view.status is JobStatus.due and view.last_error == "30001"
        assert view.locked_by is None
        delays.append(view.due_at - clock.now())
        clock.advance(delays[-1] - timedelta(seconds=1))
        assert _claim(rt) == []  # not before its backoff delay
        clock.advance(timedelta(seconds=1))
    assert delays == [timedelta(seconds=30), timedelta(minutes=1)]
    [last] = _claim(rt)
    assert jobs.fail(rt, job=last, error="30001", permanent=False) is JobStatus.failed
    view = jobs.get_job(rt, job_id=job.id)
    assert view.status is JobStatus.failed and view.attempts == 3
    clock.advance(timedelta(days=1))
    assert _claim(rt) == []
    assert _events(rt, job.id) == [
        JobEventKind.scheduled,
        JobEventKind.claimed,
        JobEventKind.retry_scheduled,
        JobEventKind.claimed,
        JobEventKind.retry_scheduled,
        JobEventKind.claimed,
        JobEventKind.failed,
    ]


def test_a_permanent_failure_stops_at_once(rt, clock):
    job = _schedule(rt, max_attempts=8)
    [claimed] = _claim(rt)
    assert jobs.fail(rt, job=claimed, error="21211", permanent=True) is JobStatus.failed
    view = jobs.get_job(rt, job_id=job.id)
    assert view.status is JobStatus.failed and view.attempts == 1 and view.last_error == "21211"
    clock.advance(timedelta(days=30))
    assert _claim(rt) == []


def test_stored_errors_are_codes_never_free_text(rt):
    _schedule(rt)
    [claimed] = _claim(rt)
    jobs.fail(rt, job=claimed, error="could not reach +13125550143", permanent=False)
    with transaction(rt.sessions) as s:
        stored = {e.error for e in s.execute(select(JobEventRow)).scalars()}
        stored.add(s.execute(select(JobRow.last_error)).scalar_one())
    assert "error" in stored
    assert not any("3125550143" in (e or "") for e in stored)


def test_claiming_one_given_job(rt, clock):
    job = _schedule(rt)
    later = _schedule(rt, in_=timedelta(minutes=1))
    assert jobs.claim(rt, job_id=later.id, worker_id="inline", now=clock.now()) is None
    got = jobs.claim(rt, job_id=job.id, worker_id="inline", now=clock.now())
    assert got is not None and got.attempt == 1
    assert jobs.claim(rt, job_id=job.id, worker_id="other", now=clock.now()) is None
    assert [j.id for j in _claim(rt)] == []  # the other is not due; this one is held


def test_run_now_runs_a_due_job_once(rt):
    job = _schedule(rt, n=42)
    seen = []
    status = jobs.run_now(rt, job_id=job.id, run=lambda rt_, payload: seen.append(payload))
    assert status is JobStatus.done and seen == [{"n": 42}]
    assert jobs.run_now(rt, job_id=job.id, run=lambda rt_, payload: seen.append(payload)) is None
    assert seen == [{"n": 42}]


def test_concurrent_claimers_never_get_the_same_job(rt):
    total, threads = 120, 6
    with transaction(rt.sessions) as s:
        for n in range(total):
            jobs.schedule_in(
                s, now=rt.clock.now(), kind="test.ping", payload={"n": n}, due_at=rt.clock.now()
            )
    start = threading.Barrier(threads)
    taken: dict[str, list[str]] = {f"w{i}": [] for i in range(threads)}
    errors: list[BaseException] = []

    def claimer(worker: str) -> None:
        try:
            start.wait()
            while batch := jobs.claim_due(
                rt, worker_id=worker, limit=7, now=rt.clock.now(), lease=LEASE
            ):
                taken[worker].extend(j.id for j in batch)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    pool = [threading.Thread(target=claimer, args=(w,)) for w in taken]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    every = [job_id for ids in taken.values() for job_id in ids]
    assert len(every) == total and len(set(every)) == total
    with transaction(rt.sessions) as s:
        claims = s.execute(
            select(JobEventRow.job_id, JobEventRow.worker_id).where(
                JobEventRow.kind == JobEventKind.claimed.value
            )
        ).all()
        assert len(claims) == total  # one claim event per job, by the worker that has it
        owner = {job_id: worker for worker, ids in taken.items() for job_id in ids}
        assert all(owner[job_id] == worker for job_id, worker in claims)
        running = s.execute(
            select(func.count()).select_from(JobRow).where(JobRow.status == "running")
        ).scalar_one()
        assert running == total
