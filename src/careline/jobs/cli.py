"""`careline worker`: run due jobs until stopped (SIGTERM/SIGINT finish the batch in hand).

Kept light at import time: `careline --help` must not load the database stack.
"""

from __future__ import annotations

import json
import signal
import threading
from datetime import timedelta
from types import FrameType
from typing import Annotated

import typer


def worker(
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Jobs run at the same time (threads).")
    ] = 1,
    once: Annotated[
        bool, typer.Option("--once", help="Run what is due now, print counts, and exit.")
    ] = False,
    batch_size: Annotated[
        int | None,
        typer.Option(min=1, max=1000, help="Jobs claimed per batch (default: concurrency)."),
    ] = None,
    lease_seconds: Annotated[
        float,
        typer.Option(min=0.5, help="A claim's lease; a dead worker's jobs return after this long."),
    ] = 300.0,
    poll_seconds: Annotated[
        float, typer.Option(min=0.01, help="Pause between claims when nothing is due.")
    ] = 1.0,
    check_schema: Annotated[
        bool, typer.Option(help="Refuse to start unless the database is at the latest migration.")
    ] = True,
    sweeps: Annotated[
        bool,
        typer.Option(help="Schedule the periodic sweeps (reminder planning, waitlist openings)."),
    ] = True,
) -> None:
    """Run due jobs (reminders, message sends, offer expiries) until stopped.

    On PostgreSQL run as many as you like: they share the work. On SQLite run one
    (or let `careline serve` run it in-process).
    """
    from careline import db_schema
    from careline.bootstrap import build_runtime, configure_logging
    from careline.core.settings import Settings
    from careline.jobs import service
    from careline.jobs.registry import default_registry
    from careline.jobs.worker import Worker

    settings = Settings()
    configure_logging(settings.log_level)
    rt = build_runtime(settings)
    if check_schema:
        head, current = db_schema.head_revision(), db_schema.current_revision(rt.engine)
        if current != head:
            typer.secho(
                f"The database is at revision {current or 'none'}, not {head}. "
                "Run `careline db upgrade` first.",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1)
    from careline.bootstrap import start_periodic_work

    if sweeps:
        start_periodic_work(rt)
    runner = Worker(
        rt,
        registry=default_registry(),
        concurrency=concurrency,
        batch_size=batch_size,
        lease=timedelta(seconds=lease_seconds),
        poll_interval=poll_seconds,
    )
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()
        # A second signal stops at once (the lease returns the jobs in hand later).
        signal.signal(signum, signal.SIG_DFL)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    typer.echo(f"worker {runner.worker_id} ready", err=True)
    try:
        if once:
            taken = runner.run_until_idle(stop)
            counts = service.status_counts(rt)
            typer.echo(json.dumps({"taken": taken, **{k.value: v for k, v in counts.items()}}))
        else:
            runner.run_forever(stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        rt.engine.dispose()
