"""Simulated callers through the real published call flow: the main-line example, the
real flow engine and the real triage decide where each caller goes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from careline.cli import app
from careline.flows import actions as act
from careline.flows.model import LanguageNode, MenuNode, SayNode
from careline.routing.model import Priority
from careline.simulation.engine import simulate
from careline.simulation.ivr import (
    SECONDS_PER_DIGIT,
    IvrCall,
    make_world,
    speaking_seconds,
)
from careline.simulation.library import (
    load_flow,
    load_scenario,
    phrase_bank,
    triage_classifier,
)
from careline.simulation.model import Scenario, ScenarioInvalid, parse_scenario

DOCS = Path(__file__).resolve().parents[2] / "docs" / "simulation.md"
LEVELS = ("routine", "urgent", "emergency")
NURSE = {"handle": {"distribution": "constant", "value": 300}, "clinical": True}
DESK = {"handle": {"distribution": "constant", "value": 120}}


def _data(**overrides: Any) -> dict[str, Any]:
    """One clinic, a front desk and a nurse, callers through the main-line flow."""
    data: dict[str, Any] = {
        "name": "tiny-flow",
        "date": "2026-01-12",
        "start": "08:00",
        "hours": 2,
        "drain_hours": 1,
        "locations": [{"id": "a", "name": "A"}],
        "departments": {"scheduling": DESK, "nurse_triage": NURSE},
        "clinical_department": "nurse_triage",
        "intents": {
            "appointments": {"department": "scheduling"},
            "symptoms": {
                "department": "nurse_triage",
                "urgent_share": 0.3,
                "emergency_share": 0.2,
            },
        },
        "arrivals": [{"location": "a", "intent": "appointments", "per_hour": 20}],
        "staff": [
            {"location": "a", "department": "scheduling", "count": 3},
            {"location": "a", "department": "nurse_triage", "count": 2},
        ],
        "on_call": {"lines": 2, "answer_seconds": 10},
        "flow": {
            "source": "main-line",
            "departments": {
                "refills": "scheduling",
                "billing": "scheduling",
                "general": "scheduling",
            },
            "scripts": {"appointments": ["press 1"], "symptoms": ["press 2", "symptom"]},
        },
    }
    for key, value in overrides.items():
        if key.startswith("flow_"):
            data["flow"][key[5:]] = value
        else:
            data[key] = value
    return data


def _scenario(**overrides: Any) -> Scenario:
    return parse_scenario(_data(**overrides))


def _fields(exc: pytest.ExceptionInfo[ScenarioInvalid]) -> dict[str, str]:
    return {p.field: p.message for p in exc.value.problems}


def _ivr(scenario: Scenario, **caller: Any) -> IvrCall:
    flow = load_flow(scenario)
    assert flow is not None
    world = make_world(
        scenario, flow, hours=scenario.hours, classify=triage_classifier(), phrases=phrase_bank()
    )
    return IvrCall(world, location="a", **caller)


# ---------------------------------------------------------------- the phrase bank


def test_every_phrase_is_what_the_real_triage_says_it_is():
    classify = triage_classifier()
    bank = phrase_bank()
    assert {"en", "es"} <= set(bank.languages)
    for language, phrases in bank.languages.items():
        for level in LEVELS:
            for phrase in getattr(phrases, level):
                assert classify(phrase, language)[0] == level, (language, level, phrase)


# ---------------------------------------------------------------- one caller in the flow


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("urgency", list(Priority))
def test_a_symptom_caller_is_triaged_by_the_real_triage(language, urgency):
    scenario = _scenario()
    for pick in (0.0, 0.5, 0.99):
        call = _ivr(
            scenario,
            language=language,
            urgency=urgency,
            steps=["press 2", "symptom"],
            phrase_pick=pick,
        )
        segment = call.start(0.0)
        assert segment is not None
        assert segment.handoff == act.Enqueue("nurse_triage", urgency.value, language, "a")
        assert call.triage == urgency.value
        assert call.state.language == language
        # An emergency hears the emergency guidance first, and is never queued routine.
        assert ("emergency_guidance" in call.state.history) is (urgency is Priority.emergency)


def test_the_ivr_time_is_what_the_caller_hears_and_does():
    """Prompts at 15 characters a second, half a second a key (as the virtual carrier)."""
    scenario = _scenario()
    flow = load_flow(scenario)
    assert flow is not None
    call = _ivr(scenario, language="en", urgency=Priority.routine, steps=["press 1"])
    segment = call.start(0.0)
    assert segment is not None and segment.handoff == act.Enqueue(
        "scheduling", "routine", "en", "a"
    )
    welcome, language, menu = (flow.nodes[n] for n in ("welcome", "choose_language", "main_menu"))
    assert isinstance(welcome, SayNode) and isinstance(language, LanguageNode)
    assert isinstance(menu, MenuNode)
    heard = [welcome.prompt.text["en"], *language.prompt.text.values(), menu.prompt.text["en"]]
    expected = sum(speaking_seconds(t) for t in heard) + 2 * SECONDS_PER_DIGIT
    assert segment.seconds == pytest.approx(expected)


def test_a_silent_caller_waits_out_every_retry_and_reaches_the_front_desk():
    scenario = _scenario()
    call = _ivr(scenario, language="en", urgency=Priority.routine, steps=[])
    segment = call.start(0.0)
    assert segment is not None
    assert segment.handoff == act.Enqueue("general", "routine", "en", "a")
    pressed = _ivr(scenario, language="en", urgency=Priority.routine, steps=["press 1"])
    quick = pressed.start(0.0)
    assert quick is not None
    # Three 6-second timeouts (the first try and two retries) and the retry prompts.
    assert segment.seconds > quick.seconds + 3 * 6


# ---------------------------------------------------------------- whole runs


def _ends_add_up(stats: dict[str, Any]) -> None:
    ends = sum(
        stats[k]
        for k in (
            "answered",
            "abandoned",
            "callbacks_completed",
            "answering_service",
            "voicemail",
            "left_queue",
            "unfinished",
        )
    )
    assert ends == stats["offered"]


def test_keypad_one_callers_all_queue_for_scheduling():
    report = simulate(_scenario())
    flow = report["flow"]
    assert flow["callers"] > 20
    assert flow["handoffs"]["queue"] == flow["callers"]
    assert flow["queues"] == {"scheduling": {"routine": flow["callers"]}}
    assert set(report["queues"]) == {"scheduling@a"}
    assert report["calls"] == flow["callers"]
    assert flow["triage"] == {"emergency": 0, "urgent": 0, "routine": 0, "no_answer": 0}
    # Everyone did the same thing: the IVR took each of them the same time.
    assert flow["ivr_seconds"]["mean"] == flow["ivr_seconds"]["max"] > 20
    _ends_add_up(report["totals"])


def test_symptom_callers_go_by_their_words_and_emergencies_never_wait_as_routine():
    report = simulate(
        _scenario(
            arrivals=[{"location": "a", "intent": "symptoms", "per_hour": 40}],
            # Open past the last arrival: a caller of 09:59 is still in the menus at 10:00.
            flow_open_hours="07:00-19:00",
        )
    )
    flow = report["flow"]
    by_urgency = flow["priority_by_urgency"]
    assert by_urgency["emergency"]["emergency"] > 0 and by_urgency["urgent"]["urgent"] > 0
    for level in LEVELS:  # the phrase bank says what triage hears
        assert by_urgency[level][level] == sum(by_urgency[level].values())
    assert flow["triage"]["emergency"] == by_urgency["emergency"]["emergency"]
    assert set(flow["queues"]) <= {"nurse_triage"}
    assert report["priorities"]["emergency"]["offered"] == by_urgency["emergency"]["emergency"]
    assert report["priorities"]["routine"]["offered"] == by_urgency["routine"]["routine"]
    for stats in report["queues"].values():
        _ends_add_up(stats)


def test_spanish_callers_queue_in_spanish():
    english_only_staff = [
        {"location": "a", "department": "scheduling", "count": 3, "languages": ["en"]},
        {"location": "a", "department": "nurse_triage", "count": 2, "languages": ["en"]},
    ]
    spanish = simulate(_scenario(languages={"es": 1.0}, staff=english_only_staff))
    assert spanish["flow"]["languages"] == {"es": spanish["flow"]["callers"]}
    totals = spanish["totals"]
    assert totals["answered"] > 0
    assert totals["interpreted"] == totals["answered"]  # no agent speaks the queue's language
    english = simulate(_scenario(staff=english_only_staff))
    assert english["totals"]["interpreted"] == 0
    # A caller whose language the flow does not offer takes its first one.
    vietnamese = simulate(_scenario(languages={"vi": 1.0}))
    assert vietnamese["flow"]["languages"] == {"en": vietnamese["flow"]["callers"]}


def test_a_nurse_line_caller_past_the_escalation_time_goes_to_the_on_call_clinician():
    """The routing core escalates; the flow's overflow (q_nurse -> oncall) dials."""
    scenario = _scenario(
        intents={"symptoms": {"department": "nurse_triage", "urgent_share": 1.0}},
        arrivals=[{"location": "a", "intent": "symptoms", "per_hour": 10}],
        staff=[{"location": "a", "department": "scheduling", "count": 1}],  # no nurse
        on_call={"lines": 50, "answer_seconds": 10},
        routing={"urgent": {"escalate_after_seconds": 45}},
        flow_scripts={"symptoms": ["press 2", "symptom"]},
    )
    report = simulate(scenario)
    urgent = report["priorities"]["urgent"]
    assert urgent["offered"] == urgent["on_call"] == urgent["answered"] > 0
    # 45 s in line, then 10 s of ringing: from queue entry, exactly 55 s each.
    assert urgent["time_to_clinician"]["max_seconds"] == 55.0
    assert urgent["time_to_clinician"]["mean_seconds"] == 55.0
    flow = report["flow"]
    assert flow["handoffs"]["on_call"] == flow["callers"]
    from_ring = flow["time_to_clinician"]["urgent"]
    assert from_ring["reached"] == flow["callers"]
    assert from_ring["mean_seconds"] == pytest.approx(55 + flow["ivr_seconds"]["mean"], abs=0.2)


def test_with_every_on_call_line_busy_the_flow_goes_to_the_answering_service():
    scenario = _scenario(
        intents={"symptoms": {"department": "nurse_triage", "urgent_share": 1.0}},
        arrivals=[{"location": "a", "intent": "symptoms", "per_hour": 60}],
        staff=[{"location": "a", "department": "scheduling", "count": 1}],
        on_call={"lines": 1, "answer_seconds": 10},
        flow_scripts={"symptoms": ["press 2", "symptom"]},
    )
    report = simulate(scenario)
    flow = report["flow"]
    assert flow["handoffs"]["on_call"] > 0 and flow["handoffs"]["answering_service"] > 0
    assert flow["handoffs"]["on_call"] + flow["handoffs"]["answering_service"] == flow["callers"]
    urgent = report["priorities"]["urgent"]
    assert urgent["answering_service"] == flow["handoffs"]["answering_service"]
    assert urgent["time_to_clinician"]["not_reached"] == urgent["answering_service"]
    assert flow["time_to_clinician"]["urgent"]["not_reached"] == urgent["answering_service"]


@pytest.mark.parametrize(("accept", "end"), [(1.0, "callback"), (0.0, "voicemail")])
def test_a_routine_caller_past_the_limit_gets_the_flows_call_back_offer(accept, end):
    """q_scheduling's overflow is the flow's call-back offer: taken, the caller keeps
    their place and is called back; declined, they leave a voicemail."""
    scenario = _scenario(
        arrivals=[{"location": "a", "intent": "appointments", "per_hour": 60}],
        staff=[{"location": "a", "department": "scheduling", "count": 1}],
        routing={"routine": {"escalate_after_seconds": 120}},
        # Never offered in line (the estimate stays below a week): only the flow offers.
        callbacks={"threshold_seconds": 600_000, "accept_share": accept},
        drain_hours=24,
    )
    report = simulate(scenario)
    flow, totals = report["flow"], report["totals"]
    assert totals["callbacks_offered"] == flow["handoffs"][end] > 0
    if end == "callback":
        assert totals["callbacks_completed"] == totals["callbacks"] == flow["handoffs"]["callback"]
        assert totals["voicemail"] == 0
    else:
        assert totals["voicemail"] == flow["handoffs"]["voicemail"] and totals["callbacks"] == 0
    _ends_add_up(totals)
    assert sum(flow["handoffs"].values()) == flow["callers"]


def test_opening_hours_and_holidays_decide_the_flows_hours_node():
    # Open from 09:00 (the run starts at 08:00): at 08:30 the caller hears the
    # after-hours menu, where "1" rings the on-call clinician; at 09:30 the same key
    # is the appointments line.
    scenario = _scenario(flow_open_hours="09:00-17:00")
    early = _ivr(scenario, language="en", urgency=Priority.routine, steps=["press 1"])
    segment = early.start(1800.0)
    assert segment is not None and segment.node_kind == "oncall"
    assert "after_hours" in early.state.history and isinstance(segment.handoff, act.Dial)
    later = _ivr(scenario, language="en", urgency=Priority.routine, steps=["press 1"])
    segment = later.start(5400.0)
    assert segment is not None and segment.handoff == act.Enqueue(
        "scheduling", "routine", "en", "a"
    )
    flow = simulate(scenario)["flow"]
    assert flow["handoffs"]["on_call"] > 0 and flow["handoffs"]["queue"] > 0
    # By default the clinic is open while calls arrive.
    assert simulate(_scenario())["flow"]["handoffs"]["on_call"] == 0
    # A holiday: everyone gets the after-hours menu; with nobody on call, the
    # on-call node's no-answer branch is the answering service.
    holiday = simulate(_scenario(flow_holidays=["2026-01-12"], on_call=None))
    assert holiday["flow"]["handoffs"]["answering_service"] == holiday["flow"]["callers"] > 0
    assert holiday["calls"] == 0
    ringing = _ivr(
        _scenario(flow_holidays=["2026-01-12"]),
        language="en",
        urgency=Priority.routine,
        steps=["press 1"],
    )
    ringing.start(0.0)
    assert "holiday_notice" in ringing.state.history


# ---------------------------------------------------------------- the flu-season Monday


@pytest.fixture(scope="module")
def flu() -> dict[str, Any]:
    return simulate(load_scenario("flu-season-monday-flow"))


def test_flu_monday_through_the_real_flow_still_meets_the_bar(flu):
    urgent = flu["priorities"]["urgent"]
    emergency = flu["priorities"]["emergency"]
    routine = flu["priorities"]["routine"]
    assert urgent["offered"] >= 50 and emergency["offered"] >= 3
    # From entering the nurse queue: urgent within a minute, emergencies within 15 s.
    assert urgent["time_to_clinician"]["not_reached"] == 0
    assert emergency["time_to_clinician"]["not_reached"] == 0
    assert urgent["time_to_clinician"]["max_seconds"] <= 60
    assert emergency["time_to_clinician"]["max_seconds"] <= 15
    # While routine waits grow at the 08:00-10:00 peak.
    assert routine["asa_seconds"] >= 5 * max(urgent["asa_seconds"], 1.0)
    for hour in ("08:00", "09:00"):
        assert flu["by_hour"][hour]["routine"]["asa_seconds"] >= 60
    # From the first ring, the IVR comes first: the report says by how much.
    flow = flu["flow"]
    for level in ("urgent", "emergency"):
        from_ring = flow["time_to_clinician"][level]
        assert from_ring["callers"] == flu["priorities"][level]["offered"]
        assert from_ring["reached"] == from_ring["callers"]
        assert (
            from_ring["max_seconds"] > flu["priorities"][level]["time_to_clinician"]["max_seconds"]
        )


def test_flu_monday_through_the_flow_accounts_for_every_caller(flu):
    flow = flu["flow"]
    assert flow["name"] == "Main line" and flow["source"] == "main-line"
    assert sum(flow["handoffs"].values()) == flow["callers"]
    assert flow["handoffs"]["unfinished"] == 0
    queued = sum(n for row in flow["queues"].values() for n in row.values())
    assert queued == flow["handoffs"]["queue"]
    assert set(flow["queues"]) == {"scheduling", "refills", "billing", "nurse_triage"}
    # Symptom callers were triaged by their words; nobody was silent.
    assert flow["triage"]["no_answer"] == 0
    # In the main line only triage raises a caller's priority.
    for level in ("urgent", "emergency"):
        raised = sum(row[level] for row in flow["priority_by_urgency"].values())
        assert flow["triage"][level] == raised > 0
    assert flow["priority_by_urgency"]["emergency"]["routine"] == 0
    assert set(flow["languages"]) == {"en", "es"}
    assert 20 < flow["ivr_seconds"]["mean"] <= flow["ivr_seconds"]["p90"]
    for stats in [flu["totals"], *flu["queues"].values(), *flu["priorities"].values()]:
        _ends_add_up(stats)


def test_the_documented_flow_section_runs_the_flu_monday():
    block = re.search(r'```json\n(\{\n  "flow".*?)```', DOCS.read_text("utf-8"), re.S)
    assert block is not None
    documented = json.loads(block.group(1))["flow"]
    shipped = resources.files("careline.simulation.scenarios").joinpath("flu-season-monday.json")
    data = json.loads(shipped.read_text("utf-8"))
    report = simulate(parse_scenario({**data, "flow": documented}), hours=1)
    assert report["flow"]["callers"] > 50 and report["flow"]["source"] == "main-line"


# ---------------------------------------------------------------- determinism


def test_same_seed_same_report_through_the_flow():
    scenario = load_scenario("flu-season-monday-flow")
    first = simulate(scenario, hours=2, seed=3)
    assert simulate(scenario, hours=2, seed=3) == first
    assert simulate(scenario, hours=2, seed=4) != first


def test_same_flow_report_whatever_the_hash_seed():
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        code = (
            "import json; from careline.simulation.engine import simulate; "
            "from careline.simulation.library import load_scenario; "
            "print(json.dumps(simulate(load_scenario('flu-season-monday-flow'), hours=1)))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert outputs[0]["flow"]["callers"] > 100


# ---------------------------------------------------------------- bad flows and scripts


def _main_line() -> dict[str, Any]:
    flow = load_flow(_scenario())
    assert flow is not None
    return flow.model_dump(mode="json", exclude_none=True)


def _broken_flow() -> dict[str, Any]:
    data = _main_line()
    data["nodes"]["main_menu"]["no_input"] = None
    return data


def test_a_broken_flow_file_is_refused_naming_the_problem(tmp_path):
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "draft.json").write_text(json.dumps(_broken_flow()), "utf-8")
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(_data(flow_source="flows/draft.json")), "utf-8")
    with pytest.raises(ScenarioInvalid) as err:
        load_scenario(str(path))  # the flow file is found next to the scenario
    fields = _fields(err)
    assert "menu-without-no-input" in fields["flow.nodes.main_menu"]
    result = CliRunner().invoke(app, ["simulate", str(path)])
    assert result.exit_code == 1
    assert "flow.nodes.main_menu: menu-without-no-input" in result.stderr


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"flow_source": "side-line"}, "flow.source", "no example flow 'side-line'"),
        ({"flow_source": "/no/such/flow.json"}, "flow.source", "cannot read"),
        ({"flow_departments": {}}, "flow.nodes.q_refills.department", "department 'refills'"),
        (
            {"flow_departments": {"general": "lab"}},
            "flow.departments.general",
            "no department 'lab'",
        ),
        ({"flow_scripts": {"symptoms": ["press 2"]}}, "flow.scripts", "'appointments'"),
        (
            {"flow_scripts": {"appointments": [], "symptoms": [], "refils": []}},
            "flow.scripts.refils",
            "no intent 'refils'",
        ),
        (
            {"flow_scripts": {"appointments": ["push 1"], "symptoms": []}},
            "flow.scripts.appointments.routine.0",
            "'press DIGITS'",
        ),
        ({"flow_timezone": "Mars/Olympus"}, "flow.timezone", "IANA"),
        ({"flow_open_hours": "17:00-09:00"}, "flow.open_hours", "end after it starts"),
        ({"flow_locations": {"loc-1": "z"}}, "flow.locations.loc-1", "no location 'z'"),
        ({"flow_surprise": 1}, "flow.surprise", "Extra inputs"),
    ],
)
def test_bad_flow_sections_name_the_field(change, field, says):
    with pytest.raises(ScenarioInvalid) as err:
        scenario = parse_scenario(_data(**change))
        load_flow(scenario)
    fields = _fields(err)
    assert field in fields, fields
    assert says in fields[field]
    assert err.value.error_id == "scenario-invalid"


def test_a_flow_file_that_is_not_a_flow(tmp_path):
    for name, text, field in [
        ("garbage.json", "{nope", "flow.source"),
        ("shape.json", json.dumps({"name": "x"}), "flow.document.entry"),
    ]:
        path = tmp_path / name
        path.write_text(text, "utf-8")
        with pytest.raises(ScenarioInvalid) as err:
            load_flow(parse_scenario(_data(flow_source=str(path))))
        assert field in _fields(err)


def test_a_queue_at_a_flow_location_is_mapped_to_a_scenario_location(tmp_path):
    data = _main_line()
    data["nodes"]["q_scheduling"]["location_id"] = "loc-downtown"
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(data), "utf-8")
    two_clinics = {
        "locations": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "arrivals": [{"location": "b", "intent": "appointments", "per_hour": 20}],
    }
    with pytest.raises(ScenarioInvalid) as err:
        load_flow(parse_scenario(_data(flow_source=str(path), **two_clinics)))
    assert "flow.nodes.q_scheduling.location_id" in _fields(err)
    scenario = parse_scenario(
        _data(flow_source=str(path), flow_locations={"loc-downtown": "a"}, **two_clinics)
    )
    report = simulate(scenario)
    # Callers of clinic B: the flow's appointments queue is clinic A's.
    assert set(report["queues"]) == {"scheduling@a"} and report["calls"] > 0


# ---------------------------------------------------------------- the command


def test_the_command_runs_the_flow_scenario_and_documents_the_options():
    runner = CliRunner()
    result = runner.invoke(app, ["simulate", "flu-season-monday-flow", "--hours", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["scenario"] == "flu-season-monday-flow" and report["flow"]["callers"] > 0
    plain = runner.invoke(app, ["simulate", "flu-season-monday-flow", "--hours", "1", "--no-flow"])
    assert plain.exit_code == 0 and "flow" not in json.loads(plain.stdout)
    listed = runner.invoke(app, ["simulate", "--list"])
    assert "flu-season-monday-flow" in listed.stdout
    helped = runner.invoke(app, ["simulate", "--help"], env={"COLUMNS": "200"})
    assert "--flow" in helped.stdout and "--no-flow" in helped.stdout
    assert "main-line" in helped.stdout
    bad = runner.invoke(app, ["simulate", "quiet-day", "--flow", "main-line"])
    assert bad.exit_code == 1 and "flow:" in bad.stderr
    unknown = runner.invoke(app, ["simulate", "flu-season-monday-flow", "--flow", "nope"])
    assert unknown.exit_code == 1 and "flow.source: no example flow 'nope'" in unknown.stderr
