"""The worker loop: claim a batch of due jobs, run their handlers, renew the leases.

One `Worker` per process (`careline worker`) or one background thread inside
`careline serve` on SQLite (`start_background_worker`). Stopping is graceful:
the stop event ends the loop after the batch in hand; a killed worker's jobs
come back to the others when its leases run out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta

from careline.jobs import service
from careline.jobs.model import DEFAULT_LEASE, ClaimedJob
from careline.jobs.registry import Registry, default_registry
from careline.runtime import Runtime

log = logging.getLogger("careline.jobs.worker")


class Worker:
    """Claims up to `batch_size` due jobs at a time and runs them on `concurrency` threads."""

    def __init__(
        self,
        rt: Runtime,
        *,
        registry: Registry,
        worker_id: str | None = None,
        concurrency: int = 1,
        batch_size: int | None = None,
        lease: timedelta = DEFAULT_LEASE,
        poll_interval: float = 1.0,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if lease <= timedelta(0) or poll_interval <= 0:
            raise ValueError("lease and poll interval must be positive")
        self.rt = rt
        self.registry = registry
        self.worker_id = worker_id or service.default_worker_id()
        self.concurrency = concurrency
        self.batch_size = concurrency if batch_size is None else batch_size
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.lease = lease
        self.poll_interval = poll_interval

    def run_once(self) -> int:
        """Claim one batch and run it to the end; returns how many jobs it took."""
        jobs = service.claim_due(
            self.rt,
            worker_id=self.worker_id,
            limit=self.batch_size,
            now=self.rt.clock.now(),
            lease=self.lease,
            kinds=self.registry.kinds(),
        )
        if not jobs:
            return 0
        with self._heartbeat([j.id for j in jobs]):
            if self.concurrency == 1 or len(jobs) == 1:
                for job in jobs:
                    self._run(job)
            else:
                with ThreadPoolExecutor(
                    max_workers=min(self.concurrency, len(jobs)),
                    thread_name_prefix="careline-job",
                ) as pool:
                    list(pool.map(self._run, jobs))
        return len(jobs)

    def run_until_idle(self, stop: threading.Event | None = None) -> int:
        """Run batches until nothing is due (or `stop` is set); returns the jobs taken."""
        total = 0
        while stop is None or not stop.is_set():
            taken = self.run_once()
            total += taken
            if taken == 0:
                break
        return total

    def run_forever(self, stop: threading.Event) -> None:
        """Work until `stop` is set; the batch in hand is always finished first."""
        log.info(
            "worker %s started (concurrency %d, lease %ss)",
            self.worker_id,
            self.concurrency,
            int(self.lease.total_seconds()),
        )
        while not stop.is_set():
            try:
                taken = self.run_once()
            except Exception as exc:  # the database is down or busy: wait and retry
                log.error("worker %s: claim failed: %s", self.worker_id, type(exc).__name__)
                stop.wait(self.poll_interval * 5)
                continue
            if taken < self.batch_size:
                stop.wait(self.poll_interval)
        log.info("worker %s stopped", self.worker_id)

    def _run(self, job: ClaimedJob) -> None:
        handler = self.registry.get(job.kind)
        try:
            if handler is None:  # claims are filtered by kind; a registry changed under us
                service.fail(self.rt, job=job, error="no-handler", permanent=True)
                return
            service.run_claimed(self.rt, job, run=handler.run, on_give_up=handler.on_give_up)
        except Exception as exc:
            # Recording the outcome failed (database gone): the lease will run out and
            # another try will happen; handlers are idempotent.
            log.error("job %s (%s): outcome not recorded: %s", job.id, job.kind, type(exc).__name__)

    @contextmanager
    def _heartbeat(self, job_ids: list[str]) -> Iterator[None]:
        """Renew this batch's leases every third of a lease while it runs."""
        done = threading.Event()
        interval = max(self.lease.total_seconds() / 3, 0.05)

        def beat() -> None:
            while not done.wait(interval):
                try:
                    service.renew_leases(
                        self.rt,
                        worker_id=self.worker_id,
                        job_ids=job_ids,
                        now=self.rt.clock.now(),
                        lease=self.lease,
                    )
                except Exception as exc:
                    log.warning(
                        "worker %s: lease renewal failed: %s", self.worker_id, type(exc).__name__
                    )

        thread = threading.Thread(target=beat, name="careline-job-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()


def start_background_worker(
    rt: Runtime,
    *,
    registry: Registry | None = None,
    poll_interval: float = 1.0,
    concurrency: int = 1,
) -> Callable[[], None]:
    """Run a worker on a daemon thread of this process (SQLite's `careline serve`).

    Returns `stop()`, which ends the loop after the batch in hand and waits for it.
    """
    worker = Worker(
        rt,
        registry=registry or default_registry(),
        worker_id=service.default_worker_id("serve"),
        concurrency=concurrency,
        poll_interval=poll_interval,
    )
    stop_event = threading.Event()
    thread = threading.Thread(
        target=worker.run_forever, args=(stop_event,), name="careline-worker", daemon=True
    )
    thread.start()

    def stop() -> None:
        stop_event.set()
        thread.join(timeout=60)

    return stop
