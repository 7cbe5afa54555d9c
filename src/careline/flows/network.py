"""One main number for many clinics: the shipped main-line flow, made network-wide.

A network number is bound without a location. The engine starts a call at the
caller's home clinic when careline knows the caller; otherwise, after the
language menu, the caller picks their clinic (keypad or its name), and a `set`
node makes that clinic the call's location — its hours, its holidays, its
queues. A caller who does not choose goes to the first clinic listed (the
network's main clinic). Overflow to the other clinics then happens in the
queues (see `careline.desk`).

Pure: a document in, a document out (validated like any flow).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from careline.core.errors import FieldProblem, ValidationFailed
from careline.flows.model import FlowDocument, parse_flow

MAX_CLINICS = 9  # one keypad digit each


@dataclass(frozen=True)
class Clinic:
    location_id: str
    #: Spoken in the menu ("Riverside Family Medicine"); its words are speech phrases.
    name: str


def _phrases(name: str) -> list[str]:
    words = [w for w in re.split(r"[^\w]+", name.lower()) if len(w) > 2]
    return list(dict.fromkeys([name.lower(), *words]))[:6]


def network_flow(
    base: FlowDocument, *, network_name: str, clinics: Sequence[Clinic]
) -> FlowDocument:
    """The main-line flow with a network welcome and a choose-your-clinic menu that
    only unknown callers hear."""
    if not 1 <= len(clinics) <= MAX_CLINICS:
        raise ValidationFailed(
            f"A network flow needs 1 to {MAX_CLINICS} clinics.",
            problems=[FieldProblem("clinics", f"give 1 to {MAX_CLINICS} clinics")],
        )
    doc: dict[str, Any] = base.model_dump(mode="json", exclude_none=True)
    nodes: dict[str, Any] = doc["nodes"]
    if not {"welcome", "choose_language", "check_hours"} <= nodes.keys():
        raise ValidationFailed(
            "The base flow must be the shipped main-line flow (welcome, choose_language, "
            "check_hours).",
            problems=[FieldProblem("base", "not the main-line flow")],
        )
    doc["name"] = f"{network_name} main line"
    nodes["welcome"]["prompt"] = {
        "text": {
            "en": f"Thank you for calling {network_name}. If this is a medical emergency, "
            "hang up and dial 9 1 1.",
            "es": f"Gracias por llamar a {network_name}. Si es una emergencia médica, "
            "cuelgue y marque el 9 1 1.",
        }
    }
    nodes["choose_language"]["next"] = "which_clinic"
    nodes["which_clinic"] = {
        "kind": "branch",
        "label": "Do we know the caller's clinic?",
        "rules": [
            {"when": [{"fact": "location_id", "op": "ne", "value": None}], "next": "check_hours"}
        ],
        "default": "choose_clinic",
    }
    en = " ".join(f"For {c.name}, press {i}." for i, c in enumerate(clinics, 1))
    es = " ".join(f"Para {c.name}, oprima {i}." for i, c in enumerate(clinics, 1))
    nodes["choose_clinic"] = {
        "kind": "menu",
        "label": "Which clinic?",
        "prompt": {"text": {"en": en, "es": es}},
        "retry_prompt": {
            "text": {"en": "Sorry, I did not get that.", "es": "Perdón, no le entendí."}
        },
        "options": [
            {
                "digit": str(i),
                "label": c.name[:120],
                "phrases": {"en": _phrases(c.name), "es": _phrases(c.name)},
                "next": f"clinic_{i}",
            }
            for i, c in enumerate(clinics, 1)
        ],
        "timeout_seconds": 6,
        "retries": 1,
        "no_input": "clinic_1",
        "no_match": "clinic_1",
    }
    for i, c in enumerate(clinics, 1):
        nodes[f"clinic_{i}"] = {
            "kind": "set",
            "label": c.name[:120],
            "location_id": c.location_id,
            "next": "check_hours",
        }
    return parse_flow(doc)
