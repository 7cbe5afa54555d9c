"""The `careline` command: demo, serve, database, users, audit and keys.

Every command has --help. Settings come from CARELINE_* environment variables
(see `careline.core.settings.Settings`); `demo` picks safe local defaults.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from careline.core.settings import Settings
from careline.flows.cli import flows_app
from careline.integrations.fhir.cli import import_app
from careline.jobs.cli import worker as worker_command
from careline.providers.virtual.cli import carrier_app, phone_app
from careline.routing.cli import staffing as staffing_command
from careline.simulation.cli import simulate as simulate_command
from careline.telephony.cli import call as call_command
from careline.triage.cli import triage as triage_command

if TYPE_CHECKING:
    from careline.runtime import Runtime

app = typer.Typer(
    help="careline: patient communication for clinics (calls, texts, reminders, one timeline).",
    no_args_is_help=True,
    add_completion=False,
    # A traceback's local variables can hold settings, keys and patients' data.
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
keys_app = typer.Typer(help="PHI encryption keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")
voicemail_app = typer.Typer(help="Voicemails the fallback plan kept.", no_args_is_help=True)
app.add_typer(voicemail_app, name="voicemail")
report_app = typer.Typer(help="Compliance reports.", no_args_is_help=True)
app.add_typer(report_app, name="report")
retention_app = typer.Typer(
    help="Retention rules, legal holds, and the purge (a dry run first: `plan`).",
    no_args_is_help=True,
)
app.add_typer(retention_app, name="retention")
app.command("worker")(worker_command)
app.add_typer(flows_app, name="flows")
app.add_typer(import_app, name="import")
app.command("staffing")(staffing_command)
app.command("simulate")(simulate_command)
app.command("triage")(triage_command)
app.command("call")(call_command)
app.add_typer(carrier_app, name="carrier")
app.add_typer(phone_app, name="phone")


def _runtime(settings: Settings | None = None) -> Runtime:
    from careline.bootstrap import build_runtime, configure_logging
    from careline.security.keyring import KeyringError

    settings = settings or Settings()
    configure_logging(settings.log_level)
    try:
        return build_runtime(settings)
    except KeyringError as exc:
        raise _fail(f"keyring: {exc}", 2) from None


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code)


@app.command()
def demo(
    db: Annotated[Path, typer.Option(help="SQLite file for the demo network.")] = Path(
        "var/careline.db"
    ),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    serve: Annotated[bool, typer.Option(help="Start the server after seeding.")] = True,
    seed: Annotated[int, typer.Option(help="Random seed of the generated network.")] = 7,
    carrier: Annotated[
        bool,
        typer.Option(
            help="Send through the virtual carrier (texts and calls reach virtual phones: "
            "`careline phone list`). --no-carrier keeps them in the outbox."
        ),
    ] = True,
    carrier_port: Annotated[int, typer.Option(help="Port of the virtual carrier.")] = 8790,
    patients: Annotated[
        int | None,
        typer.Option(help="How many demo patients to seed (default: the full demo network)."),
    ] = None,
) -> None:
    """Create (or reuse) a demo database, seed a demo network, print logins and serve.

    Safe to re-run: an existing demo database is upgraded and reused, never re-seeded.
    Texts and calls go to the virtual carrier, whose virtual phones you drive with
    `careline phone` from another terminal.
    """
    from careline import db_schema
    from careline.demo import MAIN_NUMBER, PATIENTS, demo_logins, seed_demo

    url = f"http://{host}:{port}"
    carrier_url = f"http://{host}:{carrier_port}"
    extra: dict[str, Any] = (
        {"provider": "virtual", "twilio_api_base_url": carrier_url, "public_base_url": url}
        if carrier
        else {}
    )
    settings = Settings(
        database_url=f"sqlite:///{db}",
        keyring_file=db.parent / "keyring.json",
        **extra,
    )
    rt = _runtime(settings)
    db_schema.upgrade(rt.engine)
    created = seed_demo(
        rt,
        seed=seed,
        patients_count=PATIENTS if patients is None else patients,
        progress=lambda msg: typer.echo(f"  seeded {msg}"),
    )
    typer.echo("Seeded a new demo network." if created else "Reusing the existing demo network.")
    typer.echo(f"\ncareline is at {url}   (API description: {url}/openapi.json)\n")
    typer.echo("Demo logins (password, TOTP secret for your authenticator app):")
    for login in demo_logins(rt):
        typer.echo(
            f"  {login.username:<12} {login.role:<11} password: {login.password}   "
            f"TOTP secret: {login.totp_secret or '-'}"
        )
    me = _self_command()
    typer.echo(
        f"\nTry a call to the network's main line from another terminal:\n"
        f"  {me} call --db {db} --to {MAIN_NUMBER}"
    )
    if carrier:
        at = "" if carrier_port == 8790 else f" --carrier {carrier_url}"
        typer.echo(
            "\nTexts and calls reach the demo patients' virtual phones. From another terminal:\n"
            f"  {me} phone list{at}        # every phone careline has texted or called\n"
            f"  {me} phone show 1{at}      # what the first one received\n"
            f"  {me} phone reply 1 C{at}   # confirm its visit (or YES, STOP, 'chest pain')\n"
            "Reminders keep quiet hours (21:00-08:00 at the patient's clinic): at night the\n"
            "first one goes out at 08:00 clinic time."
        )
    typer.echo("\nThese are demo credentials: never use them for a real clinic.")
    if serve:
        stop_carrier = None
        if carrier:
            from careline.providers.virtual.server import carrier_for, start_in_thread

            try:
                stop_carrier = start_in_thread(carrier_for(url), host=host, port=carrier_port)
            except RuntimeError as exc:
                raise _fail(f"{exc}; choose another --carrier-port or use --no-carrier.") from None
            typer.echo(f"The virtual carrier is at {carrier_url}.")
        try:
            _serve(rt, host, port)
        finally:
            if stop_carrier is not None:
                stop_carrier()


def _self_command() -> str:
    """How to run this same `careline` from a shell: the bare name only when it is on PATH."""
    import shutil

    here = Path(sys.argv[0]).resolve()
    found = shutil.which("careline")
    if found and Path(found).resolve() == here:
        return "careline"
    try:
        return str(here.relative_to(Path.cwd()))
    except ValueError:
        return str(here)


def _serve(
    rt: Runtime,
    host: str,
    port: int,
    *,
    worker: bool | None = None,
    degraded: bool = False,
    workers: int = 1,
) -> None:
    """Serve HTTP; on SQLite (one process) also run the due-work worker in a thread.

    `degraded`: the database did not answer at start. The fallback plan answers calls
    meanwhile (it needs no database) and `/readyz` says 503; a watcher starts the
    worker once the database answers. In both cases the watcher files voicemails the
    fallback plan spooled, whenever the database answers (issue 11, item 14)."""
    import uvicorn

    from careline.api.app import create_app
    from careline.bootstrap import start_recovery

    run_worker = rt.settings.is_sqlite if worker is None else worker
    stop = start_recovery(rt, run_worker=run_worker, degraded=degraded, say=typer.echo)
    try:
        if workers > 1:
            # uvicorn's supervisor starts the processes by import name; this parent
            # keeps the recovery watcher (and the due-work worker, if asked).
            typer.echo(f"Serving with {workers} server processes on {host}:{port}.")
            uvicorn.run(
                "careline.api.app:app_from_environment",
                factory=True,
                workers=workers,
                host=host,
                port=port,
                proxy_headers=False,
                log_level="info",
                access_log=True,
            )
            return
        uvicorn.run(
            create_app(rt),
            host=host,
            port=port,
            proxy_headers=False,  # the app trusts only `trusted_proxies` (issue 11, item 18)
            log_level="info",
            access_log=True,
        )
    finally:
        if stop is not None:
            stop()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    worker: Annotated[
        bool | None,
        typer.Option(
            "--worker/--no-worker",
            help="Run the due-work worker in this process (default: on SQLite only; on "
            "PostgreSQL run `careline worker` processes).",
        ),
    ] = None,
    insecure_demo_token: Annotated[
        bool,
        typer.Option(
            "--insecure-demo-token",
            help="Accept webhooks signed with careline's published demo token (no "
            "CARELINE_TWILIO_AUTH_TOKEN set). Anyone can then fake calls and texts: only "
            "for trying careline on your own machine.",
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes (PostgreSQL only: SQLite has one writer). Each builds "
            "its own runtime; they share only the database. Jobs still run in "
            "`careline worker` processes (or this one's parent with --worker).",
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API (the database must be at the latest migration)."""
    from careline import db_schema

    settings = Settings()
    if workers > 1 and settings.is_sqlite:
        raise _fail(
            f"--workers {workers} needs PostgreSQL: SQLite lets one process write at a time, "
            "so more server processes would only wait on each other. Set "
            "CARELINE_DATABASE_URL to a PostgreSQL database, or serve with one process."
        )
    if settings.uses_demo_webhook_token:
        if not insecure_demo_token:
            raise _fail(
                "CARELINE_TWILIO_AUTH_TOKEN is not set, so webhooks would be checked against "
                "careline's published demo token: anyone could fake calls, opt patients out "
                "or cancel their visits. Set it to the provider's auth token, or pass "
                "--insecure-demo-token to try careline on this machine only."
            )
        typer.secho(
            "INSECURE: webhooks are verified with careline's published demo token "
            "(--insecure-demo-token); never let a carrier or the internet reach this server.",
            err=True,
            fg=typer.colors.RED,
            bold=True,
        )
    from careline.bootstrap import database_answers

    rt = _runtime(settings)
    if not database_answers(rt):
        typer.secho(
            "The database does not answer: serving the fallback plan only (callers can "
            "reach the on-call number and leave voicemails, kept encrypted on disk). "
            "/readyz says 503 until it answers; careline then recovers by itself."
            + (" One server process until a restart." if workers > 1 else ""),
            err=True,
            fg=typer.colors.YELLOW,
            bold=True,
        )
        _serve(rt, host, port, worker=worker, degraded=True)
        return
    head = db_schema.head_revision()
    current = db_schema.current_revision(rt.engine)
    if current != head:
        raise _fail(
            f"The database is at revision {current or 'none'}, not {head}. "
            "Run `careline db upgrade` first."
        )
    _serve(rt, host, port, worker=worker, workers=workers)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    from careline import db_schema

    rt = _runtime()
    db_schema.upgrade(rt.engine, revision)
    typer.echo(f"Database at revision {db_schema.current_revision(rt.engine)}.")


@db_app.command("current")
def db_current() -> None:
    """Print the database's current revision and the latest one."""
    from careline import db_schema

    rt = _runtime()
    typer.echo(
        json.dumps(
            {"current": db_schema.current_revision(rt.engine), "head": db_schema.head_revision()}
        )
    )


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="Login name (letters, digits, . _ -).")],
    role: Annotated[
        list[str],
        typer.Option(
            help="Role, optionally @LOCATION_ID to scope it; repeatable. "
            "Roles: admin, manager, supervisor, agent, clinician, auditor."
        ),
    ],
    display_name: Annotated[str | None, typer.Option(help="Name shown to colleagues.")] = None,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="CARELINE_NEW_PASSWORD",
            help="At least 12 characters (prompted if absent).",
        ),
    ] = "",
) -> None:
    """Create a user; prints the TOTP secret to enrol in an authenticator app."""
    from careline.core.errors import CarelineError
    from careline.security import service as security
    from careline.security.model import Role, system_actor

    grants = []
    for spec in role:
        name, _, location = spec.partition("@")
        try:
            grants.append(security.RoleGrantView(role=Role(name), location_id=location or None))
        except ValueError:
            raise _fail(
                f"Unknown role '{name}'. Roles: {', '.join(r.value for r in Role)}."
            ) from None
    rt = _runtime()
    try:
        new = security.create_user(
            rt,
            actor=system_actor("cli"),
            username=username,
            display_name=display_name or username,
            password=password,
            roles=grants,
        )
    except CarelineError as exc:
        raise _fail(f"{exc.error_id}: {exc.detail}") from None
    typer.echo(f"Created user {new.user.username} ({new.user.id}).")
    if new.totp_secret:
        typer.echo(f"TOTP secret: {new.totp_secret}\nEnrolment URI: {new.totp_uri}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the whole audit chain and the newest checkpoint outside the database; exit 1
    naming the first altered, removed or moved entry. A clean check writes a checkpoint."""
    from careline.core.db import transaction
    from careline.security import audit, audit_anchor

    rt = _runtime()
    with transaction(rt.sessions) as s:
        report = audit.verify(s)
        if report.ok:
            report = audit_anchor.check_anchor(s, rt) or report
    if report.ok:
        audit_anchor.write_checkpoint(rt)  # what was just verified becomes the anchor
    typer.echo(
        json.dumps(
            {
                "ok": report.ok,
                "checked": report.checked,
                "first_bad_seq": report.first_bad_seq,
                "problem": report.problem,
            }
        )
    )
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Append the chain's head to the anchor file (the worker does this every
    `audit_checkpoint_minutes`; run it from cron where no worker runs)."""
    from careline.security import audit_anchor

    rt = _runtime()
    point = audit_anchor.write_checkpoint(rt)
    typer.echo(json.dumps({"seq": point.seq, "file": str(audit_anchor.anchor_file(rt))}))


@voicemail_app.command("import-spool")
def voicemail_import_spool() -> None:
    """File the voicemails the fallback plan spooled while the database was down (on the
    callers' timelines, with front-desk tasks; `careline serve` does this by itself once
    the database answers). Safe to repeat."""
    from careline.telephony.spool_import import import_spool

    rt = _runtime()
    report = import_spool(rt)
    typer.echo(
        json.dumps({"calls": report.calls, "filed": report.filed, "already": report.already})
    )


@report_app.command("phi-channels")
def report_phi_channels(
    days: Annotated[int, typer.Option(min=1, max=3660, help="The period: the last N days.")] = 30,
) -> None:
    """Every channel patient information went through in the last N days, one JSON
    object per line (counts only, never PHI; the report is audited)."""
    from datetime import timedelta

    from careline.compliance import service as compliance
    from careline.security.model import system_actor

    rt = _runtime()
    end = rt.clock.now()
    report = compliance.phi_channels(
        rt, actor=system_actor("cli"), since=end - timedelta(days=days), until=end
    )
    for line in report.lines:
        typer.echo(line.model_dump_json())


def _when(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(
            f"--{name}: not a date or date-time (2026-01-31 or 2026-01-31T09:00+00:00)"
        ) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


@retention_app.command("plan")
def retention_plan() -> None:
    """What a purge would do now, one JSON object per rule: record type, scope
    (network or a clinic), days kept, action, cut-off and how many records are due.
    Records under a legal hold are not counted. Changes nothing."""
    from careline.compliance import retention_service

    rt = _runtime()
    for line in retention_service.plan(rt):
        typer.echo(
            json.dumps(
                {
                    "record_type": line.record_type.value,
                    "scope": line.scope,
                    "keep_days": line.keep_days,
                    "action": line.action.value,
                    "cutoff": line.cutoff.isoformat(),
                    "due": line.due,
                }
            )
        )


@retention_app.command("run")
def retention_run(
    batch: Annotated[int, typer.Option(min=1, max=5000, help="Records per transaction.")] = 200,
) -> None:
    """Purge what is due now (the worker also does it daily). Batches commit one by
    one with an audit entry of counts each: safe to stop and run again."""
    from careline.compliance import retention_service
    from careline.security.model import system_actor

    rt = _runtime()
    done = retention_service.run(rt, actor=system_actor("cli"), batch=batch)
    typer.echo(json.dumps({"purged": done}))


@retention_app.command("set")
def retention_set(
    record_type: Annotated[
        str, typer.Argument(help="calls, voicemails, texts, notes, tasks, jobs")
    ],
    keep_days: Annotated[int, typer.Argument(help="Days kept from the record's event.")],
    action: Annotated[str, typer.Option(help="strip (keep the fact) or delete.")] = "strip",
    clinic: Annotated[
        str | None, typer.Option(help="A clinic's location id: its own rule.")
    ] = None,
) -> None:
    """Set the network's rule for a record type, or a clinic's own (audited)."""
    from careline.compliance import retention_service
    from careline.compliance.retention import Action, RecordType
    from careline.core.errors import ValidationFailed
    from careline.security.model import system_actor

    try:
        kind, what = RecordType(record_type), Action(action)
    except ValueError:
        raise _fail(
            "record type: calls, voicemails, texts, notes, tasks or jobs; action: strip or delete"
        ) from None
    rt = _runtime()
    try:
        rule = retention_service.set_rule(
            rt,
            actor=system_actor("cli"),
            record_type=kind,
            keep_days=keep_days,
            action=what,
            location_id=clinic,
        )
    except ValidationFailed as exc:
        raise _fail("; ".join(f"{p.field}: {p.message}" for p in exc.problems)) from None
    typer.echo(
        json.dumps(
            {
                "record_type": rule.record_type.value,
                "keep_days": rule.keep_days,
                "action": rule.action.value,
                "scope": rule.location_id or "network",
            }
        )
    )


@retention_app.command("hold")
def retention_hold(
    reason: Annotated[str, typer.Option(help="Why (a case or request reference; no PHI).")],
    by: Annotated[str, typer.Option(help="Who places it (shown on the hold).")],
    patient: Annotated[str | None, typer.Option(help="A patient id.")] = None,
    interaction: Annotated[str | None, typer.Option(help="A timeline interaction id.")] = None,
    since: Annotated[str | None, typer.Option("--from", help="From this date.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Up to this date (excluded).")] = None,
) -> None:
    """Place a legal hold: records it covers are never purged until it is released."""
    from careline.compliance import retention_service
    from careline.core.errors import ValidationFailed
    from careline.security.model import system_actor

    rt = _runtime()
    try:
        hold = retention_service.place_hold(
            rt,
            actor=system_actor(by),
            reason=reason,
            patient_id=patient,
            interaction_id=interaction,
            starts=_when(since, "from"),
            ends=_when(until, "to"),
        )
    except ValidationFailed as exc:
        raise _fail("; ".join(f"{p.field}: {p.message}" for p in exc.problems)) from None
    typer.echo(json.dumps({"hold": hold.id}))


@retention_app.command("holds")
def retention_holds(
    all_: Annotated[bool, typer.Option("--all", help="Released holds too.")] = False,
) -> None:
    """The legal holds, one JSON object per line (ids and dates; reasons as given)."""
    from careline.compliance import retention_service

    rt = _runtime()
    for h in retention_service.holds(rt, include_released=all_):
        typer.echo(
            json.dumps(
                {
                    "id": h.id,
                    "reason": h.reason,
                    "patient_id": h.patient_id,
                    "interaction_id": h.interaction_id,
                    "from": h.starts.isoformat() if h.starts else None,
                    "to": h.ends.isoformat() if h.ends else None,
                    "placed_by": h.placed_by,
                    "placed_at": h.placed_at.isoformat(),
                    "released_at": h.released_at.isoformat() if h.released_at else None,
                }
            )
        )


@retention_app.command("release")
def retention_release(
    hold_id: Annotated[str, typer.Argument(help="The hold's id (`careline retention holds`).")],
    by: Annotated[str, typer.Option(help="Who releases it.")],
) -> None:
    """Release a legal hold: its records follow the rules again from the next purge."""
    from careline.compliance import retention_service
    from careline.security.model import system_actor

    rt = _runtime()
    try:
        hold = retention_service.release_hold(rt, actor=system_actor(by), hold_id=hold_id)
    except retention_service.NoSuchHold:
        raise _fail("No legal hold has this id.") from None
    typer.echo(json.dumps({"released": hold.id}))


@keys_app.command("init")
def keys_init() -> None:
    """Create the keyring file (refuses to overwrite an existing one)."""
    from careline.security.keyring import Keyring, save_keyring

    path = Settings().keyring_file
    if path.exists():
        raise _fail(f"A keyring already exists at {path}; refusing to overwrite it.")
    save_keyring(path, Keyring.generate())
    typer.echo(f"Created {path} (mode 0600). Back it up: without it, PHI cannot be read.")


@keys_app.command("rotate")
def keys_rotate(
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per transaction.")] = 500,
    retire_old: Annotated[
        bool, typer.Option(help="Remove old keys once nothing is encrypted under them.")
    ] = False,
) -> None:
    """Make a new data key active and re-encrypt all PHI under it, online, in batches."""
    from careline.security import keys
    from careline.security.model import system_actor

    rt = _runtime()

    def progress(column: str, done: int) -> None:
        typer.echo(f"  {column}: {done} re-encrypted", err=True)

    report = keys.rotate(
        rt,
        actor=system_actor("cli"),
        batch_size=batch_size,
        retire_old=retire_old,
        progress=progress,
    )
    typer.echo(
        json.dumps(
            {
                "new_key_id": report.new_key_id,
                "reencrypted": report.total,
                "skipped_concurrent": report.skipped_concurrent,
                "remaining_under_old_keys": report.remaining_old,
                "retired": report.retired,
            }
        )
    )


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
