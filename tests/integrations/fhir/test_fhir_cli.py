"""`careline import fhir FILE`: summary JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from careline.cli import app
from careline.core.db import transaction
from careline.scheduling.tables import AppointmentRow

HERE = Path(__file__).parent


@pytest.fixture
def cli(settings, monkeypatch):
    monkeypatch.setenv("CARELINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(settings.keyring_file))
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, ["import", "fhir", *args])
        return result, result.stdout

    return invoke


def appointments(rt) -> int:
    with transaction(rt.sessions) as s:
        return s.execute(select(func.count(AppointmentRow.id))).scalar_one()


def test_a_clean_import_exits_zero_and_a_second_one_changes_nothing(rt, cli):
    path = str(HERE / "valid_bundle.json")
    result, out = cli(path, "--timezone", "America/New_York")
    assert result.exit_code == 0, out
    summary = json.loads(out)
    assert summary["ok"] is True and summary["errors"] == []
    assert summary["counts"]["Appointment"]["created"] == 2
    assert summary["counts"]["Patient"]["created"] == 2
    assert appointments(rt) == 2
    result, out = cli(path, "--timezone", "America/New_York")
    assert result.exit_code == 0
    again = json.loads(out)["counts"]
    assert {k for c in again.values() for k, v in c.items() if v} == {"unchanged", "skipped"}


def test_failed_resources_exit_one_with_each_error(rt, cli):
    result, out = cli(str(HERE / "partly_invalid_bundle.json"))
    assert result.exit_code == 1
    summary = json.loads(out)
    assert summary["ok"] is False and len(summary["errors"]) == 10
    first = summary["errors"][0]
    assert set(first) == {"resource_type", "id", "entry", "path", "message"}
    # What was left out of an imported resource is a warning, in the same shape.
    (warning,) = summary["warnings"]
    assert warning["id"] == "pat-badphone" and warning["path"] == "Patient.telecom[1].value"
    assert appointments(rt) == 1  # the good one still landed


def test_a_dry_run_exits_zero_and_writes_nothing(rt, cli):
    result, out = cli(str(HERE / "valid_bundle.json"), "--timezone", "America/Chicago", "--dry-run")
    assert result.exit_code == 0, out
    assert json.loads(out)["dry_run"] is True
    assert appointments(rt) == 0


def test_unusable_input_exits_two(rt, cli, tmp_path):
    result, out = cli(str(tmp_path / "missing.json"))
    assert result.exit_code == 2 and "cannot read" in json.loads(out)["error"]
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    result, out = cli(str(garbage))
    assert result.exit_code == 2 and "not JSON" in json.loads(out)["error"]
    not_bundle = tmp_path / "document.json"
    not_bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "document"}))
    result, out = cli(str(not_bundle))
    assert result.exit_code == 2
    assert json.loads(out)["error_id"] == "fhir-bundle-invalid"
    result, out = cli(str(HERE / "valid_bundle.json"), "--timezone", "Mars/Base")
    assert result.exit_code == 2 and json.loads(out)["problems"][0]["path"] == "timezone"
    assert appointments(rt) == 0


def test_hostile_nesting_is_an_import_error_not_a_crash(rt, cli, tmp_path):
    """Issue 11, item 26: deeply nested JSON crashed the import with RecursionError."""
    too_deep_for_json = tmp_path / "deep.json"
    too_deep_for_json.write_text("[" * 200_000 + "]" * 200_000)
    result, out = cli(str(too_deep_for_json))
    assert result.exit_code == 2 and "too deeply" in json.loads(out)["error"]
    nested: dict = {"valueString": "x"}
    for _ in range(80):  # parses fine, deeper than any FHIR resource
        nested = {"extension": [nested]}
    patient = {"resourceType": "Patient", "id": "p1", **nested}
    deep = tmp_path / "nested.json"
    deep.write_text(
        json.dumps(
            {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": patient}]}
        )
    )
    result, out = cli(str(deep))
    body = json.loads(out)
    assert result.exit_code == 2 and body["error_id"] == "fhir-bundle-invalid"
    assert any("nested deeper than 64" in p["message"] for p in body["problems"])
    assert appointments(rt) == 0


def test_an_oversized_file_is_refused_before_it_is_read(rt, cli, tmp_path, monkeypatch):
    from careline.integrations.fhir import cli as fhir_cli

    monkeypatch.setattr(fhir_cli, "MAX_FILE_BYTES", 1024)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"resourceType": "Bundle", "pad": "x" * 4096}))
    result, out = cli(str(big))
    assert result.exit_code == 2 and "larger than" in json.loads(out)["error"]
