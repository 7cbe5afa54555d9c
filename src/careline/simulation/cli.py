"""`careline simulate`: run a scenario and print its JSON report (registered in careline.cli)."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer

#: Seconds of wall time between two progress lines on stderr (short runs print none).
PROGRESS_EVERY = 2.0


def simulate(
    scenario: Annotated[
        str | None,
        typer.Argument(help="A shipped scenario's name (see --list) or a JSON/TOML file."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(min=0, help="Random seed (default: the scenario's own).")
    ] = None,
    hours: Annotated[
        float | None,
        typer.Option(help="Hours during which calls arrive (default: the scenario's own)."),
    ] = None,
    flow: Annotated[
        str | None,
        typer.Option(
            help="Run the callers through this call flow instead of the scenario's own: "
            "a shipped example (main-line) or a flow JSON file, e.g. a draft to try "
            "before publishing. The scenario needs a flow section (the callers' scripts).",
        ),
    ] = None,
    no_flow: Annotated[
        bool,
        typer.Option(
            "--no-flow",
            help="Ignore the scenario's call flow: callers go straight to the queues of "
            "their intents (to compare with a run through the flow).",
        ),
    ] = False,
    list_scenarios: Annotated[
        bool, typer.Option("--list", help="List the shipped scenarios and exit.")
    ] = False,
) -> None:
    """Simulate a clinic network's calls, routed by the real routing core, and print
    the report: per queue (department@location) and per priority, offered, answered,
    abandoned, callbacks, ASA, p90 and max wait, service level, and the time urgent
    and emergency callers took to reach a clinician. Same seed, same report. A scenario
    with a call flow (e.g. flu-season-monday-flow) first runs every caller through the
    flow with the real flow engine and triage: the flow decides where each goes, and
    the report adds a "flow" section (hand-offs, IVR time, triage results, time from
    the first ring to a clinician)."""
    from careline.core.errors import CarelineError
    from careline.simulation.engine import simulate as run
    from careline.simulation.library import (
        load_flow,
        load_scenario,
        shipped_scenarios,
        with_flow_source,
    )

    try:
        if list_scenarios:
            for summary in shipped_scenarios():
                first = summary.description.split(". ")[0].rstrip(".")
                typer.echo(f"{summary.name:<20} {summary.hours:>6g} h  {first}.")
            return
        if scenario is None:
            typer.secho("Name a scenario (or use --list).", fg="red", err=True)
            raise typer.Exit(2)
        if flow is not None and no_flow:
            typer.secho("Use --flow or --no-flow, not both.", fg="red", err=True)
            raise typer.Exit(2)
        loaded = load_scenario(scenario)
        if no_flow:
            loaded = loaded.model_copy(update={"flow": None})
        elif flow is not None:
            loaded = with_flow_source(loaded, flow)  # a relative path: from here
        document = load_flow(loaded)
        last = time.monotonic()

        def progress(done: float, total: float, calls: int) -> None:
            nonlocal last
            if time.monotonic() - last >= PROGRESS_EVERY:
                last = time.monotonic()
                typer.echo(f"  simulated {done:g} of {total:g} h, {calls} calls", err=True)

        report = run(loaded, seed=seed, hours=hours, progress=progress, flow=document)
    except CarelineError as exc:
        typer.secho(f"{exc.error_id}: {exc.detail}", fg="red", err=True)
        for problem in exc.problems:
            typer.secho(f"  {problem.field}: {problem.message}", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(report, indent=2))
