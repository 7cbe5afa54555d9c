"""Constants and helpers the reminder tests import (a uniquely named module: test
files importing `conftest` would get whichever conftest was imported last)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TZ = "America/Chicago"
INBOUND_URL = "http://testserver/telephony/sms/inbound"
#: Thursday 2026-10-29, 12:00 in Chicago (CDT); clocks go back on Sunday 2026-11-01.
WEEK_START = datetime(2026, 10, 29, 17, 0, tzinfo=UTC)


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(TZ))
