"""What every service needs at hand, built once by `bootstrap` and passed in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from careline.core.clock import Clock
from careline.core.db import SessionFactory
from careline.core.settings import Settings
from careline.events.service import EventHub
from careline.providers.protocol import CommsProvider
from careline.security.crypto import PhiCipher

if TYPE_CHECKING:
    from careline.desk.model import Offer


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
    #: Called after the desk reserved agents for callers still waiting in a provider
    #: queue (not the caller whose request it is): the voice edge takes them out of the
    #: queue at once (`telephony.queue_redirect`). None: their next wait request does.
    on_agents_reserved: Callable[[Runtime, Sequence[Offer]], None] | None = None
