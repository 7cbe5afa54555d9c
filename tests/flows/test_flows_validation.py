"""Whole-graph validation: every problem code from a minimal broken flow, and the
shape checks of the document itself."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flow_docs import flow, good_flow, text
from pydantic import ValidationError

from careline.core.errors import ValidationFailed
from careline.flows.model import PROBLEM_CODES, FlowDocument, diff_flows, parse_flow, validate_flow

EXAMPLE = Path(__file__).parents[2] / "src/careline/flows/examples/main-line.json"


def problems_of(data: dict) -> list[tuple[str | None, str]]:
    return [(p.node_id, p.code) for p in validate_flow(flow(data))]


def test_the_minimal_good_flow_is_clean():
    assert validate_flow(flow(good_flow())) == []


def test_the_shipped_main_line_example_is_clean():
    doc = parse_flow(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert validate_flow(doc) == []
    kinds = {node.kind for node in doc.nodes.values()}
    assert {"language", "hours", "menu", "triage", "emergency", "oncall", "voicemail"} <= kinds
    assert doc.languages == ["en", "es"]


def mutate(change: Callable[[dict], None]) -> dict:
    data = copy.deepcopy(good_flow())
    change(data)
    return data


def _set(path: str, value: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        *parents, last = path.split(".")
        target = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _drop(node_id: str) -> Callable[[dict], None]:
    return lambda data: data["nodes"].pop(node_id)


def _add(node_id: str, node: dict) -> Callable[[dict], None]:
    return _set(f"nodes.{node_id}", node)


def _chain(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        for c in changes:
            c(data)

    return change


BROKEN: dict[str, tuple[Callable[[dict], None], str | None]] = {
    "unknown-entry": (_set("entry", "nowhere"), None),
    "unknown-target": (_set("nodes.q_front.overflow", "gone"), "q_front"),
    "missing-branch": (_set("nodes.triage.urgent", None), "triage"),
    "dead-end": (
        _chain(
            _add("hello", {"kind": "say", "prompt": text("Hi")}),
            _set("nodes.menu.options.1.next", "hello"),
        ),
        "hello",
    ),
    "unreachable-node": (_add("lonely", {"kind": "hangup"}), "lonely"),
    "loop-without-exit": (
        _chain(
            _add("a", {"kind": "say", "prompt": text("A"), "next": "b"}),
            _add("b", {"kind": "set", "next": "a"}),
            _set("nodes.menu.options.1.next", "a"),
        ),
        "a",
    ),
    "no-input-loop": (
        _chain(
            _add("again", {"kind": "say", "prompt": text("Once more"), "next": "menu"}),
            _set("nodes.menu.no_input", "again"),
        ),
        "menu",
    ),
    "menu-without-options": (_set("nodes.menu.options", []), "menu"),
    "menu-without-no-input": (_set("nodes.menu.no_input", None), "menu"),
    "duplicate-digit": (_set("nodes.menu.options.1.digit", "1"), "menu"),
    "duplicate-phrase": (
        _chain(
            _set("nodes.menu.options.0.phrases", {"en": ["Nurse"]}),
            _set("nodes.menu.options.1.phrases", {"en": ["nurse!"]}),
        ),
        "menu",
    ),
    "missing-translation": (_set("languages", ["en", "es"]), "menu"),
    "unknown-language": (_set("nodes.vm.prompt", {"text": {"en": "Hi", "fr": "Salut"}}), "vm"),
    "no-emergency-path": (_set("nodes.triage.emergency", "q_front"), "triage"),
    "no-after-hours-path": (
        _chain(
            _add("closed", {"kind": "hangup", "prompt": text("We are closed")}),
            _set("nodes.hours.closed", "closed"),
            _drop("oncall"),
        ),
        "hours",
    ),
    "invalid-fallback": (_set("fallback", "menu"), None),
    "empty-rota": (_set("nodes.oncall.rota", []), "oncall"),
    "missing-safety-net": (
        _chain(
            _set("nodes.menu.options.0.next", "q_nurse"),
            _drop("triage"),
        ),
        None,
    ),
    "prompt-not-listening": (
        _chain(
            _add("closed", {"kind": "say", "prompt": text("We are closed."), "listen": False}),
            _set("nodes.closed.next", "oncall"),
            _set("nodes.hours.closed", "closed"),
        ),
        "closed",
    ),
    "unknown-variable": (
        _chain(
            _add(
                "check",
                {
                    "kind": "branch",
                    "rules": [{"when": [{"fact": "vars.vip", "value": True}], "next": "q_nurse"}],
                    "default": "menu",
                },
            ),
            _set("nodes.hours.open", "check"),
        ),
        "check",
    ),
}


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_each_problem_code_from_a_minimal_broken_flow(code):
    change, node_id = BROKEN[code]
    found = problems_of(mutate(change))
    assert (node_id, code) in found, found


def test_every_documented_code_is_covered_above():
    assert set(BROKEN) == set(PROBLEM_CODES)


def test_flow_level_emergency_and_after_hours_problems():
    no_triage = mutate(
        _chain(
            _set("nodes.menu.options.0.next", "q_front"),
            _drop("triage"),
            _drop("emerg"),
            _drop("q_nurse"),
            _set("nodes.hours.closed", "vm"),
            _drop("oncall"),
        )
    )
    assert problems_of(no_triage) == [(None, "no-emergency-path"), (None, "missing-safety-net")]
    no_hours = mutate(_chain(_set("entry", "menu"), _drop("hours"), _drop("oncall")))
    assert problems_of(no_hours) == [(None, "no-after-hours-path")]
    # A menu option straight to an on-call clinician is an emergency path too.
    menu_only = mutate(
        _chain(
            _set("nodes.menu.options.0.next", "oncall"),
            _drop("triage"),
            _drop("emerg"),
            _drop("q_nurse"),
            _drop("q_front"),
        )
    )
    # ... but with no triage node, where an emergency said at the menu goes must be set.
    assert problems_of(menu_only) == [(None, "missing-safety-net")]
    menu_only["safety"] = {"emergency": "oncall", "urgent": "oncall"}
    assert problems_of(menu_only) == []


def test_every_problem_is_reported_at_once_in_document_order():
    data = mutate(
        _chain(
            _set("nodes.menu.no_input", None),
            _set("nodes.menu.options.1.digit", "1"),
            _set("nodes.q_front.overflow", "gone"),
            _add("lonely", {"kind": "say", "prompt": text("Hi")}),
            _set("fallback", "menu"),
        )
    )
    assert problems_of(data) == [
        (None, "invalid-fallback"),
        ("menu", "menu-without-no-input"),
        ("menu", "duplicate-digit"),
        ("q_front", "unknown-target"),
        ("lonely", "dead-end"),
        ("lonely", "unreachable-node"),
    ]
    messages = [p.message for p in validate_flow(flow(data))]
    assert "'overflow' points to unknown node 'gone'." in messages


def test_a_trapped_loop_names_each_member_once():
    data = mutate(
        _chain(
            _add("a", {"kind": "say", "prompt": text("A"), "next": "b"}),
            _add("b", {"kind": "branch", "rules": [], "default": "a"}),
            _set("nodes.menu.options.1.next", "a"),
        )
    )
    trapped = [p for p in validate_flow(flow(data)) if p.code == "loop-without-exit"]
    assert [p.node_id for p in trapped] == ["a", "b"]
    assert "(a, b)" in trapped[0].message
    # The silent-caller check does not repeat a loop already reported.
    assert not [p for p in validate_flow(flow(data)) if p.code == "no-input-loop"]


def test_a_self_loop_without_exit_is_caught():
    data = mutate(
        _chain(
            _add("spin", {"kind": "set", "next": "spin"}),
            _set("nodes.menu.options.1.next", "spin"),
        )
    )
    assert ("spin", "loop-without-exit") in problems_of(data)


def test_missing_translations_name_the_field_and_language():
    data = mutate(
        _chain(
            _set("languages", ["en", "es"]),
            _set("nodes.menu.options.0.phrases", {"en": ["nurse"]}),
        )
    )
    messages = {p.message for p in validate_flow(flow(data)) if p.node_id == "menu"}
    assert "'prompt' has no text or recording in 'es'." in messages
    assert "'options.0.phrases' has none in 'es'." in messages


def test_languages_chosen_by_nodes_must_be_flow_languages():
    data = mutate(_set("nodes.q_front.language", "fr"))
    assert ("q_front", "unknown-language") in problems_of(data)


# ---------------------------------------------------------------- shape (pydantic)


def field_errors(data: dict) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_flow(data)
    return [p.field for p in caught.value.problems]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_set("nodes.vm.kind", "teleport"), "document.nodes.vm"),
        (_set("nodes.vm.colour", "red"), "document.nodes.vm.voicemail.colour"),
        (_set("nodes.menu.options.0.digit", "12"), "document.nodes.menu.menu.options.0.digit"),
        (_set("nodes.menu.options.0.digit", None), "document.nodes.menu.menu.options.0"),
        (
            _add("t", {"kind": "transfer", "target": "not a number"}),
            "document.nodes.t.transfer.target",
        ),
        (
            _set("nodes.oncall.rota.0.ends", "2026-03-03T08:00:00Z"),
            "document.nodes.oncall.oncall.rota.0",
        ),
        (_set("nodes.oncall.timezone", "Mars/Olympus"), "document.nodes.oncall.oncall.timezone"),
        (_set("languages", ["en", "EN"]), "document.languages"),
        (_set("languages", []), "document.languages"),
        (_set("nodes.bad id!", {"kind": "hangup"}), "document.nodes.bad id!.[key]"),
        (_set("nodes.vm.prompt", {"text": {"en": "a\x00b"}}), "document"),
        (_set("nodes.q_front.priority", 1), "document.nodes.q_front.queue.priority"),
    ],
)
def test_bad_shapes_are_refused_naming_the_field(change, field):
    found = field_errors(mutate(change))
    assert any(f == field or f.startswith(field + ".") for f in found), found


@pytest.mark.parametrize(
    ("condition", "ok"),
    [
        ({"fact": "language", "op": "eq", "value": "es"}, True),
        ({"fact": "vars.tier", "op": "in", "value": ["a", "b"]}, True),
        ({"fact": "vars.count", "op": "lt", "value": 3}, True),
        ({"fact": "priority", "op": "in", "value": ["urgent", "emergency"]}, True),
        ({"fact": "priority", "op": "lt", "value": "3"}, False),
        ({"fact": "priority", "op": "ge", "value": True}, False),
        ({"fact": "language", "op": "in", "value": "es"}, False),
        ({"fact": "language", "op": "eq", "value": ["es"]}, False),
        ({"fact": "caller_phone", "op": "eq", "value": "x"}, False),
        ({"fact": "vars.Bad-Name", "op": "eq", "value": 1}, False),
    ],
)
def test_branch_conditions_are_checked(condition, ok):
    node = {"kind": "branch", "rules": [{"when": [condition], "next": "a"}], "default": "a"}
    data = {
        "name": "B",
        "entry": "b",
        "languages": ["en"],
        "nodes": {"b": node, "a": {"kind": "hangup"}},
    }
    if ok:
        FlowDocument.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            FlowDocument.model_validate(data)


def test_rota_entries_accept_times_or_instants_but_not_a_mix():
    doc = flow(
        mutate(
            _set(
                "nodes.oncall.rota",
                [
                    {
                        "starts": "2026-03-03T20:00:00-06:00",
                        "ends": "2026-03-04T08:00:00-06:00",
                        "target": "+13125550160",
                    },
                    {"starts": "17:00", "ends": "08:00", "target": "sip:oncall@pbx.example.org"},
                ],
            )
        )
    )
    assert validate_flow(doc) == []
    stored = json.loads(doc.model_dump_json())
    assert FlowDocument.model_validate(stored) == doc
    with pytest.raises(ValidationError):
        flow(
            mutate(
                _set(
                    "nodes.oncall.rota",
                    [
                        {
                            "starts": "2026-03-04T08:00:00Z",
                            "ends": "2026-03-03T08:00:00Z",
                            "target": "+13125550160",
                        }
                    ],
                )
            )
        )
    with pytest.raises(ValidationError):
        flow(mutate(_set("nodes.oncall.rota.0.starts", "2026-03-03T20:00:00")))  # no offset


def test_diff_lists_added_removed_and_changed_nodes():
    old = flow(good_flow())
    new = flow(
        mutate(
            _chain(
                _drop("q_front"),
                _set("nodes.triage.routine", "q_nurse"),
                _add("bye", {"kind": "hangup"}),
                _set("nodes.vm.position", {"x": 10, "y": 20}),
                _set("name", "Renamed"),
            )
        )
    )
    diff = diff_flows(old, new)
    assert diff.added == ["bye"]
    assert diff.removed == ["q_front"]
    assert diff.changed == ["triage"]  # moving a node in the designer is not a change
    assert diff.settings_changed == ["name"]
