"""The jobs core without a database: backoff schedule, failure decisions, input checks,
error classification and the handler registry."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from careline.core.errors import NotFound, Unavailable, ValidationFailed
from careline.jobs.model import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    Defer,
    JobStatus,
    PermanentFailure,
    RetryLater,
    backoff_delay,
    classify_error,
    decide_failure,
    safe_code,
    schedule_problems,
)
from careline.jobs.registry import Registry, default_registry

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_backoff_doubles_from_the_base_and_stops_at_the_cap():
    delays = [backoff_delay(n) for n in range(1, 12)]
    assert delays[:5] == [
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]
    assert all(later >= earlier for earlier, later in itertools.pairwise(delays))
    assert delays[-1] == BACKOFF_CAP
    assert backoff_delay(10_000) == BACKOFF_CAP  # no overflow for absurd try numbers


def test_backoff_with_custom_base_and_cap():
    base, cap = timedelta(seconds=1), timedelta(seconds=5)
    assert [backoff_delay(n, base=base, cap=cap).total_seconds() for n in range(1, 6)] == [
        1,
        2,
        4,
        5,
        5,
    ]


@pytest.mark.parametrize(
    ("attempt", "base", "cap"),
    [
        (0, BACKOFF_BASE, BACKOFF_CAP),
        (-3, BACKOFF_BASE, BACKOFF_CAP),
        (1, timedelta(0), BACKOFF_CAP),
        (1, timedelta(minutes=5), timedelta(minutes=1)),
    ],
)
def test_backoff_refuses_nonsense(attempt, base, cap):
    with pytest.raises(ValueError):
        backoff_delay(attempt, base=base, cap=cap)


def test_failure_decisions():
    retry = decide_failure(attempt=1, max_attempts=3, permanent=False, at=AT)
    assert retry.status is JobStatus.due and retry.due_at == AT + timedelta(seconds=30)
    third = decide_failure(attempt=2, max_attempts=3, permanent=False, at=AT)
    assert third.due_at == AT + timedelta(minutes=1)
    out_of_tries = decide_failure(attempt=3, max_attempts=3, permanent=False, at=AT)
    assert out_of_tries.status is JobStatus.failed and out_of_tries.due_at is None
    permanent = decide_failure(attempt=1, max_attempts=8, permanent=True, at=AT)
    assert permanent.status is JobStatus.failed


def _fields(problems):
    return {p.field for p in problems}


def test_a_good_job_has_no_problems():
    assert (
        schedule_problems(
            kind="messaging.send",
            payload={"message_id": "abc", "n": 1, "ids": ["a", "b"], "x": None},
            dedupe_key="messaging.send:abc",
            max_attempts=8,
        )
        == []
    )


@pytest.mark.parametrize(
    ("kind", "payload", "dedupe_key", "max_attempts", "field"),
    [
        ("Messaging.Send", {}, None, 3, "kind"),
        ("messaging..send", {}, None, 3, "kind"),
        ("messaging send", {}, None, 3, "kind"),
        ("", {}, None, 3, "kind"),
        ("a" * 81, {}, None, 3, "kind"),
        ("x.y", ["not", "an", "object"], None, 3, "payload"),
        ("x.y", {1: "int key"}, None, 3, "payload"),
        ("x.y", {"s": {1, 2}}, None, 3, "payload"),
        ("x.y", {"nan": float("nan")}, None, 3, "payload"),
        ("x.y", {"big": "x" * 5000}, None, 3, "payload"),
        ("x.y", {}, "has space", 3, "dedupe_key"),
        ("x.y", {}, "", 3, "dedupe_key"),
        ("x.y", {}, "k" * 201, 3, "dedupe_key"),
        ("x.y", {}, "clé", 3, "dedupe_key"),
        ("x.y", {}, None, 0, "max_attempts"),
        ("x.y", {}, None, 101, "max_attempts"),
    ],
)
def test_bad_jobs_are_named_field_by_field(kind, payload, dedupe_key, max_attempts, field):
    problems = schedule_problems(
        kind=kind, payload=payload, dedupe_key=dedupe_key, max_attempts=max_attempts
    )
    assert _fields(problems) == {field}


def test_every_problem_is_reported_at_once():
    problems = schedule_problems(kind="BAD", payload=[], dedupe_key=" ", max_attempts=0)
    assert _fields(problems) == {"kind", "payload", "dedupe_key", "max_attempts"}


def test_errors_are_classified_without_their_messages():
    # A message quoting a phone number must never become the stored error.
    assert classify_error(ValueError("+13125550143 is not reachable")) == ("ValueError", False)
    assert classify_error(RetryLater("30001")) == ("30001", False)
    assert classify_error(PermanentFailure("opted-out")) == ("opted-out", True)
    assert classify_error(NotFound("gone", error_id="no-such-patient")) == (
        "no-such-patient",
        True,
    )
    assert classify_error(ValidationFailed("bad")) == ("validation-failed", True)
    assert classify_error(Unavailable("down")) == ("unavailable", False)


def test_codes_that_are_not_short_tokens_are_replaced():
    assert safe_code("21211") == "21211"
    assert safe_code("no-such-message") == "no-such-message"
    assert safe_code("call +1 312 555 0143 failed") == "error"
    assert safe_code("") == "error"
    assert safe_code("x" * 81) == "error"
    assert PermanentFailure("Ada Lovelace has no phone").code == "error"


def test_defer_needs_an_aware_instant():
    assert Defer(AT).until == AT
    with pytest.raises(ValueError):
        Defer(datetime(2026, 3, 2, 15, 0))


def test_registry_refuses_bad_and_duplicate_kinds():
    registry = Registry()
    registry.register("demo.ping", lambda rt, payload: None)
    with pytest.raises(ValueError, match="already"):
        registry.register("demo.ping", lambda rt, payload: None)
    with pytest.raises(ValueError):
        registry.register("Demo Ping", lambda rt, payload: None)
    assert registry.kinds() == {"demo.ping"}
    assert registry.get("demo.ping") is not None
    assert registry.get("demo.other") is None


def test_default_registry_wires_the_message_send_job():
    handler = default_registry().get("messaging.send")
    assert handler is not None and handler.on_give_up is not None
