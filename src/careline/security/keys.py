"""Key management use cases: rotate the PHI data key without downtime.

Rotation writes a new active key to the keyring file first, so every process
can read both generations (a process that meets an unknown key id reloads the
file). Then it re-encrypts every encrypted column in small batches, each its
own transaction, with a compare-and-set so a value changed meanwhile is left
to the writer (it is already under a current key). Old keys are retired only
when no value remains under them.

A value is re-sealed with the same associated data (its table, column and row id)
under the new key. One that fails its integrity check (tampered, or moved from
another row) is not re-sealed: it is reported, stays under its old key, and so
keeps the old key from being retired.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    CursorResult,
    Table,
    Text,
    and_,
    column,
    func,
    inspect,
    not_,
    select,
    table,
    update,
)
from sqlalchemy.sql.expression import ColumnClause, TableClause

from careline.core.db import Base, transaction
from careline.db_schema import load_all_tables
from careline.runtime import Runtime
from careline.security import audit
from careline.security.crypto import FORMAT, DecryptionError, EncryptedText, Place
from careline.security.keyring import load_keyring, save_keyring
from careline.security.model import Actor


@dataclass
class RotationReport:
    new_key_id: str
    reencrypted: dict[str, int] = field(default_factory=dict)
    skipped_concurrent: int = 0
    #: Values that failed their integrity check, as "table.column row id" (no PHI).
    unreadable: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    remaining_old: int = 0

    @property
    def total(self) -> int:
        return sum(self.reencrypted.values())


def encrypted_columns() -> Iterator[tuple[Table, Column[str]]]:
    """Every (table, column) whose type is EncryptedText, across all capabilities."""
    load_all_tables()
    for tbl in Base.metadata.sorted_tables:
        for col in tbl.columns:
            if isinstance(col.type, EncryptedText):
                yield tbl, col


def _raw(tbl: Table, col: Column[str]) -> tuple[TableClause, ColumnClause[str], ColumnClause[str]]:
    """Plain-text views of a table, bypassing the decrypting column type."""
    pk_names = [c.name for c in tbl.primary_key.columns]
    if len(pk_names) != 1:
        raise RuntimeError(f"{tbl.name}: rotation needs a single-column primary key")
    pk: ColumnClause[str] = column(pk_names[0], Text())
    val: ColumnClause[str] = column(col.name, Text())
    return table(tbl.name, pk, val), pk, val


def count_under_other_keys(rt: Runtime, key_id: str) -> int:
    total = 0
    with transaction(rt.sessions) as s:
        for tbl, col in encrypted_columns():
            raw, _pk, val = _raw(tbl, col)
            total += s.execute(
                select(func.count())
                .select_from(raw)
                .where(val.isnot(None), not_(val.startswith(f"{FORMAT}:{key_id}:")))
            ).scalar_one()
    return int(total)


def rotate(
    rt: Runtime,
    *,
    actor: Actor,
    batch_size: int = 500,
    retire_old: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> RotationReport:
    """Make a new data key active and re-encrypt every PHI value under it."""
    path = rt.settings.keyring_file
    ring = load_keyring(path, create=False)
    new_kid = ring.add_key()
    save_keyring(path, ring)
    rt.cipher.replace_keyring(ring)
    report = RotationReport(new_key_id=new_kid)
    with transaction(rt.sessions) as s:
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="keys.rotate_started",
            details={"new_key_id": new_kid},
        )
    for tbl, col in encrypted_columns():
        name = f"{tbl.name}.{col.name}"
        raw, pk, val = _raw(tbl, col)
        done = 0
        last_pk: str | None = None
        while True:
            with transaction(rt.sessions) as s:
                stmt = (
                    select(pk, val)
                    .where(val.isnot(None), not_(val.startswith(f"{FORMAT}:{new_kid}:")))
                    .order_by(pk)
                    .limit(batch_size)
                )
                if last_pk is not None:
                    stmt = stmt.where(pk > last_pk)
                rows = s.execute(stmt).all()
                if not rows:
                    break
                for row_pk, old in rows:
                    place = Place(tbl.name, col.name, str(row_pk))
                    try:
                        fresh = rt.cipher.seal(rt.cipher.unseal(old, place), place)
                    except DecryptionError:
                        report.unreadable.append(str(place))
                        continue
                    changed: CursorResult[Any] = s.execute(  # type: ignore[assignment]
                        update(raw).where(and_(pk == row_pk, val == old)).values({col.name: fresh})
                    )
                    if changed.rowcount == 1:
                        done += 1
                    else:
                        report.skipped_concurrent += 1
                last_pk = rows[-1][0]
            if progress:
                progress(name, done)
        report.reencrypted[name] = done
    report.remaining_old = count_under_other_keys(rt, new_kid)
    if retire_old and report.remaining_old == 0:
        ring = load_keyring(path, create=False)
        report.retired = [k for k in ring.data_keys if k != ring.active]
        for kid in report.retired:
            del ring.data_keys[kid]
        ring.retired.extend(report.retired)
        save_keyring(path, ring)
        rt.cipher.replace_keyring(ring)
    with transaction(rt.sessions) as s:
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="keys.rotated",
            details={
                "new_key_id": new_kid,
                "reencrypted": report.total,
                "remaining_old": report.remaining_old,
                "unreadable": len(report.unreadable),
                "retired": report.retired,
            },
        )
    return report


def keyring_problem(rt: Runtime) -> str | None:
    """Why the installed keyring cannot open this database's data, or None (for
    `/readyz`, issue 11, item 25): the newest audit entry must check out under the
    audit key, and the newest user's sealed password under a data key it holds."""
    from careline.security.audit import _as_entry
    from careline.security.audit_chain import entry_hash
    from careline.security.tables import AuditEntryRow

    if not inspect(rt.engine).has_table("audit_entries"):
        return None  # no schema yet: nothing sealed to open
    with transaction(rt.sessions) as s:
        newest = s.execute(
            select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)
        ).scalar_one_or_none()
        if (
            newest is not None
            and entry_hash(rt.cipher.keyring.audit_key, _as_entry(newest)) != newest.hash
        ):
            return "the keyring's audit key does not match the audit log"
        users = table("users", column("password_hash", Text()), column("created_at"))
        sealed = s.execute(
            select(users.c.password_hash)
            .where(users.c.password_hash.isnot(None))
            .order_by(users.c.created_at.desc())
            .limit(1)
        ).scalar_one_or_none()
    if sealed is not None and rt.cipher.key_id_of(sealed) not in rt.cipher.keyring.data_keys:
        return "the keyring holds no key for the data (another install's keyring?)"
    return None
