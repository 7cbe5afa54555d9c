"""Who may consume an inbound SMS before reminders read it as a reminder reply.

Capabilities that ask patients a question by text (the waitlist's slot offers)
register a handler once, at import of their wiring. The inbound SMS webhook
offers every reply to the handlers in registration order; the first that
returns a text has consumed it (that text is the answer sent back). Carrier
keywords (STOP, START, HELP...) are handled before any handler, for compliance.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from careline.runtime import Runtime


class ReplyHandler(Protocol):
    def __call__(self, rt: Runtime, *, patient_id: str, text: str, at: datetime) -> str | None: ...


_handlers: list[ReplyHandler] = []


def register(handler: ReplyHandler) -> ReplyHandler:
    """Add a handler (once; registering the same function again changes nothing)."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def unregister(handler: ReplyHandler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def handlers() -> list[ReplyHandler]:
    return list(_handlers)


def offer(rt: Runtime, *, patient_id: str, text: str, at: datetime) -> str | None:
    """The answer of the first handler that consumes the reply, or None."""
    for handler in list(_handlers):
        answer = handler(rt, patient_id=patient_id, text=text, at=at)
        if answer is not None:
            return answer
    return None


__all__ = ["ReplyHandler", "handlers", "offer", "register", "unregister"]
