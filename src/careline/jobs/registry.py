"""Which function runs each job kind: an explicit list, built once per worker.

Capabilities that own job kinds expose `register_jobs(registry)` in a module
named in `HANDLER_MODULES`; nothing registers itself as a side effect of an
import, so a worker runs exactly the kinds this list wires in.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from careline.jobs.model import KIND

if TYPE_CHECKING:
    from careline.runtime import Runtime

#: Does the work of one job; raises `RetryLater`/`PermanentFailure`/`Defer` (or anything).
HandlerFn = Callable[["Runtime", dict[str, Any]], None]
#: Called once when a job is given up for good, with its PHI-free error code.
GiveUpFn = Callable[["Runtime", dict[str, Any], str], None]

#: Modules with a `register_jobs(registry: Registry) -> None` function.
HANDLER_MODULES = [
    "careline.messaging.jobs",
    "careline.waitlist.jobs",
    "careline.reminders.jobs",
    "careline.telephony.onprem_speech",
    "careline.security.jobs",
    "careline.compliance.jobs",
]


@dataclass(frozen=True)
class JobHandler:
    kind: str
    run: HandlerFn
    on_give_up: GiveUpFn | None = None


class Registry:
    """Handlers by job kind."""

    def __init__(self) -> None:
        self._handlers: dict[str, JobHandler] = {}

    def register(self, kind: str, run: HandlerFn, *, on_give_up: GiveUpFn | None = None) -> None:
        if not KIND.match(kind):
            raise ValueError(f"job kind {kind!r} is not dotted lowercase words")
        if kind in self._handlers:
            raise ValueError(f"job kind {kind!r} already has a handler")
        self._handlers[kind] = JobHandler(kind=kind, run=run, on_give_up=on_give_up)

    def get(self, kind: str) -> JobHandler | None:
        return self._handlers.get(kind)

    def kinds(self) -> frozenset[str]:
        return frozenset(self._handlers)


def default_registry() -> Registry:
    """Every job kind careline knows, from `HANDLER_MODULES`."""
    registry = Registry()
    for name in HANDLER_MODULES:
        importlib.import_module(name).register_jobs(registry)
    return registry
