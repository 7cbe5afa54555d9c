"""Who must hear that a provider refused a message for good (an unreachable number).

The reminders capability listens: a front-desk task, and the patient's reminders
fall back to voice. Listeners are added by the composition root (`bootstrap`),
never by being imported; each is called once per refused message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from careline.runtime import Runtime


class RefusalListener(Protocol):
    def __call__(self, rt: Runtime, *, patient_id: str, message_id: str, code: str) -> None: ...


_listeners: list[RefusalListener] = []


def listen(listener: RefusalListener) -> None:
    """Add a listener (once; adding the same function again changes nothing)."""
    if listener not in _listeners:
        _listeners.append(listener)


def listeners() -> list[RefusalListener]:
    return list(_listeners)


__all__ = ["RefusalListener", "listen", "listeners"]
