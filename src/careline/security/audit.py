"""Appending to, searching and verifying the hash-chained audit log.

`record` is called inside the caller's transaction, so an audited change and
its audit entry commit or vanish together. Entries never carry PHI: patients
appear by id, people by username.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careline.core.clock import Clock
from careline.security.audit_chain import (
    GENESIS,
    ChainEntry,
    ChainReport,
    entry_hash,
    verify_chain,
)
from careline.security.crypto import current_cipher
from careline.security.model import Actor
from careline.security.tables import AuditEntryRow, AuditHeadRow


def record(
    session: Session,
    *,
    clock: Clock,
    actor: Actor,
    action: str,
    outcome: str = "ok",
    resource_type: str | None = None,
    resource_id: str | None = None,
    patient_id: str | None = None,
    flagged: bool = False,
    details: dict[str, Any] | None = None,
) -> int:
    """Append one entry to the chain and return its sequence number."""
    # Taking the head row's write lock first makes concurrent appends queue up
    # (row lock on PostgreSQL, the database write lock on SQLite).
    bumped = session.execute(
        update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=AuditHeadRow.seq + 1)
    )
    if bumped.rowcount == 0:  # type: ignore[attr-defined]
        # First entry ever (migrations create the head row; this covers a bare
        # schema). Two first writers may race: the loser's savepoint fails and
        # it bumps the winner's row instead.
        try:
            with session.begin_nested():
                session.add(AuditHeadRow(id=1, seq=1, last_hash=GENESIS))
        except IntegrityError:
            session.execute(
                update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=AuditHeadRow.seq + 1)
            )
    head = session.execute(
        select(AuditHeadRow).where(AuditHeadRow.id == 1).execution_options(populate_existing=True)
    ).scalar_one()
    entry = ChainEntry(
        seq=head.seq,
        at=clock.now(),
        actor_user_id=actor.user_id,
        actor_name=actor.username,
        action=action,
        outcome=outcome,
        resource_type=resource_type,
        resource_id=resource_id,
        patient_id=patient_id,
        ip=actor.ip,
        flagged=flagged,
        details=details or {},
        prev_hash=head.last_hash,
    )
    digest = entry_hash(current_cipher().keyring.audit_key, entry)
    session.add(
        AuditEntryRow(
            seq=entry.seq,
            at=entry.at,
            actor_user_id=entry.actor_user_id,
            actor_name=entry.actor_name,
            action=entry.action,
            outcome=entry.outcome,
            resource_type=entry.resource_type,
            resource_id=entry.resource_id,
            patient_id=entry.patient_id,
            ip=entry.ip,
            flagged=entry.flagged,
            details=entry.details,
            prev_hash=entry.prev_hash,
            hash=digest,
        )
    )
    head.last_hash = digest
    session.flush()
    return entry.seq


def _as_entry(row: AuditEntryRow) -> ChainEntry:
    return ChainEntry(
        seq=row.seq,
        at=row.at,
        actor_user_id=row.actor_user_id,
        actor_name=row.actor_name,
        action=row.action,
        outcome=row.outcome,
        resource_type=row.resource_type,
        resource_id=row.resource_id,
        patient_id=row.patient_id,
        ip=row.ip,
        flagged=row.flagged,
        details=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def _stored_entries(session: Session, batch: int = 2000) -> Iterator[ChainEntry]:
    # Storage order by seq; deletions and swaps show up as breaks in the chain.
    stmt = select(AuditEntryRow).order_by(AuditEntryRow.seq).execution_options(yield_per=batch)
    for row in session.execute(stmt).scalars():
        yield _as_entry(row)


def verify(session: Session) -> ChainReport:
    """Check the whole chain and the head; name the first bad entry."""
    head = session.get(AuditHeadRow, 1)
    head_seq, head_hash = (head.seq, head.last_hash) if head else (0, GENESIS)
    return verify_chain(
        _stored_entries(session),
        key=current_cipher().keyring.audit_key,
        head_seq=head_seq,
        head_hash=head_hash,
    )


@dataclass(frozen=True)
class AuditQuery:
    patient_id: str | None = None
    #: Entries about any of these patients (the console's patient search); an empty
    #: tuple matches nothing, None does not filter.
    patient_ids: tuple[str, ...] | None = None
    user_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    flagged: bool | None = None
    limit: int = 50
    offset: int = 0


def search(session: Session, query: AuditQuery) -> tuple[list[AuditEntryRow], int]:
    """Entries matching every given filter, newest first, with the total count."""
    from sqlalchemy import func

    stmt = select(AuditEntryRow)
    if query.patient_id:
        stmt = stmt.where(AuditEntryRow.patient_id == query.patient_id)
    if query.patient_ids is not None:
        stmt = stmt.where(AuditEntryRow.patient_id.in_(query.patient_ids))
    if query.user_id:
        stmt = stmt.where(AuditEntryRow.actor_user_id == query.user_id)
    if query.action:
        stmt = stmt.where(AuditEntryRow.action == query.action)
    if query.since:
        stmt = stmt.where(AuditEntryRow.at >= query.since)
    if query.until:
        stmt = stmt.where(AuditEntryRow.at < query.until)
    if query.flagged is not None:
        stmt = stmt.where(AuditEntryRow.flagged == query.flagged)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(
        stmt.order_by(AuditEntryRow.seq.desc()).limit(query.limit).offset(query.offset)
    ).scalars()
    return list(rows), int(total)
