"""Finding and reading scenarios: the ones shipped in `scenarios/` (package data)
and any JSON or TOML file a user points at; the call flow a scenario names (an
example shipped in `careline/flows/examples/` or a flow file), the phrase bank of
simulated callers and the triage that classifies their words."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from careline.core.errors import FieldProblem, NotFound, ValidationFailed
from careline.flows.model import FlowDocument, parse_flow
from careline.simulation.ivr import PhraseBank, flow_problems
from careline.simulation.model import Scenario, ScenarioInvalid, parse_scenario

SHIPPED_PACKAGE = "careline.simulation.scenarios"
FLOW_EXAMPLES = ("careline.flows", "examples")
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
    scenario = parse_scenario(_decode(files[name].read_text("utf-8"), toml=False, source=name))
    load_flow(scenario)
    return scenario


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
    scenario = parse_scenario(_decode(text, toml=path.suffix.lower() == ".toml", source=str(path)))
    if scenario.flow is not None and scenario.flow.is_file:
        # A flow file is found next to the scenario file, wherever the run starts from.
        scenario = with_flow_source(scenario, str(path.parent / scenario.flow.source))
    load_flow(scenario)
    return scenario


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


# ---------------------------------------------------------------- call flows


def flow_examples() -> list[str]:
    folder = resources.files(FLOW_EXAMPLES[0]).joinpath(FLOW_EXAMPLES[1])
    return sorted(
        e.name.removesuffix(".json") for e in folder.iterdir() if e.name.endswith(".json")
    )


def with_flow_source(scenario: Scenario, source: str) -> Scenario:
    """The scenario with its flow read from `source` (e.g. a draft to try)."""
    if scenario.flow is None:
        raise ScenarioInvalid(
            "The scenario has no flow section: add one with the callers' scripts.",
            problems=[FieldProblem("flow", "is required to run callers through a flow")],
        )
    settings = scenario.flow.model_copy(update={"source": source})
    return scenario.model_copy(update={"flow": settings})


def _flow_invalid(detail: str, problems: list[FieldProblem]) -> ScenarioInvalid:
    return ScenarioInvalid(detail, problems=problems)


def _read_flow(source: str, *, is_file: bool) -> FlowDocument:
    where = "flow.source"
    if not is_file:
        examples = flow_examples()
        if source not in examples:
            raise _flow_invalid(
                f"No example flow {source!r}.",
                [
                    FieldProblem(
                        where,
                        f"no example flow {source!r} (examples: {', '.join(examples)}); "
                        "a flow file's path ends in .json",
                    )
                ],
            )
        entry = resources.files(FLOW_EXAMPLES[0]).joinpath(FLOW_EXAMPLES[1], f"{source}.json")
        text = entry.read_text("utf-8")
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise _flow_invalid(
                    f"The flow file {path} is too large.",
                    [FieldProblem(where, f"the file is over {MAX_BYTES} bytes")],
                )
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = (
                exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            )
            raise _flow_invalid(
                f"Cannot read the flow file {path}: {reason}.",
                [FieldProblem(where, f"cannot read {path}: {reason}")],
            ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno}, column {exc.colno}"
        raise _flow_invalid(
            f"The flow {source} is not valid JSON ({at}).",
            [FieldProblem(where, f"not valid JSON ({at}): {exc.msg}")],
        ) from None
    try:
        return parse_flow(data, field="flow.document")
    except ValidationFailed as exc:
        raise _flow_invalid(f"The flow {source} has invalid fields.", exc.problems) from None


def load_flow(scenario: Scenario) -> FlowDocument | None:
    """The flow a scenario names (None: it has none), checked: a readable, valid flow
    whose departments and locations the scenario has. `ScenarioInvalid` otherwise."""
    if scenario.flow is None:
        return None
    flow = _read_flow(scenario.flow.source, is_file=scenario.flow.is_file)
    problems = flow_problems(scenario, flow)
    if problems:
        names = ", ".join(p.field for p in problems[:5]) + ("..." if len(problems) > 5 else "")
        raise _flow_invalid(f"The flow {flow.name!r} cannot run this scenario: {names}.", problems)
    return flow


@lru_cache(maxsize=1)
def phrase_bank() -> PhraseBank:
    """The shipped phrase bank (`careline/simulation/phrases.json`)."""
    text = resources.files("careline.simulation").joinpath("phrases.json").read_text("utf-8")
    try:
        return PhraseBank.model_validate_json(text)
    except ValidationError as exc:  # a broken package, not a user error
        raise RuntimeError(f"phrases.json is invalid: {exc}") from None


@lru_cache(maxsize=1)
def triage_classifier() -> Callable[[str, str], tuple[str, str | None]]:
    """careline's triage over the shipped lexicons, as the engine's classifier (what the
    voice edge uses), remembering each answer: simulated callers repeat phrases."""
    from careline.triage.loader import load_lexicons
    from careline.triage.model import classify

    lexicon = load_lexicons()

    @lru_cache(maxsize=4096)
    def classify_words(text: str, language: str) -> tuple[str, str | None]:
        result = classify(text, lexicon, language=language)
        return str(result.urgency), str(result.intent)

    return classify_words
