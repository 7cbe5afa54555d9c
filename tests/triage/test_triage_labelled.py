"""The labelled set: callers' words in English and Spanish with the decision a
triage nurse expects. Emergencies and urgent calls must never come out routine;
intent must be right at least 90% of the time.

`labelled.jsonl` holds one object per line: text, urgency, intent, language
(null when a sentence is too evenly mixed to judge) and an optional note.
Policy decisions it encodes: an imaging or test appointment ("chest x-ray") is
scheduling, not a symptom; an un-negated emergency cue wins over any request;
crisis words are not discounted by negation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careline.triage.lexicon import Intent, Urgency

ROWS = [
    json.loads(line)
    for line in (Path(__file__).parent / "labelled.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


def test_the_labelled_set_is_large_bilingual_and_well_formed():
    assert len(ROWS) >= 150
    assert {r["language"] for r in ROWS} >= {"en", "es"}
    assert sum(r["language"] == "es" for r in ROWS) >= 50
    texts = [r["text"] for r in ROWS]
    assert len(set(texts)) == len(texts), "duplicate sentences"
    for r in ROWS:
        assert set(r) <= {"text", "urgency", "intent", "language", "note"}, r
        Urgency(r["urgency"])
        Intent(r["intent"])
    for urgency in Urgency:
        assert sum(r["urgency"] == urgency for r in ROWS) >= 30, urgency
    labelled_intents = {r["intent"] for r in ROWS}
    assert labelled_intents == {i.value for i in Intent}, "every intent has examples"


def test_no_emergency_or_urgent_example_is_classified_routine(triage):
    missed = [
        (r["text"], r["urgency"])
        for r in ROWS
        if r["urgency"] != "routine" and triage(r["text"]).urgency is Urgency.routine
    ]
    assert not missed, f"under-triaged to routine: {missed}"


def test_no_emergency_example_is_downgraded(triage):
    downgraded = [
        r["text"]
        for r in ROWS
        if r["urgency"] == "emergency" and triage(r["text"]).urgency is not Urgency.emergency
    ]
    assert not downgraded, f"emergencies not classified emergency: {downgraded}"


def test_crisis_examples_get_988_or_911_guidance(triage):
    for r in ROWS:
        if r["intent"] == "crisis":
            assert triage(r["text"]).guidance is not None, r["text"]


def _accuracy(triage, field: str) -> tuple[float, list[tuple[str, str, str]]]:
    judged = [r for r in ROWS if r[field] is not None]
    wrong = []
    for r in judged:
        got = getattr(triage(r["text"]), field)
        if str(got) != r[field]:
            wrong.append((r["text"], r[field], str(got)))
    return 1 - len(wrong) / len(judged), wrong


@pytest.mark.parametrize(
    ("field", "floor"), [("intent", 0.90), ("urgency", 0.90), ("language", 0.95)]
)
def test_accuracy_over_the_labelled_set(triage, capsys, field, floor):
    accuracy, wrong = _accuracy(triage, field)
    with capsys.disabled():
        print(f"\n[triage] {field} accuracy {accuracy:.1%} over {len(ROWS)} labelled examples")
    assert accuracy >= floor, f"{field} accuracy {accuracy:.1%}; wrong: {wrong}"
