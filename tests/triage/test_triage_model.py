"""classify(): negation scope, history, misspellings, crisis, Spanish, mixed
language, hostile input, and the safety rule."""

from __future__ import annotations

import json
import random

import pytest

from careline.triage.lexicon import Category, Guidance, Intent, UnknownLanguage, Urgency
from careline.triage.model import classify, squeeze


def rule_ids(result, *, live: bool | None = None) -> list[str]:
    return [m.rule_id for m in result.matched if live is None or (not m.discounted) == live]


# ---------------------------------------------------------------- negation scope


def test_negated_emergency_leaves_the_request(triage):
    r = triage("no chest pain, I just need to reschedule")
    assert (r.urgency, r.intent, r.guidance) == (Urgency.routine, Intent.scheduling, None)
    chest = next(m for m in r.matched if m.rule_id == "en:chest-pain")
    assert chest.negated and chest.discounted and not chest.historical


def test_negation_stops_at_but(triage):
    r = triage("I don't have a fever but my chest hurts")
    assert r.urgency is Urgency.emergency and r.intent is Intent.symptom
    assert r.guidance is Guidance.call_911
    fever = next(m for m in r.matched if m.rule_id == "en:fever")
    chest = next(m for m in r.matched if m.rule_id == "en:chest-pain")
    assert fever.negated and not chest.negated


@pytest.mark.parametrize(
    "text",
    [
        "no fever. chest pain",  # a full stop ends the scope
        "no fever; chest pain",
        "no I have chest pain",  # a new subject starts a new statement
        "I don't have a cold however I have chest pain",
        "no tengo fiebre pero me duele el pecho",
        "no tengo fiebre, me duele el pecho",
    ],
)
def test_negation_scope_ends_at_punctuation_and_terminators(triage, text):
    assert triage(text).urgency is Urgency.emergency


def test_negation_reaches_only_a_few_words(triage):
    # The shipped window is 5 words after the cue. A denial alone is no request:
    # nothing is left to make it routine, so it is urgent (a nurse decides).
    r = triage("I do not have any chest pain")
    assert all(m.negated for m in r.matched if m.category is Category.emergency)
    assert (r.urgency, r.decided_by) == (Urgency.urgent, "default")
    assert triage("no chest pain, I just need to reschedule").urgency is Urgency.routine
    assert triage("no word from the clinic about chest pain").urgency is Urgency.emergency


def test_negation_covers_a_list(triage):
    r = triage("no fever or chest pain, I need to book a checkup")
    assert all(m.negated for m in r.matched if m.category is not Category.intent)
    assert r.urgency is Urgency.routine


def test_doubt_is_not_denial(triage):
    for text in [
        "I'm not sure if it's a heart attack",
        "I don't know if he is having a stroke",
        "no sé si es un infarto",
        "no estoy segura si es un derrame",
    ]:
        assert triage(text).urgency is Urgency.emergency, text


def test_a_phrase_that_says_no_is_not_negated_by_itself(triage):
    for text in ["he is not breathing", "no puedo respirar", "she is not responding"]:
        r = triage(text)
        assert r.urgency is Urgency.emergency, text
        assert not any(m.negated for m in r.matched)


def test_the_no_inside_a_phrase_does_not_negate_what_follows(triage):
    r = triage("I can not breathe and have chest pain")
    assert {"en:cannot-breathe", "en:chest-pain"} <= set(rule_ids(r, live=True))
    assert not any(m.negated for m in r.matched)


# ---------------------------------------------------------------- history


def test_history_discounts_the_past_event_not_the_request(triage):
    r = triage("records from when she had a stroke last year")
    assert (r.urgency, r.intent) == (Urgency.routine, Intent.records)
    stroke = next(m for m in r.matched if m.rule_id == "en:stroke-signs")
    assert stroke.historical and not stroke.negated
    records = next(m for m in r.matched if m.rule_id == "en:records")
    assert not records.discounted


@pytest.mark.parametrize(
    "text",
    [
        "history of heart attack, calling for a refill",
        "she had a seizure as a child and needs a refill",
        "he had a heart attack two years ago, refill please",
        "antecedentes de infarto, necesito una receta",
        "tuvo un infarto hace dos años, necesito una receta",
        "tuvo un derrame el año pasado y necesita su receta",
    ],
)
def test_history_cues_before_and_after(triage, text):
    r = triage(text)
    assert (r.urgency, r.intent) == (Urgency.routine, Intent.refill), r.matched


def test_history_does_not_reach_the_present(triage):
    r = triage("I had a stroke last year and now my face is drooping")
    assert r.urgency is Urgency.emergency
    drooping = next(m for m in r.matched if "drooping" in m.heard)
    assert not drooping.historical
    r = triage("history of heart attack and now chest pain")
    assert r.urgency is Urgency.emergency


def test_a_recent_event_is_not_history(triage):
    assert triage("I had chest pain two hours ago").urgency is Urgency.emergency


# ---------------------------------------------------------------- misspellings


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("chest pian", "en:chest-pain"),
        ("cant breath", "en:cannot-breathe"),
        ("suicidal thougths", "en:self-harm-thoughts"),
        ("having a hart attack", "en:heart-attack"),
        ("she has a seizur", "en:seizure"),
        ("dolr de pexho", "es:chest-pain"),
        ("dolor de pehco", "es:chest-pain"),
        ("I have a feverr", "en:fever"),
        ("overdoes", "en:overdose"),
    ],
)
def test_misspellings_still_match(triage, text, rule):
    r = triage(text)
    match = next(m for m in r.matched if m.rule_id == rule)
    assert match.fuzzy and not match.discounted
    assert match.heard == text[match.start : match.end]


@pytest.mark.parametrize(
    ("text", "not_rule"),
    [
        ("I'm on strike at work", "en:stroke-signs"),  # short single word: exact only
        ("checking on my results", "en:cannot-breathe"),  # not "choking"
        ("tengo una pregunta sobre mi factura", "es:possible-fracture"),  # a known word
        ("I have fewer questions now", "en:fever"),
        ("chess pair", "en:chest-pain"),  # both words misspelt: too far
        ("a cold pan", "en:pain"),  # short words must match exactly
    ],
)
def test_tolerance_does_not_raise_false_alarms(triage, text, not_rule):
    assert not_rule not in rule_ids(triage(text))


def test_numbers_match_exactly(triage):
    assert "en:high-fever" in rule_ids(triage("fever of 104"))
    r = triage("fever of 100")
    assert "en:high-fever" not in rule_ids(r) and "en:fever" in rule_ids(r)


def test_squeeze_removes_doubled_letters():
    assert squeeze("feverr") == "fever" and squeeze("cancell") == "cancel"
    assert squeeze("appointment") == "apointment"


def test_accents_and_apostrophes_are_ignored(triage):
    for text in ["I can\u2019t breathe", "I CAN'T BREATHE!!!", "i cant breathe"]:
        assert "en:cannot-breathe" in rule_ids(triage(text)), text
    assert triage("me duele el pecho").urgency is triage("mé dúele él pécho").urgency


# ---------------------------------------------------------------- crisis and safety


def test_self_harm_is_a_crisis_with_988(triage):
    for text in ["I want to kill myself", "quiero quitarme la vida", "I've been cutting myself"]:
        r = triage(text)
        assert (r.urgency, r.intent, r.guidance) == (
            Urgency.emergency,
            Intent.crisis,
            Guidance.call_988,
        ), text


def test_crisis_words_are_not_discounted_by_negation(triage):
    r = triage("I'm not suicidal, I just need a refill")
    assert r.intent is Intent.crisis and r.urgency is Urgency.emergency
    assert not any(m.negated for m in r.matched if m.intent is Intent.crisis)


def test_a_past_suicide_attempt_in_a_records_request_is_history(triage):
    r = triage("I need my records from my suicide attempt last year")
    assert (r.urgency, r.intent) == (Urgency.routine, Intent.records)


def test_a_body_in_danger_gets_911_even_in_a_crisis(triage):
    r = triage("I took a bunch of pills because I want to die")
    assert (r.intent, r.guidance) == (Intent.crisis, Guidance.call_911)
    assert triage("I'm going to kill someone").guidance is Guidance.call_911


def test_any_live_emergency_wins_over_every_request(triage):
    r = triage("cancel my appointment, refill my meds, question about my bill, chest pain")
    assert (r.urgency, r.intent) == (Urgency.emergency, Intent.symptom)


def test_every_symptom_is_urgent_and_a_severity_word_says_why(triage):
    r = triage("I have a severe headache")
    assert r.urgency is Urgency.urgent
    assert any(m.category is Category.escalation for m in r.matched)
    # Clinical content is never routine (the safety contract, clause 1).
    assert triage("I have a headache").urgency is Urgency.urgent
    assert triage("tengo un dolor de espalda muy fuerte").urgency is Urgency.urgent


def test_a_denied_severity_word_is_not_reported(triage):
    r = triage("my headache, it is not severe")
    assert r.urgency is Urgency.urgent
    assert not any(m.category is Category.escalation for m in r.matched)


def test_severity_words_do_not_escalate_requests(triage):
    r = triage("there is a terrible mistake on my bill")
    assert (r.urgency, r.intent) == (Urgency.routine, Intent.billing)


def test_an_imaging_appointment_is_not_a_symptom(triage):
    r = triage("I need to cancel my chest x-ray appointment")
    assert (r.urgency, r.intent) == (Urgency.routine, Intent.cancel)
    r = triage("calling about my appointment at the chest pain clinic")
    assert r.urgency is Urgency.routine
    assert "en:chest-pain" not in rule_ids(r)  # hidden by the longer phrase


def test_a_missed_critical_dose_is_clinical(triage):
    r = triage("I ran out of my insulin")
    assert (r.urgency, r.intent, r.clinical) == (Urgency.urgent, Intent.symptom, True)
    assert triage("please refill my insulin").urgency is Urgency.routine


def test_intent_weights_and_ties(triage):
    assert triage("I need to cancel my appointment").intent is Intent.cancel
    assert triage("I want to reschedule my appointment").intent is Intent.scheduling
    # equal weight: records before referral (send records TO a specialist)
    assert triage("send my records to the specialist").intent is Intent.records


# ---------------------------------------------------------------- languages


def test_spanish_is_detected(triage):
    r = triage("necesito hacer una cita para mi hija")
    assert (r.language, r.intent) == ("es", Intent.scheduling)
    assert triage("I need to make an appointment").language == "en"


def test_mixed_language_matches_both_lexicons(triage):
    r = triage("my mom tiene dolor de pecho")
    assert r.urgency is Urgency.emergency and r.language == "es"
    r = triage("I need help, no puedo respirar", language="en")
    assert r.urgency is Urgency.emergency and r.language == "en"


def test_a_given_language_is_normalised_and_checked(triage, lexicon):
    assert triage("hola", language="es-MX").language == "es"
    assert triage("hola", language="ES").language == "es"
    with pytest.raises(UnknownLanguage) as err:
        classify("bonjour", lexicon, language="fr")
    assert err.value.error_id == "triage-unknown-language"
    assert "en, es" in err.value.detail


def test_without_clues_the_first_language_is_reported(triage):
    assert triage("").language == "en"
    assert triage("12345").language == "en"


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\n\t",
        "?!.,;",
        "asdkjh qwpoe zzz",
        "🙂🙂🙂",
        "\x00\x01\x02",
        "1234567890",
        "-" * 500,
    ],
)
def test_empty_and_garbage_input_is_urgent_unknown(triage, text):
    # Not understood is never routine: a nurse decides (the safety contract).
    r = triage(text)
    assert r.decided_by == "default"
    assert (r.urgency, r.intent, r.guidance, r.matched) == (
        Urgency.urgent,
        Intent.unknown,
        None,
        [],
    )


def test_very_long_input_still_finds_the_emergency_at_the_end(triage):
    rng = random.Random(7)
    filler = ["the", "patient", "called", "about", "scheduling", "their", "account"]
    text = " ".join(rng.choice(filler) for _ in range(30_000)) + ". now I can't breathe"
    r = triage(text)
    assert r.urgency is Urgency.emergency
    last = r.matched[-1]
    assert last.rule_id == "en:cannot-breathe" and text[last.start : last.end] == "can't breathe"


def test_very_long_gibberish_is_handled(triage):
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    text = " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(2, 12))) for _ in range(5_000)
    )
    r = triage(text)
    assert r.urgency in set(Urgency)  # no crash; whatever random words resemble


def test_result_is_a_json_ready_view(triage):
    r = triage("no chest pain but I need a refill")
    body = json.loads(r.model_dump_json())
    assert body["urgency"] == "routine" and body["intent"] == "refill"
    chest = next(m for m in body["matched"] if m["rule_id"] == "en:chest-pain")
    assert chest["negated"] is True and chest["discounted"] is True
    assert {"rule_id", "phrase", "heard", "category", "start", "end"} <= set(chest)


def test_classification_is_deterministic_and_leaves_the_lexicon_alone(lexicon):
    before = dict(lexicon.phrases_by_first_word)
    first = classify("me duele el pecho y necesito una receta", lexicon)
    second = classify("me duele el pecho y necesito una receta", lexicon)
    assert first == second
    assert lexicon.phrases_by_first_word == before
