"""Webhooks never stall the server and never take unbounded text (issue 11, item 12).

Before: handlers did their database and triage work on the event loop, so one slow
step froze `/healthz` and every other request; a 1 MB speech result froze the
server for minutes. Now the work runs in the thread pool, bodies are limited
(tests/api/test_body_limits.py) and every provider field is cut to a documented
length after the signature check.
"""

from __future__ import annotations

import threading

import httpx
from twilio.request_validator import RequestValidator

from careline.api.app import create_app
from careline.core.settings import DEMO_AUTH_TOKEN
from careline.telephony import signature, voice
from careline.telephony.signature import DEFAULT_FIELD_LIMIT, FIELD_LIMITS, capped
from clinics import clinic_with_caller
from live import live_server

MAIN = "+13125550199"
CALLER = "+13125550143"


def _signed(base: str, path: str, params: dict[str, str]) -> dict[str, str]:
    sig = RequestValidator(DEMO_AUTH_TOKEN).compute_signature(f"{base}{path}", params)
    return {"X-Twilio-Signature": sig}


def test_every_provider_field_is_cut_to_its_documented_length():
    params = {"Body": "b" * 5000, "SpeechResult": "s" * 5000, "From": "f" * 5000, "To": "+1"}
    cut = capped(params)
    assert len(cut["Body"]) == FIELD_LIMITS["Body"] == 1600
    assert len(cut["SpeechResult"]) == 2000
    assert len(cut["From"]) == DEFAULT_FIELD_LIMIT and cut["To"] == "+1"


def test_a_webhook_that_is_still_working_does_not_stall_health_checks(rt, monkeypatch):
    """A step that blocks (a slow database, a long triage) holds one worker thread,
    not the event loop: /healthz answers while the call step is still running."""
    clinic_with_caller(rt, number=MAIN, caller=CALLER)
    entered, release = threading.Event(), threading.Event()
    real = voice.incoming_call

    def slow_incoming(rt_, hook):
        entered.set()
        assert release.wait(30), "the test never released the step"
        return real(rt_, hook)

    monkeypatch.setattr(voice, "incoming_call", slow_incoming)
    with live_server(create_app(rt)) as base:
        params = {"CallSid": "CA1", "From": CALLER, "To": MAIN, "AccountSid": "AC" + "1" * 32}
        answers: list[httpx.Response] = []

        def call() -> None:
            with httpx.Client(timeout=60) as http:
                path = "/telephony/voice/incoming"
                answers.append(
                    http.post(f"{base}{path}", data=params, headers=_signed(base, path, params))
                )

        caller = threading.Thread(target=call)
        caller.start()
        assert entered.wait(20)
        try:
            # With the step on the loop this request could not be served until release.
            health = httpx.get(f"{base}/healthz", timeout=10)
            assert health.status_code == 200
        finally:
            release.set()
            caller.join(30)
        assert answers and answers[0].status_code == 200 and "<Response>" in answers[0].text


def test_a_signed_speech_result_of_any_length_reaches_the_flow_cut(rt, monkeypatch):
    clinic_with_caller(rt, number=MAIN, caller=CALLER)
    heard: list[int] = []
    real = signature.capped

    def spy(params: dict[str, str]) -> dict[str, str]:
        out = real(params)
        if "SpeechResult" in out:
            heard.append(len(out["SpeechResult"]))
        return out

    monkeypatch.setattr(signature, "capped", spy)
    with live_server(create_app(rt)) as base, httpx.Client(base_url=base, timeout=60) as http:
        start = {"CallSid": "CA2", "From": CALLER, "To": MAIN, "AccountSid": "AC" + "1" * 32}
        path = "/telephony/voice/incoming"
        assert http.post(path, data=start, headers=_signed(base, path, start)).status_code == 200
        words = {**start, "SpeechResult": "my chest hurts and I cannot breathe " * 1500}
        path = "/telephony/voice/gather"
        r = http.post(path, data=words, headers=_signed(base, path, words))
        assert r.status_code == 200
        assert heard == [2000]  # 52,500 characters signed, 2,000 taken
        assert "medical emergency" in r.text  # the emergency in the first words is heard
