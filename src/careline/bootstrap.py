"""The composition root: the one place that picks concrete implementations."""

from __future__ import annotations

import logging

from careline.core.clock import Clock, SystemClock
from careline.core.db import make_engine, make_session_factory
from careline.core.settings import Environment, Settings
from careline.messaging.testing import provider_from_env as test_provider_from_env
from careline.providers.outbox.service import OutboxProvider
from careline.providers.protocol import CommsProvider
from careline.runtime import Runtime
from careline.security.crypto import PhiCipher, install_cipher
from careline.security.keyring import load_keyring


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
    cipher = PhiCipher(
        load_keyring(path, create=allow_create), reload=lambda: load_keyring(path, create=False)
    )
    install_cipher(cipher)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    clock = clock or SystemClock()
    provider = (
        provider
        or test_provider_from_env(settings, sessions=sessions, clock=clock)
        or OutboxProvider(sessions=sessions, clock=clock)
    )
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=clock,
        cipher=cipher,
        provider=provider,
    )


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
    from careline.reminders import service as reminders
    from careline.waitlist import service as waitlist

    reminders.start_sweep(rt)
    waitlist.ensure_sweep(rt)
