"""The safety contract of docs/triage.md, one clause at a time, through the same
`careline.triage.service.triage` every edge calls (rules and the statistical layer).

These sentences test the clauses; how well triage generalises is measured on the
blind evaluation set (tests/triage/eval/, test_triage_eval.py), not here.
"""

from __future__ import annotations

import pytest

from careline.triage.lexicon import Category, Guidance, Intent, Urgency
from careline.triage.service import triage

# ---------------------------------------------------------------- 1. routine needs evidence


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I need to reschedule my appointment for next week", Intent.scheduling),
        ("can I get a refill on my lisinopril", Intent.refill),
        ("I have a question about my bill", Intent.billing),
        ("necesito cancelar mi cita del martes", Intent.cancel),
        ("what time do you open on saturday", Intent.info),
        ("I need to cancel my chest x-ray appointment", Intent.cancel),
    ],
)
def test_an_administrative_request_without_clinical_content_is_routine(text, intent):
    r = triage(text)
    assert (r.urgency, r.intent, r.clinical) == (Urgency.routine, intent, False)


@pytest.mark.parametrize(
    "text",
    [
        "I need to reschedule, my knee has been swelling up",  # a body part and a symptom
        "refill my metformin please, it makes me dizzy",  # a medication's effect
        "I need my insulin refilled, I ran out two days ago",  # a missed critical dose
        "calling to book, my blood pressure was 165 over 100 this morning",  # a reading
        "can I move my appointment, I'm 30 weeks pregnant and spotting",  # pregnancy
        "I want to book my son in, he's had an earache since yesterday",  # a child's condition
        "need to change my appointment, I've been feeling really down and anxious",  # mental state
        "question about my bill, also my incision is red since the surgery",  # a procedure
        "refill my albuterol, I've needed it every few hours this week",  # rising use
        "can I get more of my nitro, I'm taking it more than usual",  # rising use
        "necesito surtir mi inhalador, lo uso mas seguido",  # rising use, Spanish
        "quiero una cita, me siento peor que de costumbre",  # worse than usual, Spanish
    ],
)
def test_a_request_that_carries_clinical_content_is_never_routine(text):
    r = triage(text)
    assert r.urgency is not Urgency.routine, r.reasons
    assert r.clinical and r.intent in (Intent.symptom, Intent.crisis)


@pytest.mark.parametrize("text", ["", "hmm", "zxqv plorb", "🙂", "1234567890", "la la la"])
def test_words_nobody_understood_are_urgent_never_routine(text):
    r = triage(text)
    assert r.urgency is Urgency.urgent
    assert r.intent is Intent.unknown
    assert r.decided_by == "default"


# ---------------------------------------------------------------- 2. emergencies by meaning


@pytest.mark.parametrize(
    "text",
    [
        "it feels like an elephant is sitting on my chest",
        "there's a pressure going up into my jaw and my left arm",
        "my wife's face looks droopy and her words come out jumbled",
        "he's acting strange and his words are all mixed up",
        "my son ate peanuts and now his lips and face are swelling",
        "my daughter swallowed some bleach from under the sink",
        "she took a whole bottle of tylenol",
        "my husband collapsed and won't wake up",
        "the bleeding won't stop, it's soaking through the towel",
        "he's been shaking all over and won't respond",
        "I'm 34 weeks pregnant and bleeding a lot",
        "he hit his head, threw up twice and now he's really sleepy",
        "my newborn is limp and won't feed",
        "me duele el pecho como si me apretaran",
        "a mi esposa se le torció la cara y no puede hablar bien",
        "mi hijo se tragó unas pastillas de su abuela",
        "se le está hinchando la garganta después de comer camarones",
        "grandpa doesn't recognize us since this morning",  # acute confusion
        "mi papá no nos reconoce desde anoche",
        "lots of blood in the toilet and I almost fainted getting up",  # bleeding + near-faint
        "sangre al evacuar y casi me desmayo en el baño",
    ],
)
def test_emergencies_are_recognised_by_meaning(text):
    r = triage(text)
    assert r.urgency is Urgency.emergency, r.reasons
    assert r.guidance in (Guidance.call_911, Guidance.call_988)


def test_clinical_words_a_nurse_reads_are_never_routine():
    for text in [
        "dyspnea",
        "syncope",
        "right hemiparesis",
        "palpitation",
        "melena",
        "mental change",
    ]:
        assert triage(text).urgency is not Urgency.routine, text
    assert triage("pt with acute dyspnea").urgency is Urgency.emergency
    assert triage("right hemiparesis since this morning").urgency is Urgency.emergency


# ---------------------------------------------------------------- 3. numbers are read


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("my blood pressure is 190 over 110", Urgency.emergency),
        ("bp 150/95 this morning", Urgency.urgent),
        ("my sugar is 45 and I'm shaky", Urgency.emergency),
        ("glucose 480", Urgency.emergency),
        ("sugar was 250 after dinner", Urgency.urgent),
        ("my oxygen is 86 percent", Urgency.emergency),
        ("pulse 165 and I feel weird", Urgency.emergency),
        ("temp 101 since last night", Urgency.urgent),
        ("my 6 week old has a temperature of 100.8", Urgency.emergency),
        ("mi bebé de 2 meses tiene 38,3 de temperatura", Urgency.emergency),
        ("my 4 year old has a temp of 100.8", Urgency.urgent),
        ("la presión me salió 200 sobre 120", Urgency.emergency),
        ("my meter read 41 before lunch", Urgency.emergency),  # a glucose meter is glucose
        ("el glucómetro marcó 39", Urgency.emergency),
    ],
)
def test_readings_are_judged_against_the_written_thresholds(text, urgency):
    r = triage(text)
    assert r.readings, "the reading is reported"
    # The rules judge the number; the statistical layer may only raise it.
    assert r.rules is not None and r.rules.urgency is urgency, (r.reasons, r.readings)
    assert r.urgency is urgency or urgency is Urgency.urgent


def test_a_fever_on_chemotherapy_is_urgent_with_its_reason():
    r = triage("I'm on chemo and I have a fever")
    assert r.urgency is not Urgency.routine
    assert any(m.rule_id == "reading:immunocompromised-fever" for m in r.matched)


# ---------------------------------------------------------------- 4. negation and history


def test_negation_lowers_only_when_everything_clinical_is_discounted():
    assert triage("no chest pain, I just need to reschedule").urgency is Urgency.routine
    r = triage("no chest pain but my arm is numb and I need to reschedule")
    assert r.urgency is not Urgency.routine
    assert triage("I don't have a fever but my chest hurts").urgency is Urgency.emergency


def test_history_lowers_only_a_past_event():
    r = triage("my mother had a heart attack in 2019, she needs her refill")
    assert (r.urgency, r.intent) == (Urgency.routine, Intent.refill)
    assert triage("I had chest pain last year and it's back now").urgency is Urgency.emergency


def test_a_denial_alone_is_no_request():
    # Nothing asked, nothing live: urgent (a nurse decides), never routine, and the
    # negation-blind embedding may not turn the denied phrase into an emergency.
    r = triage("I don't have chest pain")
    assert r.urgency is Urgency.urgent


# ---------------------------------------------------------------- 5. self-harm


@pytest.mark.parametrize(
    "text",
    [
        "I have a plan to end it tonight",
        "I took too many of my sleeping pills on purpose",
        "tengo las pastillas listas para acabar con todo hoy",
        "me quiero matar",
    ],
)
def test_self_harm_with_intent_or_plan_is_an_emergency_crisis(text):
    r = triage(text)
    assert (r.urgency, r.intent) == (Urgency.emergency, Intent.crisis), r.reasons
    assert r.guidance in (Guidance.call_988, Guidance.call_911)


@pytest.mark.parametrize(
    "text",
    [
        "I've been having suicidal thoughts lately",
        "a veces pienso que no tiene sentido vivir",
        "I started cutting again but I'm not going to do anything worse",  # denied intent
        "sometimes I think everyone would be better off without me",
        "a veces siento que mejor me muero, pero no haría nada",
        "otra vez ando cortándome los brazos",
    ],
)
def test_thoughts_without_a_plan_are_an_urgent_crisis(text):
    r = triage(text)
    assert (r.urgency, r.intent, r.guidance) == (Urgency.urgent, Intent.crisis, Guidance.call_988)


def test_sleeping_pills_on_purpose_is_not_a_refill():
    assert triage("I took too many of my sleeping pills on purpose").intent is Intent.crisis


# ---------------------------------------------------------------- 6. every decision says why


def test_every_decision_reports_its_layers_rules_and_exemplars():
    r = triage("it feels like an elephant is sitting on my chest")
    assert r.reasons and r.decided_by in ("rules", "model")
    assert r.rules is not None
    live = [m for m in r.matched if not m.discounted]
    assert any(m.category is Category.emergency for m in live)
    if r.mode == "rules+model":
        assert r.model is not None and len(r.neighbours) > 0
    d = triage("no chest pain, I just need to reschedule")
    assert any("discounted" in reason for reason in d.reasons)
    assert any(m.discounted for m in d.matched)
