"""`careline staffing` through the real command."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from careline.cli import app

runner = CliRunner()
LOAD = ["staffing", "--calls-per-hour", "200", "--aht-seconds", "180", "--target-seconds", "20"]


def test_staffing_with_agents_prints_json():
    result = runner.invoke(app, [*LOAD, "--agents", "13"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["agents"] == 13 and body["traffic_erlangs"] == 10.0
    assert abs(body["service_level"] - 0.7956) < 1e-4
    assert set(body) >= {"p_wait", "asa_seconds", "service_level", "occupancy"}


def test_staffing_for_a_service_level_prints_the_agents_needed():
    result = runner.invoke(app, [*LOAD, "--service-level", "0.8"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["agents"] == 14 and body["service_level"] >= 0.8


def test_staffing_refuses_an_unstable_queue():
    result = runner.invoke(app, [*LOAD, "--agents", "9"])
    assert result.exit_code == 1
    assert "queue-unstable" in result.stderr and "10.00 erlangs" in result.stderr


def test_staffing_needs_exactly_one_of_agents_or_level():
    assert runner.invoke(app, LOAD).exit_code == 2
    assert runner.invoke(app, [*LOAD, "--agents", "14", "--service-level", "0.8"]).exit_code == 2


def test_staffing_names_the_bad_option():
    result = runner.invoke(app, [*LOAD, "--service-level", "80"])
    assert result.exit_code == 1
    assert "--service-level" in result.stderr and "0.8 for 80%" in result.stderr
    result = runner.invoke(
        app, ["staffing", "--calls-per-hour", "0", "--aht-seconds", "180", "--agents", "3"]
    )
    assert result.exit_code == 1 and "--calls-per-hour" in result.stderr
