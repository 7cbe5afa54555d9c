"""Measuring triage on labelled utterances: confusion matrix, recall, under-triage.

Pure: takes (expected, predicted) pairs. Under-triage — an urgent or emergency
utterance called routine — is the failure that matters; over-triage (routine
called urgent or emergency) costs a nurse's minute. `careline triage eval`
prints this report and exits 1 when any under-triage is found.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from careline.triage.lexicon import Intent, Urgency

_ORDER = (Urgency.emergency, Urgency.urgent, Urgency.routine)
_RANK = {Urgency.routine: 0, Urgency.urgent: 1, Urgency.emergency: 2}


@dataclass(frozen=True)
class Case:
    text: str
    urgency: Urgency
    intent: Intent
    language: str | None  # None: not given (triage detects it)


@dataclass(frozen=True)
class Outcome:
    case: Case
    urgency: Urgency
    intent: Intent


def read_cases(lines: Iterable[str], *, source: str = "input") -> list[Case]:
    """Cases from JSON lines {"text", "urgency", "intent", "language"?}; ValueError
    names the line of the first bad one."""
    cases: list[Case] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw: Any = json.loads(line)
            cases.append(
                Case(
                    text=str(raw["text"]),
                    urgency=Urgency(raw["urgency"]),
                    intent=Intent(raw.get("intent", "unknown")),
                    language=str(raw["language"]) if raw.get("language") else None,
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{source}:{number}: not a labelled case ({exc})") from None
    return cases


def report(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """The figures, as JSON-ready data."""
    confusion = {e.value: {p.value: 0 for p in _ORDER} for e in _ORDER}
    for o in outcomes:
        confusion[o.case.urgency.value][o.urgency.value] += 1
    recall = {}
    for e in _ORDER:
        row = confusion[e.value]
        total = sum(row.values())
        recall[e.value] = round(row[e.value] / total, 4) if total else None
    clinical = [o for o in outcomes if o.case.urgency is not Urgency.routine]
    routine = [o for o in outcomes if o.case.urgency is Urgency.routine]
    under = [o for o in clinical if o.urgency is Urgency.routine]
    lowered = [o for o in clinical if _RANK[o.urgency] < _RANK[o.case.urgency]]
    over = [o for o in routine if o.urgency is not Urgency.routine]
    intents = [o for o in outcomes if o.case.intent is not Intent.unknown]
    right = [o for o in intents if o.intent is o.case.intent]
    by_language: dict[str, dict[str, Any]] = {}
    for lang in sorted({o.case.language or "?" for o in outcomes}):
        mine = [o for o in outcomes if (o.case.language or "?") == lang]
        by_language[lang] = {
            "cases": len(mine),
            "under_triage": sum(
                1
                for o in mine
                if o.case.urgency is not Urgency.routine and o.urgency is Urgency.routine
            ),
            "urgency_accuracy": round(
                sum(o.urgency is o.case.urgency for o in mine) / len(mine), 4
            ),
        }
    return {
        "cases": len(outcomes),
        "confusion": confusion,
        "recall": recall,
        "under_triage": len(under),
        "under_triage_rate": round(len(under) / len(clinical), 4) if clinical else 0.0,
        "emergency_called_urgent": len(lowered) - len(under),
        "over_triage_rate": round(len(over) / len(routine), 4) if routine else 0.0,
        "intent_accuracy": round(len(right) / len(intents), 4) if intents else None,
        "by_language": by_language,
    }


def under_triaged(outcomes: Sequence[Outcome]) -> list[Outcome]:
    return [
        o
        for o in outcomes
        if o.case.urgency is not Urgency.routine and o.urgency is Urgency.routine
    ]
