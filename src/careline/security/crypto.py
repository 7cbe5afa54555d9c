"""PHI encryption at rest (AES-256-GCM), bound to its place, and keyed hashes.

Each stored value is `v2:<key id>:<base64(nonce | ciphertext+tag)>`, so values
written under an old key stay readable while `careline keys rotate` moves them
to the new one. The AES-GCM associated data names the value's table, column and
row id (and the key id): a ciphertext copied or swapped onto another row, column
or table fails authentication instead of reading as someone else's data (issue 11,
item 24). Equality lookups (a caller's phone number) use an HMAC-SHA256 "blind
index" instead of plaintext; session and API tokens are stored as keyed hashes.

ORM columns declare `EncryptedText`. SQLAlchemy type hooks receive no context of
ours, so the place travels with the value both ways:

- reading, `EncryptedText.column_expression` makes every SELECT return
  `<table>|<column>|<row id>|<stored value>`, built by the database from the row
  it actually read, so the result processor checks the value against the row it
  came from (ORM loads, refreshes, eager loads and Core selects alike);
- writing, ORM mapper events (`before_insert`, `before_update`) wrap each new
  plaintext as `Placed` (the row id is known before insert: ids are app-made
  UUIDs), and the bind processor seals it. A bare string written to an encrypted
  column (a Core insert that forgot its row) is refused; Core writes use `placed`.

The value format before v2 (`<key id>:<payload>`, only the key id as associated
data) is read by migration 0010 alone. Found in a column later, it is an integrity
error like any other tampering, or a writer could simply store unbound values.
`encrypt` and `decrypt` keep that unbound form for sealed values that live outside
the database (the telephony fallback spool), never for columns.

The installed cipher is the one process-wide global the edges keep: the type and
the mapper events need it and receive nothing of ours.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import re
import secrets
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, Connection, Table, Text, event, inspect, literal_column, type_coerce
from sqlalchemy.orm import Mapper
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault
from sqlalchemy.types import TypeDecorator

from careline.core.errors import CarelineError
from careline.security.keyring import Keyring

log = logging.getLogger("careline.security.crypto")

#: The bound value format's version tag, the first field of every stored value.
FORMAT = "v2"
_AD_PREFIX = b"careline:v2|"
_NONCE = 12
_TAG = 16
_NAME = re.compile(r"^[A-Za-z0-9_]+$")


class DecryptionError(CarelineError):
    """A stored value failed authentication: changed, moved from another row or column,
    in the retired unbound format, or under an unknown key. Its plaintext is never
    returned, and the answer says no more than that (the reason goes to the log)."""

    status = 500
    error_id = "integrity-error"
    title = "Stored data failed its integrity check"

    def __init__(self, reason: str, place: Place | None = None) -> None:
        super().__init__(
            "A stored value failed its integrity check (it was changed or moved in the "
            "database), so it is not shown. Nothing was changed; tell your administrator."
        )
        self.reason = reason
        self.place = place


class UnplacedValueError(TypeError):
    """A plaintext reached an encrypted column without its place: a programming error."""


@dataclass(frozen=True)
class Place:
    """Where a stored value belongs: its table, column and row id (never PHI)."""

    table: str
    column: str
    row_id: str

    def __post_init__(self) -> None:
        if not (_NAME.match(self.table) and _NAME.match(self.column)) or "|" in self.row_id:
            raise ValueError("a place is a table and column name and a row id without '|'")

    def __str__(self) -> str:
        return f"{self.table}.{self.column} row {self.row_id}"

    def associated_data(self, kid: str) -> bytes:
        """What AES-GCM authenticates besides the ciphertext: the place and the key id."""
        return _AD_PREFIX + f"{self.table}|{self.column}|{self.row_id}|{kid}".encode()


class Placed(str):
    """A plaintext on its way to an encrypted column, carrying the place it will live in."""

    place: Place

    def __new__(cls, value: str, place: Place) -> Placed:
        obj = super().__new__(cls, value)
        obj.place = place
        return obj


def placed(value: str | None, *, table: str, column: str, row_id: str) -> Placed | None:
    """A value for an encrypted column in a Core insert or update (the ORM does this itself)."""
    return None if value is None else Placed(value, Place(table, column, row_id))


def keyed_token_hash(index_key: bytes, token_sha256_hex: str) -> str:
    """The stored form of a session or API token: an HMAC, under a key derived from the
    keyring's index key, of the token's SHA-256. Without the keyring, a row inserted
    into the database matches no token. (Hashing the SHA-256 rather than the token lets
    migration 0010 convert rows stored the old, unkeyed way.)"""
    key = hmac.new(index_key, b"careline:token-hash-key", hashlib.sha256).digest()
    return hmac.new(key, token_sha256_hex.encode("ascii"), hashlib.sha256).hexdigest()


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

    # ------------------------------------------------------------ database values

    def seal(self, plaintext: str, place: Place) -> str:
        """Encrypt a column value under the active key, bound to its place."""
        kid = self._ring.active
        nonce = secrets.token_bytes(_NONCE)
        sealed = AESGCM(self._ring.data_keys[kid]).encrypt(
            nonce, plaintext.encode("utf-8"), place.associated_data(kid)
        )
        return f"{FORMAT}:{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def unseal(self, stored: str, place: Place) -> str:
        """Decrypt a column value read from `place`; anything else is a DecryptionError."""
        version, _, rest = stored.partition(":")
        kid, sep, payload = rest.partition(":")
        if version != FORMAT or not sep:
            raise _refused("value is not in the bound v2 format", place)
        key = self._key(kid, place)
        raw = self._payload(payload, place)
        try:
            plain = AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], place.associated_data(kid))
        except InvalidTag:
            raise _refused(f"value under key {kid} failed authentication", place) from None
        return plain.decode("utf-8")

    # ------------------------------------------------------------ values outside the database

    def encrypt(self, plaintext: str) -> str:
        """Unbound `<key id>:<payload>`, for sealed files only: never for a column."""
        kid = self._ring.active
        nonce = secrets.token_bytes(_NONCE)
        sealed = AESGCM(self._ring.data_keys[kid]).encrypt(
            nonce, plaintext.encode("utf-8"), kid.encode("ascii")
        )
        return f"{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, stored: str) -> str:
        """Open what `encrypt` sealed (a column value needs `unseal` and its place)."""
        kid, sep, payload = stored.partition(":")
        if not sep:
            raise _refused("value is not in key-id:payload form", None)
        key = self._key(kid, None)
        raw = self._payload(payload, None)
        try:
            plain = AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], kid.encode("ascii"))
        except InvalidTag:
            raise _refused(f"value under key {kid} failed authentication", None) from None
        return plain.decode("utf-8")

    def key_id_of(self, stored: str) -> str:
        version, _, rest = stored.partition(":")
        return rest.partition(":")[0] if version == FORMAT else version

    # ------------------------------------------------------------ keyed hashes

    def blind_index(self, value: str) -> str:
        """A keyed hash for equality lookups; normalise before hashing."""
        norm = unicodedata.normalize("NFKC", value).strip().casefold()
        return hmac.new(self._ring.index_key, norm.encode("utf-8"), hashlib.sha256).hexdigest()

    def token_hash(self, token: str) -> str:
        """How a session or API token is stored and looked up: keyed, so a row written
        into the database without the keyring is nobody's session."""
        inner = hashlib.sha256(token.encode("utf-8")).hexdigest()
        return keyed_token_hash(self._ring.index_key, inner)

    # ------------------------------------------------------------ helpers

    def _key(self, kid: str, place: Place | None) -> bytes:
        key = self._ring.data_keys.get(kid)
        if key is None and self._reload is not None:
            # Another process may have rotated keys since we started.
            with self._lock:
                self._ring = self._reload()
            key = self._ring.data_keys.get(kid)
        if key is None:
            raise _refused(f"unknown key id {kid!r}", place)
        return key

    def _payload(self, payload: str, place: Place | None) -> bytes:
        try:
            raw = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            raise _refused("value is not base64", place) from None
        if len(raw) < _NONCE + _TAG:
            raise _refused("value is too short", place)
        return raw


def _refused(reason: str, place: Place | None) -> DecryptionError:
    """The error for a refused value, logged loudly and PHI-free (a reason, a key id, a
    table, column and row id)."""
    log.error("stored value refused: %s (%s)", reason, place or "outside the database")
    return DecryptionError(reason, place)


_installed: PhiCipher | None = None


def install_cipher(cipher: PhiCipher) -> None:
    """Called by the composition root (and test fixtures) before any PHI I/O."""
    global _installed
    _installed = cipher


def current_cipher() -> PhiCipher:
    if _installed is None:
        raise RuntimeError("no PHI cipher installed; call careline.bootstrap first")
    return _installed


def _home_of(colexpr: ColumnElement[Any]) -> tuple[str, str, ColumnElement[Any]]:
    """The table and column behind `colexpr` (a column of a table, alias or subquery),
    and the row-id column of the same FROM, to read alongside it."""
    base = next(
        (c for c in colexpr.proxy_set if isinstance(c, Column) and isinstance(c.table, Table)),
        None,
    )
    from_ = getattr(colexpr, "table", None)
    pks = list(from_.primary_key) if from_ is not None else []
    if base is None or len(pks) != 1:
        raise UnplacedValueError(
            "an encrypted column is read from its table (or an alias or subquery that "
            "also selects the row's id), never through an expression"
        )
    if not (_NAME.match(base.table.name) and _NAME.match(base.name)):
        raise UnplacedValueError("encrypted columns live in plainly named tables and columns")
    return base.table.name, base.name, pks[0]


class EncryptedText(TypeDecorator[str]):
    """A text column encrypted at rest with the installed cipher, bound to its row."""

    impl = Text
    cache_ok = True

    def column_expression(self, column: ColumnElement[str]) -> ColumnElement[str]:
        """Read `<table>|<column>|<row id>|<value>`: the database says where it read it."""
        table, name, row_id = _home_of(column)
        tag = literal_column(f"'{table}|{name}|'", Text())
        bar = literal_column("'|'", Text())
        return type_coerce(tag + row_id + bar + column, self)

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Placed):
            raise UnplacedValueError(
                "a value for an encrypted column needs its row: write it through the ORM, "
                "or wrap it with careline.security.crypto.placed (lookups use a blind index)"
            )
        return current_cipher().seal(str(value), value.place)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        table, column, row_id, stored = [*value.split("|", 3), "", "", ""][:4]
        try:
            place = Place(table, column, row_id)
        except ValueError:
            raise _refused("value read without its place", None) from None
        return current_cipher().unseal(stored, place)


def blind_index(value: str) -> str:
    return current_cipher().blind_index(value)


# ---------------------------------------------------------------- ORM: values learn their row

#: Per mapper: (attribute key, table, column) of each encrypted column, and the row id's key.
_FIELDS: dict[Mapper[Any], tuple[tuple[tuple[str, str, str], ...], str]] = {}


def _encrypted_fields(mapper: Mapper[Any]) -> tuple[tuple[tuple[str, str, str], ...], str]:
    found = _FIELDS.get(mapper)
    if found is not None:
        return found
    fields = tuple(
        (prop.key, col.table.name, col.name)
        for prop in mapper.column_attrs
        for col in prop.columns
        if isinstance(col, Column)
        and isinstance(col.type, EncryptedText)
        and isinstance(col.table, Table)
    )
    pk_key = ""
    if fields:
        if len(mapper.primary_key) != 1:
            raise UnplacedValueError(f"{mapper.class_.__name__}: encrypted rows need one id column")
        pk_key = mapper.get_property_by_column(mapper.primary_key[0]).key
    _FIELDS[mapper] = (fields, pk_key)
    return fields, pk_key


def _assign_id(mapper: Mapper[Any], target: Any, pk_key: str) -> str:
    """The new row's id, taken from its column default now (the AD needs it before insert)."""
    value = getattr(target, pk_key)
    if value is None:
        default = mapper.primary_key[0].default
        if isinstance(default, CallableColumnDefault):
            value = default.arg(cast(Any, None))  # app ids (new_id) ignore the context
        elif isinstance(default, ScalarElementColumnDefault):
            value = default.arg
        if value is None:
            raise UnplacedValueError(
                f"{mapper.class_.__name__}: a new row needs its id before insert"
            )
        setattr(target, pk_key, value)
    return str(value)


@event.listens_for(Mapper, "before_insert")
def _place_inserted(mapper: Mapper[Any], _connection: Connection, target: Any) -> None:
    """Wrap each plaintext of a new row with its place, for the bind processor to seal."""
    fields, pk_key = _encrypted_fields(mapper)
    if not fields:
        return
    row_id = _assign_id(mapper, target, pk_key)
    values = inspect(target).dict
    for key, table, column in fields:
        value = values.get(key)
        if value is not None:
            values[key] = Placed(str(value), Place(table, column, row_id))


@event.listens_for(Mapper, "before_update")
def _place_updated(mapper: Mapper[Any], _connection: Connection, target: Any) -> None:
    """Wrap each changed plaintext of an updated row (unchanged ones are not rewritten)."""
    fields, pk_key = _encrypted_fields(mapper)
    if not fields:
        return
    state = inspect(target)
    row_id = str(state.identity[0] if state.identity else getattr(target, pk_key))
    for key, table, column in fields:
        added = state.attrs[key].history.added
        if added and added[0] is not None:
            state.dict[key] = Placed(str(added[0]), Place(table, column, row_id))


@event.listens_for(Mapper, "after_insert")
@event.listens_for(Mapper, "after_update")
def _unwrap(mapper: Mapper[Any], _connection: Connection, target: Any) -> None:
    """After the write, the object holds plain strings again."""
    fields, _pk = _encrypted_fields(mapper)
    values = inspect(target).dict
    for key, _table, _column in fields:
        value = values.get(key)
        if isinstance(value, Placed):
            values[key] = str(value)
