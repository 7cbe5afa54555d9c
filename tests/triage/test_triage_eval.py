"""The measured bars of issue 8 on labelled sets triage was not written against.

`eval/dev.jsonl` and `eval/test.jsonl` are one blind set (written by someone who
never saw the rules or the exemplars), split once at random; rules were tuned
while looking at dev and its failures, never at test's. The figures are in
docs/triage.md. `labelled.jsonl` is the older hand-labelled set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from careline.triage.evaluation import Outcome, read_cases, report
from careline.triage.service import triage

HERE = Path(__file__).parent


def _figures(name: str) -> dict:
    path = HERE / name
    cases = read_cases(path.read_text("utf-8").splitlines(), source=name)
    outcomes = []
    for case in cases:
        r = triage(case.text, case.language)
        outcomes.append(Outcome(case, r.urgency, r.intent))
    return report(outcomes)


@pytest.mark.parametrize("name", ["labelled.jsonl", "eval/dev.jsonl"])
def test_no_under_triage_and_the_bars_on_the_tuned_sets(name):
    d = _figures(name)
    assert d["under_triage"] == 0
    assert d["recall"]["emergency"] >= 0.95
    assert d["over_triage_rate"] <= 0.15
    assert d["intent_accuracy"] >= 0.85


def test_the_bars_on_the_held_out_test_split():
    d = _figures("eval/test.jsonl")
    assert d["cases"] >= 400
    assert d["recall"]["emergency"] >= 0.95
    assert d["over_triage_rate"] <= 0.15
    assert d["intent_accuracy"] >= 0.85
    # Under-triage on this split is reported in docs/triage.md (not tuned away: the
    # split is never looked at case by case); it must stay under 1%.
    assert d["under_triage_rate"] <= 0.01


def test_a_third_blind_set_written_after_the_tuning_finds_no_under_triage():
    # dev3 was written on 2026-12-03 by a helper who saw neither the rules, the
    # exemplars nor the other sets, and measured before any rule changed.
    d = _figures("eval/dev3.jsonl")
    assert d["cases"] == 420
    assert d["under_triage"] == 0
    assert d["recall"]["emergency"] >= 0.95
    assert d["over_triage_rate"] <= 0.15
