"""`careline simulate` through the real command."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from careline.cli import app

runner = CliRunner()


def test_list_shows_the_shipped_scenarios():
    result = runner.invoke(app, ["simulate", "--list"])
    assert result.exit_code == 0, result.output
    for name in ("flu-season-monday", "quiet-day", "small-practice", "mmc-textbook"):
        assert name in result.stdout


def test_simulate_prints_the_report():
    result = runner.invoke(app, ["simulate", "small-practice", "--seed", "3", "--hours", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["scenario"] == "small-practice" and report["seed"] == 3 and report["hours"] == 2
    assert set(report["priorities"]) == {"routine", "urgent", "emergency"}
    assert "time_to_clinician" in report["priorities"]["urgent"]
    again = runner.invoke(app, ["simulate", "small-practice", "--seed", "3", "--hours", "2"])
    assert json.loads(again.stdout) == report


def test_simulate_a_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps(
            {
                "name": "mine",
                "hours": 1,
                "locations": [{"id": "a", "name": "A"}],
                "departments": {"desk": {"handle": {"distribution": "constant", "value": 60}}},
                "intents": {"book": {"department": "desk"}},
                "arrivals": [{"location": "a", "intent": "book", "per_hour": 30}],
                "staff": [{"location": "a", "department": "desk", "count": 2}],
            }
        ),
        "utf-8",
    )
    result = runner.invoke(app, ["simulate", str(path)])
    assert result.exit_code == 0, result.output
    assert "desk@a" in json.loads(result.stdout)["queues"]


def test_simulate_explains_bad_scenarios(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "bad", "hours": -1}), "utf-8")
    result = runner.invoke(app, ["simulate", str(path)])
    assert result.exit_code == 1
    assert "scenario-invalid" in result.stderr
    assert "hours:" in result.stderr and "locations:" in result.stderr
    missing = runner.invoke(app, ["simulate", "no-such-thing"])
    assert missing.exit_code == 1 and "no-such-scenario" in missing.stderr
    assert runner.invoke(app, ["simulate"]).exit_code == 2
    zero = runner.invoke(app, ["simulate", "quiet-day", "--hours", "0"])
    assert zero.exit_code == 1 and "hours" in zero.stderr
