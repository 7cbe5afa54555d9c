"""The pure step engine, node kind by node kind, branch by branch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flow_docs import (
    NOW,
    Call,
    FakeClassifier,
    kinds,
    logs,
    make_ctx,
    make_flow,
    text,
    without_logs,
)
from pydantic import ValidationError

from careline.directory.model import Calendar, PublicHolidays, WeeklyInterval
from careline.directory.model import is_open as calendar_is_open
from careline.flows import actions as act
from careline.flows import events as ev
from careline.flows.engine import CallerFacts, CallState, StepContext, match_phrase, step
from careline.flows.model import FlowDocument

BYE = {"kind": "hangup"}


def menu_flow(**menu: object) -> FlowDocument:
    node = {
        "kind": "menu",
        "prompt": text("Main menu", "Menú"),
        "retry_prompt": text("Sorry.", "Perdón."),
        "options": [
            {
                "digit": "1",
                "label": "appointments",
                "phrases": {"en": ["appointment"], "es": ["cita"]},
                "next": "q_sched",
            },
            {
                "digit": "4",
                "label": "billing",
                "phrases": {"en": ["billing", "pay my bill"], "es": ["facturación"]},
                "next": "q_bill",
            },
        ],
        "retries": 2,
        "no_input": "silent",
        "no_match": "confused",
        **menu,
    }
    return FlowDocument.model_validate(
        {
            "name": "Menu",
            "entry": "start",
            "languages": ["en", "es"],
            "nodes": {
                "start": node,
                "q_sched": {"kind": "queue", "department": "scheduling"},
                "q_bill": {"kind": "queue", "department": "billing", "priority": "urgent"},
                "silent": {"kind": "hangup", "prompt": text("Bye (silent)", "Adiós")},
                "confused": {"kind": "hangup", "prompt": text("Bye (confused)", "Adiós")},
            },
        }
    )


# ---------------------------------------------------------------- say, play, hangup


def test_say_then_hangup_and_the_state_records_the_path():
    doc = make_flow(
        {
            "start": {"kind": "say", "prompt": text("Hello"), "next": "bye"},
            "bye": {"kind": "hangup", "prompt": text("Goodbye")},
        }
    )
    call = Call(doc, make_ctx())
    actions = call.start()
    assert without_logs(actions) == [act.Say("Hello", "en"), act.Say("Goodbye", "en"), act.Hangup()]
    assert logs(actions, "call.started")[0].data["location_id"] == "loc-1"
    assert call.state.status == "ended"
    assert call.state.history == ["start", "bye"]


def test_recordings_win_over_text_and_missing_translations_fall_back_to_the_default():
    doc = FlowDocument.model_validate(
        {
            "name": "T",
            "entry": "a",
            "languages": ["en", "es"],
            "nodes": {
                "a": {
                    "kind": "say",
                    "prompt": {
                        "text": {"en": "Hi", "es": "Hola"},
                        "play": {"es": "https://x/es.mp3"},
                    },
                    "next": "b",
                },
                "b": {"kind": "say", "prompt": text("Only English"), "next": "c"},
                "c": BYE,
            },
        }
    )
    spanish = Call(doc, make_ctx(caller=CallerFacts(preferred_language="es-MX")))
    assert without_logs(spanish.start()) == [
        act.Play("https://x/es.mp3"),
        act.Say("Only English", "en"),
        act.Hangup(),
    ]
    english = Call(doc, make_ctx())
    assert without_logs(english.start())[0] == act.Say("Hi", "en")


# ---------------------------------------------------------------- menu


def test_menu_gathers_digits_and_speech_then_routes_a_digit():
    call = Call(menu_flow(), make_ctx())
    [*_, gather] = call.start()
    assert gather == act.Gather(
        prompts=(act.Say("Main menu", "en"),),
        input=("dtmf", "speech"),
        timeout_seconds=5,
        language="en",
        hints=("appointment", "billing", "pay my bill"),
        num_digits=1,
    )
    assert call.state.waiting_for == "input"
    actions = call.send(ev.Digits("4"))
    [choice] = logs(actions, "menu.choice")
    assert choice.data == {"node": "start", "option": "billing", "digit": "4", "via": "dtmf"}
    assert act.Enqueue("billing", "urgent", "en", "loc-1") in actions
    assert call.state.waiting_for == "queue"


def test_menu_matches_speech_by_words_ignoring_case_and_accents():
    call = Call(menu_flow(), make_ctx(caller=CallerFacts(preferred_language="es")))
    call.start()
    actions = call.send(ev.Speech("Quiero hablar de FACTURACION por favor", 0.8))
    assert logs(actions, "menu.choice")[0].data["option"] == "billing"
    # The longest phrase wins; words of another flow language are still understood.
    call = Call(menu_flow(), make_ctx())
    call.start()
    actions = call.send(ev.Speech("I want to pay my bill", 0.9))
    assert logs(actions, "menu.choice")[0].data["via"] == "speech"
    call = Call(menu_flow(), make_ctx())
    call.start()
    assert logs(call.send(ev.Speech("una cita", 0.9)), "menu.choice")[0].data["option"] == (
        "appointments"
    )


def test_match_phrase_refuses_ties_and_partial_words():
    choices = [(0, ["appointment"]), (1, ["billing"])]
    assert match_phrase("appointment about billing", choices) is None
    assert match_phrase("appointments", choices) is None  # not the same word
    assert match_phrase("", choices) is None
    assert match_phrase("billing!", choices) == 1


def test_menu_retries_with_the_retry_prompt_then_takes_no_input():
    call = Call(menu_flow(), make_ctx())
    call.start()
    for attempt in (2, 3):
        actions = call.send(ev.NoInput())
        assert logs(actions, "menu.retry")[0].data == {
            "node": "start",
            "reason": "no_input",
            "attempt": attempt,
        }
        gather = actions[-1]
        assert gather.prompts == (act.Say("Sorry.", "en"), act.Say("Main menu", "en"))
    actions = call.send(ev.NoInput())
    assert kinds(actions) == ["log:menu.no_input", "say", "hangup"]
    assert actions[1] == act.Say("Bye (silent)", "en")


def test_menu_no_match_takes_no_match_and_low_confidence_is_no_match():
    call = Call(menu_flow(retries=1), make_ctx())
    call.start()
    call.send(ev.Digits("9"))
    actions = call.send(ev.Speech("billing", confidence=0.1))
    assert logs(actions, "menu.no_match")
    assert act.Say("Bye (confused)", "en") in actions


def test_menu_without_no_match_sends_unmatched_callers_to_no_input():
    call = Call(menu_flow(retries=0, no_match=None), make_ctx())
    call.start()
    assert act.Say("Bye (silent)", "en") in call.send(ev.Digits("7"))


# ---------------------------------------------------------------- language


def language_flow(**node: object) -> FlowDocument:
    return FlowDocument.model_validate(
        {
            "name": "Lang",
            "entry": "lang",
            "languages": ["en", "es"],
            "nodes": {
                "lang": {
                    "kind": "language",
                    "prompt": text("For English press 1.", "Para español oprima 2."),
                    "options": [
                        {"language": "en", "digit": "1", "phrases": ["english"]},
                        {"language": "es", "digit": "2", "phrases": ["español"]},
                    ],
                    "next": "hello",
                    **node,
                },
                "hello": {"kind": "say", "prompt": text("Hello", "Hola"), "next": "bye"},
                "bye": BYE,
            },
        }
    )


def test_language_choice_asks_in_every_language_and_switches():
    call = Call(language_flow(), make_ctx())
    [*_, gather] = call.start()
    assert gather.prompts == (
        act.Say("For English press 1.", "en"),
        act.Say("Para español oprima 2.", "es"),
    )
    actions = call.send(ev.Digits("2"))
    assert call.state.language == "es"
    assert act.Say("Hola", "es") in actions
    call = Call(language_flow(), make_ctx())
    call.start()
    assert act.Say("Hola", "es") in call.send(ev.Speech("Espanol", 0.9))


def test_language_known_from_the_caller_skips_the_question():
    call = Call(
        language_flow(), make_ctx(caller=CallerFacts(known=True, preferred_language="es-MX"))
    )
    actions = call.start()
    assert logs(actions, "language.chosen")[0].data["via"] == "known"
    assert act.Say("Hola", "es") in actions
    asked = Call(
        language_flow(skip_if_known=False), make_ctx(caller=CallerFacts(preferred_language="es"))
    )
    assert isinstance(asked.start()[-1], act.Gather)
    # A preferred language the flow does not speak: ask, in the default language.
    unknown = Call(language_flow(), make_ctx(caller=CallerFacts(preferred_language="fr")))
    assert isinstance(unknown.start()[-1], act.Gather)
    assert unknown.state.language == "en"


def test_language_silence_keeps_the_default_after_retries():
    call = Call(language_flow(retries=1), make_ctx())
    call.start()
    assert isinstance(call.send(ev.NoInput())[-1], act.Gather)
    actions = call.send(ev.NoInput())
    assert logs(actions, "language.default")
    assert act.Say("Hello", "en") in actions


# ---------------------------------------------------------------- hours


def hours_flow(**node: object) -> FlowDocument:
    return make_flow(
        {
            "start": {
                "kind": "hours",
                "open": "open",
                "closed": "closed",
                "holiday": "holiday",
                **node,
            },
            "open": {"kind": "hangup", "prompt": text("open")},
            "closed": {"kind": "hangup", "prompt": text("closed")},
            "holiday": {"kind": "hangup", "prompt": text("holiday")},
        }
    )


def said(actions: list) -> list[str]:
    return [a.text for a in actions if isinstance(a, act.Say)]


@pytest.mark.parametrize(
    ("open_", "holiday", "expected"),
    [(True, False, "open"), (False, False, "closed"), (True, True, "holiday")],
)
def test_hours_branches(open_, holiday, expected):
    call = Call(hours_flow(), make_ctx(open_=open_, holiday=holiday))
    actions = call.start()
    assert said(actions) == [expected]
    assert logs(actions, "hours.checked")[0].data["result"] == expected


def test_holiday_without_its_own_branch_is_closed():
    call = Call(hours_flow(holiday=None), make_ctx(holiday=True))
    assert said(call.start()) == ["closed"]


def test_hours_use_the_injected_calendar_across_dst_and_holidays():
    chicago = Calendar(
        timezone="America/Chicago",
        weekly=tuple(WeeklyInterval.of(d, "08:00", "17:00") for d in range(5)),
        holidays=PublicHolidays("US"),
    )
    seen: list[tuple[str, datetime]] = []

    def is_open(location_id: str, at: datetime) -> bool:
        seen.append((location_id, at))
        return calendar_is_open(chicago, at)

    def is_holiday(location_id: str, at: datetime) -> bool:
        return chicago.holidays.is_holiday(at.astimezone(chicago.zone).date())

    def answer(at: datetime) -> str:
        ctx = StepContext(
            now=at,
            is_open=is_open,
            is_holiday=is_holiday,
            classify=FakeClassifier(),
            location_id="L",
        )
        return said(Call(hours_flow(), ctx).start())[0]

    # 13:30 UTC is 07:30 in Chicago before DST (March 2) and 08:30 after it (March 9).
    assert answer(datetime(2026, 3, 2, 13, 30, tzinfo=UTC)) == "closed"
    assert answer(datetime(2026, 3, 9, 13, 30, tzinfo=UTC)) == "open"
    # Friday July 3, 2026 is the observed Independence Day.
    assert answer(datetime(2026, 7, 3, 16, 0, tzinfo=UTC)) == "holiday"
    assert seen[0] == ("L", datetime(2026, 3, 2, 13, 30, tzinfo=UTC))


def test_hours_node_location_overrides_the_binding_and_no_location_is_closed():
    asked: list[str] = []
    ctx = StepContext(
        now=NOW,
        is_open=lambda loc, at: asked.append(loc) or True,
        classify=FakeClassifier(),
        location_id=None,
    )
    assert said(Call(hours_flow(location_id="other"), ctx).start()) == ["open"]
    assert asked == ["other"]
    actions = Call(hours_flow(), ctx).start()
    assert said(actions) == ["closed"]
    assert logs(actions, "hours.checked")[0].data["reason"] == "no-location"


def test_a_failing_calendar_takes_the_closed_branch():
    def broken(location_id: str, at: datetime) -> bool:
        raise RuntimeError("database down")

    ctx = StepContext(now=NOW, is_open=broken, classify=FakeClassifier(), location_id="L")
    actions = Call(hours_flow(), ctx).start()
    assert said(actions) == ["closed"]
    assert logs(actions, "hours.checked")[0].data["reason"] == "error:RuntimeError"


# ---------------------------------------------------------------- triage


def triage_flow(**node: object) -> FlowDocument:
    return make_flow(
        {
            "start": {
                "kind": "triage",
                "prompt": text("What is going on?"),
                "retry_prompt": text("Sorry?"),
                "emergency": "emergency",
                "urgent": "urgent",
                "routine": "routine",
                "intents": {"refill": "refills", "symptom": "symptom_desk"},
                **node,
            },
            "emergency": {"kind": "queue", "department": "nurse_triage"},
            "urgent": {"kind": "queue", "department": "nurse_triage"},
            "routine": {"kind": "queue", "department": "general"},
            "refills": {"kind": "queue", "department": "refills"},
            "symptom_desk": {"kind": "queue", "department": "general"},
            "silent": {"kind": "voicemail", "prompt": text("Leave a message")},
        }
    )


def enqueued(actions: list) -> act.Enqueue:
    [queued] = [a for a in actions if isinstance(a, act.Enqueue)]
    return queued


@pytest.mark.parametrize(
    ("words", "node", "priority"),
    [
        (
            "crushing chest pain",
            "emergency",
            "emergency",
        ),  # emergency outranks its 'symptom' intent
        ("I have a fever", "urgent", "urgent"),
        ("I need a refill", "refills", "routine"),
        ("a question", "routine", "routine"),
    ],
)
def test_triage_branches_by_urgency_then_intent(words, node, priority):
    classifier = FakeClassifier()
    call = Call(triage_flow(), make_ctx(classify=classifier))
    [*_, gather] = call.start()
    assert gather.input == ("speech",)
    actions = call.send(ev.Speech(words, 0.9))
    assert call.state.node == node
    assert enqueued(actions).priority == priority
    [result] = logs(actions, "triage.result")
    assert result.text == words  # the caller's words go to the encrypted text only
    assert words not in str(result.data)
    assert classifier.calls == [(words, "en")]


def test_triage_treats_unknown_answers_and_classifier_failures_as_urgent():
    def weird(words: str, language: str) -> tuple[str, str | None]:
        return ("meh", None)

    def broken(words: str, language: str) -> tuple[str, str | None]:
        raise TimeoutError

    for classify, error in ((weird, "ValueError"), (broken, "TimeoutError")):
        call = Call(triage_flow(), make_ctx(classify=classify))
        call.start()
        actions = call.send(ev.Speech("anything", 0.9))
        assert call.state.node == "urgent"
        assert logs(actions, "triage.result")[0].data["error"] == error


def test_triage_silence_is_urgent_after_retries_unless_no_input_is_set():
    call = Call(triage_flow(retries=1), make_ctx())
    call.start()
    retry = call.send(ev.NoInput())
    assert retry[-1].prompts == (act.Say("Sorry?", "en"), act.Say("What is going on?", "en"))
    actions = call.send(ev.Speech("mumble", confidence=0.05))  # too unsure to classify
    assert logs(actions, "triage.no_answer")
    assert call.state.node == "urgent" and call.state.urgency == "urgent"
    assert enqueued(actions).priority == "urgent"
    call = Call(triage_flow(retries=0, no_input="silent"), make_ctx())
    call.start()
    call.send(ev.Digits("5"))
    assert call.state.node == "silent"


# ---------------------------------------------------------------- queue


def queue_flow(**node: object) -> FlowDocument:
    return make_flow(
        {
            "start": {
                "kind": "set",
                "priority": "urgent",
                "next": "q",
            },
            "q": {
                "kind": "queue",
                "department": "nurse_triage",
                "overflow": "over",
                "timeout": "late",
                "callback": "cb",
                **node,
            },
            "over": {"kind": "hangup", "prompt": text("overflow")},
            "late": {"kind": "hangup", "prompt": text("timeout")},
            "cb": {"kind": "hangup", "prompt": text("callback")},
        }
    )


def test_queue_enqueues_with_the_calls_priority_language_and_location():
    call = Call(queue_flow(), make_ctx(location_id="loc-9"))
    actions = call.start()
    assert enqueued(actions) == act.Enqueue("nurse_triage", "urgent", "en", "loc-9")
    fixed = Call(queue_flow(priority="emergency", language="es", location_id="loc-2"), make_ctx())
    assert enqueued(fixed.start()) == act.Enqueue("nurse_triage", "emergency", "es", "loc-2")


def test_queue_answered_hands_the_call_off():
    call = Call(queue_flow(), make_ctx())
    call.start()
    actions = call.send(ev.QueueResult(ev.QueueOutcome.answered))
    assert kinds(actions) == ["log:queue.answered"]
    assert call.state.status == "handed_off"
    assert kinds(call.send(ev.Digits("1"))) == ["log:flow.ignored_event"]
    call.send(ev.Hangup())
    assert call.state.status == "ended"


@pytest.mark.parametrize(
    ("outcome", "node_changes", "expected"),
    [
        ("overflow", {}, "overflow"),
        ("timeout", {}, "timeout"),
        ("timeout", {"timeout": None}, "overflow"),
        ("callback", {}, "callback"),
    ],
)
def test_queue_results_take_their_branches(outcome, node_changes, expected):
    call = Call(queue_flow(**node_changes), make_ctx())
    call.start()
    assert said(call.send(ev.QueueResult(ev.QueueOutcome(outcome)))) == [expected]


def test_a_callback_chosen_in_line_with_no_branch_is_registered_and_ends_the_call():
    call = Call(queue_flow(callback=None), make_ctx())
    call.start()
    actions = call.send(ev.QueueResult(ev.QueueOutcome.callback))
    assert kinds(actions) == [
        "log:queue.callback",
        "schedulecallback",
        "log:callback.requested",
        "hangup",
    ]


# ---------------------------------------------------------------- transfer, answering service


def test_transfer_dials_and_takes_no_answer_on_busy():
    doc = make_flow(
        {
            "start": {
                "kind": "transfer",
                "target": "sip:nurse@pbx.example.org",
                "mode": "warm",
                "timeout_seconds": 20,
                "no_answer": "vm",
            },
            "vm": {"kind": "voicemail", "prompt": text("Message")},
        }
    )
    call = Call(doc, make_ctx())
    assert act.Dial("sip:nurse@pbx.example.org", "warm", 20) in call.start()
    actions = call.send(ev.DialResult(ev.DialOutcome.busy))
    assert logs(actions, "transfer.unanswered")[0].data["outcome"] == "busy"
    assert isinstance(actions[-1], act.Record)
    answered = Call(doc, make_ctx())
    answered.start()
    answered.send(ev.DialResult(ev.DialOutcome.answered))
    assert answered.state.status == "handed_off"


def test_answering_service_says_its_prompt_then_dials():
    doc = make_flow(
        {
            "start": {
                "kind": "answering_service",
                "number": "+1 312 555 0170",
                "prompt": text("Connecting you"),
                "no_answer": "bye",
            },
            "bye": BYE,
        }
    )
    call = Call(doc, make_ctx())
    assert without_logs(call.start()) == [
        act.Say("Connecting you", "en"),
        act.Dial("+13125550170", "cold", 30),
    ]
    assert kinds(call.send(ev.DialResult(ev.DialOutcome.failed))) == [
        "log:answering_service.unanswered",
        "hangup",
    ]


# ---------------------------------------------------------------- on-call


ROTA = [
    {
        "starts": "2026-03-03T20:00:00-06:00",
        "ends": "2026-03-04T08:00:00-06:00",
        "target": "+13125550169",
    },
    {"starts": "08:00", "ends": "17:00", "weekdays": [0, 1, 2, 3, 4], "target": "+13125550160"},
    {"starts": "17:00", "ends": "08:00", "weekdays": [0, 1, 2, 3, 4], "target": "+13125550161"},
    {"starts": "09:00", "ends": "09:00", "weekdays": [5], "target": "+13125550162"},
]


def oncall_flow() -> FlowDocument:
    return make_flow(
        {
            "start": {
                "kind": "oncall",
                "rota": ROTA,
                "timezone": "America/Chicago",
                "no_answer": "nobody",
            },
            "nobody": {"kind": "hangup", "prompt": text("nobody")},
        }
    )


def dialled(at: datetime) -> str | None:
    actions = Call(oncall_flow(), make_ctx(now=at)).start()
    dials = [a for a in actions if isinstance(a, act.Dial)]
    return dials[0].target if dials else None


def chicago(*parts: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*parts, tzinfo=ZoneInfo("America/Chicago"))


@pytest.mark.parametrize(
    ("at", "target"),
    [
        (chicago(2026, 3, 2, 9, 0), "+13125550160"),  # Monday day shift
        (chicago(2026, 3, 2, 16, 59), "+13125550160"),
        (chicago(2026, 3, 2, 17, 0), "+13125550161"),  # Monday night starts
        (chicago(2026, 3, 3, 2, 0), "+13125550161"),  # ...and runs into Tuesday morning
        (chicago(2026, 3, 3, 21, 0), "+13125550169"),  # a one-off cover wins (listed first)
        (chicago(2026, 3, 4, 7, 59), "+13125550169"),
        (chicago(2026, 3, 7, 7, 0), "+13125550161"),  # Friday night's shift ends Saturday 08:00
        (chicago(2026, 3, 7, 8, 30), None),  # Saturday 08:00-09:00: nobody
        (chicago(2026, 3, 8, 3, 0), "+13125550162"),  # Saturday's 24 h shift, across DST
        (chicago(2026, 3, 8, 8, 59), "+13125550162"),
        (chicago(2026, 3, 8, 9, 0), None),  # Sunday after 09:00: nobody
        (chicago(2026, 3, 2, 2, 0), None),  # Monday 02:00: Sunday started no night shift
    ],
)
def test_oncall_rota_ranges_including_overnight_and_dst(at, target):
    assert dialled(at) == target


def test_nobody_on_call_or_a_broken_rota_takes_no_answer():
    actions = Call(oncall_flow(), make_ctx(now=chicago(2026, 3, 8, 12, 0))).start()
    assert kinds(actions) == ["log:call.started", "log:oncall.nobody", "say", "hangup"]

    def broken(rota, at, timezone):
        raise KeyError(timezone)

    actions = Call(oncall_flow(), make_ctx(oncall_target=broken)).start()
    assert logs(actions, "oncall.error")[0].data["error"] == "KeyError"
    assert said(actions) == ["nobody"]


def test_oncall_uses_the_locations_zone_when_the_node_has_none():
    doc = make_flow(
        {
            "start": {
                "kind": "oncall",
                "rota": [{"starts": "09:00", "ends": "10:00", "target": "+13125550160"}],
                "no_answer": "bye",
            },
            "bye": BYE,
        }
    )
    at = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)  # 09:30 in Chicago, 15:30 in UTC
    assert any(
        isinstance(a, act.Dial)
        for a in Call(doc, make_ctx(now=at, timezone="America/Chicago")).start()
    )
    assert not any(isinstance(a, act.Dial) for a in Call(doc, make_ctx(now=at)).start())


# ---------------------------------------------------------------- voicemail


def voicemail_flow(**node: object) -> FlowDocument:
    return make_flow(
        {
            "start": {
                "kind": "voicemail",
                "prompt": text("Leave a message"),
                "department": "refills",
                "max_seconds": 90,
                "transcribe": False,
                **node,
            },
            "thanks": {"kind": "hangup", "prompt": text("Thanks")},
        }
    )


def test_voicemail_records_logs_and_hangs_up():
    call = Call(voicemail_flow(), make_ctx())
    assert without_logs(call.start()) == [act.Say("Leave a message", "en"), act.Record(90, False)]
    actions = call.send(ev.RecordingDone("https://rec/1", 42, "I need my pills"))
    [recorded] = logs(actions, "voicemail.recorded")
    assert recorded.data["department"] == "refills"
    assert recorded.data["duration_seconds"] == 42
    assert recorded.text == "I need my pills"
    assert isinstance(actions[-1], act.Hangup)
    assert call.state.status == "ended"


def test_voicemail_continues_to_next_and_logs_a_recording_after_hangup():
    call = Call(voicemail_flow(next="thanks"), make_ctx())
    call.start()
    assert said(call.send(ev.RecordingDone("https://rec/2", 5))) == ["Thanks"]
    hung_up = Call(voicemail_flow(), make_ctx())
    hung_up.start()
    hung_up.send(ev.Hangup())
    actions = hung_up.send(ev.RecordingDone("https://rec/3", 12, None))
    assert kinds(actions) == ["log:voicemail.recorded"]  # no Hangup for a call already over
    assert hung_up.state.waiting_for is None
    silent = Call(voicemail_flow(), make_ctx())
    silent.start()
    assert kinds(silent.send(ev.NoInput())) == ["log:voicemail.empty", "hangup"]


# ---------------------------------------------------------------- callback


def callback_flow(**node: object) -> FlowDocument:
    return make_flow(
        {
            "start": {"kind": "queue", "department": "billing", "overflow": "offer"},
            "offer": {
                "kind": "callback",
                "prompt": text("Press 1 for a call back"),
                "accept_phrases": {"en": ["call me back"]},
                "confirmation": text("We will call you"),
                "retries": 1,
                "declined": "stay",
                **node,
            },
            "stay": {"kind": "hangup", "prompt": text("declined")},
        }
    )


def test_callback_accepted_keeps_the_department_of_the_queue():
    call = Call(callback_flow(), make_ctx())
    call.start()
    actions = call.send(ev.QueueResult(ev.QueueOutcome.overflow))
    assert actions[-1].input == ("dtmf", "speech")
    actions = call.send(ev.Digits("1"))
    assert without_logs(actions) == [
        act.ScheduleCallback("billing", "routine", "en", "loc-1"),
        act.Say("We will call you", "en"),
        act.Hangup(),
    ]
    assert logs(actions, "callback.requested")[0].data["department"] == "billing"


def test_callback_by_speech_with_a_fixed_department():
    call = Call(callback_flow(department="scheduling"), make_ctx())
    call.start()
    call.send(ev.QueueResult(ev.QueueOutcome.overflow))
    actions = call.send(ev.Speech("please call me back", 0.9))
    assert act.ScheduleCallback("scheduling", "routine", "en", "loc-1") in actions


def test_callback_declined_by_another_key_or_by_silence():
    call = Call(callback_flow(), make_ctx())
    call.start()
    call.send(ev.QueueResult(ev.QueueOutcome.overflow))
    assert said(call.send(ev.Digits("2"))) == ["declined"]
    call = Call(callback_flow(), make_ctx())
    call.start()
    call.send(ev.QueueResult(ev.QueueOutcome.overflow))
    assert isinstance(call.send(ev.NoInput())[-1], act.Gather)
    actions = call.send(ev.NoInput())
    assert logs(actions, "callback.declined") and said(actions) == ["declined"]


# ---------------------------------------------------------------- emergency, set, branch


def test_emergency_guidance_raises_priority_then_goes_on_or_hangs_up():
    doc = make_flow(
        {
            "start": {"kind": "emergency", "guidance": text("Dial 911"), "next": "q"},
            "q": {"kind": "queue", "department": "nurse_triage"},
        }
    )
    actions = Call(doc, make_ctx()).start()
    assert act.Say("Dial 911", "en") in actions
    assert enqueued(actions).priority == "emergency"
    assert logs(actions, "emergency.guidance")
    alone = make_flow({"start": {"kind": "emergency", "guidance": text("Dial 911")}})
    assert without_logs(Call(alone, make_ctx()).start()) == [
        act.Say("Dial 911", "en"),
        act.Hangup(),
    ]


def branch_flow() -> FlowDocument:
    def out(name: str) -> dict:
        return {"kind": "hangup", "prompt": text(name)}

    return FlowDocument.model_validate(
        {
            "name": "Branch",
            "entry": "start",
            "languages": ["en", "es"],
            "nodes": {
                "start": {"kind": "set", "variables": {"vip": True, "tier": "gold"}, "next": "b"},
                "b": {
                    "kind": "branch",
                    "rules": [
                        {"when": [{"fact": "language", "op": "eq", "value": "es"}], "next": "es"},
                        {
                            "when": [
                                {"fact": "caller_known", "value": True},
                                {"fact": "vars.tier", "op": "in", "value": ["gold", "silver"]},
                            ],
                            "next": "known_gold",
                        },
                        {
                            "when": [
                                {"fact": "priority", "op": "in", "value": ["emergency", "urgent"]}
                            ],
                            "next": "urgent",
                        },
                    ],
                    "default": "other",
                },
                "es": out("es"),
                "known_gold": out("known_gold"),
                "urgent": out("urgent"),
                "other": out("other"),
            },
        }
    )


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        (CallerFacts(preferred_language="es"), "es"),
        (CallerFacts(known=True), "known_gold"),
        (CallerFacts(), "other"),
    ],
)
def test_branch_takes_the_first_rule_that_holds(caller, expected):
    assert said(Call(branch_flow(), make_ctx(caller=caller)).start()) == [expected]


def test_set_changes_language_and_priority_for_the_branch():
    data = branch_flow().model_dump(mode="json")
    data["nodes"]["start"]["priority"] = "emergency"
    assert said(Call(FlowDocument.model_validate(data), make_ctx()).start()) == ["urgent"]
    data["nodes"]["start"]["language"] = "es"
    actions = Call(FlowDocument.model_validate(data), make_ctx()).start()
    assert actions[-2] == act.Say("es", "en")  # the prompt has only English text


# ---------------------------------------------------------------- safety: budgets, dead ends


def looping_flow(**extra: object) -> FlowDocument:
    return make_flow(
        {
            "start": {"kind": "set", "variables": {"n": 1}, "next": "again"},
            "again": {"kind": "branch", "rules": [], "default": "start"},
            "vm": {"kind": "voicemail", "prompt": text("Sorry, leave a message")},
        },
        **extra,
    )


def test_a_loop_without_input_ends_in_the_fallback_voicemail():
    call = Call(looping_flow(fallback="vm"), make_ctx())
    actions = call.start()
    [fallback] = logs(actions, "flow.fallback")
    assert fallback.data["reason"] == "step-budget"
    assert isinstance(actions[-1], act.Record)
    assert call.state.fell_back is True
    assert call.state.steps <= 51


def test_a_loop_without_a_fallback_hangs_up():
    call = Call(looping_flow(), make_ctx(max_nodes_per_step=10))
    actions = call.start()
    assert kinds(actions)[-2:] == ["log:flow.fallback", "hangup"]
    assert call.state.status == "ended"


def test_a_silent_caller_in_a_menu_loop_meets_the_per_call_budget():
    doc = make_flow(
        {
            "start": {
                "kind": "menu",
                "prompt": text("Menu"),
                "options": [{"digit": "1", "next": "start"}],
                "retries": 0,
                "no_input": "again",
            },
            "again": {"kind": "say", "prompt": text("Let's try again"), "next": "start"},
            "bye": {"kind": "hangup", "prompt": text("Goodbye")},
        },
        fallback="bye",
    )
    call = Call(doc, make_ctx(max_nodes_per_call=20))
    call.start()
    for _ in range(30):
        if call.state.status == "ended":
            break
        call.send(ev.NoInput())
    assert call.state.status == "ended"
    assert said(call.results[-1].actions)[-1] == "Goodbye"


def test_dead_ends_and_unknown_nodes_fall_back():
    doc = make_flow(
        {
            "start": {"kind": "say", "prompt": text("Hi")},
            "vm": {"kind": "voicemail", "prompt": text("Message")},
        },
        fallback="vm",
    )
    actions = Call(doc, make_ctx()).start()
    assert logs(actions, "flow.fallback")[0].data["reason"] == "dead-end"
    assert isinstance(actions[-1], act.Record)
    # A state saved under another version of the flow names a node that is gone.
    stale = CallState(status="waiting", node="removed", waiting_for="input", language="en")
    result = step(doc, stale, ev.Digits("1"), make_ctx())
    assert logs(result.actions, "flow.unknown_node")
    assert isinstance(result.actions[-1], act.Record)


# ---------------------------------------------------------------- purity and state


def test_step_does_not_modify_the_state_it_is_given():
    before = CallState()
    snapshot = before.to_dict()
    result = step(menu_flow(), before, ev.CallStarted("+13125550142", "+13125550100"), make_ctx())
    assert before.to_dict() == snapshot
    assert result.state.status == "waiting"
    again = step(menu_flow(), before, ev.CallStarted("+13125550142", "+13125550100"), make_ctx())
    assert again.actions == result.actions  # same input, same output


def test_state_round_trips_through_plain_data_and_refuses_junk():
    call = Call(menu_flow(), make_ctx())
    call.start()
    call.send(ev.NoInput())
    data = call.state.to_dict()
    import json

    restored = CallState.from_dict(json.loads(json.dumps(data)))
    assert restored == call.state
    resumed = step(menu_flow(), restored, ev.Digits("1"), make_ctx())
    assert any(isinstance(a, act.Enqueue) for a in resumed.actions)
    with pytest.raises(ValidationError):
        CallState.from_dict({**data, "status": "flying"})
    with pytest.raises(ValidationError):
        CallState.from_dict({**data, "retries": "many"})


def test_unexpected_events_are_logged_and_ignored():
    call = Call(menu_flow(), make_ctx())
    call.start()
    before = call.state
    for event in (
        ev.CallStarted("+13125550142", "+13125550100"),
        ev.DialResult(ev.DialOutcome.answered),
        ev.QueueResult(ev.QueueOutcome.overflow),
        ev.RecordingDone("https://r", 1),
    ):
        assert kinds(call.send(event)) == ["log:flow.ignored_event"]
    assert call.state.node == before.node and call.state.waiting_for == "input"
    never_started = Call(menu_flow(), make_ctx())
    assert kinds(never_started.send(ev.Digits("1"))) == ["log:flow.ignored_event"]


def test_caller_hangup_ends_the_call_once():
    call = Call(menu_flow(), make_ctx())
    call.start()
    actions = call.send(ev.Hangup())
    assert logs(actions, "call.ended")[0].data == {"node": "start", "by": "caller"}
    assert call.state.status == "ended" and call.state.waiting_for is None
    assert call.send(ev.Hangup()) == []
    assert kinds(call.send(ev.Digits("1"))) == ["log:flow.ignored_event"]


def test_context_refuses_a_naive_now():
    with pytest.raises(ValueError, match="timezone-aware"):
        StepContext(
            now=datetime(2026, 3, 2, 9, 0), is_open=lambda loc, at: True, classify=FakeClassifier()
        )


def test_log_kinds_fit_the_timeline():
    from careline.timeline.model import kind_problems

    call = Call(menu_flow(), make_ctx())
    everything = call.start() + call.send(ev.Speech("billing", 0.9))
    everything += call.send(ev.QueueResult(ev.QueueOutcome.overflow))
    for action in everything:
        if isinstance(action, act.Log):
            assert kind_problems(action.kind) == [], action.kind
