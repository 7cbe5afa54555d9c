"""The shipped main-line example, driven call by call, and the `careline flows` commands."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from flow_docs import Call, good_flow, heard, logs, make_ctx
from typer.testing import CliRunner

from careline.cli import app
from careline.flows import actions as act
from careline.flows import events as ev
from careline.flows.engine import CallerFacts
from careline.flows.service import example_document

CHICAGO = ZoneInfo("America/Chicago")


def test_a_spanish_caller_reaches_the_nurse_line_with_an_emergency():
    call = Call(example_document(), make_ctx(open_=True))
    call.start()
    call.send(ev.Digits("2"))  # español
    call.send(ev.Speech("enfermera", 0.9))
    actions = call.send(ev.Speech("me duele el pecho, chest pain", 0.9))
    assert call.state.language == "es"
    assert [a.data["urgency"] for a in logs(actions, "triage.result")] == ["emergency"]
    guidance = next(a for a in actions if isinstance(a, act.Say))
    assert "9 1 1" in guidance.text and guidance.language == "es"
    assert act.Enqueue("nurse_triage", "emergency", "es", "loc-1") in actions


def test_after_hours_a_known_caller_skips_the_language_menu_and_reaches_the_on_call():
    saturday_night = datetime(2026, 3, 7, 22, 0, tzinfo=CHICAGO)
    ctx = make_ctx(
        now=saturday_night,
        open_=False,
        caller=CallerFacts(known=True, preferred_language="en"),
        timezone="America/Chicago",
    )
    call = Call(example_document(), ctx)
    call.start()
    assert call.state.node == "after_hours"
    actions = call.send(ev.Digits("1"))
    assert act.Dial("+13125550162", "warm", 30) in actions  # weekend on-call
    actions = call.send(ev.DialResult(ev.DialOutcome.no_answer))
    assert act.Dial("+13125550170", "cold", 30) in actions  # answering service
    actions = call.send(ev.DialResult(ev.DialOutcome.busy))
    assert isinstance(actions[-1], act.Record)
    actions = call.send(ev.RecordingDone("https://rec/9", 30, "please call me"))
    assert logs(actions, "voicemail.recorded")[0].data["department"] == "general"
    assert call.state.status == "ended"


def test_on_a_holiday_the_caller_hears_why_before_the_after_hours_menu():
    call = Call(
        example_document(), make_ctx(holiday=True, caller=CallerFacts(preferred_language="en"))
    )
    actions = call.start()
    said = heard(actions)
    assert any("holiday" in t for t in said[:-1])  # before the after-hours menu's question
    assert call.state.node == "after_hours"


def test_a_silent_caller_in_the_main_menu_reaches_the_front_desk():
    call = Call(example_document(), make_ctx(caller=CallerFacts(preferred_language="en")))
    call.start()
    for _ in range(2):
        assert isinstance(call.send(ev.NoInput())[-1], act.Gather)
    actions = call.send(ev.NoInput())
    assert act.Enqueue("general", "routine", "en", "loc-1") in actions
    actions = call.send(ev.QueueResult(ev.QueueOutcome.overflow))
    actions = call.send(ev.Digits("1"))
    assert act.ScheduleCallback("general", "routine", "en", "loc-1") in actions


# ---------------------------------------------------------------- CLI


def test_cli_lint_passes_the_example_and_fails_a_broken_flow(tmp_path):
    runner = CliRunner()
    example = tmp_path / "main.json"
    example.write_text(example_document().model_dump_json(), encoding="utf-8")
    r = runner.invoke(app, ["flows", "lint", str(example)])
    assert r.exit_code == 0, r.output
    assert "no problems" in r.output

    broken = good_flow()
    broken["nodes"]["menu"]["no_input"] = None
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    r = runner.invoke(app, ["flows", "lint", str(path)])
    assert r.exit_code == 1
    assert "menu: menu-without-no-input:" in r.output

    path.write_text("{not json", encoding="utf-8")
    assert runner.invoke(app, ["flows", "lint", str(path)]).exit_code == 2
    path.write_text(json.dumps({"name": "x"}), encoding="utf-8")
    r = runner.invoke(app, ["flows", "lint", str(path)])
    assert r.exit_code == 2
    assert "document.entry" in r.output


def test_cli_lint_refuses_a_deaf_prompt_unless_the_number_has_no_speech(tmp_path):
    data = good_flow()
    data["nodes"]["closed"] = {
        "kind": "say",
        "prompt": {"text": {"en": "We are closed."}},
        "listen": False,
        "next": "oncall",
    }
    data["nodes"]["hours"]["closed"] = "closed"
    path = tmp_path / "deaf.json"
    path.write_text(json.dumps(data))
    runner = CliRunner()
    r = runner.invoke(app, ["flows", "lint", str(path)])
    assert r.exit_code == 1 and "closed: prompt-not-listening" in r.output
    r = runner.invoke(app, ["flows", "lint", "--no-speech", str(path)])
    assert r.exit_code == 0, r.output


def test_a_calls_flow_version_is_parsed_once_per_process_and_versions_stay_apart(rt, monkeypatch):
    """Issue 14: the engine's document was re-read and re-validated on every call step."""
    from careline.flows import service as flows_service
    from careline.flows.model import FlowDocument
    from careline.security.model import SYSTEM

    flow = flows_service.install_example(rt, actor=SYSTEM, number="+13125550177")
    first = flows_service.version_document(rt, flow_id=flow.flow_id, number=flow.version)
    parses = []
    real = FlowDocument.model_validate

    def counting(obj, *args, **kwargs):
        parses.append(1)
        return real(obj, *args, **kwargs)

    monkeypatch.setattr(FlowDocument, "model_validate", counting)
    for _ in range(5):
        assert flows_service.version_document(rt, flow_id=flow.flow_id, number=1) is first
    assert parses == []  # served from the cache
    changed = first.model_copy(update={"name": "Main line, winter hours"}, deep=True)
    flows_service.save_draft(rt, actor=SYSTEM, flow_id=flow.flow_id, document=changed)
    flows_service.publish_flow(rt, actor=SYSTEM, flow_id=flow.flow_id, reason="winter hours")
    second = flows_service.version_document(rt, flow_id=flow.flow_id, number=2)
    assert second.name == "Main line, winter hours" and first.name != second.name
    assert flows_service.version_document(rt, flow_id=flow.flow_id, number=1) is first
