"""Replayed and late caller-input webhooks never step a call (issue 11, item 8).

The provider signs the whole URL, and careline's input URLs carry `?v=`, a
fingerprint of the call state their prompt was rendered for. A captured, validly
signed answer sent again after the call moved on names an earlier state: it is
answered with what the call is doing now, and nothing runs. Input on a call that
has ended (a replay by definition) is answered with a hang-up: it used to dial.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from careline.api.app import create_app
from careline.core.db import transaction
from careline.core.settings import DEMO_AUTH_TOKEN
from careline.telephony.tables import VoiceCallRow
from clinics import clinic_with_caller

MAIN = "+13125550199"
CALLER = "+13125550143"
BASE = "http://testserver"
TUESDAY_10AM_CHICAGO = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


class Line:
    def __init__(self, rt, sid: str) -> None:
        self.client = TestClient(create_app(rt))
        self.sid = sid
        self.validator = RequestValidator(DEMO_AUTH_TOKEN)
        self.tokens = iter(range(10_000))

    def post(self, path: str, *, sign_path: str | None = None, **extra: str):
        params = {"CallSid": self.sid, "From": CALLER, "To": MAIN, **extra}
        signature = self.validator.compute_signature(f"{BASE}{sign_path or path}", params)
        return self.client.post(
            f"{BASE}{path}",
            data=params,
            headers={
                "X-Twilio-Signature": signature,
                "I-Twilio-Idempotency-Token": f"tok-{next(self.tokens)}",
            },
        )


def _gather_url(twiml: str) -> str:
    found = re.search(r'<Gather action="([^"]+)"', twiml)
    assert found, twiml
    return found.group(1).replace("&amp;", "&")


def _state(rt, sid: str) -> dict:
    with transaction(rt.sessions) as s:
        row = s.execute(select(VoiceCallRow).where(VoiceCallRow.call_sid == sid)).scalar_one()
        return dict(row.state)


def test_a_replayed_answer_to_an_earlier_prompt_does_not_step_the_call(rt, clock):
    clock.set(TUESDAY_10AM_CHICAGO)
    clinic_with_caller(rt, number=MAIN, caller=CALLER)
    line = Line(rt, "CA-replay")
    welcome = line.post("/telephony/voice/incoming").text
    prompt = _gather_url(welcome)
    assert "?v=" in prompt
    queued = line.post(prompt, Digits="1").text  # appointments
    assert "<Enqueue" in queued
    before = _state(rt, "CA-replay")
    # The captured (validly signed) answer, sent again with a fresh retry token:
    # the call has moved on, so it hears what the call does now and nothing runs.
    for digits in ("1", "0"):
        replay = line.post(prompt, Digits=digits)
        assert replay.status_code == 200 and replay.text == queued
        assert _state(rt, "CA-replay") == before


def test_input_on_a_call_that_has_ended_hangs_up_and_dials_nobody(rt, clock):
    clock.set(TUESDAY_10AM_CHICAGO)
    clinic_with_caller(rt, number=MAIN, caller=CALLER)
    line = Line(rt, "CA-ended")
    prompt = _gather_url(line.post("/telephony/voice/incoming").text)
    assert line.post("/telephony/voice/status", CallStatus="completed").status_code == 204
    before = _state(rt, "CA-ended")
    late = line.post(prompt, Digits="0")  # "speak with the front desk": would dial
    assert late.status_code == 200
    assert "<Hangup" in late.text and "<Dial" not in late.text and "<Enqueue" not in late.text
    assert _state(rt, "CA-ended") == before


def test_the_state_binding_is_signed_with_the_url(rt, clock):
    clock.set(TUESDAY_10AM_CHICAGO)
    clinic_with_caller(rt, number=MAIN, caller=CALLER)
    line = Line(rt, "CA-tamper")
    prompt = _gather_url(line.post("/telephony/voice/incoming").text)
    forged = prompt.split("?v=")[0] + "?v=0000000000000000"
    # Signed for the real URL, sent to another `v`: the signature no longer matches.
    r = line.post(forged, sign_path=prompt, Digits="1")
    assert r.status_code == 403


def test_input_urls_without_a_binding_still_step(rt, clock):
    """Redirects careline wrote before this change (and agent legs' own redirects)
    carry no `v`: they are stepped as before."""
    clock.set(TUESDAY_10AM_CHICAGO)
    clinic_with_caller(rt, number=MAIN, caller=CALLER)
    line = Line(rt, "CA-plain")
    line.post("/telephony/voice/incoming")
    menu = line.post("/telephony/voice/gather", Digits="1")
    assert menu.status_code == 200 and "<Enqueue" in menu.text
