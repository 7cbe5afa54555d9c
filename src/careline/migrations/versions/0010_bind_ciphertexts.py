"""Ciphertexts bound to their place (issue 11, item 24). Every encrypted value is
re-sealed as `v2:<key id>:<payload>` with its table, column and row id in the AES-GCM
associated data, so a value copied or swapped onto another row fails its integrity
check instead of reading as someone else's. Users' argon2 password hashes are sealed
the same way: a hash copied from another user no longer signs in as them. Session and
API token hashes become keyed (an HMAC, under a key derived from the keyring's index
key, of the old SHA-256), so a row inserted without the keyring is nobody's session;
existing sessions and tokens keep working.

It needs the keyring: `careline db upgrade` loads it first. A database with nothing
to convert (a new one) migrates without it. Values are converted in batches, by row
id; one that does not decrypt stops the migration, naming its table, column and row
(never its content), since binding it to its current row would bless it.

The crypto is spelled out here rather than imported: this revision's formats must not
change when the application's later do.

Revision ID: 0010_bind_ciphertexts
Revises: 0009_login_hardening
Create Date: 2026-12-04 09:30:00.000000
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from careline.security.keyring import Keyring

revision = "0010_bind_ciphertexts"
down_revision = "0009_login_hardening"
branch_labels = None
depends_on = None

BATCH = 500

#: Every column holding `<key id>:<payload>` ciphertexts at revision 0009.
ENCRYPTED = (
    ("break_glass_grants", "reason"),
    ("flow_versions", "reason"),
    ("interaction_events", "text"),
    ("interactions", "summary"),
    ("outbound_messages", "body"),
    ("outbound_messages", "to_number"),
    ("outbox_items", "body"),
    ("outbox_items", "to_number"),
    ("patient_caregivers", "name"),
    ("patient_caregivers", "phone"),
    ("patient_phones", "number"),
    ("patients", "date_of_birth"),
    ("patients", "family_name"),
    ("patients", "given_name"),
    ("patients", "mrn"),
    ("reminder_replies", "answer"),
    ("users", "totp_secret"),
)
#: Stored in the clear (argon2 strings) until this revision, sealed from it on.
NEWLY_SEALED = (("users", "password_hash"),)
#: Unkeyed SHA-256 hex until this revision, keyed from it on.
TOKEN_HASHES = (("api_tokens", "token_hash"), ("user_sessions", "token_hash"))

_V2 = "v2"
_NONCE = 12


class _Keys:
    """The installed cipher's keyring, looked up only once a value needs it."""

    def __init__(self) -> None:
        self._ring: Keyring | None = None

    @property
    def ring(self) -> Keyring:
        if self._ring is None:
            from careline.security.crypto import current_cipher

            try:
                self._ring = current_cipher().keyring
            except RuntimeError:
                raise RuntimeError(
                    "migration 0010 re-encrypts stored values and needs the keyring: "
                    "run it with `careline db upgrade`"
                ) from None
        return self._ring


def _ad(table: str, column: str, row_id: str, kid: str) -> bytes:
    return b"careline:v2|" + f"{table}|{column}|{row_id}|{kid}".encode()


def _key(ring: Keyring, kid: str, where: str) -> bytes:
    key = ring.data_keys.get(kid)
    if key is None:
        raise RuntimeError(f"{where}: value under unknown key id {kid!r}; restore that key")
    return key


def _open(key: bytes, payload: str, ad: bytes, where: str) -> str:
    try:
        raw = base64.b64decode(payload, validate=True)
        return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], ad).decode("utf-8")
    except (InvalidTag, ValueError):
        raise RuntimeError(f"{where}: value failed authentication; fix or clear it") from None


def _open_v1(ring: Keyring, stored: str, where: str) -> str:
    kid, sep, payload = stored.partition(":")
    if not sep:
        raise RuntimeError(f"{where}: value is not in key-id:payload form")
    return _open(_key(ring, kid, where), payload, kid.encode("ascii"), where)


def _seal_v1(ring: Keyring, plaintext: str) -> str:
    kid, nonce = ring.active, secrets.token_bytes(_NONCE)
    sealed = AESGCM(ring.data_keys[kid]).encrypt(nonce, plaintext.encode("utf-8"), kid.encode())
    return f"{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def _seal_v2(ring: Keyring, plaintext: str, table: str, column: str, row_id: str) -> str:
    kid, nonce = ring.active, secrets.token_bytes(_NONCE)
    ad = _ad(table, column, row_id, kid)
    sealed = AESGCM(ring.data_keys[kid]).encrypt(nonce, plaintext.encode("utf-8"), ad)
    return f"{_V2}:{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def _open_v2(ring: Keyring, stored: str, table: str, column: str, row_id: str) -> str:
    where = f"{table}.{column} row {row_id}"
    version, _, rest = stored.partition(":")
    kid, sep, payload = rest.partition(":")
    if version != _V2 or not sep:
        raise RuntimeError(f"{where}: value is not in the v2 form")
    return _open(_key(ring, kid, where), payload, _ad(table, column, row_id, kid), where)


def _keyed_token_hash(ring: Keyring, sha256_hex: str) -> str:
    key = hmac.new(ring.index_key, b"careline:token-hash-key", hashlib.sha256).digest()
    return hmac.new(key, sha256_hex.encode("ascii"), hashlib.sha256).hexdigest()


def _rewrite(
    table: str,
    column: str,
    convert: Callable[[str, str], str],
    *,
    only: Callable[[sa.ColumnClause[str]], sa.ColumnElement[bool]],
) -> None:
    """Rewrite `column` of every selected row, `BATCH` rows at a time in id order."""
    conn = op.get_bind()
    row_id: sa.ColumnClause[str] = sa.column("id", sa.Text())
    value: sa.ColumnClause[str] = sa.column(column, sa.Text())
    tbl = sa.table(table, row_id, value)
    wanted = only(value)
    change = (
        sa.update(tbl)
        .where(row_id == sa.bindparam("b_id"))
        .values({column: sa.bindparam("b_value")})
    )
    last: str | None = None
    while True:
        stmt = sa.select(row_id, value).where(value.isnot(None), wanted).order_by(row_id)
        if last is not None:
            stmt = stmt.where(row_id > last)
        rows = conn.execute(stmt.limit(BATCH)).all()
        if not rows:
            return
        conn.execute(change, [{"b_id": r[0], "b_value": convert(r[0], r[1])} for r in rows])
        last = rows[-1][0]


def _every(_value: sa.ColumnClause[str]) -> sa.ColumnElement[bool]:
    return sa.true()


def _not_v2(value: sa.ColumnClause[str]) -> sa.ColumnElement[bool]:
    return sa.not_(value.startswith(f"{_V2}:"))


def _is_v2(value: sa.ColumnClause[str]) -> sa.ColumnElement[bool]:
    return value.startswith(f"{_V2}:")


def _password_column(to: sa.types.TypeEngine[str], was: sa.types.TypeEngine[str]) -> None:
    # A sealed hash is longer than varchar(200) allows for comfort. SQLite enforces no
    # lengths (and recreating `users` there would cascade-delete its dependants).
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("users", "password_hash", type_=to, existing_type=was, nullable=False)


def upgrade() -> None:
    keys = _Keys()
    _password_column(sa.Text(), sa.String(length=200))
    for table, column in ENCRYPTED:

        def bind(row_id: str, old: str, table: str = table, column: str = column) -> str:
            plain = _open_v1(keys.ring, old, f"{table}.{column} row {row_id}")
            return _seal_v2(keys.ring, plain, table, column, row_id)

        _rewrite(table, column, bind, only=_not_v2)
    for table, column in NEWLY_SEALED:

        def seal(row_id: str, plain: str, table: str = table, column: str = column) -> str:
            return _seal_v2(keys.ring, plain, table, column, row_id)

        _rewrite(table, column, seal, only=_not_v2)
    for table, column in TOKEN_HASHES:
        _rewrite(table, column, lambda _id, old: _keyed_token_hash(keys.ring, old), only=_every)


def downgrade() -> None:
    """Back to unbound ciphertexts and clear-text argon2 hashes. Keyed token hashes
    cannot be turned back into the old SHA-256: every session is ended and every API
    token revoked (the old code could not have matched them anyway)."""
    keys = _Keys()
    for table, column in ENCRYPTED:

        def unbind(row_id: str, old: str, table: str = table, column: str = column) -> str:
            return _seal_v1(keys.ring, _open_v2(keys.ring, old, table, column, row_id))

        _rewrite(table, column, unbind, only=_is_v2)
    for table, column in NEWLY_SEALED:

        def unseal(row_id: str, old: str, table: str = table, column: str = column) -> str:
            return _open_v2(keys.ring, old, table, column, row_id)

        _rewrite(table, column, unseal, only=_is_v2)
    _password_column(sa.String(length=200), sa.Text())
    now = datetime.now(UTC)
    sessions = sa.table(
        "user_sessions",
        sa.column("ended_at", sa.DateTime(timezone=True)),
        sa.column("end_reason", sa.String()),
    )
    op.execute(
        sa.update(sessions)
        .where(sessions.c.ended_at.is_(None))
        .values(ended_at=now, end_reason="rekeyed")
    )
    tokens = sa.table("api_tokens", sa.column("revoked_at", sa.DateTime(timezone=True)))
    op.execute(sa.update(tokens).where(tokens.c.revoked_at.is_(None)).values(revoked_at=now))
