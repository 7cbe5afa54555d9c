"""The pure side of scheduling: the appointment state machine, time helpers, input rules."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from careline.scheduling.model import (
    TRANSITIONS,
    AppointmentCreate,
    AppointmentStatus,
    RescheduleRequest,
    TransitionRefused,
    check_transition,
    create_problems,
    day_bounds,
    imported_status,
    overlaps,
    reschedule_problems,
    start_problems,
    transition_refusal,
    whole_minutes,
)

S = AppointmentStatus
STARTS = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
BEFORE = STARTS - timedelta(hours=2)
AFTER = STARTS + timedelta(minutes=5)

ALLOWED = {
    (S.booked, S.confirmed),
    (S.booked, S.cancelled),
    (S.booked, S.noshow),
    (S.booked, S.arrived),
    (S.confirmed, S.cancelled),
    (S.confirmed, S.noshow),
    (S.confirmed, S.arrived),
    (S.arrived, S.fulfilled),
}
ALL_MOVES = [(a, b) for a, b in itertools.product(S, S) if a is not b]


def test_the_graph_is_exactly_the_documented_one():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("current", "target"), ALL_MOVES)
def test_every_move_is_allowed_or_refused_as_documented(current, target):
    # Pick a moment where the time rules do not interfere: no-shows after the start,
    # confirmations before it, anything else at either.
    at = AFTER if target is S.noshow else BEFORE
    reason = transition_refusal(current, target, at=at, starts_at=STARTS)
    if (current, target) in ALLOWED:
        assert reason is None
        check_transition(current, target, at=at, starts_at=STARTS)
    else:
        assert reason is not None
        with pytest.raises(TransitionRefused) as refused:
            check_transition(current, target, at=at, starts_at=STARTS)
        assert refused.value.error_id == "appointment-transition-refused"
        assert refused.value.status == 409
        assert refused.value.extra == {"status": current.value, "wanted": target.value}


@pytest.mark.parametrize("final", [S.cancelled, S.noshow, S.fulfilled])
def test_final_statuses_say_so(final):
    reason = transition_refusal(final, S.booked, at=BEFORE, starts_at=STARTS)
    assert reason is not None and "no longer change" in reason


def test_no_show_only_once_the_appointment_started():
    assert "started" in (transition_refusal(S.booked, S.noshow, at=BEFORE, starts_at=STARTS) or "")
    assert transition_refusal(S.booked, S.noshow, at=STARTS, starts_at=STARTS) is None


def test_confirming_after_the_start_is_refused():
    assert transition_refusal(S.booked, S.confirmed, at=STARTS, starts_at=STARTS) is not None
    assert transition_refusal(S.booked, S.confirmed, at=BEFORE, starts_at=STARTS) is None


def test_an_ehr_booked_does_not_undo_a_confirmation_made_here():
    assert imported_status(S.confirmed, S.booked) is S.confirmed
    assert imported_status(S.confirmed, S.cancelled) is S.cancelled
    assert imported_status(None, S.booked) is S.booked
    assert imported_status(S.cancelled, S.booked) is S.booked  # the EHR re-instated it


def test_intervals_are_half_open():
    a, b = STARTS, STARTS + timedelta(minutes=30)
    assert overlaps(a, b, a + timedelta(minutes=29), b + timedelta(hours=1))
    assert not overlaps(a, b, b, b + timedelta(minutes=30))
    assert not overlaps(a, b, a - timedelta(minutes=30), a)


def test_local_days_have_23_or_25_hours_across_dst():
    start, end = day_bounds(date(2026, 3, 8), "America/Chicago")  # spring forward
    assert start == datetime(2026, 3, 8, 6, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=23)
    start, end = day_bounds(date(2026, 11, 1), "America/Chicago")  # fall back
    assert end - start == timedelta(hours=25)


def test_whole_minutes():
    assert whole_minutes(STARTS, STARTS + timedelta(minutes=45)) == 45
    assert whole_minutes(STARTS, STARTS + timedelta(seconds=90)) is None
    assert whole_minutes(STARTS, STARTS) is None
    assert whole_minutes(STARTS, STARTS - timedelta(minutes=5)) is None


def test_start_problems():
    now = BEFORE
    assert start_problems(STARTS, now=now, field="body.start") == []
    assert start_problems(now, now=now, field="body.start")[0].message == "must be in the future"
    far = datetime(9999, 1, 1, tzinfo=UTC)
    assert "years" in start_problems(far, now=now, field="body.start")[0].message


def test_booking_needs_a_slot_or_a_full_time_never_half_of_each():
    both = AppointmentCreate(patient_id="p", slot_id="s", start=STARTS, staff_id="d")
    assert {p.field for p in create_problems(both)} == {"body.start", "body.staff_id"}
    neither = AppointmentCreate(patient_id="p", start=STARTS)
    assert {p.field for p in create_problems(neither)} == {
        "body.staff_id",
        "body.location_id",
        "body.duration_minutes",
        "body.appointment_type",
    }
    assert create_problems(AppointmentCreate(patient_id="p", slot_id="s")) == []
    assert reschedule_problems(RescheduleRequest()) != []
    assert [p.field for p in reschedule_problems(RescheduleRequest(slot_id="s", start=STARTS))] == [
        "body.start"
    ]


def test_inputs_refuse_naive_times_unknown_fields_and_bad_codes():
    with pytest.raises(ValidationError):
        AppointmentCreate(patient_id="p", start=datetime(2026, 3, 3, 9, 0))  # naive
    with pytest.raises(ValidationError):
        AppointmentCreate.model_validate({"patient_id": "p", "notes": "free text"})
    with pytest.raises(ValidationError):
        AppointmentCreate.model_validate(
            {"patient_id": "p", "appointment_type": {"code": "two  spaces", "display": "x"}}
        )
    with pytest.raises(ValidationError):
        AppointmentCreate.model_validate({"patient_id": "p", "duration_minutes": 0})
    with pytest.raises(ValidationError):
        AppointmentCreate.model_validate({"patient_id": "p", "source": "ehr"})
