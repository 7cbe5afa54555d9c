"""Jobs: their states, the retry schedule, and the failures handlers raise.

Pure: no database, no clock (instants are passed in). A job's payload and its
recorded errors are stored in the clear, so both hold ids and codes only —
never a name, a number or free text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from careline.core.errors import CarelineError, FieldProblem

KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
KIND_MAX = 80
DEDUPE_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, no spaces
CODE = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")
PAYLOAD_MAX_BYTES = 4_000
MAX_ATTEMPTS_LIMIT = 100

#: Tries before a job that keeps failing is given up (a claim counts as a try).
DEFAULT_MAX_ATTEMPTS = 8
#: First retry delay; each further retry doubles it, up to `BACKOFF_CAP`.
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=2)
#: How long a claim holds a job without a heartbeat before another worker may take it.
DEFAULT_LEASE = timedelta(minutes=5)


class JobStatus(StrEnum):
    due = "due"  # waiting for its due time (or ready now)
    running = "running"  # claimed by a worker that holds a lease
    done = "done"
    failed = "failed"  # permanently: a permanent error, or out of attempts
    cancelled = "cancelled"


TERMINAL = frozenset({JobStatus.done, JobStatus.failed, JobStatus.cancelled})


class JobEventKind(StrEnum):
    """One row in `job_events` per transition, so a job's history can be replayed."""

    scheduled = "scheduled"  # → due
    claimed = "claimed"  # due → running
    reclaimed = "reclaimed"  # running (lease expired: its worker died) → running
    completed = "completed"  # running → done
    retry_scheduled = "retry_scheduled"  # running → due, later (backoff)
    deferred = "deferred"  # running → due, later, not counted as a try
    failed = "failed"  # running → failed
    cancelled = "cancelled"  # due → cancelled


# ---------------------------------------------------------------- what handlers raise


class JobFailure(Exception):
    """A handler's failure with a PHI-free `code` (stored as the job's last error)."""

    def __init__(self, code: str, *, permanent: bool) -> None:
        super().__init__(code)
        self.code = safe_code(code)
        self.permanent = permanent


class RetryLater(JobFailure):
    """Try again after the backoff delay (a provider outage, a timeout), and no sooner
    than `at_least` (a provider's Retry-After); `jitter` spreads a fleet's retries."""

    def __init__(
        self, code: str, *, at_least: timedelta | None = None, jitter: timedelta = timedelta(0)
    ) -> None:
        super().__init__(code, permanent=False)
        self.at_least = at_least
        self.jitter = jitter


class PermanentFailure(JobFailure):
    """Retrying cannot help (an invalid number, an opted-out patient): stop now."""

    def __init__(self, code: str) -> None:
        super().__init__(code, permanent=True)


class Defer(Exception):
    """Not now: run again at `until` without counting this as a try (e.g. quiet hours)."""

    def __init__(self, until: datetime) -> None:
        if until.tzinfo is None:
            raise ValueError("Defer needs a timezone-aware instant")
        super().__init__("deferred")
        self.until = until


def safe_code(code: str) -> str:
    """Codes are stored and logged in the clear: anything but a short token becomes 'error'."""
    return code if CODE.match(code) else "error"


def classify_error(exc: BaseException) -> tuple[str, bool]:
    """(PHI-free code, permanent?) for whatever a handler raised.

    Messages of arbitrary exceptions may quote PHI (a provider echoing the
    number), so only the type name or a declared code is kept. Expected
    careline errors are permanent unless they say the service is busy or down.
    """
    if isinstance(exc, JobFailure):
        return exc.code, exc.permanent
    if isinstance(exc, CarelineError):
        return safe_code(exc.error_id), exc.status not in (429, 503)
    return safe_code(type(exc).__name__), False


# ---------------------------------------------------------------- decisions


def backoff_delay(
    attempt: int, *, base: timedelta = BACKOFF_BASE, cap: timedelta = BACKOFF_CAP
) -> timedelta:
    """Delay before retrying after failed try number `attempt` (1-based): base·2^(attempt-1).

    No jitter: due times are compared across workers and asserted in tests; a
    fleet-wide outage is spread out anyway by the claims' `limit`.
    """
    if attempt < 1:
        raise ValueError("attempt numbers start at 1")
    if base <= timedelta(0) or cap < base:
        raise ValueError("backoff needs 0 < base <= cap")
    # Beyond 2^40 the cap has long been reached; avoid building a huge timedelta.
    factor: int = 2 ** min(attempt - 1, 40)
    delay: timedelta = base * factor
    return min(delay, cap)


@dataclass(frozen=True)
class FailureDecision:
    status: JobStatus  # due (retry later) or failed
    due_at: datetime | None  # when to retry; None when failed


def decide_failure(
    *,
    attempt: int,
    max_attempts: int,
    permanent: bool,
    at: datetime,
    base: timedelta = BACKOFF_BASE,
    cap: timedelta = BACKOFF_CAP,
    at_least: timedelta | None = None,
    jitter: timedelta = timedelta(0),
) -> FailureDecision:
    """After try number `attempt` failed at `at`: retry later (after the backoff, never
    sooner than `at_least`, plus `jitter`), or give up."""
    if permanent or attempt >= max_attempts:
        return FailureDecision(JobStatus.failed, None)
    delay = max(backoff_delay(attempt, base=base, cap=cap), at_least or timedelta(0))
    return FailureDecision(JobStatus.due, at + delay + max(jitter, timedelta(0)))


# ---------------------------------------------------------------- inputs and views


def schedule_problems(
    *, kind: str, payload: Any, dedupe_key: str | None, max_attempts: int
) -> list[FieldProblem]:
    """What is wrong with a job to schedule (all problems at once)."""
    problems: list[FieldProblem] = []
    if len(kind) > KIND_MAX or not KIND.match(kind):
        problems.append(FieldProblem("kind", "must be dotted lowercase words, e.g. messaging.send"))
    if not isinstance(payload, dict) or not all(isinstance(k, str) for k in payload):
        problems.append(FieldProblem("payload", "must be a JSON object"))
    else:
        try:
            size = len(json.dumps(payload, allow_nan=False).encode())
        except (TypeError, ValueError):
            problems.append(FieldProblem("payload", "must hold only JSON values"))
        else:
            if size > PAYLOAD_MAX_BYTES:
                problems.append(
                    FieldProblem("payload", f"must be at most {PAYLOAD_MAX_BYTES} bytes of ids")
                )
    if dedupe_key is not None and not DEDUPE_KEY.match(dedupe_key):
        problems.append(FieldProblem("dedupe_key", "must be 1-200 printable ASCII characters"))
    if not 1 <= max_attempts <= MAX_ATTEMPTS_LIMIT:
        problems.append(FieldProblem("max_attempts", f"must be 1-{MAX_ATTEMPTS_LIMIT}"))
    return problems


@dataclass(frozen=True)
class ClaimedJob:
    """A job a worker holds until `lease_expires_at` (renewed while it works)."""

    id: str
    kind: str
    payload: dict[str, Any]
    attempt: int  # this try's number, 1-based
    max_attempts: int
    due_at: datetime
    lease_expires_at: datetime
    worker_id: str


class JobView(BaseModel):
    id: str
    kind: str
    payload: dict[str, Any]
    status: JobStatus
    due_at: datetime
    attempts: int
    max_attempts: int
    locked_by: str | None
    lease_expires_at: datetime | None
    last_error: str | None
    dedupe_key: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None


class JobEventView(BaseModel):
    id: int
    job_id: str
    at: datetime
    kind: JobEventKind
    from_status: JobStatus | None
    to_status: JobStatus
    worker_id: str | None
    attempt: int
    error: str | None
