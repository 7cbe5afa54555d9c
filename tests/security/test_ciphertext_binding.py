"""Issue 11, item 24: ciphertexts are bound to their place, token hashes are keyed.

Someone who can write to the database but holds no keyring must not be able to sign
in as another user by copying that user's credentials around, move one patient's
name onto another, or mint a session or API token by inserting a row. Each attack is
run with raw SQL, as that attacker would.
"""

from __future__ import annotations

import hashlib
import importlib
import secrets
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from careline import db_schema
from careline.core.db import Base, make_engine, transaction
from careline.core.errors import Unauthenticated
from careline.patients import service as patients
from careline.patients.model import PatientCreate
from careline.patients.tables import PatientRow
from careline.providers.protocol import OutboundMessage
from careline.security import keys
from careline.security import service as security
from careline.security.crypto import DecryptionError, Place, UnplacedValueError, placed
from careline.security.keyring import load_keyring, save_keyring
from careline.security.model import SYSTEM, Role
from careline.security.passwords import hash_password
from careline.security.tables import AuditEntryRow

MIGRATION = importlib.import_module("careline.migrations.versions.0010_bind_ciphertexts")


@pytest.fixture
def make_patient(rt):
    """Factory: a patient registered through the real use case; returns its id."""

    def make(
        *,
        given_name: str = "Ada",
        family_name: str = "Lovelace",
        date_of_birth: date = date(1980, 12, 10),
        mrn: str | None = None,
    ) -> str:
        data = PatientCreate(
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
            mrn=mrn,
            phones=[],
        )
        return patients.create_patient(rt, actor=SYSTEM, data=data).id

    return make


def _raw(rt, sql: str, **params) -> list[tuple]:
    with transaction(rt.sessions) as s:
        return [tuple(r) for r in s.execute(text(sql), params)]


def _write(rt, sql: str, **params) -> None:
    with transaction(rt.sessions) as s:
        s.execute(text(sql), params)


def _flagged_login_failures(rt) -> list[AuditEntryRow]:
    with transaction(rt.sessions) as s:
        return list(
            s.execute(
                select(AuditEntryRow).where(
                    AuditEntryRow.action == "auth.login",
                    AuditEntryRow.outcome == "integrity-error",
                )
            ).scalars()
        )


# ---------------------------------------------------------------- credentials moved between users


@pytest.mark.parametrize(
    ("victim_role", "columns"),
    [
        (Role.admin, ("password_hash", "totp_secret")),  # MFA user: hash and TOTP secret
        (Role.auditor, ("password_hash",)),  # a role without MFA: the hash alone
    ],
)
def test_credentials_copied_onto_another_user_do_not_sign_in_as_them(
    rt, client, make_user, clock, victim_role, columns
):
    mallory = make_user(Role.agent)
    victim = make_user(victim_role)
    for column in columns:
        [(theirs,)] = _raw(rt, f"SELECT {column} FROM users WHERE id = :i", i=mallory.id)
        _write(rt, f"UPDATE users SET {column} = :v WHERE id = :i", v=theirs, i=victim.id)
    if "totp_secret" not in columns:
        assert victim.totp_secret is None

    r = client.post(
        "/api/v1/auth/login",
        json={
            "username": victim.username,
            "password": mallory.password,
            "totp": mallory.code(clock) if "totp_secret" in columns else None,
        },
    )
    assert r.status_code == 500, r.text
    problem = r.json()
    assert problem["error_id"] == "integrity-error"
    assert set(problem) == {"type", "title", "status", "detail", "error_id"}
    assert "argon2" not in r.text and victim.id not in r.text and "users" not in r.text
    assert "session" not in r.cookies and "careline_session" not in r.cookies

    [entry] = _flagged_login_failures(rt)
    assert entry.flagged and entry.resource_id == victim.id
    assert entry.details["column"] in columns
    with pytest.raises(DecryptionError):
        security.login(
            rt,
            username=victim.username,
            password=mallory.password,
            totp_code=mallory.code(clock),
            ip="127.0.0.1",
        )
    # Mallory's own sign-in is untouched.
    assert security.login(
        rt,
        username=mallory.username,
        password=mallory.password,
        totp_code=_next_code(mallory, clock),
        ip="127.0.0.1",
    ).session_id


def _next_code(user, clock) -> str | None:
    clock.advance(timedelta(seconds=31))  # each TOTP step is accepted once
    return user.code(clock)


# ---------------------------------------------------------------- PHI moved between patients


def test_swapped_patient_names_fail_loudly_instead_of_showing_the_other_patient(
    rt, client, make_user, login, make_patient
):
    ada = make_patient(given_name="Ada", family_name="Lovelace", date_of_birth=date(1980, 12, 10))
    alan = make_patient(given_name="Alan", family_name="Turing", date_of_birth=date(1954, 6, 7))
    columns = ("given_name", "family_name", "date_of_birth")
    cols = ", ".join(columns)
    [a] = _raw(rt, f"SELECT {cols} FROM patients WHERE id = :i", i=ada)
    [b] = _raw(rt, f"SELECT {cols} FROM patients WHERE id = :i", i=alan)
    sets = ", ".join(f"{c} = :{c}" for c in columns)
    _write(
        rt, f"UPDATE patients SET {sets} WHERE id = :i", i=ada, **dict(zip(columns, b, strict=True))
    )
    _write(
        rt,
        f"UPDATE patients SET {sets} WHERE id = :i",
        i=alan,
        **dict(zip(columns, a, strict=True)),
    )

    for pid in (ada, alan):
        with pytest.raises(DecryptionError) as caught:
            patients.get_patient(rt, actor=SYSTEM, patient_id=pid)
        assert caught.value.place is not None and caught.value.place.row_id == pid

    login(make_user(Role.agent))
    r = client.get(f"/api/v1/patients/{ada}")
    assert r.status_code == 500 and r.json()["error_id"] == "integrity-error"
    for secret in ("Alan", "Turing", "1954", "Ada", "Lovelace"):
        assert secret not in r.text


def test_a_value_moved_to_another_column_of_the_same_row_is_refused(rt, make_patient):
    pid = make_patient(given_name="Ada", family_name="Lovelace")
    _write(rt, "UPDATE patients SET family_name = given_name WHERE id = :i", i=pid)
    with pytest.raises(DecryptionError):
        patients.get_patient(rt, actor=SYSTEM, patient_id=pid)


def test_an_unbound_v1_value_written_after_the_migration_is_refused(rt, make_patient):
    pid = make_patient(given_name="Ada")
    unbound = rt.cipher.encrypt("Eve")  # the old format: only the key id authenticated
    _write(rt, "UPDATE patients SET given_name = :v WHERE id = :i", v=unbound, i=pid)
    with pytest.raises(DecryptionError):
        patients.get_patient(rt, actor=SYSTEM, patient_id=pid)


def test_core_reads_are_checked_and_core_writes_need_their_row(rt, make_patient):
    ada = make_patient(given_name="Ada")
    alan = make_patient(given_name="Alan")
    with transaction(rt.sessions) as s:
        names = dict(s.execute(select(PatientRow.id, PatientRow.given_name)).all())
    assert names == {ada: "Ada", alan: "Alan"}
    [(alans,)] = _raw(rt, "SELECT given_name FROM patients WHERE id = :i", i=alan)
    _write(rt, "UPDATE patients SET given_name = :v WHERE id = :i", v=alans, i=ada)
    with transaction(rt.sessions) as s, pytest.raises(DecryptionError):
        s.execute(select(PatientRow.given_name).where(PatientRow.id == ada)).all()
    patients_table = PatientRow.__table__
    with transaction(rt.sessions) as s, pytest.raises(StatementError) as caught:
        s.execute(patients_table.update().values(given_name="Eve"))
    assert isinstance(caught.value.orig, UnplacedValueError)
    with transaction(rt.sessions) as s:
        eve = placed("Eve", table="patients", column="given_name", row_id=ada)
        s.execute(patients_table.update().where(patients_table.c.id == ada).values(given_name=eve))
    assert patients.get_patient(rt, actor=SYSTEM, patient_id=ada).given_name == "Eve"


# ---------------------------------------------------------------- sessions and tokens by insert


def _insert_session(rt, user_id: str, token_hash: str) -> None:
    now = rt.clock.now()
    _write(
        rt,
        "INSERT INTO user_sessions (id, token_hash, user_id, created_at, last_seen_at, "
        "expires_at) VALUES (:id, :h, :u, :now, :now, :later)",
        id=str(uuid.uuid4()),
        h=token_hash,
        u=user_id,
        now=now,
        later=now + timedelta(hours=8),
    )


def test_an_inserted_session_row_is_no_session(rt, client, make_user):
    admin = make_user(Role.admin)
    token = secrets.token_urlsafe(32)
    _insert_session(rt, admin.id, hashlib.sha256(token.encode()).hexdigest())
    with pytest.raises(Unauthenticated):
        security.authenticate_session(rt, token=token, ip="127.0.0.1")
    client.cookies.set("careline_session", token)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_session_row_copied_under_another_token_is_no_session(rt, client, make_user, login):
    admin = make_user(Role.admin)
    login(admin)
    [(stored,)] = _raw(rt, "SELECT token_hash FROM user_sessions WHERE user_id = :u", u=admin.id)
    assert len(stored) == 64
    # Knowing the stored hash gives no token: it is no unkeyed hash of anything we hold,
    # and a row hashed the way an attacker can hash matches nothing.
    other = secrets.token_urlsafe(32)
    _insert_session(rt, admin.id, hashlib.sha256(other.encode()).hexdigest())
    with pytest.raises(Unauthenticated):
        security.authenticate_session(rt, token=other, ip="127.0.0.1")
    with pytest.raises(Unauthenticated):
        security.authenticate_session(rt, token=stored, ip="127.0.0.1")


def test_an_inserted_api_token_row_is_no_token(rt, client, make_user):
    admin = make_user(Role.admin)
    secret = "clt_" + secrets.token_urlsafe(32)
    now = rt.clock.now()
    _write(
        rt,
        "INSERT INTO api_tokens (id, name, token_hash, user_id, scopes, created_at, expires_at) "
        "VALUES (:id, 'planted', :h, :u, :scopes, :now, :later)",
        id=str(uuid.uuid4()),
        h=hashlib.sha256(secret.encode()).hexdigest(),
        u=admin.id,
        scopes='["users:read", "users:manage"]',
        now=now,
        later=now + timedelta(days=30),
    )
    with pytest.raises(Unauthenticated):
        security.authenticate_token(rt, secret=secret, ip="127.0.0.1")
    r = client.get("/api/v1/users", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 401


# ---------------------------------------------------------------- rotation


@pytest.fixture
def own_keyring(rt, tmp_path):
    """Rotation rewrites the keyring file: give this test its own copy."""
    path = tmp_path / "keyring.json"
    save_keyring(path, rt.cipher.keyring)
    rt.settings.keyring_file = path
    return path


def test_rotation_reseals_with_the_same_place_under_the_new_key(
    rt, own_keyring, make_user, make_patient, clock
):
    user = make_user(Role.clinician)
    ada = make_patient(given_name="Ada", family_name="Lovelace")
    report = keys.rotate(rt, actor=SYSTEM, batch_size=2, retire_old=True)
    assert report.unreadable == [] and report.remaining_old == 0 and report.retired == ["k1"]
    assert report.reencrypted["users.password_hash"] >= 1
    [(stored,)] = _raw(rt, "SELECT given_name FROM patients WHERE id = :i", i=ada)
    assert stored.startswith("v2:k2:")
    assert rt.cipher.unseal(stored, Place("patients", "given_name", ada)) == "Ada"
    with pytest.raises(DecryptionError):
        rt.cipher.unseal(stored, Place("patients", "family_name", ada))
    assert patients.get_patient(rt, actor=SYSTEM, patient_id=ada).family_name == "Lovelace"
    assert security.login(
        rt,
        username=user.username,
        password=user.password,
        totp_code=user.code(clock),
        ip="127.0.0.1",
    ).session_id


def test_rotation_leaves_a_moved_value_alone_and_keeps_its_old_key(rt, own_keyring, make_patient):
    ada = make_patient(given_name="Ada")
    alan = make_patient(given_name="Alan")
    [(alans,)] = _raw(rt, "SELECT given_name FROM patients WHERE id = :i", i=alan)
    _write(rt, "UPDATE patients SET given_name = :v WHERE id = :i", v=alans, i=ada)
    report = keys.rotate(rt, actor=SYSTEM, retire_old=True)
    assert report.unreadable == [f"patients.given_name row {ada}"]
    assert report.remaining_old == 1 and report.retired == []
    assert set(load_keyring(own_keyring, create=False).data_keys) == {"k1", "k2"}
    assert patients.get_patient(rt, actor=SYSTEM, patient_id=alan).given_name == "Alan"


# ---------------------------------------------------------------- migration 0010


def test_the_migration_covers_every_encrypted_column():
    models = {(t.name, c.name) for t, c in keys.encrypted_columns()}
    assert models == set(MIGRATION.ENCRYPTED) | set(MIGRATION.NEWLY_SEALED)


def _rebuild_at(rt, revision: str) -> None:
    """An empty database migrated to `revision` under the running runtime."""
    engine = make_engine(rt.settings.database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(engine)
    db_schema.upgrade(engine, revision)
    engine.dispose()
    rt.engine.dispose()  # no pooled connection may remember the old tables


def _unbind(rt, table: str, column: str) -> int:
    """Rewrite a column the way careline wrote it before 0010 (only the key id as AD)."""
    rows = _raw(rt, f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")
    for row_id, stored in rows:
        plain = rt.cipher.unseal(stored, Place(table, column, row_id))
        old = plain if column == "password_hash" else rt.cipher.encrypt(plain)
        _write(rt, f"UPDATE {table} SET {column} = :v WHERE id = :i", v=old, i=row_id)
    return len(rows)


def test_the_migration_binds_values_written_the_old_way(rt, make_user, make_patient, clock):
    _rebuild_at(rt, "0009_login_hardening")
    user = make_user(Role.manager)
    pids = [
        make_patient(given_name=f"Patient{i}", family_name="Old", mrn=f"M{i}") for i in range(3)
    ]
    rt.provider.send_message(
        OutboundMessage(to="+13125550143", from_="+13125550100", body="hi", idempotency_key="a")
    )
    session = security.login(
        rt, username=user.username, password=user.password, totp_code=user.code(clock), ip="::1"
    )
    clock.advance(timedelta(seconds=31))
    actor = security.authenticate_session(rt, token=session.session_token, ip="::1")
    api = security.create_token(
        rt, actor=actor, name="bridge", scopes=[*actor.permissions()][:1], expires_in_days=5
    )
    # Back to pre-0010 storage: v1 ciphertexts, argon2 in the clear, unkeyed token hashes.
    converted = sum(_unbind(rt, t, c) for t, c in MIGRATION.ENCRYPTED + MIGRATION.NEWLY_SEALED)
    assert converted >= 3 * 4 + 2 + 2
    for table, token in (("user_sessions", session.session_token), ("api_tokens", api.secret)):
        old = hashlib.sha256(token.encode()).hexdigest()
        _write(rt, f"UPDATE {table} SET token_hash = :h", h=old)
    [(hashed,)] = _raw(rt, "SELECT password_hash FROM users WHERE id = :i", i=user.id)
    assert hashed.startswith("$argon2")
    with pytest.raises(DecryptionError):  # the new code reads no v1 value
        patients.get_patient(rt, actor=SYSTEM, patient_id=pids[0])

    db_schema.upgrade(rt.engine, "head")

    assert db_schema.current_revision(rt.engine) == db_schema.head_revision()
    for table, column in MIGRATION.ENCRYPTED + MIGRATION.NEWLY_SEALED:
        for (stored,) in _raw(rt, f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"):
            assert stored.startswith("v2:k1:"), f"{table}.{column}"
    for i, pid in enumerate(pids):
        view = patients.get_patient(rt, actor=SYSTEM, patient_id=pid)
        assert (view.given_name, view.family_name, view.mrn) == (f"Patient{i}", "Old", f"M{i}")
    from careline.providers.outbox.service import list_outbox

    items, _total = list_outbox(rt.sessions, rt.clock, actor=SYSTEM, limit=5, offset=0)
    assert [(i.to, i.body) for i in items] == [("+13125550143", "hi")]
    # Existing sessions and tokens survive; sign-in (argon2 + TOTP) works.
    assert (
        security.authenticate_session(rt, token=session.session_token, ip="::1").user_id == user.id
    )
    assert security.authenticate_token(rt, secret=api.secret, ip="::1").user_id == user.id
    assert security.login(
        rt,
        username=user.username,
        password=user.password,
        totp_code=user.code(clock),
        ip="::1",
    ).session_id


def test_the_migration_refuses_a_value_that_does_not_decrypt(rt, make_patient):
    _rebuild_at(rt, "0009_login_hardening")
    pid = make_patient(given_name="Ada")
    _unbind(rt, "patients", "given_name")
    [(stored,)] = _raw(rt, "SELECT given_name FROM patients WHERE id = :i", i=pid)
    kid, payload = stored.split(":")
    _write(rt, "UPDATE patients SET given_name = :v WHERE id = :i", v=f"{kid}:{payload[4:]}", i=pid)
    with pytest.raises(RuntimeError, match=f"patients.given_name row {pid}") as caught:
        db_schema.upgrade(rt.engine, "head")
    assert "Ada" not in str(caught.value)
    assert db_schema.current_revision(rt.engine) == "0009_login_hardening"
    # Leave PostgreSQL at head, as the rest of this worker's tests expect it (later
    # migrations add tables that every test's clean-up truncates). SQLite databases
    # are a fresh copy per test.
    if rt.engine.dialect.name == "postgresql":
        _rebuild_at(rt, "head")


def test_the_migration_downgrades_to_unbound_values(rt, make_user, make_patient, clock):
    _rebuild_at(rt, "head")
    user = make_user(Role.agent)
    pid = make_patient(given_name="Ada")
    session = security.login(
        rt, username=user.username, password=user.password, totp_code=user.code(clock), ip="::1"
    )
    from alembic import command

    cfg = db_schema.alembic_config()
    with rt.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009_login_hardening")
    [(given,)] = _raw(rt, "SELECT given_name FROM patients WHERE id = :i", i=pid)
    assert given.startswith("k1:") and rt.cipher.decrypt(given) == "Ada"
    [(hashed,)] = _raw(rt, "SELECT password_hash FROM users WHERE id = :i", i=user.id)
    assert hashed.startswith("$argon2") and hash_password("x") != hashed
    [(ended,)] = _raw(
        rt, "SELECT end_reason FROM user_sessions WHERE id = :i", i=session.session_id
    )
    assert ended == "rekeyed"
    db_schema.upgrade(rt.engine, "head")
    assert patients.get_patient(rt, actor=SYSTEM, patient_id=pid).given_name == "Ada"
