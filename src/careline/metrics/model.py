"""The metrics careline exposes: the in-process instruments, and the pure pieces of
the gauges read from the database at scrape time.

The instruments are module-level, as prometheus_client wants them: in one process
they count in memory; with `PROMETHEUS_MULTIPROC_DIR` set before the process starts,
each process writes its values to a file there and a scrape adds every process's
files up. This module reaches no database, so any capability may count through it.

No PHI anywhere: labels are route templates, status classes, codes and enum values
(urgency, presence, status, department codes), never names, numbers, texts or ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import ParamSpec, Protocol, TypeVar

from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from careline.providers.protocol import ProviderError

#: Provider webhooks must answer well inside the provider's 15 s timeout; most take
#: milliseconds, a triage with the statistical layer a few hundred.
WEBHOOK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0)

#: The label of a `/telephony/...` request that matched no route (anyone can send
#: one: its path must not become a label of its own).
UNMATCHED_PATH = "unmatched"

WEBHOOK_SECONDS = Histogram(
    "careline_webhook_duration_seconds",
    "Time to answer a provider webhook (/telephony/...), by route and status class.",
    ["path", "status"],
    buckets=WEBHOOK_BUCKETS,
)
TRIAGE_DECISIONS = Counter(
    "careline_triage_decisions",
    "Triage decisions, by urgency and the layer that set it (rules, model, default).",
    ["urgency", "layer"],
)
PROVIDER_ERRORS = Counter(
    "careline_provider_errors",
    "Errors from a provider's API, by provider and careline's error code.",
    ["provider", "code"],
)


def status_class(status: int) -> str:
    """`2xx`, `4xx`...: the outcome without one series per status code."""
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


def webhook_path(route_path: str | None) -> str:
    """The route template a webhook matched, or `unmatched`."""
    if route_path is None or not route_path.startswith("/telephony/"):
        return UNMATCHED_PATH
    return route_path


def observe_webhook(*, route_path: str | None, status: int, seconds: float) -> None:
    WEBHOOK_SECONDS.labels(path=webhook_path(route_path), status=status_class(status)).observe(
        max(seconds, 0.0)
    )


class Decision(Protocol):
    """What a triage result must show to be counted (triage's `TriageResult` does)."""

    @property
    def urgency(self) -> str: ...

    @property
    def decided_by(self) -> str: ...


D = TypeVar("D", bound=Decision)


P = ParamSpec("P")
R = TypeVar("R")


def observe_triage(result: Decision) -> None:
    TRIAGE_DECISIONS.labels(urgency=str(result.urgency), layer=str(result.decided_by)).inc()


def counts_triage(fn: Callable[P, D]) -> Callable[P, D]:
    """Decorate triage's entry point: every decision it returns is counted (one line at
    the one place every patient's words are triaged)."""

    @wraps(fn)
    def counted(*args: P.args, **kwargs: P.kwargs) -> D:
        result = fn(*args, **kwargs)
        observe_triage(result)
        return result

    return counted


def counts_provider_errors(provider: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a provider's API call: every `ProviderError` it raises is counted by code."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @wraps(fn)
        def counted(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except ProviderError as error:
                PROVIDER_ERRORS.labels(provider=provider, code=error.code or "unknown").inc()
                raise

        return counted

    return decorate


# ---------------------------------------------------------------- scrape-time gauges


@dataclass(frozen=True)
class WaitingQueue:
    """Calls waiting in one department's queue at one priority."""

    department: str
    priority: str
    calls: int
    longest_wait_seconds: float


@dataclass(frozen=True)
class Snapshot:
    """What the database said at one scrape (counts and ages only)."""

    waiting: tuple[WaitingQueue, ...] = ()
    agents: Mapping[str, int] = field(default_factory=dict)
    jobs_overdue: int = 0
    job_lag_seconds: float = 0.0
    jobs_failed: Mapping[str, int] = field(default_factory=dict)
    messages: Mapping[str, int] = field(default_factory=dict)
    open_tasks: Mapping[str, int] = field(default_factory=dict)
    #: None: no audit anchor file, or no valid checkpoint in it.
    audit_checkpoint_age_seconds: float | None = None


def with_zeros(known: Iterable[str], counts: Mapping[str, int]) -> dict[str, int]:
    """Every known state with its count, 0 when absent: a series that vanishes when
    nothing is in that state makes alerts and graphs lie."""
    filled = dict.fromkeys(known, 0)
    filled.update(counts)
    return filled


def _by(name: str, doc: str, label: str, counts: Mapping[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=[label])
    for value, count in sorted(counts.items()):
        family.add_metric([value], count)
    return family


def _single(name: str, doc: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc)
    family.add_metric([], value)
    return family


def snapshot_families(snapshot: Snapshot | None, *, version: str) -> list[Metric]:
    """The scrape-time gauges; `snapshot` None means the database did not answer."""
    build = GaugeMetricFamily(
        "careline_build_info", "careline's version (always 1).", labels=["version"]
    )
    build.add_metric([version], 1)
    up = _single(
        "careline_database_up",
        "1 when the database answered this scrape's queries, 0 otherwise.",
        0 if snapshot is None else 1,
    )
    if snapshot is None:
        return [build, up]
    queue_labels = ["department", "priority"]
    waiting = GaugeMetricFamily(
        "careline_queue_waiting_calls",
        "Calls waiting in a department's queue, by priority.",
        labels=queue_labels,
    )
    longest = GaugeMetricFamily(
        "careline_queue_longest_wait_seconds",
        "How long the longest-waiting call of a department's queue has waited, by priority.",
        labels=queue_labels,
    )
    for queue in sorted(snapshot.waiting, key=lambda q: (q.department, q.priority)):
        waiting.add_metric([queue.department, queue.priority], queue.calls)
        longest.add_metric([queue.department, queue.priority], queue.longest_wait_seconds)
    families: list[Metric] = [
        build,
        up,
        waiting,
        longest,
        _by("careline_agents", "Staff by presence state.", "presence", snapshot.agents),
        _single(
            "careline_jobs_overdue",
            "Pending jobs whose due time has passed (waiting for a worker).",
            snapshot.jobs_overdue,
        ),
        _single(
            "careline_job_lag_seconds",
            "Now minus the due time of the oldest overdue pending job (0 when none).",
            snapshot.job_lag_seconds,
        ),
        _by(
            "careline_jobs_failed",
            "Jobs that failed for good, by kind.",
            "kind",
            snapshot.jobs_failed,
        ),
        _by(
            "careline_outbound_messages",
            "Outbound messages by status.",
            "status",
            snapshot.messages,
        ),
        _by(
            "careline_open_tasks",
            "Open front-desk tasks by urgency.",
            "urgency",
            snapshot.open_tasks,
        ),
    ]
    if snapshot.audit_checkpoint_age_seconds is not None:
        families.append(
            _single(
                "careline_audit_checkpoint_age_seconds",
                "Age of the newest valid audit checkpoint in the anchor file.",
                snapshot.audit_checkpoint_age_seconds,
            )
        )
    return families
