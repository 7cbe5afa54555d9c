"""`careline flows ...`: lint a flow document, install the example main-line flow.

Kept light at import time: `careline --help` must not load the database stack.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

flows_app = typer.Typer(help="Call flows (IVR): lint documents, install examples.")


@flows_app.command("lint")
def lint(
    path: Annotated[Path, typer.Argument(help="A flow document (JSON).", dir_okay=False)],
    speech: Annotated[
        bool,
        typer.Option(
            help="The number recognises speech (careline's always do): every prompt must "
            "hear it. --no-speech lints for a keypad-only carrier."
        ),
    ] = True,
) -> None:
    """List every problem of a flow document by node; exit 1 if it has any (2: not a flow)."""
    from careline.core.errors import ValidationFailed
    from careline.flows.model import parse_flow, validate_flow

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        document = parse_flow(data)
    except (OSError, ValueError) as exc:
        typer.secho(f"{path}: cannot read it as JSON ({type(exc).__name__}).", err=True)
        raise typer.Exit(2) from None
    except ValidationFailed as exc:
        typer.secho(f"{path}: not a flow document:", err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem.field}: {problem.message}", err=True)
        raise typer.Exit(2) from None
    problems = validate_flow(document, speech=speech)
    for p in problems:
        typer.echo(f"{p.node_id or '(flow)'}: {p.code}: {p.message}")
    if problems:
        typer.secho(f"{len(problems)} problem(s).", err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: {len(document.nodes)} nodes, no problems.")


@flows_app.command("install-example")
def install_example(
    number: Annotated[str, typer.Option(help="E.164 number the flow answers, e.g. +13125550100")],
    location: Annotated[
        str | None, typer.Option(help="Location id whose hours and queues the flow uses.")
    ] = None,
    name: Annotated[str, typer.Option(help="Example name.")] = "main-line",
) -> None:
    """Create, publish and bind an example flow (re-running leaves a bound number alone)."""
    from careline.bootstrap import build_runtime
    from careline.core.errors import CarelineError
    from careline.core.settings import Settings
    from careline.flows import service
    from careline.security.model import system_actor

    rt = build_runtime(Settings())
    try:
        live = service.install_example(
            rt, actor=system_actor("flows-cli"), number=number, location_id=location, name=name
        )
    except CarelineError as exc:
        typer.secho(f"{exc.error_id}: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps({"flow_id": live.flow_id, "version": live.version}))
