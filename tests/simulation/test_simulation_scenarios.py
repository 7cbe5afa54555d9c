"""Scenario files: the shipped ones, the documented example, and clear errors for bad ones."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from careline.simulation.engine import simulate
from careline.simulation.library import (
    NoSuchScenario,
    load_file,
    load_scenario,
    shipped_names,
    shipped_scenarios,
)
from careline.simulation.model import ScenarioInvalid, parse_scenario, percentile

DOCS = Path(__file__).resolve().parents[2] / "docs" / "simulation.md"


def _fields(exc: pytest.ExceptionInfo[ScenarioInvalid]) -> dict[str, str]:
    return {p.field: p.message for p in exc.value.problems}


@pytest.fixture
def tiny() -> dict[str, Any]:
    return {
        "name": "tiny",
        "hours": 1,
        "locations": [{"id": "a", "name": "A"}],
        "departments": {"desk": {"handle": {"distribution": "exponential", "mean": 120}}},
        "intents": {"book": {"department": "desk"}},
        "arrivals": [{"location": "a", "intent": "book", "per_hour": 10}],
        "staff": [{"location": "a", "department": "desk", "count": 1}],
    }


def test_shipped_scenarios_are_listed_and_valid():
    names = shipped_names()
    assert {"flu-season-monday", "quiet-day", "mmc-textbook", "small-practice"} <= set(names)
    for summary in shipped_scenarios():
        assert summary.description and summary.hours > 0
    flu = load_scenario("flu-season-monday")
    assert len(flu.locations) == 3 and flu.clinical_department == "nurse_triage"
    # Front-desk volume triples 08:00-10:00.
    assert flu.profiles["flu-monday-admin"].multiplier(8) == 3.0
    assert flu.profiles["flu-monday-admin"].multiplier(9) == 3.0


def test_the_documented_toml_example_loads_and_runs(tmp_path):
    block = re.search(r"```toml\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    assert block is not None
    path = tmp_path / "two-clinics.toml"
    path.write_text(block.group(1), "utf-8")
    scenario = load_scenario(str(path))
    assert scenario.name == "two-clinics" and scenario.callbacks is not None
    report = simulate(scenario, hours=1)
    assert report["calls"] > 0 and "scheduling@north" in report["queues"]


def test_json_file_and_toml_never(tmp_path, tiny):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny), "utf-8")
    assert load_file(path).name == "tiny"
    toml = tmp_path / "never.toml"
    toml.write_text(
        'name = "never"\nhours = 1\n'
        '[[locations]]\nid = "a"\nname = "A"\n'
        '[departments.desk]\nhandle = { distribution = "constant", value = 60 }\n'
        '[intents.book]\ndepartment = "desk"\n'
        '[[arrivals]]\nlocation = "a"\nintent = "book"\nper_hour = 5\n'
        '[[staff]]\nlocation = "a"\ndepartment = "desk"\ncount = 1\n'
        '[routing.routine]\nescalate_after_seconds = "never"\n',
        "utf-8",
    )
    assert load_file(toml).routing.routine.escalate_after_seconds is None


def test_unknown_scenario_and_unreadable_files(tmp_path):
    with pytest.raises(NoSuchScenario) as err:
        load_scenario("flu-season-tuesday")
    assert "flu-season-monday" in err.value.detail  # says what exists
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x",\n "hours": }', "utf-8")
    with pytest.raises(ScenarioInvalid) as bad:
        load_scenario(str(broken))
    assert "line 2" in bad.value.detail
    bad_toml = tmp_path / "broken.toml"
    bad_toml.write_text("name = \n", "utf-8")
    with pytest.raises(ScenarioInvalid):
        load_scenario(str(bad_toml))
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(NoSuchScenario):
        load_scenario(str(binary))


def _break(tiny: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(tiny)
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field", "says"),
    [
        ("surprise", 1, "surprise", "Extra inputs"),
        ("hours", 0, "hours", "greater than 0"),
        ("hours", float("inf"), "hours", "finite"),
        ("name", "Flu Monday!", "name", "pattern"),
        ("start", "8am", "start", "HH:MM"),
        ("languages", {"en": 0.5, "es": 0.3}, "languages", "add up to 1"),
        ("languages", {"english": 1.0}, "languages", "language code"),
        ("arrivals.0.intent", "refils", "arrivals.0.intent", "no intent 'refils'"),
        ("arrivals.0.location", "z", "arrivals.0.location", "no location"),
        ("arrivals.0.per_hour", -1, "arrivals.0.per_hour", "greater than or equal"),
        ("arrivals.0.profile", "rush", "arrivals.0.profile", "no profile"),
        ("intents.book.department", "nope", "intents.book.department", "no department"),
        ("staff.0.department", "nope", "staff.0.department", "no department"),
        ("staff.0.shift", "17:00-09:00", "staff.0.shift", "end after it starts"),
        ("staff.0.shift", "9-5", "staff.0.shift", "HH:MM-HH:MM"),
        ("staff.0.count", 0, "staff.0.count", "greater than or equal"),
        ("staff.0.languages", ["en", "xx-yyy"], "staff.0.languages.1", "language code"),
        (
            "departments.desk.handle",
            {"distribution": "uniform", "low": 9, "high": 3},
            "departments.desk.handle.uniform",
            "high must not be below low",
        ),
        (
            "departments.desk.handle",
            {"distribution": "gamma", "mean": 3},
            "departments.desk.handle",
            "does not match any of the expected tags",
        ),
        (
            "intents.book",
            {"department": "desk", "urgent_share": 0.7, "emergency_share": 0.5},
            "intents.book",
            "must not exceed 1",
        ),
        (
            "intents.book",
            {"department": "desk", "urgent_share": 0.1},
            "clinical_department",
            "is required",
        ),
        ("clinical_department", "desk", "clinical_department", "clinical: true"),
        ("clinical_department", "icu", "clinical_department", "no department"),
        ("callbacks", {"threshold_seconds": 0}, "callbacks.threshold_seconds", "greater than 0"),
        ("on_call", {"lines": 0}, "on_call.lines", "greater than or equal"),
        (
            "profiles",
            {"rush": {"hours": {"8": 2.0}}},
            "profiles.rush.hours",
            "two digits",
        ),
    ],
)
def test_invalid_scenarios_name_the_field(tiny, path, value, field, says):
    with pytest.raises(ScenarioInvalid) as err:
        parse_scenario(_break(tiny, path, value))
    fields = _fields(err)
    assert field in fields, fields
    assert says in fields[field]
    assert err.value.error_id == "scenario-invalid"


def test_every_problem_is_reported_at_once(tiny):
    data = _break(_break(tiny, "arrivals.0.intent", "x"), "staff.0.location", "y")
    with pytest.raises(ScenarioInvalid) as err:
        parse_scenario(data)
    assert {"arrivals.0.intent", "staff.0.location"} <= set(_fields(err))


def test_repeated_location_ids_are_refused(tiny):
    data = _break(tiny, "locations", [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}])
    with pytest.raises(ScenarioInvalid) as err:
        parse_scenario(data)
    assert "locations.1.id" in _fields(err)


def test_percentile_is_nearest_rank():
    assert percentile([], 0.9) is None
    assert percentile([5.0], 0.9) == 5.0
    values = [float(v) for v in range(1, 11)]
    assert percentile(values, 0.9) == 9.0
    assert percentile(values, 1.0) == 10.0
    assert percentile(list(reversed(values)), 0.5) == 5.0
