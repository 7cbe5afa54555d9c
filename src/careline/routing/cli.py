"""`careline staffing`: Erlang C from the command line (registered in careline.cli)."""

from __future__ import annotations

import json
from typing import Annotated

import typer


def staffing(
    calls_per_hour: Annotated[float, typer.Option(help="Calls offered per hour.")],
    aht_seconds: Annotated[
        float, typer.Option(help="Average handle time (talk + wrap-up), seconds.")
    ],
    target_seconds: Annotated[
        float, typer.Option(help="Answer-within target of the service level, seconds.")
    ] = 20.0,
    agents: Annotated[
        int | None, typer.Option(help="Agents on the queue: report what callers see.")
    ] = None,
    service_level: Annotated[
        float | None,
        typer.Option(help="Target share answered within --target-seconds (0.8 = 80%)."),
    ] = None,
) -> None:
    """Erlang C: P(wait), ASA, service level and occupancy for --agents N, or the agents
    needed to reach --service-level P. Prints JSON."""
    from careline.routing.staffing import StaffingInputInvalid, UnstableQueue, staffing_report

    if (agents is None) == (service_level is None):
        typer.secho("Give exactly one of --agents or --service-level.", fg="red", err=True)
        raise typer.Exit(2)
    try:
        report = staffing_report(
            calls_per_hour=calls_per_hour,
            aht_seconds=aht_seconds,
            target_seconds=target_seconds,
            agents=agents,
            target_level=service_level,
        )
    except (StaffingInputInvalid, UnstableQueue) as exc:
        names = {
            "calls_per_hour": "--calls-per-hour",
            "aht_seconds": "--aht-seconds",
            "target_seconds": "--target-seconds",
            "agents": "--agents",
            "target_level": "--service-level",
        }
        lines = [f"{names.get(p.field, p.field)} {p.message}" for p in exc.problems]
        typer.secho(f"{exc.error_id}: {'; '.join(lines) or exc.detail}", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(report.as_dict(), indent=2))
