"""The safety net: an emergency or urgent symptom said at any prompt of a call is
heard and acted on by the engine itself, whatever the prompt asked, in either
language, in and after hours (issue 8, "triage wherever a patient's words enter")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flow_docs import Call, FakeClassifier, heard, logs, make_ctx, make_flow, text

from careline.flows import actions as act
from careline.flows import events as ev
from careline.flows.engine import CallerFacts
from careline.flows.model import LISTEN_SECONDS, SafetyNet, safety_net, validate_flow
from careline.flows.service import example_document
from careline.triage.service import classify_words, spoken_language

CHICAGO = ZoneInfo("America/Chicago")
TUESDAY_MORNING = datetime(2026, 3, 3, 10, 0, tzinfo=CHICAGO)
TUESDAY_NIGHT = datetime(2026, 3, 3, 21, 30, tzinfo=CHICAGO)
EMERGENCY_EN = "my chest hurts and I can't breathe"
EMERGENCY_ES = "me duele el pecho y no puedo respirar"
WEEKNIGHT_ONCALL = "+13125550161"


def real_ctx(*, now: datetime = TUESDAY_MORNING, open_: bool = True, **extra):
    """The shipped triage (rules and, when installed, the model) as the classifier."""
    return make_ctx(
        now=now,
        open_=open_,
        classify=classify_words,
        spoken_language=spoken_language,
        timezone="America/Chicago",
        **extra,
    )


def gathers(actions) -> list[act.Gather]:
    return [a for a in actions if isinstance(a, act.Gather)]


def escalated_right_away(actions, language: str) -> None:
    """Guidance is the first thing the caller hears after the words, in their language."""
    said = [a for a in actions if isinstance(a, act.Say | act.Gather)]
    first = said[0]
    assert isinstance(first, act.Say), said
    assert "9 1 1" in first.text and first.language == language
    assert logs(actions, "triage.result")[0].data["escalated"] is True


# ---------------------------------------------------------------- the shipped main line


def test_the_welcome_is_heard_an_emergency_said_over_it_reaches_guidance_and_a_nurse():
    call = Call(example_document(), real_ctx())
    first = call.start()
    (gather,) = gathers(first)
    assert "speech" in gather.input  # the welcome plays inside the listening prompt
    assert any("Thank you for calling" in p.text for p in gather.prompts if isinstance(p, act.Say))
    assert call.state.node == "choose_language"
    actions = call.send(ev.Speech(EMERGENCY_EN, 0.8))
    escalated_right_away(actions, "en")
    assert act.Enqueue("nurse_triage", "emergency", "en", "loc-1") in actions
    assert call.state.priority == "emergency" and call.state.urgency == "emergency"


def test_spanish_words_at_the_language_prompt_are_heard_in_spanish():
    call = Call(example_document(), real_ctx())
    call.start()
    actions = call.send(ev.Speech(EMERGENCY_ES, 0.8))
    assert call.state.language == "es"
    escalated_right_away(actions, "es")
    assert act.Enqueue("nurse_triage", "emergency", "es", "loc-1") in actions


@pytest.mark.parametrize("language, words", [("en", EMERGENCY_EN), ("es", EMERGENCY_ES)])
def test_at_the_main_menu_an_emergency_bypasses_the_options(language, words):
    known = CallerFacts(known=True, preferred_language=language)
    call = Call(example_document(), real_ctx(caller=known))
    call.start()
    assert call.state.node == "main_menu"
    actions = call.send(ev.Speech(words, 0.8))
    escalated_right_away(actions, language)
    assert act.Enqueue("nurse_triage", "emergency", language, "loc-1") in actions
    assert not logs(actions, "menu.choice")


@pytest.mark.parametrize("language, words", [("en", EMERGENCY_EN), ("es", EMERGENCY_ES)])
def test_after_hours_an_emergency_reaches_the_on_call_clinician_not_voicemail(language, words):
    known = CallerFacts(known=True, preferred_language=language)
    call = Call(example_document(), real_ctx(now=TUESDAY_NIGHT, open_=False, caller=known))
    call.start()
    assert call.state.node == "after_hours"
    actions = call.send(ev.Speech(words, 0.8))
    escalated_right_away(actions, language)
    assert act.Dial(WEEKNIGHT_ONCALL, "warm", 30) in actions
    assert not any(isinstance(a, act.Record) for a in actions)


def test_after_hours_an_unknown_caller_at_the_language_prompt_reaches_the_on_call():
    call = Call(example_document(), real_ctx(now=TUESDAY_NIGHT, open_=False))
    call.start()
    actions = call.send(ev.Speech(EMERGENCY_EN, 0.8))
    escalated_right_away(actions, "en")
    assert act.Dial(WEEKNIGHT_ONCALL, "warm", 30) in actions


def test_an_urgent_symptom_at_a_menu_goes_to_the_nurse_line_as_urgent():
    known = CallerFacts(known=True, preferred_language="en")
    call = Call(example_document(), real_ctx(caller=known))
    call.start()
    actions = call.send(ev.Speech("I need billing, I have had a bad cough for a week", 0.8))
    assert act.Enqueue("nurse_triage", "urgent", "en", "loc-1") in actions
    assert not logs(actions, "menu.choice")
    assert call.state.priority == "urgent"


def test_self_harm_words_at_a_menu_get_988_guidance():
    known = CallerFacts(known=True, preferred_language="en")
    call = Call(example_document(), real_ctx(caller=known))
    call.start()
    actions = call.send(ev.Speech("I want to kill myself", 0.8))
    assert "9 8 8" in " ".join(heard(actions))
    assert logs(actions, "triage.result")[0].data["intent"] == "crisis"
    assert act.Enqueue("nurse_triage", "emergency", "en", "loc-1") in actions


@pytest.mark.parametrize(
    "words, department",
    [
        ("billing", "billing"),
        ("I have a question about my bill", "billing"),
        ("appointments", "scheduling"),
        ("refills", "refills"),
        ("front desk", "general"),
    ],
)
def test_administrative_words_still_pick_the_menu_option(words, department):
    known = CallerFacts(known=True, preferred_language="en")
    call = Call(example_document(), real_ctx(caller=known))
    call.start()
    actions = call.send(ev.Speech(words, 0.8))
    assert not logs(actions, "triage.result")
    assert [a.department for a in actions if isinstance(a, act.Enqueue)] == [department]
    assert call.state.priority == "routine"


@pytest.mark.parametrize("words", ["español", "spanish", "dos"])
def test_a_language_choice_by_voice_is_not_mistaken_for_an_emergency(words):
    call = Call(example_document(), real_ctx())
    call.start()
    actions = call.send(ev.Speech(words, 0.8))
    assert not logs(actions, "triage.result")
    if words != "dos":  # not a phrase of the language menu: it asks again
        assert call.state.language == "es"


def test_saying_nurse_at_the_menu_reaches_triage_and_it_decides():
    known = CallerFacts(known=True, preferred_language="en")
    call = Call(example_document(), real_ctx(caller=known))
    call.start()
    call.send(ev.Speech("the nurse", 0.8))
    assert call.state.node == "triage"
    actions = call.send(ev.Speech("I think I need a refill of my inhaler", 0.8))
    assert logs(actions, "triage.result")[0].data.get("escalated") is None


def test_an_emergency_said_when_offered_a_call_back_is_heard():
    known = CallerFacts(known=True, preferred_language="en")
    call = Call(example_document(), real_ctx(caller=known))
    call.start()
    call.send(ev.Digits("4"))  # billing
    call.send(ev.QueueResult(ev.QueueOutcome.overflow))
    assert call.state.node == "offer_callback"
    actions = call.send(ev.Speech("wait my husband just collapsed and is not breathing", 0.8))
    escalated_right_away(actions, "en")
    assert act.Enqueue("nurse_triage", "emergency", "en", "loc-1") in actions


def test_the_shipped_flow_sets_its_safety_net_and_it_reaches_a_clinician():
    doc = example_document()
    assert safety_net(doc) == SafetyNet(emergency="emergency_guidance", urgent="clinician_now")
    assert validate_flow(doc) == []


# ---------------------------------------------------------------- the engine's rules


def closed_line(**extra):
    """Hours, a closed message (a `say`) and voicemail: no menu after the message."""
    return make_flow(
        {
            "start": {"kind": "hours", "open": "triage", "closed": "closed"},
            "closed": {"kind": "say", "prompt": text("We are closed."), "next": "vm", **extra},
            "triage": {
                "kind": "triage",
                "prompt": text("What is going on?"),
                "emergency": "emerg",
                "urgent": "q_nurse",
                "routine": "q_front",
            },
            "emerg": {"kind": "emergency", "guidance": text("Dial 9 1 1."), "next": "oncall"},
            "q_nurse": {"kind": "queue", "department": "nurse_triage", "overflow": "vm"},
            "q_front": {"kind": "queue", "department": "general", "overflow": "vm"},
            "oncall": {
                "kind": "oncall",
                "rota": [{"starts": "00:00", "ends": "00:00", "target": "+13125550160"}],
                "no_answer": "vm",
            },
            "vm": {"kind": "voicemail", "prompt": text("Leave a message.")},
        }
    )


def test_a_closed_message_before_voicemail_listens_for_a_moment():
    call = Call(closed_line(), make_ctx(open_=False))
    actions = call.start()
    (gather,) = gathers(actions)
    assert gather.input == ("speech",) and gather.timeout_seconds == LISTEN_SECONDS
    assert heard(actions) == ["We are closed."]
    assert call.state.listening and call.state.node == "vm"
    assert not any(isinstance(a, act.Record) for a in actions)
    actions = call.send(ev.NoInput())
    assert heard(actions) == ["Leave a message."] and isinstance(actions[-1], act.Record)
    assert not call.state.listening and call.state.waiting_for == "record"


def test_an_emergency_over_the_closed_message_reaches_the_on_call():
    call = Call(closed_line(), make_ctx(open_=False))
    call.start()
    actions = call.send(ev.Speech("chest pain", 0.5))
    assert heard(actions)[0] == "Dial 9 1 1."
    assert act.Dial("+13125550160", "cold", 25) in actions
    assert call.state.priority == "emergency"


def test_other_words_over_the_closed_message_go_on_to_voicemail():
    call = Call(closed_line(), make_ctx(open_=False))
    call.start()
    actions = call.send(ev.Speech("I just want to leave a message", 0.9))
    assert isinstance(actions[-1], act.Record)
    assert not logs(actions, "triage.result")


def test_a_prompt_that_does_not_listen_is_refused_by_lint_and_plays_plainly():
    doc = closed_line(listen=False)
    assert [(p.node_id, p.code) for p in validate_flow(doc)] == [("closed", "prompt-not-listening")]
    assert validate_flow(doc, speech=False) == []  # for a keypad-only carrier
    actions = Call(doc, make_ctx(open_=False)).start()
    assert not gathers(actions) and isinstance(actions[-1], act.Record)


def test_the_net_defaults_to_the_first_triage_nodes_branches():
    assert safety_net(closed_line()) == SafetyNet(emergency="emerg", urgent="q_nurse")


def test_digits_only_menus_hear_speech_too_when_the_flow_has_a_net():
    doc = make_flow(
        {
            "menu": {
                "kind": "menu",
                "prompt": text("Press 1."),
                "options": [{"digit": "1", "next": "triage"}],
                "no_input": "q_front",
            },
            **closed_line().model_dump(mode="json")["nodes"],
        },
        entry="menu",
    )
    call = Call(doc, make_ctx())
    (gather,) = gathers(call.start())
    assert gather.input == ("dtmf", "speech")
    actions = call.send(ev.Speech("I have a fever", 0.9))
    assert act.Enqueue("nurse_triage", "urgent", "en", "loc-1") in actions


def test_a_flow_without_a_net_is_not_escalated_and_is_refused_by_lint():
    doc = make_flow(
        {
            "start": {
                "kind": "menu",
                "prompt": text("Press 1."),
                "options": [{"digit": "1", "next": "q"}],
                "no_input": "q",
            },
            "q": {"kind": "queue", "department": "nurse_triage"},
        }
    )
    assert "missing-safety-net" in [p.code for p in validate_flow(doc)]
    call = Call(doc, make_ctx())
    (gather,) = gathers(call.start())
    assert gather.input == ("dtmf",)


def test_an_explicit_crisis_target_takes_self_harm_words():
    data = closed_line().model_dump(mode="json")
    data["nodes"]["q_bh"] = {"kind": "queue", "department": "behavioral_health"}
    data["safety"] = {"emergency": "emerg", "urgent": "q_nurse", "crisis": "q_bh"}
    doc = make_flow(data["nodes"], entry="start", safety=data["safety"])
    crisis = FakeClassifier({"kill myself": ("emergency", "crisis")})
    call = Call(doc, make_ctx(open_=False, classify=crisis))
    call.start()
    actions = call.send(ev.Speech("I want to kill myself", 0.9))
    assert act.Enqueue("behavioral_health", "emergency", "en", "loc-1") in actions


def test_a_failing_classifier_leaves_the_menu_working_and_is_logged():
    def broken(words: str, language: str) -> tuple[str, str | None]:
        raise RuntimeError("model gone")

    known = CallerFacts(known=True, preferred_language="en")
    call = Call(example_document(), make_ctx(classify=broken, caller=known))
    call.start()
    actions = call.send(ev.Speech("billing", 0.9))
    assert logs(actions, "triage.error")
    assert [a.department for a in actions if isinstance(a, act.Enqueue)] == ["billing"]


def test_words_not_understood_are_not_escalated_at_a_menu():
    """'Urgent, unknown' is triage's answer to words it does not understand; at a menu
    they are matched against the options instead (the caller chose nothing clinical)."""
    unsure = FakeClassifier({"": ("urgent", "unknown")})
    known = CallerFacts(known=True, preferred_language="en")
    call = Call(example_document(), make_ctx(classify=unsure, caller=known))
    call.start()
    actions = call.send(ev.Speech("payment", 0.9))
    assert [a.department for a in actions if isinstance(a, act.Enqueue)] == ["billing"]


def test_net_targets_must_exist_and_reach_a_clinician():
    data = closed_line().model_dump(mode="json")
    bad = make_flow(data["nodes"], safety={"emergency": "gone", "urgent": "q_front"})
    codes = [(p.node_id, p.code) for p in validate_flow(bad)]
    assert (None, "unknown-target") in codes
    assert (None, "missing-safety-net") in codes  # q_front is not clinical


def test_words_not_understood_that_pick_no_option_go_to_a_nurse_not_the_front_desk():
    unsure = FakeClassifier({"": ("urgent", "unknown")})
    known = CallerFacts(known=True, preferred_language="en")
    call = Call(example_document(), make_ctx(classify=unsure, caller=known))
    call.start()
    actions = call.send(ev.Speech("it's my grandmother, she is not herself today", 0.9))
    assert act.Enqueue("nurse_triage", "urgent", "en", "loc-1") in actions
    assert logs(actions, "triage.result")[0].data["matched"] is False
    assert call.state.priority == "urgent"


def test_keys_that_pick_no_option_still_retry_the_menu():
    known = CallerFacts(known=True, preferred_language="en")
    call = Call(example_document(), make_ctx(caller=known))
    call.start()
    actions = call.send(ev.Digits("9"))
    assert logs(actions, "menu.retry") and call.state.node == "main_menu"
