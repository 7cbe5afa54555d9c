"""The composition root: the one place that picks concrete implementations."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine, inspect, literal, select, table
from sqlalchemy.exc import SQLAlchemyError

from careline.core.clock import Clock, SystemClock
from careline.core.db import SessionFactory, make_engine, make_session_factory
from careline.core.settings import Environment, Settings
from careline.events.service import EventHub, transport_for
from careline.events.service import watch as watch_commits
from careline.messaging.testing import provider_from_env as test_provider_from_env
from careline.providers.outbox.service import OutboxProvider
from careline.providers.protocol import CommsProvider
from careline.runtime import Runtime
from careline.security.crypto import PhiCipher, install_cipher
from careline.security.keyring import KeyringError, load_keyring
from careline.telephony.queue_redirect import redirect_reserved

log = logging.getLogger("careline")


def build_runtime(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    provider: CommsProvider | None = None,
) -> Runtime:
    """Wire settings → engine, sessions, cipher, clock and the comms provider."""
    settings = settings or Settings()
    allow_create = settings.environment is not Environment.production
    path = settings.keyring_file
    engine = make_engine(settings.database_url)
    if allow_create and not path.exists() and _holds_keyed_data_or_unknown(engine):
        # Issue 11, item 25: serving an existing database from another directory made a
        # fresh keyring; every sign-in then failed and new data went under wrong keys.
        engine.dispose()
        raise KeyringError(
            f"The database already holds data sealed with a keyring, but there is no "
            f"keyring at {path}. Point CARELINE_KEYRING_FILE at that database's keyring "
            "(careline never makes a new one for existing data)."
        )
    cipher = PhiCipher(
        load_keyring(path, create=allow_create), reload=lambda: load_keyring(path, create=False)
    )
    install_cipher(cipher)
    clock = clock or SystemClock()
    hub = EventHub(clock=clock, transport=transport_for(engine.url))
    sessions = make_session_factory(engine, info=hub.session_info())
    watch_commits(sessions)
    provider = (
        provider
        or test_provider_from_env(settings, sessions=sessions, clock=clock)
        or carrier_from_settings(settings, sessions=sessions, clock=clock)
    )
    wire_listeners()
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=clock,
        cipher=cipher,
        provider=provider,
        events=hub,
        on_agents_reserved=redirect_reserved,
    )


def _holds_keyed_data_or_unknown(engine: Engine) -> bool:
    """A database that cannot be asked may hold data: never make a keyring then."""
    try:
        return holds_keyed_data(engine)
    except SQLAlchemyError:
        return True


def holds_keyed_data(engine: Engine) -> bool:
    """Whether the database holds anything sealed or MACed with a keyring (users, patients,
    the audit chain). A database without careline's tables holds nothing."""
    names = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        for name in ("audit_entries", "users", "patients"):
            if (
                name in names
                and conn.execute(select(literal(1)).select_from(table(name)).limit(1)).first()
            ):
                return True
    return False


def database_answers(rt: Runtime) -> bool:
    """Whether the database answers a trivial query now."""
    try:
        with rt.engine.connect() as conn:
            conn.execute(select(literal(1)))
        return True
    except SQLAlchemyError:
        return False


def carrier_from_settings(
    settings: Settings, *, sessions: SessionFactory, clock: Clock
) -> CommsProvider:
    """The provider `CARELINE_PROVIDER` names: outbox (nothing leaves), twilio, or the
    virtual carrier (the twilio adapter pointed at the virtual carrier's REST side)."""
    if settings.provider == "outbox":
        return OutboxProvider(sessions=sessions, clock=clock)
    from careline.providers.pacing.service import SharedPacer
    from careline.providers.twilio.service import TwilioProvider
    from careline.providers.virtual.rest import (
        DEFAULT_ACCOUNT_SID,
        DEFAULT_AUTH_TOKEN,
        DEFAULT_SERVICE_SID,
    )

    virtual = settings.provider == "virtual"
    account = settings.twilio_account_sid or (DEFAULT_ACCOUNT_SID if virtual else None)
    secret = settings.twilio_auth_token
    token = secret.get_secret_value() if secret else (DEFAULT_AUTH_TOKEN if virtual else None)
    base_url = settings.twilio_api_base_url or (DEFAULT_VIRTUAL_API if virtual else None)
    if not account or not token:
        raise ValueError(
            "CARELINE_PROVIDER=twilio needs CARELINE_TWILIO_ACCOUNT_SID and "
            "CARELINE_TWILIO_AUTH_TOKEN."
        )
    return TwilioProvider(
        account_sid=account,
        auth_token=token,
        base_url=base_url,
        messaging_service_sid=settings.twilio_messaging_service_sid
        or (DEFAULT_SERVICE_SID if virtual else None),
        timeout_seconds=settings.twilio_timeout_seconds,
        pacer=SharedPacer(
            sessions,
            per_number=settings.twilio_messages_per_second_per_number,
            per_service=settings.twilio_messages_per_second_per_service,
        ),
    )


#: Where `careline carrier` serves the virtual carrier's REST API by default.
DEFAULT_VIRTUAL_API = "http://127.0.0.1:8790"


def wire_listeners() -> None:
    """Capabilities that react to another's events, connected here and only here."""
    from careline.messaging import failures
    from careline.reminders import service as reminders

    failures.listen(reminders.on_message_refused)


def configure_logging(level: str) -> None:
    """Plain logs with no request bodies: PHI must never reach them."""
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def start_periodic_work(rt: Runtime) -> None:
    """Schedule the self-renewing sweeps (reminder planning, waitlist openings).

    Idempotent: each sweep is keyed by its time bucket, so every worker may call
    this at start without doubling anything.
    """
    from careline.compliance.jobs import ensure_daily_purge
    from careline.reminders import service as reminders
    from careline.security import audit_anchor
    from careline.waitlist import service as waitlist

    reminders.start_sweep(rt)
    waitlist.ensure_sweep(rt)
    audit_anchor.ensure_checkpoints(rt)
    ensure_daily_purge(rt)


def start_recovery(
    rt: Runtime, *, run_worker: bool, degraded: bool, say: Callable[[str], None]
) -> Callable[[], None]:
    """What `careline serve` runs beside the web server: the due-work worker (now, or
    once the database answers after a degraded start), and a watcher that files the
    voicemails the fallback plan spooled whenever the database answers (issue 11,
    item 14). Returns the function that stops both."""
    from careline import db_schema
    from careline.jobs.worker import start_background_worker
    from careline.telephony.fallback import spool_path
    from careline.telephony.spool_import import import_spool

    stop_event = threading.Event()
    stops: list[Callable[[], None]] = []

    def start_worker() -> None:
        stops.append(start_background_worker(rt))
        start_periodic_work(rt)
        say("Running the due-work worker in this process.")

    if run_worker and not degraded:
        start_worker()

    def watch() -> None:
        down = degraded
        warned_revision = False
        while not stop_event.wait(rt.settings.db_retry_seconds):
            if not database_answers(rt):
                if not down:
                    log.warning("the database stopped answering: the fallback plan answers")
                down = True
                continue
            if down:
                current = db_schema.current_revision(rt.engine)
                if current != db_schema.head_revision():
                    if not warned_revision:
                        log.error("the database answers but is at revision %s: upgrade it", current)
                        warned_revision = True
                    continue
                down = False
                log.warning("the database answers again")
                if run_worker and not stops:
                    start_worker()
            if spool_path(rt.settings).exists():
                try:
                    import_spool(rt)
                except Exception as exc:  # retried on the next round; the spool stays
                    log.error("spooled voicemails not imported yet: %s", type(exc).__name__)

    thread = threading.Thread(target=watch, name="careline-recovery", daemon=True)
    thread.start()

    def stop() -> None:
        stop_event.set()
        thread.join(timeout=10)
        for halt in stops:
            halt()

    return stop
