"""Pure rules: templates within segments in both languages, reply keywords and the
CANCEL rule, step times across DST and quiet hours, keypad answers."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from careline.messaging.model import Encoding, count_segments
from careline.reminders.model import (
    TEMPLATES,
    ReminderPlanIn,
    ReminderPlanView,
    ReminderStep,
    ReplyAction,
    StepKind,
    clinical_reading,
    default_plan,
    interpret_reply,
    is_keyword_reply,
    pick_plan,
    plan_problems,
    plan_send_time,
    prep_missing,
    render,
    render_reminder,
    template_problems,
    to_gsm7,
    voice_digit_action,
)
from careline.worklist.model import TaskKind

TZ = "America/Chicago"
START = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)  # Mon 09:30 CST


@pytest.mark.parametrize("lang", ["en", "es"])
def test_default_reminder_is_gsm7_within_two_segments(lang):
    out = render_reminder(
        default_plan(),
        lang=lang,
        clinic="Lakeside Family Medicine Clinic",
        start=START,
        tz=TZ,
        type_display="Diabetes follow-up",
    )
    assert out.segments.encoding is Encoding.gsm7
    assert 1 <= out.segments.segments <= 2
    assert "Diabetes" not in out.text  # minimum necessary: no type unless the plan allows
    assert "STOP" in out.text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("key", sorted(TEMPLATES["en"]))
def test_every_template_stays_gsm7(lang, key):
    values = dict(clinic="Lakeside Clinic", date="Mon Nov 2", time="9:30 AM", slots="x")
    values.update(what="cita", prep="", reply="", options="")
    out = render(lang, key, **values)
    assert out.segments.encoding is Encoding.gsm7, out.text
    assert out.segments.segments <= 2


def test_plan_may_include_type_and_prep():
    plan = default_plan().model_copy(
        update={"include_type": True, "include_prep": True, "prep_instructions": "Fast 8h."}
    )
    out = render_reminder(plan, lang="en", clinic="X", start=START, tz=TZ, type_display="Lab draw")
    assert "(Lab draw)" in out.text and "Fast 8h." in out.text


def test_spanish_dates_and_accents_fold_to_gsm7():
    out = render_reminder(
        default_plan(), lang="es", clinic="X", start=START, tz=TZ, type_display=None
    )
    assert "lun 2 nov" in out.text and "9:30" in out.text
    assert "más" not in out.text and "mas" in out.text  # á has no GSM-7 form
    assert count_segments("más").encoding is Encoding.ucs2
    assert to_gsm7("¿Sí? él, niño, pingüino") == "¿Si? él, niño, pingüino"
    assert to_gsm7("emoji 🙂") == "emoji 🙂"  # no GSM-7 form: left alone (UCS-2)


@pytest.mark.parametrize(
    "word", ["C", "c", "Y", "1", "yes", "Yes!", "confirm", "CONFIRM", "si", "Sí"]
)
def test_confirm_words(word):
    assert (
        interpret_reply(word, opted_out=False, has_pending_appointment=True) is ReplyAction.confirm
    )


@pytest.mark.parametrize("word", ["R", "2", "reschedule"])
def test_reschedule_words(word):
    got = interpret_reply(word, opted_out=False, has_pending_appointment=True)
    assert got is ReplyAction.reschedule


@pytest.mark.parametrize("word", ["N", "3", "no"])
def test_cancel_appointment_words(word):
    got = interpret_reply(word, opted_out=False, has_pending_appointment=True)
    assert got is ReplyAction.cancel


@pytest.mark.parametrize(
    "word",
    ["STOP", "stop", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "REVOKE", "OPT OUT", "opt-out"],
)
def test_opt_out_words_always_opt_out(word):
    for pending in (True, False):
        got = interpret_reply(word, opted_out=False, has_pending_appointment=pending)
        assert got is ReplyAction.opt_out


def test_the_cancel_rule():
    assert interpret_reply("cancel", opted_out=False, has_pending_appointment=True) is (
        ReplyAction.cancel
    )
    assert interpret_reply("CANCEL", opted_out=False, has_pending_appointment=False) is (
        ReplyAction.opt_out
    )
    assert interpret_reply("Cancel.", opted_out=True, has_pending_appointment=True) is (
        ReplyAction.opt_out
    )


@pytest.mark.parametrize(
    "word,action",
    [
        ("HELP", ReplyAction.help),
        ("info", ReplyAction.help),
        ("START", ReplyAction.opt_in),
        ("unstop", ReplyAction.opt_in),
    ],
)
def test_help_and_start(word, action):
    assert interpret_reply(word, opted_out=False, has_pending_appointment=False) is action


def test_yes_from_opted_out_opts_in_and_words_are_none():
    assert (
        interpret_reply("YES", opted_out=True, has_pending_appointment=True) is ReplyAction.opt_in
    )
    assert interpret_reply("can I come later", opted_out=False, has_pending_appointment=True) is (
        ReplyAction.none
    )
    assert interpret_reply("", opted_out=False, has_pending_appointment=True) is ReplyAction.none


def test_steps_across_dst_and_quiet_hours():
    before = ReminderStep(name="48h", kind=StepKind.before, hours_before=48)
    dayof = ReminderStep(name="d", kind=StepKind.day_of, local_time=time(8, 0))
    now = datetime(2026, 10, 29, 17, 0, tzinfo=UTC)
    # 48 real hours before Mon 09:30 CST is Sat 10:30 CDT (15:30 UTC).
    assert plan_send_time(before, start=START, tz=TZ, now=now) == datetime(
        2026, 10, 31, 15, 30, tzinfo=UTC
    )
    assert plan_send_time(dayof, start=START, tz=TZ, now=now) == datetime(
        2026, 11, 2, 14, 0, tzinfo=UTC
    )
    early = datetime(2026, 11, 3, 13, 0, tzinfo=UTC)  # Tue 07:00 CST
    # 07:00 Sunday is quiet: moved to 08:00 Sunday (CST, 14:00 UTC); the day-of is too late.
    assert plan_send_time(before, start=early, tz=TZ, now=now) == datetime(
        2026, 11, 1, 14, 0, tzinfo=UTC
    )
    assert plan_send_time(dayof, start=early, tz=TZ, now=now) is None
    # Booked too late for the 48 h step: skipped.
    late_now = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    assert plan_send_time(before, start=START, tz=TZ, now=late_now) is None


def test_voice_digits():
    assert voice_digit_action("1") is ReplyAction.confirm
    assert voice_digit_action("2#") is ReplyAction.reschedule
    assert voice_digit_action("3") is ReplyAction.cancel
    assert voice_digit_action("9") is ReplyAction.none
    assert voice_digit_action("") is ReplyAction.none


def test_plan_problems_and_picking():
    bad = ReminderPlanIn(
        steps=[
            ReminderStep(name="a", kind=StepKind.before),
            ReminderStep(name="a", kind=StepKind.day_of),
        ],
        include_prep=True,
    )
    fields = {f for f, _ in plan_problems(bad)}
    assert fields == {
        "body.steps.0.hours_before",
        "body.steps.1.name",
        "body.steps.1.local_time",
        "body.prep_instructions",
    }
    steps = default_plan().steps
    general = ReminderPlanView(id="g", steps=steps)
    typed = ReminderPlanView(id="t", type_code="LAB", steps=steps)
    both = ReminderPlanView(id="b", location_id="L", type_code="LAB", steps=steps)
    assert pick_plan([general, typed, both], location_id="L", type_code="LAB").id == "b"
    assert pick_plan([general, typed], location_id="L", type_code="LAB").id == "t"
    assert pick_plan([general], location_id="L", type_code="X").id == "g"
    assert pick_plan([], location_id="L", type_code="X").id is None


_EMERGENCY = (TaskKind.clinical_emergency, "emergency", "emergency")
_CRISIS = (TaskKind.clinical_emergency, "crisis", "emergency")


@pytest.mark.parametrize(
    ("urgency", "intent", "guidance", "expected"),
    [
        ("emergency", "symptom", "call-911", _EMERGENCY),
        ("emergency", "unknown", None, _EMERGENCY),
        ("emergency", "crisis", "call-988", _CRISIS),
        ("urgent", "crisis", None, _CRISIS),
        ("emergency", "symptom", "call-988", _CRISIS),
        ("urgent", "symptom", None, (TaskKind.urgent_clinical_review, "nurse_call", "urgent")),
        ("routine", "symptom", None, (TaskKind.clinical_review, "care_review", "routine")),
        # Words triage did not understand come back urgent: not clinical, keywords read them.
        ("urgent", "unknown", None, None),
        ("routine", "unknown", None, None),
        ("routine", "cancel", None, None),
        ("urgent", "refill", None, None),
    ],
)
def test_clinical_reading_of_triage(urgency, intent, guidance, expected):
    got = clinical_reading(urgency=urgency, intent=intent, guidance=guidance)
    if expected is None:
        assert got is None
        return
    assert got is not None and (got.task, got.template, got.urgency.value) == expected
    assert got.safety is (got.task is TaskKind.clinical_emergency)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_safety_answers_say_911_and_988_in_one_or_two_gsm7_segments(lang):
    clinic = "Lakeside Family Medicine Clinic"
    emergency = render(lang, "emergency", clinic=clinic)
    crisis = render(lang, "crisis", clinic=clinic)
    assert "911" in emergency.text and "988" not in emergency.text
    assert "988" in crisis.text and "911" in crisis.text
    for out in (emergency, crisis, render(lang, "nurse_call", clinic=clinic)):
        assert out.segments.encoding is Encoding.gsm7 and out.segments.segments <= 2
    assert emergency.segments.segments == 1


@pytest.mark.parametrize("words", ["C", " yes. ", "Sí", "si", "1", "STOP", "opt-out", "HELP", "N"])
def test_bare_keywords_are_keywords(words):
    assert is_keyword_reply(words)


@pytest.mark.parametrize("words", ["yes but my chest hurts", "STOP I want to die", "help me", ""])
def test_sentences_are_not_bare_keywords(words):
    assert not is_keyword_reply(words)


def test_prep_instructions_come_in_the_patients_language_or_not_at_all():
    """Issue 12: a Spanish reminder carried the English prep instructions."""
    plan = default_plan().model_copy(
        update={"include_prep": True, "prep_instructions": "Do not eat after midnight."}
    )
    es = render_reminder(plan, lang="es", clinic="X", start=START, tz=TZ, type_display=None)
    assert "midnight" not in es.text and "Llamenos para saber como prepararse" in es.text
    assert prep_missing(plan) == ["es"]  # flagged for the manager
    translated = plan.model_copy(
        update={"prep_translations": {"es": "No coma después de medianoche."}}
    )
    es = render_reminder(translated, lang="es", clinic="X", start=START, tz=TZ, type_display=None)
    assert "No coma después de medianoche." in es.text and "midnight" not in es.text
    en = render_reminder(translated, lang="en", clinic="X", start=START, tz=TZ, type_display=None)
    assert "Do not eat after midnight." in en.text and "medianoche" not in en.text
    assert prep_missing(translated) == []
    quiet = translated.model_copy(update={"include_prep": False})
    es = render_reminder(quiet, lang="es", clinic="X", start=START, tz=TZ, type_display=None)
    assert "medianoche" not in es.text and "prepararse" not in es.text


def test_prep_translations_are_checked():
    plan = default_plan().model_copy(
        update={
            "include_prep": True,
            "prep_instructions": "Fast 8h.",
            "prep_translations": {"fr": "Jeûne", "en": "Fast", "es": "  "},
        }
    )
    fields = {f for f, _ in plan_problems(plan)}
    assert fields == {
        "body.prep_translations.fr",
        "body.prep_translations.en",
        "body.prep_translations.es",
    }


def test_a_managers_wording_is_used_in_its_language_and_must_say_how_to_stop():
    """Issue 12: reminder wording was hard-coded; a clinic could not write its own."""
    mine = "{clinic}: su {what} es el {date} a las {time}. Traiga su tarjeta.{prep} {reply}"
    plan = default_plan().model_copy(update={"templates": {"es": mine}})
    es = render_reminder(
        plan, lang="es", clinic="Clinica Lago", start=START, tz=TZ, type_display=None
    )
    assert es.text.startswith(
        "Clinica Lago: su cita es el lun 2 nov a las 9:30. Traiga su tarjeta."
    )
    assert "STOP" in es.text  # {reply} is always there
    en = render_reminder(plan, lang="en", clinic="Lakeside", start=START, tz=TZ, type_display=None)
    assert en.text.startswith("Lakeside: reminder of your appointment")  # untouched
    assert template_problems(mine) == []
    assert template_problems("See you {date} at {time}.") == ["must include {reply}"]
    assert "uses {name}" in template_problems("Hi {name}, {date} {time} {reply}")[0]
    assert "unmatched" in template_problems("Hi {date")[0]
    bad = default_plan().model_copy(update={"templates": {"fr": mine, "es": "{date}"}})
    assert {f for f, _ in plan_problems(bad)} == {"body.templates.fr", "body.templates.es"}
