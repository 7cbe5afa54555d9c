"""The outbox provider and the use case that shows what it holds.

Sending stores the item under its idempotency key; sending the same key again
returns the first receipt, so a retry never produces a second message.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from careline.core.clock import Clock
from careline.core.db import SessionFactory, transaction
from careline.patients import service as patients
from careline.providers.outbox.tables import OutboxItemRow
from careline.providers.protocol import OutboundCall, OutboundMessage, Receipt
from careline.security import audit
from careline.security.model import Actor, Permission

PROVIDER_NAME = "outbox"


class OutboxProvider:
    """Stores messages and calls instead of sending them (the embedded default)."""

    name = PROVIDER_NAME

    def __init__(self, *, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def send_message(self, message: OutboundMessage) -> Receipt:
        return self._store(
            "message",
            message.idempotency_key,
            message.to,
            message.from_,
            message.body,
            message.status_callback,
            message.patient_id,
        )

    def place_call(self, call: OutboundCall) -> Receipt:
        return self._store(
            "call",
            call.idempotency_key,
            call.to,
            call.from_,
            call.url,
            call.status_callback,
            call.patient_id,
        )

    def find_messages(self, message: OutboundMessage, *, since: datetime) -> list[Receipt]:
        """The outbox keeps one item per key: the item stored under the message's key."""
        return self._find(message.idempotency_key)

    def find_calls(self, call: OutboundCall, *, since: datetime) -> list[Receipt]:
        return self._find(call.idempotency_key)

    def redirect_queue_member(self, *, queue: str, call_sid: str, url: str) -> bool:
        """The outbox holds no live calls: the caller's next wait request takes them out."""
        return False

    def _find(self, key: str) -> list[Receipt]:
        with transaction(self._sessions) as s:
            row = s.execute(
                select(OutboxItemRow).where(OutboxItemRow.idempotency_key == key)
            ).scalar_one_or_none()
            if row is None:
                return []
            return [Receipt(provider=PROVIDER_NAME, provider_id=row.id, status=row.status)]

    def _store(
        self,
        kind: str,
        key: str,
        to: str,
        from_: str,
        body: str,
        callback: str | None,
        patient_id: str | None,
    ) -> Receipt:
        try:
            with transaction(self._sessions) as s:
                row = OutboxItemRow(
                    kind=kind,
                    idempotency_key=key,
                    to_number=to,
                    from_number=from_,
                    body=body,
                    status="stored",
                    status_callback=callback,
                    patient_id=patient_id,
                    created_at=self._clock.now(),
                )
                s.add(row)
                s.flush()
                return Receipt(provider=PROVIDER_NAME, provider_id=row.id, status=row.status)
        except IntegrityError:
            with transaction(self._sessions) as s:
                existing = s.execute(
                    select(OutboxItemRow).where(OutboxItemRow.idempotency_key == key)
                ).scalar_one()
                return Receipt(
                    provider=PROVIDER_NAME, provider_id=existing.id, status=existing.status
                )


class OutboxItem(BaseModel):
    id: str
    kind: str
    to: str
    from_: str
    body: str | None
    status: str
    patient_id: str | None
    created_at: datetime


def list_outbox(
    sessions: SessionFactory,
    clock: Clock,
    *,
    actor: Actor,
    limit: int,
    offset: int,
    patient_id: str | None = None,
) -> tuple[list[OutboxItem], int]:
    """What careline would have sent, newest first. Reading it is a PHI read: only
    items of patients at the actor's clinics (issue 11, item 3; items with no patient
    only for a network-wide reader), and each patient shown is audited by name."""
    scope = actor.scope_location_ids(Permission.outbox_read)
    with transaction(sessions) as s:
        stmt = select(OutboxItemRow)
        if patient_id:
            stmt = stmt.where(OutboxItemRow.patient_id == patient_id)
        stmt = stmt.order_by(OutboxItemRow.created_at.desc(), OutboxItemRow.id)
        if scope is None:
            total = s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
            rows = list(s.execute(stmt.limit(limit).offset(offset)).scalars())
        else:
            every = list(s.execute(stmt).scalars())
            visible = patients.visible_summaries(
                s,
                actor=actor,
                patient_ids=sorted({r.patient_id for r in every if r.patient_id}),
                permission=Permission.outbox_read,
            )
            mine = [r for r in every if r.patient_id is not None and r.patient_id in visible]
            total, rows = len(mine), mine[offset : offset + limit]
        audit.record(
            s,
            clock=clock,
            actor=actor,
            action="outbox.read",
            resource_type="outbox",
            # Name the patient asked for only if the reader may see them at all.
            patient_id=patient_id if scope is None or any(rows) else None,
            details={"count": len(rows)},
        )
        for shown in sorted(
            {r.patient_id for r in rows if r.patient_id and r.patient_id != patient_id}
        ):
            audit.record(
                s,
                clock=clock,
                actor=actor,
                action="outbox.read",
                resource_type="outbox",
                patient_id=shown,
            )
        items = [
            OutboxItem(
                id=r.id,
                kind=r.kind,
                to=r.to_number,
                from_=r.from_number,
                body=r.body,
                status=r.status,
                patient_id=r.patient_id,
                created_at=r.created_at,
            )
            for r in rows
        ]
        return items, int(total)
