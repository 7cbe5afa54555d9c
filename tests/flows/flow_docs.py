"""Flow documents and engine contexts for the flows tests."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from careline.flows import events as ev
from careline.flows.engine import CallerFacts, CallState, StepContext, StepResult, step
from careline.flows.model import FlowDocument

#: Monday 2 March 2026, 15:00 UTC (09:00 in Chicago).
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
CALLER = "+13125550142"
MAIN = "+13125550100"


def text(en: str, es: str | None = None) -> dict[str, Any]:
    out = {"en": en}
    if es is not None:
        out["es"] = es
    return {"text": out}


def good_flow() -> dict[str, Any]:
    """The smallest flow that validates clean: hours, a menu, triage, queues, on-call."""
    return {
        "name": "Small clinic",
        "entry": "hours",
        "languages": ["en"],
        "fallback": "vm",
        "nodes": {
            "hours": {"kind": "hours", "open": "menu", "closed": "oncall"},
            "menu": {
                "kind": "menu",
                "prompt": text("Press 1 for a nurse, 2 to leave a message."),
                "options": [
                    {"digit": "1", "label": "nurse", "next": "triage"},
                    {"digit": "2", "label": "message", "next": "vm"},
                ],
                "no_input": "vm",
            },
            "triage": {
                "kind": "triage",
                "prompt": text("What is going on?"),
                "emergency": "emerg",
                "urgent": "q_nurse",
                "routine": "q_front",
            },
            "emerg": {"kind": "emergency", "guidance": text("Dial 911."), "next": "q_nurse"},
            "q_nurse": {"kind": "queue", "department": "nurse_triage", "overflow": "vm"},
            "q_front": {"kind": "queue", "department": "general", "overflow": "vm"},
            "oncall": {
                "kind": "oncall",
                "rota": [{"starts": "00:00", "ends": "00:00", "target": "+13125550160"}],
                "no_answer": "vm",
            },
            "vm": {"kind": "voicemail", "prompt": text("Leave a message.")},
        },
    }


def flow(data: dict[str, Any]) -> FlowDocument:
    return FlowDocument.model_validate(copy.deepcopy(data))


def make_flow(nodes: dict[str, Any], *, entry: str = "start", **extra: Any) -> FlowDocument:
    """A document around `nodes` (for engine tests; need not validate clean)."""
    data = {"name": "Test", "entry": entry, "languages": ["en"], "nodes": nodes, **extra}
    return FlowDocument.model_validate(data)


class FakeClassifier:
    """Urgency by keyword, and the calls it received."""

    def __init__(self, rules: dict[str, tuple[str, str | None]] | None = None) -> None:
        self.rules = rules or {
            "chest": ("emergency", "symptom"),
            "fever": ("urgent", "symptom"),
            "refill": ("routine", "refill"),
        }
        self.calls: list[tuple[str, str]] = []

    def __call__(self, words: str, language: str) -> tuple[str, str | None]:
        self.calls.append((words, language))
        for key, result in self.rules.items():
            if key in words:
                return result
        return ("routine", None)


def make_ctx(
    *,
    now: datetime = NOW,
    open_: bool = True,
    holiday: bool = False,
    classify: Any = None,
    caller: CallerFacts | None = None,
    **extra: Any,
) -> StepContext:
    return StepContext(
        now=now,
        is_open=lambda location_id, at: open_,
        is_holiday=lambda location_id, at: holiday,
        classify=classify or FakeClassifier(),
        caller=caller or CallerFacts(),
        location_id=extra.pop("location_id", "loc-1"),
        **extra,
    )


class Call:
    """Drives one call through the engine, keeping the state between events."""

    def __init__(self, doc: FlowDocument, ctx: StepContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.state = CallState()
        self.results: list[StepResult] = []

    def send(self, event: ev.CallEvent) -> list[Any]:
        result = step(self.doc, self.state, event, self.ctx)
        self.results.append(result)
        self.state = result.state
        return result.actions

    def start(self) -> list[Any]:
        return self.send(ev.CallStarted(CALLER, MAIN))


def kinds(actions: list[Any]) -> list[str]:
    """Action types, with Log actions shown as their kind ('log:menu.choice')."""
    return [
        f"log:{a.kind}" if type(a).__name__ == "Log" else type(a).__name__.lower() for a in actions
    ]


def logs(actions: list[Any], kind: str) -> list[Any]:
    return [a for a in actions if type(a).__name__ == "Log" and a.kind == kind]


def without_logs(actions: list[Any]) -> list[Any]:
    return [a for a in actions if type(a).__name__ != "Log"]


def heard(actions: list[Any]) -> list[str]:
    """What the caller hears, in order: said text, including the prompts a Gather plays
    while it listens."""
    out: list[str] = []
    for a in actions:
        name = type(a).__name__
        if name == "Say":
            out.append(a.text)
        elif name == "Gather":
            out += [p.text for p in a.prompts if type(p).__name__ == "Say"]
    return out
