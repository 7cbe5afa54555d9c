"""`careline call`: try one call from the terminal through the real flows.

The virtual carrier places the call into careline's voice webhooks (in this
process, or a running server with --url), signed like a provider would. You
type what the caller presses or says; you see what they hear and where the
call goes.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated

import httpx
import typer

from careline.core.settings import Settings
from careline.telephony.render import parse_queue_name
from careline.telephony.twiml import Gather
from careline.telephony.virtual_carrier import (
    SILENCE,
    CallerInput,
    CallEvent,
    NumberConfig,
    ScriptedAgents,
    VirtualCarrier,
)

DEMO_MAIN_NUMBER = "+13125550199"


def _to_input(text: str) -> CallerInput:
    text = text.strip()
    if not text:
        return SILENCE
    if all(ch in "0123456789*#" for ch in text):
        return CallerInput(digits=text)
    return CallerInput(speech=text)


@dataclass
class TerminalCaller:
    """Asks the person at the terminal, or plays a script when one is given."""

    script: list[str] | None = None
    patience_seconds: float = 600.0
    message: str | None = None
    said: list[str] = field(default_factory=list)

    def respond(self, heard: list[str], gather: Gather) -> CallerInput:
        if self.script is not None:
            answer = self.script.pop(0) if self.script else ""
            typer.echo(f"  caller> {answer or '(silence)'}")
            return _to_input(answer)
        kinds = " or ".join(sorted(gather.input))
        answer = typer.prompt(
            f"  your answer ({kinds}; blank = silence)", default="", show_default=False
        )
        return _to_input(answer)

    def voicemail(self) -> str | None:
        if self.message is not None or self.script is not None:
            return self.message
        return typer.prompt("  your voicemail message", default="", show_default=False) or None


def _show(event: CallEvent) -> None:
    d = event.detail
    if event.kind == "heard":
        typer.echo(f"[{event.at:6.1f}s] hears: {d['text']}")
    elif event.kind == "queue":
        department, priority, language, where = parse_queue_name(str(d["queue"]))
        typer.secho(
            f"[{event.at:6.1f}s] -> queue {department} ({priority}, {language}) at {where}: "
            f"{d['result']} after {d.get('wait', 0)} s",
            fg=typer.colors.CYAN,
        )
    elif event.kind == "dial":
        typer.secho(
            f"[{event.at:6.1f}s] -> dials {d['target']}: {d['status']}", fg=typer.colors.CYAN
        )
    elif event.kind == "record":
        typer.secho(f"[{event.at:6.1f}s] -> voicemail recorded", fg=typer.colors.CYAN)
    elif event.kind == "error":
        typer.secho(f"[{event.at:6.1f}s] !! {d.get('reason')}", fg=typer.colors.RED)
    elif event.kind == "hangup":
        typer.echo(f"[{event.at:6.1f}s] call ended ({d['status']})")


def call(
    to: Annotated[str, typer.Option(help="The clinic number called.")] = DEMO_MAIN_NUMBER,
    from_: Annotated[
        str,
        typer.Option(
            "--from",
            help="The caller's number (default: not a demo patient; use a patient's to be known).",
        ),
    ] = "+12025550123",
    script: Annotated[
        str | None,
        typer.Option(help="Answers separated by ';' instead of typing (e.g. '2;chest pain')."),
    ] = None,
    message: Annotated[str | None, typer.Option(help="Voicemail text, if asked.")] = None,
    url: Annotated[
        str | None, typer.Option(help="A running careline (default: this process, same DB).")
    ] = None,
    db: Annotated[
        Path | None, typer.Option(help="SQLite file (default: CARELINE_DATABASE_URL).")
    ] = None,
    queue_wait: Annotated[float, typer.Option(help="Seconds until an agent answers.")] = 20.0,
    at: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"],
            help="Pretend the call happens at this instant, e.g. 2026-12-24T20:00-06:00 "
            "(to try after-hours and holiday paths; in-process only).",
        ),
    ] = None,
) -> None:
    """Place one call into the real call flows and watch where it goes.

    In-process it needs an existing careline database (the demo's, --db, or
    CARELINE_DATABASE_URL): it never creates one. With --at the call runs on a
    throw-away copy of the database, so nothing dated in the future is written.
    """
    if url and at is not None:
        raise typer.BadParameter("--at works only in-process (without --url)")
    settings = (
        Settings(database_url=f"sqlite:///{db}", keyring_file=db.parent / "keyring.json")
        if db
        else Settings()
    )
    scratch: tempfile.TemporaryDirectory[str] | None = None
    if not url:
        _require_database(settings, given=db)
        if at is not None:
            scratch = tempfile.TemporaryDirectory(prefix="careline-call-")
            settings = _throwaway_copy(settings, Path(scratch.name))
            typer.echo(f"Calling at {at.isoformat()} on a throw-away copy of the database.")
    if url:
        http = httpx.Client(base_url=url, timeout=30)
        base = url.rstrip("/")
    else:
        import warnings

        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

        from careline.api.app import create_app
        from careline.bootstrap import build_runtime
        from careline.core.clock import ManualClock

        clock = ManualClock(at) if at is not None else None
        http = TestClient(create_app(build_runtime(settings, clock=clock)))
        base = "http://testserver"
    voice = f"{base}/telephony/voice"
    carrier = VirtualCarrier(http, auth_token=settings.webhook_auth_token, on_event=_show)
    caller = TerminalCaller(
        script=script.split(";") if script is not None else None, message=message
    )
    record = carrier.call(
        number=NumberConfig(f"{voice}/incoming", f"{voice}/fallback", f"{voice}/status"),
        from_=from_,
        to=to,
        caller=caller,
        agents=ScriptedAgents(queue_wait_seconds=queue_wait),
    )
    if scratch is not None:
        scratch.cleanup()
    if record.status != "completed":
        raise typer.Exit(1)


def _sqlite_path(settings: Settings) -> Path | None:
    prefix = "sqlite:///"
    url = settings.database_url
    return Path(url[len(prefix) :]) if url.startswith(prefix) else None


def _require_database(settings: Settings, *, given: Path | None) -> None:
    """Refuse, with a way forward, to run against a database or keyring that is not there
    (a call must never create an empty database and a new keyring by accident)."""
    path = _sqlite_path(settings)
    if path is not None and not path.exists():
        where = f"--db {given}" if given else f"the database at {path}"
        raise typer.BadParameter(
            f"No careline database: {where} does not exist. Run this where `careline demo` "
            "ran, pass --db PATH to its database, or --url of a running careline.",
            param_hint="--db",
        )
    if not settings.keyring_file.exists():
        raise typer.BadParameter(
            f"The database's keyring {settings.keyring_file} is missing; a call needs it to "
            "read patients. Pass the --db whose keyring.json is beside it.",
            param_hint="--db",
        )


def _throwaway_copy(settings: Settings, scratch: Path) -> Settings:
    """The same database and keyring, copied into `scratch` (SQLite only)."""
    path = _sqlite_path(settings)
    if path is None:
        raise typer.BadParameter(
            "--at needs a SQLite database (it runs on a copy); use a staging copy of PostgreSQL.",
            param_hint="--at",
        )
    import sqlite3

    copy = scratch / "careline.db"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # consistent even while a server writes to it
    keyring = scratch / "keyring.json"
    shutil.copy2(settings.keyring_file, keyring)
    return settings.model_copy(
        update={"database_url": f"sqlite:///{copy}", "keyring_file": keyring}
    )
