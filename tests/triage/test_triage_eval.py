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


def test_a_third_blind_set_finds_no_under_triage():
    # dev3 was written on 2026-12-03 by a helper who saw neither the rules, the
    # exemplars nor the other sets. Measured untouched: 0 under-triage, 14.1% false
    # alarms. On another CPU two cases turned routine; the general fixes for them
    # (docs/triage.md) cost about a point of false alarms here (15.3%): the 15% bar
    # is the held-out split's (above), this one guards against drifting further.
    d = _figures("eval/dev3.jsonl")
    assert d["cases"] == 420
    assert d["under_triage"] == 0
    assert d["recall"]["emergency"] >= 0.95
    # Back under the 15% bar since 2026-12-04 (12.9%): vocabulary the requests used.
    assert d["over_triage_rate"] <= 0.15


def test_a_fourth_blind_set_now_tuned_on_keeps_the_bars():
    # dev4 (2026-12-03, written blind after the third set's changes) was measured
    # untouched with one under-triage: a refill request naming a rescue inhaler used
    # "way more than usual". The general fix (a medicine's use going up, and
    # "more / worse than usual", is clinical; docs/triage.md) made it a tuning set.
    d = _figures("eval/dev4.jsonl")
    assert d["cases"] == 240
    assert d["under_triage"] == 0
    assert d["recall"]["emergency"] >= 0.95
    assert d["over_triage_rate"] <= 0.15
    assert d["intent_accuracy"] >= 0.85


def test_a_fifth_blind_set_now_tuned_on_keeps_the_bars():
    # dev5 (2026-12-04, 300 cases written blind) was measured untouched with 2
    # under-triage (self-harm with a denial of intent, EN and ES), emergency recall
    # 96.3% and 18.2% false alarms; the general fixes are in docs/triage.md.
    d = _figures("eval/dev5.jsonl")
    assert d["cases"] == 300
    assert d["under_triage"] == 0
    assert d["recall"]["emergency"] >= 0.95
    assert d["over_triage_rate"] <= 0.15
    assert d["intent_accuracy"] >= 0.85
