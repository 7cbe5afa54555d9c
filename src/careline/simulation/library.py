"""Finding and reading scenarios: the ones shipped in `scenarios/` (package data)
and any JSON or TOML file a user points at."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from careline.core.errors import FieldProblem, NotFound
from careline.simulation.model import Scenario, ScenarioInvalid, parse_scenario

SHIPPED_PACKAGE = "careline.simulation.scenarios"
#: Refuse to read anything bigger: a scenario is a page of settings, not data.
MAX_BYTES = 1_000_000


class NoSuchScenario(NotFound):
    error_id = "no-such-scenario"
    title = "No such scenario"


@dataclass(frozen=True)
class ScenarioSummary:
    name: str
    description: str
    hours: float


def _shipped_files() -> dict[str, Any]:
    folder = resources.files(SHIPPED_PACKAGE)
    return {
        entry.name.removesuffix(".json"): entry
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


def shipped_names() -> list[str]:
    return sorted(_shipped_files())


def _decode(text: str, *, toml: bool, source: str) -> Any:
    try:
        return tomllib.loads(text) if toml else json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ScenarioInvalid(
            f"{source} is not valid JSON ({where}): {exc.msg}",
            problems=[FieldProblem("(file)", f"{where}: {exc.msg}")],
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioInvalid(
            f"{source} is not valid TOML: {exc}",
            problems=[FieldProblem("(file)", str(exc))],
        ) from None


def load_shipped(name: str) -> Scenario:
    files = _shipped_files()
    if name not in files:
        raise NoSuchScenario(f"No shipped scenario {name!r}; shipped: {', '.join(sorted(files))}.")
    return parse_scenario(_decode(files[name].read_text("utf-8"), toml=False, source=name))


def load_file(path: Path) -> Scenario:
    """A scenario file: `.toml` is read as TOML, anything else as JSON."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioInvalid(
                f"{path} is {size} bytes; a scenario file must be under {MAX_BYTES}",
                problems=[FieldProblem("(file)", "is too large")],
            )
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NoSuchScenario(f"Cannot read scenario file {path}: {exc}") from None
    return parse_scenario(_decode(text, toml=path.suffix.lower() == ".toml", source=str(path)))


def load_scenario(ref: str) -> Scenario:
    """A shipped scenario by name, else a file by path."""
    if ref in _shipped_files():
        return load_shipped(ref)
    path = Path(ref)
    if path.is_file():
        return load_file(path)
    raise NoSuchScenario(
        f"{ref!r} is neither a shipped scenario ({', '.join(shipped_names())}) nor a file."
    )


def shipped_scenarios() -> list[ScenarioSummary]:
    summaries = []
    for name in shipped_names():
        scenario = load_shipped(name)
        summaries.append(ScenarioSummary(name, scenario.description, scenario.hours))
    return summaries
