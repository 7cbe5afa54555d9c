"""Every prompt hears an emergency, at the TwiML edge and through the virtual
carrier: signed provider requests into the real webhooks, the shipped main-line
flow, the shipped triage (issue 8)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from careline.api.app import create_app
from careline.core.settings import DEMO_AUTH_TOKEN
from careline.security.model import SYSTEM
from careline.telephony.render import parse_queue_name
from careline.telephony.virtual_carrier import (
    SPOKEN_CHARS_PER_SECOND,
    CallerInput,
    NumberConfig,
    ScriptedAgents,
    ScriptedCaller,
    VirtualCarrier,
)
from careline.timeline import service as timeline
from clinics import clinic_with_caller

MAIN = "+13125550199"
CALLER = "+13125550143"
UNKNOWN = "+17735550111"
BASE = "http://testserver/telephony/voice"
TUESDAY_10AM_CHICAGO = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
TUESDAY_930PM_CHICAGO = datetime(2026, 3, 4, 3, 30, tzinfo=UTC)
WEEKNIGHT_ONCALL = "+13125550161"
EMERGENCY = {
    "en": "my chest hurts and I can't breathe",
    "es": "me duele el pecho y no puedo respirar",
}
GUIDANCE = {"en": "hang up and dial 9 1 1 now", "es": "cuelgue y marque el 9 1 1 ahora"}
NUMBER = NumberConfig(
    voice_url=f"{BASE}/incoming", fallback_url=f"{BASE}/fallback", status_callback=f"{BASE}/status"
)


@pytest.fixture
def clinic(rt, clock):
    clock.set(TUESDAY_10AM_CHICAGO)
    return clinic_with_caller(rt, number=MAIN, caller=CALLER)


class Edge:
    """Signed provider requests for one call, as Twilio would send them."""

    def __init__(self, rt, sid: str, from_: str) -> None:
        self.client = TestClient(create_app(rt))
        self.validator = RequestValidator(DEMO_AUTH_TOKEN)
        self.sid, self.from_ = sid, from_

    def post(self, path: str, **extra: str) -> str:
        params = {"CallSid": self.sid, "From": self.from_, "To": MAIN, **extra}
        signature = self.validator.compute_signature(f"{BASE}/{path}", params)
        r = self.client.post(
            f"{BASE}/{path}", data=params, headers={"X-Twilio-Signature": signature}
        )
        assert r.status_code == 200, r.text
        return r.text


def _gathers_speech(twiml: str) -> bool:
    return bool(re.search(r'<Gather[^>]*input="dtmf speech"', twiml))


@pytest.mark.parametrize("language", ["en", "es"])
def test_twiml_the_welcome_listens_and_an_emergency_is_answered_at_once(rt, clinic, language):
    edge = Edge(rt, f"CA-welcome-{language}", UNKNOWN)
    first = edge.post("incoming", CallStatus="ringing")
    assert _gathers_speech(first)
    gather = first[first.index("<Gather") : first.index("</Gather>")]
    assert "Thank you for calling" in gather  # the welcome plays inside the listening prompt
    answer = edge.post("gather", SpeechResult=EMERGENCY[language], Confidence="0.71")
    assert answer.index(GUIDANCE[language]) < answer.index("<Enqueue")
    queue = re.search(r"<Enqueue[^>]*>([^<]+)</Enqueue>", answer)
    assert queue is not None
    assert parse_queue_name(queue.group(1))[:3] == ("nurse_triage", "emergency", language)
    if language == "es":
        assert 'language="es-US"' in answer


def test_twiml_at_the_main_menu_speech_is_triaged_before_the_options(rt, clinic):
    edge = Edge(rt, "CA-menu", CALLER)  # known: skips the language choice
    assert _gathers_speech(edge.post("incoming", CallStatus="ringing"))
    answer = edge.post("gather", SpeechResult="billing, and also my face is drooping")
    assert GUIDANCE["en"] in answer and "nurse_triage.emergency.en" in answer


def test_twiml_after_hours_an_emergency_dials_the_on_call_not_voicemail(rt, clinic, clock):
    clock.set(TUESDAY_930PM_CHICAGO)
    edge = Edge(rt, "CA-night", CALLER)
    first = edge.post("incoming", CallStatus="ringing")
    assert "offices are closed" in first and _gathers_speech(first)
    answer = edge.post("gather", SpeechResult=EMERGENCY["en"], Confidence="0.6")
    assert GUIDANCE["en"] in answer
    assert "<Number" in answer and WEEKNIGHT_ONCALL in answer
    assert "<Record" not in answer


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("when", [TUESDAY_10AM_CHICAGO, TUESDAY_930PM_CHICAGO])
def test_virtual_carrier_guidance_follows_the_words_within_10_seconds(
    rt, clinic, clock, language, when
):
    clock.set(when)
    carrier = VirtualCarrier(TestClient(create_app(rt)), auth_token=DEMO_AUTH_TOKEN)
    record = carrier.call(
        number=NUMBER,
        from_=UNKNOWN,  # not known: the very first prompt (welcome + language) hears it
        to=MAIN,
        caller=ScriptedCaller([CallerInput(speech=EMERGENCY[language])]),
        agents=ScriptedAgents(queue_wait_seconds=5),
    )
    [spoke] = [e for e in record.of_kind("input") if e.detail.get("input") == "speech"]
    guidance = next(
        e for e in record.of_kind("heard") if GUIDANCE[language] in str(e.detail["text"])
    )
    # A 'heard' event is logged when the words end: the guidance starts this long before.
    starts = guidance.at - max(1.0, len(str(guidance.detail["text"])) / SPOKEN_CHARS_PER_SECOND)
    assert 0 <= starts - spoke.at <= 10
    if when == TUESDAY_10AM_CHICAGO:
        [queued] = record.of_kind("queue")
        assert parse_queue_name(str(queued.detail["queue"]))[:3] == (
            "nurse_triage",
            "emergency",
            language,
        )
    else:
        assert [d.detail["target"] for d in record.of_kind("dial")][:1] == [WEEKNIGHT_ONCALL]
        assert not record.of_kind("record")


def test_an_escalation_is_on_the_callers_timeline(rt, clinic):
    _, patient_id = clinic
    carrier = VirtualCarrier(TestClient(create_app(rt)), auth_token=DEMO_AUTH_TOKEN)
    carrier.call(
        number=NUMBER,
        from_=CALLER,
        to=MAIN,
        caller=ScriptedCaller([CallerInput(speech="my baby is not breathing right")]),
        agents=ScriptedAgents(queue_wait_seconds=5),
    )
    items, _ = timeline.list_timeline(rt, actor=SYSTEM, patient_id=patient_id, limit=5, offset=0)
    [call] = [i for i in items if i.channel == "voice"]
    events = {e.kind: e for e in call.events}
    assert events["triage.result"].data["escalated"] is True
    assert events["triage.result"].data["node"] == "main_menu"
    assert events["safety.escalated"].data["urgency"] == "emergency"


def _careline_call(settings, monkeypatch, *args: str) -> str:
    from typer.testing import CliRunner

    from careline.cli import app

    monkeypatch.setenv("CARELINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(settings.keyring_file))
    result = CliRunner().invoke(app, ["call", "--to", MAIN, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _voice_interactions(rt) -> int:
    from sqlalchemy import func, select

    from careline.core.db import transaction
    from careline.timeline.tables import InteractionRow

    with transaction(rt.sessions) as s:
        return int(
            s.execute(
                select(func.count())
                .select_from(InteractionRow)
                .where(InteractionRow.channel == "voice")
            ).scalar_one()
        )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # --at copies a SQLite file
@pytest.mark.parametrize(
    "at, then",
    [
        ("2026-03-03T10:00:00-0600", "-> queue nurse_triage (emergency, en)"),
        ("2026-03-03T21:30:00-0600", f"-> dials {WEEKNIGHT_ONCALL}"),
    ],
)
def test_careline_call_script_shows_guidance_right_after_the_words(
    rt, clinic, settings, monkeypatch, at, then
):
    before = _voice_interactions(rt)
    out = _careline_call(
        settings, monkeypatch, "--from", UNKNOWN, "--script", EMERGENCY["en"], "--at", at
    )
    assert "throw-away copy" in out
    assert _voice_interactions(rt) == before  # the pretend call never touched the database
    lines = out.splitlines()
    said = next(i for i, line in enumerate(lines) if "caller> my chest hurts" in line)
    assert GUIDANCE["en"] in lines[said + 1]
    assert any(then in line for line in lines[said + 1 :])


def test_careline_call_refuses_a_missing_database_and_creates_nothing(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from careline.cli import app

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["call", *args])
        return result.exit_code, re.sub(r"[\s│╭╮╰╯─]+", " ", result.output)

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CARELINE_DATABASE_URL", raising=False)
    monkeypatch.delenv("CARELINE_KEYRING_FILE", raising=False)
    code, out = run("--script", "1")
    assert code == 2 and "No careline database" in out
    code, out = run("--db", str(tmp_path / "none.db"))
    assert code == 2 and "does not exist" in out
    assert list(tmp_path.iterdir()) == []  # no ./var, no database, no keyring
    (tmp_path / "there.db").write_bytes(b"")
    code, out = run("--db", str(tmp_path / "there.db"))
    assert code == 2 and "keyring" in out and "Traceback" not in out
