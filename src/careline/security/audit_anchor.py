"""An anchor for the audit chain outside the database (issue 11, item 23).

The chain proves that no entry was altered, removed or moved *inside* what the
database holds, but its head lives beside the log: deleting the newest entries
and pointing the head at the new last one, or wiping the table and resetting
the head, left a chain that checked out. So careline also writes checkpoints —
the head's sequence number and hash, MACed with the audit key — to a file the
database cannot reach (`audit_anchor_file`, appended and fsynced, one JSON line
each) and to the log (for syslog). `audit verify` compares the database against
the newest valid checkpoint: every entry it records must still be there,
unchanged. What was written after the newest checkpoint is covered by the next
one (the worker writes one every `audit_checkpoint_minutes`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.jobs import service as jobs
from careline.runtime import Runtime
from careline.security.audit_chain import GENESIS, ChainReport
from careline.security.crypto import current_cipher
from careline.security.tables import AuditEntryRow, AuditHeadRow

log = logging.getLogger("careline.audit")
CHECKPOINT_JOB = "security.audit_checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: datetime


def _mac(key: bytes, seq: int, digest: str, at: datetime) -> str:
    message = f"careline-audit-anchor|{seq}|{digest}|{at.isoformat()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def checkpoint_line(key: bytes, point: Checkpoint) -> str:
    """One line of the anchor file."""
    body = {
        "seq": point.seq,
        "hash": point.hash,
        "at": point.at.isoformat(),
        "mac": _mac(key, point.seq, point.hash, point.at),
    }
    return json.dumps(body, separators=(",", ":"))


def newest_valid(lines: Iterable[str], key: bytes) -> tuple[Checkpoint | None, int]:
    """The newest checkpoint whose MAC holds, and how many lines were not valid (a
    line someone wrote without the key, or a torn last write)."""
    newest: Checkpoint | None = None
    invalid = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            raw: dict[str, Any] = json.loads(line)
            point = Checkpoint(int(raw["seq"]), str(raw["hash"]), datetime.fromisoformat(raw["at"]))
            ok = hmac.compare_digest(_mac(key, point.seq, point.hash, point.at), str(raw["mac"]))
        except (ValueError, KeyError, TypeError):
            ok = False
        if not ok:
            invalid += 1
            continue
        if newest is None or point.seq >= newest.seq:
            newest = point
    return newest, invalid


def anchor_file(rt: Runtime) -> Path:
    return rt.settings.audit_anchor_file or rt.settings.keyring_file.with_name("audit-anchor.jsonl")


def write_checkpoint(rt: Runtime) -> Checkpoint:
    """Append the chain's current head to the anchor file (and the log)."""
    with transaction(rt.sessions) as s:
        head = s.get(AuditHeadRow, 1)
        seq, digest = (head.seq, head.last_hash) if head is not None else (0, GENESIS)
    point = Checkpoint(seq, digest, rt.clock.now())
    path = anchor_file(rt)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = checkpoint_line(current_cipher().keyring.audit_key, point) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    log.info("audit checkpoint seq=%d hash=%s", point.seq, point.hash)
    return point


def check_anchor(session: Session, rt: Runtime) -> ChainReport | None:
    """None when the database still holds what the newest checkpoint recorded (or there
    is no anchor yet); otherwise a report naming what was cut back or replaced."""
    path = anchor_file(rt)
    if not path.exists():
        return None
    with path.open(encoding="ascii", errors="replace") as lines:
        point, _invalid = newest_valid(lines, current_cipher().keyring.audit_key)
    if point is None or point.seq == 0:
        return None
    head = session.get(AuditHeadRow, 1)
    entry = session.execute(
        select(AuditEntryRow.hash).where(AuditEntryRow.seq == point.seq)
    ).scalar_one_or_none()
    if entry is None or head is None or head.seq < point.seq:
        return ChainReport(
            False,
            0,
            point.seq,
            f"the checkpoint of {point.at.isoformat(timespec='seconds')} recorded entry "
            f"{point.seq}, which the database no longer holds (entries at the end were "
            "removed or the log was replaced)",
        )
    if not hmac.compare_digest(entry, point.hash):
        return ChainReport(
            False,
            0,
            point.seq,
            f"entry {point.seq} differs from the checkpoint of "
            f"{point.at.isoformat(timespec='seconds')} (the log was replaced)",
        )
    return None


# ---------------------------------------------------------------- the worker's checkpoints


def _bucket(at: datetime, every: timedelta) -> int:
    return int(at.timestamp() // every.total_seconds())


def ensure_checkpoints(rt: Runtime) -> None:
    """Start the self-renewing checkpoint job (idempotent per time bucket)."""
    every = timedelta(minutes=rt.settings.audit_checkpoint_minutes)
    now = rt.clock.now()
    jobs.schedule(
        rt,
        kind=CHECKPOINT_JOB,
        payload={},
        due_at=now,
        dedupe_key=f"{CHECKPOINT_JOB}:{_bucket(now, every)}",
    )


def checkpoint_job(rt: Runtime, payload: dict[str, Any]) -> None:
    write_checkpoint(rt)
    every = timedelta(minutes=rt.settings.audit_checkpoint_minutes)
    due = rt.clock.now() + every
    jobs.schedule(
        rt,
        kind=CHECKPOINT_JOB,
        payload={},
        due_at=due,
        dedupe_key=f"{CHECKPOINT_JOB}:{_bucket(due, every)}",
    )
