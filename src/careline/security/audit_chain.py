"""The audit chain's pure rules: how an entry is hashed and how a chain is checked.

Each entry's hash is an HMAC-SHA256, under the keyring's audit key, of its
canonical fields plus the previous entry's hash. Editing, deleting or
reordering any entry breaks the chain at that point; without the key, nobody
can forge a consistent replacement.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    seq: int
    at: datetime
    actor_user_id: str | None
    actor_name: str
    action: str
    outcome: str
    resource_type: str | None
    resource_id: str | None
    patient_id: str | None
    ip: str | None
    flagged: bool
    details: dict[str, Any]
    prev_hash: str
    hash: str = ""


def canonical(entry: ChainEntry) -> bytes:
    body = {
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor_user_id": entry.actor_user_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "outcome": entry.outcome,
        "resource_type": entry.resource_type,
        "resource_id": entry.resource_id,
        "patient_id": entry.patient_id,
        "ip": entry.ip,
        "flagged": entry.flagged,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def entry_hash(key: bytes, entry: ChainEntry) -> str:
    return hmac.new(key, canonical(entry), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None


def verify_chain(
    entries: Iterable[ChainEntry], *, key: bytes, head_seq: int, head_hash: str
) -> ChainReport:
    """Walk entries in storage order and name the first one that breaks the chain."""
    expected_seq = 1
    prev = GENESIS
    checked = 0
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainReport(
                False,
                checked,
                entry.seq,
                f"entry {entry.seq} found where {expected_seq} was expected "
                "(an entry was removed or the order changed)",
            )
        if entry.prev_hash != prev:
            return ChainReport(
                False,
                checked,
                entry.seq,
                f"entry {entry.seq} does not link to the entry before it "
                "(entries were reordered or replaced)",
            )
        if not hmac.compare_digest(entry_hash(key, entry), entry.hash):
            return ChainReport(
                False, checked, entry.seq, f"entry {entry.seq} was altered after it was written"
            )
        prev = entry.hash
        expected_seq += 1
        checked += 1
    if checked != head_seq or prev != head_hash:
        return ChainReport(
            False,
            checked,
            checked + 1 if checked < head_seq else head_seq,
            f"the log holds {checked} entries but its head records {head_seq} "
            "(entries at the end were removed)",
        )
    return ChainReport(True, checked)
