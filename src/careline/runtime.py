"""What every service needs at hand, built once by `bootstrap` and passed in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from careline.core.clock import Clock
from careline.core.db import SessionFactory
from careline.core.settings import Settings
from careline.events.service import EventHub
from careline.providers.protocol import CommsProvider
from careline.security.crypto import PhiCipher


@dataclass
class Runtime:
    """The composition root's product: settings, storage, time, secrets, providers."""

    settings: Settings
    engine: Engine
    sessions: SessionFactory
    clock: Clock
    cipher: PhiCipher
    provider: CommsProvider
    #: Live events to this process's open screens (`careline.events`).
    events: EventHub
