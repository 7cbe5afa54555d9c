"""The virtual carrier follows TwiML as a provider documents it, over real HTTP,
signing every request so `twilio`'s RequestValidator accepts it."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from careline.telephony import twiml
from careline.telephony.virtual_carrier import (
    CallerInput,
    NumberConfig,
    ScriptedAgents,
    ScriptedCaller,
    VirtualCarrier,
)
from live import live_server

TOKEN = "test-auth-token-0123456789abcdef"


def _app(seen: list[dict]) -> FastAPI:
    """A small TwiML application that checks every signature, like careline must."""
    app = FastAPI()
    validator = RequestValidator(TOKEN)
    failures = {"left": 0}

    async def record(request: Request) -> dict:
        form = dict(await request.form())
        ok = validator.validate(
            str(request.url), form, request.headers.get("X-Twilio-Signature", "")
        )
        seen.append(
            {
                "path": request.url.path,
                "form": form,
                "valid": ok,
                "token": request.headers.get("I-Twilio-Idempotency-Token"),
            }
        )
        return form

    def xml(vr: VoiceResponse) -> Response:
        return Response(str(vr), media_type="text/xml")

    @app.post("/voice")
    async def voice(request: Request) -> Response:
        await record(request)
        vr = VoiceResponse()
        g = Gather(action="/menu", input="dtmf speech", num_digits=1, timeout=4)
        g.say("For appointments press 1. For the nurse press 2.")
        vr.append(g)
        vr.say("We did not get that.")
        vr.redirect("/voice-again")
        return xml(vr)

    @app.post("/voice-again")
    async def voice_again(request: Request) -> Response:
        await record(request)
        vr = VoiceResponse()
        vr.say("Goodbye.")
        vr.hangup()
        return xml(vr)

    @app.post("/menu")
    async def menu(request: Request) -> Response:
        form = await record(request)
        vr = VoiceResponse()
        if form.get("Digits") == "1" or "appointment" in form.get("SpeechResult", ""):
            vr.say("Connecting you to scheduling.")
            vr.enqueue("scheduling", action="/queue-done", wait_url="/hold")
        elif form.get("Digits") == "2":
            d = Dial(action="/dial-done", timeout=10)
            d.number("+13125550177")
            vr.append(d)
        else:
            vr.say("Please leave a message after the beep.")
            vr.record(
                action="/recorded",
                max_length=60,
                transcribe=True,
                transcribe_callback="/transcribed",
            )
        return xml(vr)

    @app.post("/hold")
    async def hold(request: Request) -> Response:
        await record(request)
        vr = VoiceResponse()
        vr.say("All agents are busy.")
        return xml(vr)

    @app.post("/queue-done")
    async def queue_done(request: Request) -> Response:
        await record(request)
        return xml(VoiceResponse())

    @app.post("/dial-done")
    async def dial_done(request: Request) -> Response:
        form = await record(request)
        vr = VoiceResponse()
        vr.say(f"Dial ended: {form['DialCallStatus']}.")
        return xml(vr)

    @app.post("/recorded")
    async def recorded(request: Request) -> Response:
        await record(request)
        vr = VoiceResponse()
        vr.hangup()
        return xml(vr)

    @app.post("/transcribed")
    async def transcribed(request: Request) -> Response:
        await record(request)
        return Response(status_code=204)

    @app.post("/status")
    async def status(request: Request) -> Response:
        await record(request)
        return Response(status_code=204)

    @app.post("/flaky")
    async def flaky(request: Request) -> Response:
        await record(request)
        return Response("boom", status_code=500)

    @app.post("/fallback")
    async def fallback(request: Request) -> Response:
        await record(request)
        vr = VoiceResponse()
        vr.say("Our systems are having trouble. Leave a message.")
        vr.hangup()
        return xml(vr)

    app.state.failures = failures
    return app


@pytest.fixture
def server():
    seen: list[dict] = []
    with live_server(_app(seen)) as base:
        yield base, seen


def _carrier(base: str, token: str = TOKEN) -> VirtualCarrier:
    return VirtualCarrier(httpx.Client(base_url=base, timeout=10), auth_token=token)


def _number(base: str, **kw) -> NumberConfig:
    return NumberConfig(voice_url=f"{base}/voice", status_callback=f"{base}/status", **kw)


def test_keypad_menu_into_a_queue_with_signed_requests(server):
    base, seen = server
    rec = _carrier(base).call(
        number=_number(base),
        from_="+13125550143",
        to="+13125550100",
        caller=ScriptedCaller([CallerInput(digits="1")]),
        agents=ScriptedAgents(queue_wait_seconds=42, handle_seconds=120),
    )
    assert rec.status == "completed"
    paths = [s["path"] for s in seen]
    holds = [s for s in seen if s["path"] == "/hold"]
    # The wait URL is replayed while the caller waits, with the time in line growing.
    assert paths[:2] == ["/voice", "/menu"] and paths[-2:] == ["/queue-done", "/status"]
    assert set(paths[2:-2]) == {"/hold"} and len(holds) >= 2
    waited = [int(h["form"]["QueueTime"]) for h in holds]
    assert waited == sorted(waited) and waited[0] == 0 and waited[-1] < 42
    assert all(s["valid"] for s in seen)
    assert len({s["form"]["CallSid"] for s in seen}) == 1
    assert seen[0]["form"]["CallStatus"] == "ringing"
    assert seen[1]["form"]["Digits"] == "1"
    done = next(s for s in seen if s["path"] == "/queue-done")
    assert done["form"]["QueueResult"] == "bridged"
    assert done["form"]["QueueTime"] == "42"
    assert seen[-1]["form"]["CallStatus"] == "completed"
    assert int(seen[-1]["form"]["CallDuration"]) >= 42 + 120
    assert "All agents are busy." in rec.heard()


def test_speech_answer_is_sent_as_speech_result(server):
    base, seen = server
    _carrier(base).call(
        number=_number(base),
        from_="+13125550143",
        to="+13125550100",
        caller=ScriptedCaller([CallerInput(speech="I need an appointment", confidence=0.8)]),
    )
    menu = next(s for s in seen if s["path"] == "/menu")
    assert menu["form"]["SpeechResult"] == "I need an appointment"
    assert menu["form"]["Confidence"] == "0.80"
    assert "Digits" not in menu["form"]


def test_silence_falls_through_to_the_next_verbs(server):
    base, seen = server
    rec = _carrier(base).call(
        number=_number(base), from_="+13125550143", to="+13125550100", caller=ScriptedCaller()
    )
    assert [s["path"] for s in seen] == ["/voice", "/voice-again", "/status"]
    assert rec.heard()[-2:] == ["We did not get that.", "Goodbye."]


def test_dial_reports_no_answer_to_its_action(server):
    base, seen = server
    rec = _carrier(base).call(
        number=_number(base),
        from_="+13125550143",
        to="+13125550100",
        caller=ScriptedCaller([CallerInput(digits="2")]),
        agents=ScriptedAgents(unreachable={"+13125550177"}),
    )
    done = next(s for s in seen if s["path"] == "/dial-done")
    assert done["form"]["DialCallStatus"] == "no-answer"
    assert "Dial ended: no-answer." in rec.heard()


def test_impatient_caller_hangs_up_in_the_queue(server):
    base, seen = server
    rec = _carrier(base).call(
        number=_number(base),
        from_="+13125550143",
        to="+13125550100",
        caller=ScriptedCaller([CallerInput(digits="1")], patience_seconds=30),
        agents=ScriptedAgents(queue_wait_seconds=600),
    )
    done = next(s for s in seen if s["path"] == "/queue-done")
    assert done["form"]["QueueResult"] == "hangup"
    assert rec.of_kind("queue")[0].detail["result"] == "hangup"


def test_voicemail_is_recorded_and_transcribed(server):
    base, seen = server
    _carrier(base).call(
        number=_number(base),
        from_="+13125550143",
        to="+13125550100",
        caller=ScriptedCaller(
            [CallerInput(digits="9")], message="Please call me back about my refill."
        ),
    )
    transcribed = next(s for s in seen if s["path"] == "/transcribed")
    assert transcribed["form"]["TranscriptionText"] == "Please call me back about my refill."
    assert transcribed["valid"]
    recorded = next(s for s in seen if s["path"] == "/recorded")
    assert recorded["form"]["RecordingUrl"].startswith("https://")
    assert int(recorded["form"]["RecordingDuration"]) > 0


def test_failing_primary_is_retried_then_falls_back(server):
    base, seen = server
    number = NumberConfig(voice_url=f"{base}/flaky", fallback_url=f"{base}/fallback")
    rec = _carrier(base).call(
        number=number, from_="+13125550143", to="+13125550100", caller=ScriptedCaller()
    )
    flaky = [s for s in seen if s["path"] == "/flaky"]
    assert len(flaky) == 2 and flaky[0]["token"] == flaky[1]["token"]  # a retry, same token
    fallback = next(s for s in seen if s["path"] == "/fallback")
    assert fallback["form"]["ErrorCode"] == "11200"
    assert fallback["valid"]
    assert "Our systems are having trouble. Leave a message." in rec.heard()


def test_a_wrong_auth_token_produces_signatures_the_app_rejects(server):
    base, seen = server
    _carrier(base, token="not-the-token").call(
        number=_number(base), from_="+13125550143", to="+13125550100", caller=ScriptedCaller()
    )
    assert seen and not any(s["valid"] for s in seen)


@pytest.mark.parametrize(
    "doc, message",
    [
        ("<Response><Say>hi</Say>", "well-formed"),
        ("<Document><Say>hi</Say></Document>", "root element"),
        ("<Response><Dance/></Response>", "unsupported verb"),
        ("<Response><Gather input='smell'/></Response>", "input"),
        ("<Response><Gather timeout='soon'/></Response>", "integer"),
        ("<Response><Dial/></Response>", "nothing to dial"),
    ],
)
def test_bad_twiml_is_reported(doc, message):
    with pytest.raises(twiml.TwimlError, match=message):
        twiml.parse(doc)


def test_twiml_defaults_follow_the_documentation():
    doc = twiml.parse(
        "<Response><Gather><Say>x</Say></Gather><Record/><Dial>+13125550100</Dial></Response>"
    )
    gather, rec, dial = doc.verbs
    assert (
        gather.input == frozenset({"dtmf"}) and gather.timeout == 5 and gather.finish_on_key == "#"
    )
    assert rec.max_length == 3600 and rec.play_beep and not rec.transcribe
    assert dial.timeout == 30 and dial.targets[0].address == "+13125550100"
