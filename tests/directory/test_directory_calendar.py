"""Pure calendar decisions: is_open / next_open across DST, holidays and closures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from careline.directory.model import (
    Calendar,
    ClosureSpan,
    FixedHolidays,
    PublicHolidays,
    WeeklyInterval,
    holiday_dates,
    is_open,
    next_open,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def weekdays(tz: str, opens: str = "08:00", closes: str = "17:00", **kw: object) -> Calendar:
    """Open Monday-Friday `opens`-`closes` local time."""
    weekly = tuple(WeeklyInterval.of(d, opens, closes) for d in range(5))
    return Calendar(timezone=tz, weekly=weekly, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------- DST


def test_new_york_spring_forward_moves_opening_an_hour_earlier_in_utc():
    cal = weekdays("America/New_York")
    # Monday before the change (March 8, 2026): 12:30 UTC is 07:30 EST.
    assert not is_open(cal, utc(2026, 3, 2, 12, 30))
    assert is_open(cal, utc(2026, 3, 2, 13, 0))  # 08:00 EST, the first open second
    # Monday after: 12:30 UTC is 08:30 EDT.
    assert is_open(cal, utc(2026, 3, 9, 12, 30))
    assert not is_open(cal, utc(2026, 3, 9, 11, 59, 59))  # 07:59:59 EDT
    # Closing follows the wall clock too: 17:00 EDT is 21:00 UTC.
    assert is_open(cal, utc(2026, 3, 9, 20, 59, 59))
    assert not is_open(cal, utc(2026, 3, 9, 21, 0))


def test_new_york_fall_back_moves_opening_an_hour_later_in_utc():
    cal = weekdays("America/New_York")
    assert is_open(cal, utc(2026, 10, 26, 12, 30))  # 08:30 EDT
    assert not is_open(cal, utc(2026, 11, 2, 12, 30))  # 07:30 EST (fall back was Nov 1)
    assert is_open(cal, utc(2026, 11, 2, 13, 30))  # 08:30 EST


def test_chicago_across_both_changes():
    cal = weekdays("America/Chicago")
    assert not is_open(cal, utc(2026, 3, 6, 13, 30))  # Fri 07:30 CST
    assert is_open(cal, utc(2026, 3, 9, 13, 30))  # Mon 08:30 CDT
    assert is_open(cal, utc(2026, 10, 30, 13, 30))  # Fri 08:30 CDT
    assert not is_open(cal, utc(2026, 11, 2, 13, 30))  # Mon 07:30 CST


def test_phoenix_keeps_standard_time_while_denver_moves():
    phoenix, denver = weekdays("America/Phoenix"), weekdays("America/Denver")
    winter = utc(2026, 3, 2, 14, 30)  # both 07:30 MST
    assert not is_open(phoenix, winter) and not is_open(denver, winter)
    summer = utc(2026, 3, 9, 14, 30)  # Phoenix 07:30 MST, Denver 08:30 MDT
    assert not is_open(phoenix, summer)
    assert is_open(denver, summer)
    assert is_open(phoenix, utc(2026, 3, 9, 15, 0))  # 08:00 MST


def test_naive_instant_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open(weekdays("America/New_York"), datetime(2026, 3, 9, 12, 30))


def test_next_open_in_a_spring_forward_gap_is_when_the_gap_ends():
    # Open Sunday 02:30-05:00 local; on March 8, 2026 02:30 never happens in New York.
    cal = Calendar("America/New_York", weekly=(WeeklyInterval.of(6, "02:30", "05:00"),))
    at = utc(2026, 3, 8, 6, 0)  # 01:00 EST
    assert not is_open(cal, at)
    assert next_open(cal, at) == utc(2026, 3, 8, 7, 0)  # 03:00 EDT, the first wall time >= 02:30
    # A normal Sunday: 02:30 EST.
    assert next_open(cal, utc(2026, 3, 1, 6, 0)) == utc(2026, 3, 1, 7, 30)


def test_fall_back_repeated_hour_opens_on_the_wall_clock_both_times():
    # Open Sunday 01:00-01:45; on November 1, 2026 01:00-02:00 happens twice.
    cal = Calendar("America/New_York", weekly=(WeeklyInterval.of(6, "01:00", "01:45"),))
    assert next_open(cal, utc(2026, 11, 1, 4, 0)) == utc(2026, 11, 1, 5, 0)  # 01:00 EDT
    assert is_open(cal, utc(2026, 11, 1, 6, 30))  # 01:30 EST, the second pass
    after_first = utc(2026, 11, 1, 5, 50)  # 01:50 EDT: closed until the clock repeats
    assert not is_open(cal, after_first)
    assert next_open(cal, after_first) == utc(2026, 11, 1, 6, 0)  # 01:00 EST


# ---------------------------------------------------------------- holidays


def test_library_observes_july_4_2026_on_friday_july_3():
    # July 4, 2026 is a Saturday: the library lists both the day and the observed Friday.
    days = holiday_dates("US", None, 2026)
    assert date(2026, 7, 3) in days
    assert date(2026, 7, 4) in days


def test_observed_independence_day_closes_a_weekday_clinic():
    friday = utc(2026, 7, 3, 14, 0)  # 10:00 EDT
    assert not is_open(weekdays("America/New_York", holidays=PublicHolidays("US")), friday)
    assert is_open(weekdays("America/New_York"), friday)  # holidays not observed


def test_saturday_clinic_closed_on_july_4_itself():
    weekly = tuple(WeeklyInterval.of(d, "08:00", "17:00") for d in range(6))
    cal = Calendar("America/New_York", weekly=weekly, holidays=PublicHolidays("US"))
    assert not is_open(cal, utc(2026, 7, 4, 14, 0))
    assert is_open(cal, utc(2026, 7, 11, 14, 0))


def test_thanksgiving_closed_only_when_observed():
    thursday = utc(2026, 11, 26, 15, 0)  # 10:00 EST
    assert not is_open(weekdays("America/New_York", holidays=PublicHolidays("US")), thursday)
    assert is_open(weekdays("America/New_York"), thursday)


def test_holiday_is_judged_by_local_date_not_utc_date():
    # 2026-11-27 03:00 UTC is still Thanksgiving evening (22:00 EST) in New York; an
    # evening clinic is closed then, but open at that UTC date's local evening on Friday.
    evenings = tuple(WeeklyInterval.of(d, "18:00", "23:00") for d in range(5))
    cal = Calendar("America/New_York", weekly=evenings, holidays=PublicHolidays("US"))
    assert not is_open(cal, utc(2026, 11, 27, 3, 0))
    assert is_open(cal, utc(2026, 11, 28, 3, 0))  # Friday 22:00 EST


def test_state_holiday_needs_the_subdivision():
    # Casimir Pulaski Day (first Monday of March) is an Illinois holiday only.
    monday = utc(2026, 3, 2, 15, 0)
    assert not is_open(weekdays("America/Chicago", holidays=PublicHolidays("US", "IL")), monday)
    assert is_open(weekdays("America/Chicago", holidays=PublicHolidays("US")), monday)


# ---------------------------------------------------------------- closures


def test_full_day_closure():
    cal = weekdays(
        "America/New_York", closures=(ClosureSpan(date(2026, 3, 10), date(2026, 3, 11)),)
    )
    assert not is_open(cal, utc(2026, 3, 10, 14, 0))
    assert not is_open(cal, utc(2026, 3, 11, 20, 0))
    assert is_open(cal, utc(2026, 3, 12, 14, 0))
    assert next_open(cal, utc(2026, 3, 10, 14, 0)) == utc(2026, 3, 12, 12, 0)  # 08:00 EDT


def test_part_day_closure_and_reopening():
    closure = ClosureSpan(date(2026, 3, 10), date(2026, 3, 10), 13 * 60, 15 * 60)
    cal = weekdays("America/New_York", closures=(closure,))
    assert is_open(cal, utc(2026, 3, 10, 16, 59))  # 12:59 EDT
    assert not is_open(cal, utc(2026, 3, 10, 17, 0))  # 13:00 EDT
    assert next_open(cal, utc(2026, 3, 10, 17, 30)) == utc(2026, 3, 10, 19, 0)  # 15:00 EDT
    assert is_open(cal, utc(2026, 3, 11, 17, 30))  # the next day is untouched


# ---------------------------------------------------------------- next_open


def test_next_open_over_a_weekend_and_a_dst_change():
    cal = weekdays("America/New_York", holidays=PublicHolidays("US"))
    friday_evening = utc(2026, 3, 6, 22, 30)  # 17:30 EST
    assert next_open(cal, friday_evening) == utc(2026, 3, 9, 12, 0)  # Monday 08:00 EDT


def test_next_open_skips_a_holiday():
    cal = weekdays("America/New_York", holidays=PublicHolidays("US"))
    wednesday_evening = utc(2026, 11, 25, 23, 0)  # 18:00 EST, Thanksgiving next
    assert next_open(cal, wednesday_evening) == utc(2026, 11, 27, 13, 0)  # Friday 08:00 EST


def test_next_open_when_open_is_now():
    at = utc(2026, 3, 9, 15, 0)
    assert next_open(weekdays("America/New_York"), at) == at


def test_next_open_with_custom_holidays_and_horizon():
    closed = frozenset(date(2026, 3, 9) + timedelta(days=i) for i in range(40))
    cal = weekdays("America/New_York", holidays=FixedHolidays(closed))
    assert next_open(cal, utc(2026, 3, 7, 12, 0)) is None  # nothing within 30 days
    assert next_open(cal, utc(2026, 3, 7, 12, 0), within=timedelta(days=60)) == utc(
        2026, 4, 20, 12, 0
    )


def test_never_open_calendar():
    assert next_open(Calendar("UTC"), utc(2026, 3, 9, 12, 0)) is None
