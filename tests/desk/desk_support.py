"""Constants and helpers the desk tests import (a uniquely named module: test files
importing `conftest` would get whichever conftest was imported last)."""

from __future__ import annotations

from datetime import UTC, datetime

from careline.telephony.twiml import Enqueue, parse
from clinics import chicago_clinic

MAIN = "+13125550199"
BASE = "http://testserver/telephony/voice"
TUESDAY_10AM_CHICAGO = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


def make_clinic(rt, code: str, name: str) -> str:
    return chicago_clinic(rt, code=code, name=name)


def queue_of(twiml: str) -> str:
    [enqueue] = [v for v in parse(twiml.encode()).verbs if isinstance(v, Enqueue)]
    return enqueue.queue
