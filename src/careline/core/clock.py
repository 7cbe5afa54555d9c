"""Time is an input: the core never reads the system clock itself.

Services receive a `Clock`; tests and the simulator pass a `ManualClock` and
run a whole clinic day in seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current instant (always timezone-aware, UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, for production edges."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to: for tests and simulations."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("ManualClock needs timezone-aware instants")
        self._now = at.astimezone(UTC)


def as_utc(value: datetime) -> datetime:
    """Normalise a datetime read back from a database that drops tz info (SQLite)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
