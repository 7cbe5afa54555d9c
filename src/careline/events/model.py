"""A live event, purely: what happened (by opaque ids) and who may hear of it.

Events never carry PHI: a screen that hears "task t-1 changed" refetches it through
the API, where the usual permission and location checks and the audit apply. So an
event only needs enough to decide who should be told, and what to refetch.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from careline.security.model import Actor, Permission


class EventKind(StrEnum):
    """What changed; the web app maps each kind to the lists it refetches."""

    task = "task"
    queue = "queue"
    desk = "desk"
    presence = "presence"
    conversation = "conversation"
    appointment = "appointment"
    #: Not a change: "you may have missed events, refetch everything" (a stream that
    #: fell behind, or a lost database listener connection).
    resync = "resync"


#: NOTIFY payloads must stay under PostgreSQL's 8,000-byte limit; ours are tiny, and
#: a larger one is a bug (someone put more than ids in `ids`).
MAX_PAYLOAD_BYTES = 4000
#: What an id looks like (uuids, provider sids, slugs): no spaces, so no sentences.
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


@dataclass(frozen=True)
class LiveEvent:
    kind: EventKind
    #: Who may hear it: holders of this permission...
    permission: Permission
    #: ...at this clinic (None: anyone holding the permission anywhere).
    location_id: str | None
    at: datetime
    #: Only this staff member's own screens (their desk), when set.
    staff_id: str | None = None
    ids: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, value in self.ids.items():
            if not (_ID.fullmatch(key) and _ID.fullmatch(value)):
                raise ValueError("event ids are opaque ids, never free text")

    def to_json(self) -> str:
        text = json.dumps(
            {
                "kind": self.kind.value,
                "permission": self.permission.value,
                "location_id": self.location_id,
                "staff_id": self.staff_id,
                "at": self.at.isoformat(),
                "ids": self.ids,
            },
            separators=(",", ":"),
        )
        if len(text.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError("live event too large")
        return text

    @classmethod
    def from_json(cls, text: str) -> LiveEvent:
        raw = json.loads(text)
        return cls(
            kind=EventKind(raw["kind"]),
            permission=Permission(raw["permission"]),
            location_id=raw.get("location_id"),
            staff_id=raw.get("staff_id"),
            at=datetime.fromisoformat(raw["at"]),
            ids={str(k): str(v) for k, v in (raw.get("ids") or {}).items()},
        )

    def public_json(self) -> str:
        """What the browser receives: the kind, the ids and when; not the audience."""
        return json.dumps(
            {"kind": self.kind.value, "at": self.at.isoformat(), "ids": self.ids},
            separators=(",", ":"),
        )


@dataclass(frozen=True)
class Audience:
    """One open stream's listener: an actor, and the staff member they are (if any)."""

    actor: Actor
    staff_id: str | None

    def hears(self, event: LiveEvent) -> bool:
        """The same rule as the API's reads: the permission at the event's clinic; a
        staff-only event (an offer ringing someone) reaches that staff member alone."""
        if event.kind is EventKind.resync:
            return True
        if event.staff_id is not None and event.staff_id != self.staff_id:
            return False
        return self.actor.can(event.permission, event.location_id)


def sse_frame(event: LiveEvent, *, event_id: int) -> str:
    """One Server-Sent Events frame (text/event-stream)."""
    return f"id: {event_id}\nevent: {event.kind.value}\ndata: {event.public_json()}\n\n"
