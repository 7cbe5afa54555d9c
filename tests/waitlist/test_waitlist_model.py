"""Pure decisions: eligibility, ranking with ties, wave selection, reply words."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from pydantic import ValidationError

from careline.waitlist.model import (
    Candidate,
    EntryCreate,
    ReplyIntent,
    SlotFacts,
    Window,
    is_eligible,
    next_wave,
    rank,
    reply_intent,
)

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
# Tuesday 2026-03-03 10:00 in New York (15:00 UTC).
SLOT = SlotFacts(
    "s1",
    "dr1",
    "loc1",
    "dep1",
    "FOLLOWUP",
    datetime(2026, 3, 3, 15, 0, tzinfo=UTC),
    "America/New_York",
)


def cand(id: str, *, priority: int = 3, waited_h: float = 1, **kw: object) -> Candidate:
    base: dict[str, object] = dict(
        department_id="dep1",
        appointment_type="FOLLOWUP",
        location_ids=("loc1",),
        staff_id=None,
        provider_required=False,
        window_start=None,
        window_end=None,
        preferred_times=(),
    )
    base.update(kw)
    return Candidate(id=id, priority=priority, created_at=AT - timedelta(hours=waited_h), **base)  # type: ignore[arg-type]


def test_priority_then_time_waited_then_fit_then_id() -> None:
    ranked = rank(
        [
            cand("routine-old", priority=3, waited_h=100),
            cand("urgent-new", priority=1, waited_h=1),
            cand("soon-a", priority=2, waited_h=5),
            cand("soon-b", priority=2, waited_h=10),
            cand("tie-fit", priority=4, waited_h=2, staff_id="dr1"),
            cand("tie-nofit", priority=4, waited_h=2),
            cand("tie-z", priority=5, waited_h=2),
            cand("tie-a", priority=5, waited_h=2),
        ],
        SLOT,
        at=AT,
    )
    assert [c.id for c in ranked] == [
        "urgent-new",
        "soon-b",
        "soon-a",
        "routine-old",
        "tie-fit",
        "tie-nofit",
        "tie-a",
        "tie-z",
    ]


@pytest.mark.parametrize(
    ("kw", "ok"),
    [
        ({}, True),
        ({"department_id": "other"}, False),
        ({"department_id": None}, True),
        ({"appointment_type": "ANNUAL"}, False),
        ({"location_ids": ("loc2",)}, False),
        ({"staff_id": "dr2", "provider_required": True}, False),
        ({"staff_id": "dr2"}, True),  # a preference only
        ({"window_start": date(2026, 3, 4)}, False),
        ({"window_end": date(2026, 3, 2)}, False),
        ({"window_end": date(2026, 3, 3)}, True),
        # 10:00 local on a Tuesday (weekday 1): the range is read in the location's zone.
        ({"preferred_times": (Window(frozenset({1}), time(9), time(11)),)}, True),
        ({"preferred_times": (Window(frozenset({1}), time(14), time(16)),)}, False),  # 15:00 UTC
        ({"preferred_times": (Window(frozenset({0, 2}), time(9), time(11)),)}, False),
    ],
)
def test_eligibility(kw: dict[str, object], ok: bool) -> None:
    assert is_eligible(cand("x", **kw), SLOT) is ok


def test_next_wave_skips_those_already_asked() -> None:
    ranked = [cand(str(i), waited_h=10 - i) for i in range(6)]
    assert [c.id for c in next_wave(ranked, already_asked=frozenset({"0", "2"}), size=3)] == [
        "1",
        "3",
        "4",
    ]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("YES", ReplyIntent.yes),
        (" y ", ReplyIntent.yes),
        ("1", ReplyIntent.yes),
        ("Sí", ReplyIntent.yes),
        ("si!", ReplyIntent.yes),
        ("no", ReplyIntent.no),
        ("N", ReplyIntent.no),
        ("maybe", None),
        ("yes please call me", None),
        ("", None),
    ],
)
def test_reply_words(text: str, intent: ReplyIntent | None) -> None:
    assert reply_intent(text) is intent


def test_entry_input_is_checked() -> None:
    with pytest.raises(ValidationError):
        EntryCreate(patient_id="p", location_ids=["l"])  # neither department nor type
    with pytest.raises(ValidationError):
        EntryCreate(patient_id="p", department_id="d", location_ids=["l"], priority=0)
    with pytest.raises(ValidationError):
        EntryCreate(patient_id="p", department_id="d", location_ids=["l"], provider_required=True)
    with pytest.raises(ValidationError):
        EntryCreate(
            patient_id="p",
            department_id="d",
            location_ids=["l"],
            window_start=date(2026, 3, 5),
            window_end=date(2026, 3, 1),
        )
    with pytest.raises(ValidationError):
        EntryCreate(
            patient_id="p",
            department_id="d",
            location_ids=["l"],
            preferred_times=[{"weekdays": [1], "start": "11:00", "end": "09:00"}],
        )


def test_time_ranges_with_mixed_offsets_are_a_validation_error_not_a_crash():
    import pytest
    from pydantic import ValidationError

    from careline.waitlist.model import TimeRange

    with pytest.raises(ValidationError, match="no offset"):
        TimeRange(start="09:00:00+01:00", end="17:00:00")
