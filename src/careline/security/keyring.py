"""The keyring: PHI data keys (by key id), the lookup-hash key and the audit key.

It lives in one JSON file (0600) outside the database, so a copy of the database
alone reveals no PHI and cannot forge the audit chain. Rotation adds a key and
marks it active; old keys stay until nothing is encrypted under them.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


class KeyringError(Exception):
    """The keyring file is missing, unreadable or inconsistent."""


@dataclass
class Keyring:
    """Keys in memory. `data_keys` maps key id → 256-bit AES key."""

    active: str
    data_keys: dict[str, bytes]
    index_key: bytes
    audit_key: bytes
    retired: list[str] = field(default_factory=list)

    @classmethod
    def generate(cls) -> Keyring:
        kid = "k1"
        return cls(
            active=kid,
            data_keys={kid: secrets.token_bytes(32)},
            index_key=secrets.token_bytes(32),
            audit_key=secrets.token_bytes(32),
        )

    def add_key(self) -> str:
        """Create a new data key, make it active and return its id."""
        n = 1 + max(int(k[1:]) for k in self.data_keys if k[1:].isdigit())
        kid = f"k{n}"
        self.data_keys[kid] = secrets.token_bytes(32)
        self.active = kid
        return kid

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self.active,
                "data_keys": {k: _b64(v) for k, v in self.data_keys.items()},
                "index_key": _b64(self.index_key),
                "audit_key": _b64(self.audit_key),
                "retired": self.retired,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        try:
            raw = json.loads(text)
            ring = cls(
                active=raw["active"],
                data_keys={k: _unb64(v) for k, v in raw["data_keys"].items()},
                index_key=_unb64(raw["index_key"]),
                audit_key=_unb64(raw["audit_key"]),
                retired=list(raw.get("retired", [])),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyringError(f"keyring is malformed: {type(exc).__name__}") from None
        if ring.active not in ring.data_keys:
            raise KeyringError("keyring's active key id has no key")
        if any(len(k) != 32 for k in ring.data_keys.values()):
            raise KeyringError("every data key must be 256 bits")
        return ring


def load_keyring(path: Path, *, create: bool) -> Keyring:
    """Read the keyring file; create it (0600) when allowed and absent."""
    if path.exists():
        return Keyring.from_json(path.read_text())
    if not create:
        raise KeyringError(f"no keyring at {path}; create one with `careline keys init`")
    ring = Keyring.generate()
    save_keyring(path, ring)
    return ring


def save_keyring(path: Path, ring: Keyring) -> None:
    """Write atomically with owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(ring.to_json())
    os.replace(tmp, path)
