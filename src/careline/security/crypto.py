"""PHI encryption at rest (AES-256-GCM) and keyed lookup hashes.

Each stored value is `<key id>:<base64(nonce | ciphertext+tag)>`, so values
written under an old key stay readable while `careline keys rotate` moves them
to the new one. Equality lookups (a caller's phone number) use an HMAC-SHA256
"blind index" instead of plaintext.

ORM columns declare `EncryptedText`; it uses the cipher the composition root
installed with `install_cipher`. That process-wide hook is the one global the
edges keep: SQLAlchemy type hooks receive no context of ours.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import unicodedata
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from careline.security.keyring import Keyring


class DecryptionError(Exception):
    """A stored value could not be decrypted (unknown key id or tampered bytes)."""


class PhiCipher:
    """Encrypts and decrypts PHI strings with the keyring's keys."""

    def __init__(self, keyring: Keyring, *, reload: Callable[[], Keyring] | None = None) -> None:
        self._ring = keyring
        self._reload = reload
        self._lock = threading.Lock()

    @property
    def active_key_id(self) -> str:
        return self._ring.active

    @property
    def keyring(self) -> Keyring:
        return self._ring

    def replace_keyring(self, keyring: Keyring) -> None:
        """Adopt a new keyring (after rotation) without restarting the process."""
        with self._lock:
            self._ring = keyring

    def encrypt(self, plaintext: str) -> str:
        kid = self._ring.active
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(self._ring.data_keys[kid]).encrypt(
            nonce, plaintext.encode("utf-8"), kid.encode("ascii")
        )
        return f"{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, stored: str) -> str:
        kid, sep, payload = stored.partition(":")
        if not sep:
            raise DecryptionError("value is not in key-id:payload form")
        key = self._key(kid)
        raw = base64.b64decode(payload)
        try:
            plain = AESGCM(key).decrypt(raw[:12], raw[12:], kid.encode("ascii"))
        except InvalidTag:
            raise DecryptionError(f"value under key {kid} failed authentication") from None
        return plain.decode("utf-8")

    def key_id_of(self, stored: str) -> str:
        return stored.partition(":")[0]

    def _key(self, kid: str) -> bytes:
        key = self._ring.data_keys.get(kid)
        if key is None and self._reload is not None:
            # Another process may have rotated keys since we started.
            with self._lock:
                self._ring = self._reload()
            key = self._ring.data_keys.get(kid)
        if key is None:
            raise DecryptionError(f"unknown key id {kid!r}")
        return key

    def blind_index(self, value: str) -> str:
        """A keyed hash for equality lookups; normalise before hashing."""
        norm = unicodedata.normalize("NFKC", value).strip().casefold()
        return hmac.new(self._ring.index_key, norm.encode("utf-8"), hashlib.sha256).hexdigest()


_installed: PhiCipher | None = None


def install_cipher(cipher: PhiCipher) -> None:
    """Called by the composition root (and test fixtures) before any PHI I/O."""
    global _installed
    _installed = cipher


def current_cipher() -> PhiCipher:
    if _installed is None:
        raise RuntimeError("no PHI cipher installed; call careline.bootstrap first")
    return _installed


class EncryptedText(TypeDecorator[str]):
    """A text column whose values are encrypted at rest with the installed cipher."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else current_cipher().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else current_cipher().decrypt(value)


def blind_index(value: str) -> str:
    return current_cipher().blind_index(value)
