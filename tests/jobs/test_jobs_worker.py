"""The worker loop, the in-process background worker and `careline worker`."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from careline.cli import app
from careline.jobs import service as jobs
from careline.jobs.model import (
    Defer,
    JobEventKind,
    JobStatus,
    PermanentFailure,
    RetryLater,
)
from careline.jobs.registry import Registry
from careline.jobs.worker import Worker, start_background_worker

LEASE = timedelta(minutes=5)


def _schedule(rt, kind, max_attempts=5, **payload):
    return jobs.schedule(
        rt, kind=kind, payload=payload, due_at=rt.clock.now(), max_attempts=max_attempts
    )


def test_a_batch_runs_each_handler_and_records_each_outcome(rt, clock, caplog):
    ran: list[str] = []
    registry = Registry()
    registry.register("test.ok", lambda rt_, p: ran.append(p["name"]))

    def flaky(rt_, p):
        raise RetryLater("30001")

    def refused(rt_, p):
        raise PermanentFailure("21211")

    def crashing(rt_, p):
        raise ValueError("cannot text +13125550143")  # PHI in a message: must not be kept

    def later(rt_, p):
        raise Defer(clock.now() + timedelta(hours=11))

    registry.register("test.flaky", flaky)
    registry.register("test.refused", refused)
    registry.register("test.crash", crashing)
    registry.register("test.later", later)
    ok = _schedule(rt, "test.ok", name="a")
    flaky_job = _schedule(rt, "test.flaky")
    refused_job = _schedule(rt, "test.refused")
    crash_job = _schedule(rt, "test.crash")
    later_job = _schedule(rt, "test.later")
    other = _schedule(rt, "test.unregistered")

    worker = Worker(rt, registry=registry, worker_id="w1", concurrency=3, batch_size=10)
    with caplog.at_level(logging.DEBUG):
        assert worker.run_once() == 5
    assert ran == ["a"]

    def status(job):
        return jobs.get_job(rt, job_id=job.id)

    assert status(ok).status is JobStatus.done
    assert status(flaky_job).status is JobStatus.due
    assert status(flaky_job).due_at == clock.now() + timedelta(seconds=30)
    assert status(refused_job).status is JobStatus.failed
    assert status(refused_job).last_error == "21211"
    crashed = status(crash_job)
    assert crashed.status is JobStatus.due and crashed.last_error == "ValueError"
    deferred = status(later_job)
    assert deferred.status is JobStatus.due and deferred.attempts == 0  # not counted
    assert deferred.due_at == clock.now() + timedelta(hours=11)
    assert status(other).status is JobStatus.due  # no handler here: left for another worker
    assert "3125550143" not in caplog.text
    assert worker.run_once() == 0


def test_a_job_whose_workers_keep_dying_is_given_up_without_running(rt, clock):
    calls: list[dict] = []
    given_up: list[tuple[dict, str]] = []
    registry = Registry()
    registry.register(
        "test.poison",
        lambda rt_, p: calls.append(p),
        on_give_up=lambda rt_, p, code: given_up.append((p, code)),
    )
    job = _schedule(rt, "test.poison", max_attempts=2, id="x1")
    for _ in range(2):  # two workers claim it and die
        assert jobs.claim_due(rt, worker_id="doomed", limit=1, now=clock.now(), lease=LEASE)
        clock.advance(LEASE)
    worker = Worker(rt, registry=registry, worker_id="survivor", lease=LEASE)
    assert worker.run_once() == 1
    assert calls == []
    assert given_up == [({"id": "x1"}, "lease-expired")]
    view = jobs.get_job(rt, job_id=job.id)
    assert view.status is JobStatus.failed and view.last_error == "lease-expired"
    kinds = [e.kind for e in jobs.job_events(rt, job_id=job.id)]
    assert kinds.count(JobEventKind.reclaimed) == 2 and kinds[-1] is JobEventKind.failed


def test_giving_up_calls_the_hook_once_and_survives_a_failing_hook(rt):
    calls = []

    def hook(rt_, p, code):
        calls.append(code)
        raise RuntimeError("hook broke")

    def refused(rt_, p):
        raise PermanentFailure("21610")

    registry = Registry()
    registry.register("test.refused", refused, on_give_up=hook)
    job = _schedule(rt, "test.refused")
    assert Worker(rt, registry=registry).run_once() == 1
    assert calls == ["21610"]
    assert jobs.get_job(rt, job_id=job.id).status is JobStatus.failed


def test_run_until_idle_drains_everything_due(rt):
    count = []
    registry = Registry()
    registry.register("test.ok", lambda rt_, p: count.append(1))
    for _ in range(7):
        _schedule(rt, "test.ok")
    assert Worker(rt, registry=registry, batch_size=3).run_until_idle() == 7
    assert len(count) == 7


def test_the_background_worker_runs_jobs_and_stops_on_request(rt):
    ran = threading.Event()
    registry = Registry()
    registry.register("test.ok", lambda rt_, p: ran.set())
    job = _schedule(rt, "test.ok")
    stop = start_background_worker(rt, registry=registry, poll_interval=0.01)
    try:
        assert ran.wait(timeout=30)
    finally:
        stop()
    # stop() returns only once the loop ended, so the outcome is recorded by then.
    assert jobs.get_job(rt, job_id=job.id).status is JobStatus.done


def test_worker_refuses_nonsense_settings(rt):
    for kwargs in ({"concurrency": 0}, {"batch_size": 0}, {"lease": timedelta(0)}):
        with pytest.raises(ValueError):
            Worker(rt, registry=Registry(), **kwargs)


def test_cli_worker_once_runs_due_jobs_and_prints_counts(rt, settings, monkeypatch):
    monkeypatch.setenv("CARELINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(settings.keyring_file))
    monkeypatch.setenv("CARELINE_ENVIRONMENT", "test")
    # The CLI uses the wall clock: a job due long ago, of a kind it handles, whose
    # message does not exist, so it fails for good without touching anything else.
    long_ago = datetime(2000, 1, 1, tzinfo=UTC)
    job = jobs.schedule(
        rt, kind="messaging.send", payload={"message_id": "missing"}, due_at=long_ago
    )
    result = CliRunner().invoke(app, ["worker", "--once", "--no-check-schema", "--no-sweeps"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["taken"] == 1 and counts["failed"] == 1
    view = jobs.get_job(rt, job_id=job.id)
    assert view.status is JobStatus.failed and view.last_error == "no-such-message"


def test_cli_worker_refuses_a_database_not_at_the_latest_migration(settings, monkeypatch):
    monkeypatch.setenv("CARELINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(settings.keyring_file))
    result = CliRunner().invoke(app, ["worker", "--once"])
    assert result.exit_code == 1
    assert "careline db upgrade" in result.output
