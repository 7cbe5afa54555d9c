"""PHI encryption at rest, keyed lookup hashes and online key rotation."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from careline.core.db import transaction
from careline.providers.protocol import OutboundMessage
from careline.security import keys
from careline.security.crypto import DecryptionError, PhiCipher, Place
from careline.security.keyring import Keyring, KeyringError, load_keyring, save_keyring
from careline.security.model import SYSTEM, Role

HOME = Place("patients", "given_name", "3f1c5a0e-0000-4000-8000-000000000001")


def test_round_trip_and_key_id_tag():
    cipher = PhiCipher(Keyring.generate())
    stored = cipher.seal("María José", HOME)
    assert stored.startswith("v2:k1:") and "María" not in stored
    assert cipher.unseal(stored, HOME) == "María José"
    assert cipher.key_id_of(stored) == "k1"
    assert cipher.seal("same", HOME) != cipher.seal("same", HOME)  # random nonce


def test_tampered_ciphertext_is_refused():
    cipher = PhiCipher(Keyring.generate())
    stored = cipher.seal("+13125550143", HOME)
    version, kid, payload = stored.split(":")
    flipped = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(DecryptionError):
        cipher.unseal(f"{version}:{kid}:{flipped}", HOME)
    with pytest.raises(DecryptionError):
        cipher.unseal(f"{version}:k9:{payload}", HOME)
    with pytest.raises(DecryptionError):
        cipher.unseal(f"{version}:{kid}:not base64!", HOME)


def test_unbound_sealing_outside_the_database_still_round_trips():
    cipher = PhiCipher(Keyring.generate())
    sealed = cipher.encrypt("a spooled call")
    assert sealed.startswith("k1:") and cipher.decrypt(sealed) == "a spooled call"
    with pytest.raises(DecryptionError):  # a file's sealed value is no column value
        cipher.unseal(sealed, HOME)


def test_blind_index_is_keyed_and_normalised():
    a, b = PhiCipher(Keyring.generate()), PhiCipher(Keyring.generate())
    assert a.blind_index(" Smith ") == a.blind_index("smith")
    assert a.blind_index("smith") != b.blind_index("smith")


def test_malformed_keyring_is_reported(tmp_path):
    path = tmp_path / "k.json"
    path.write_text('{"active": "k1"}')
    with pytest.raises(KeyringError):
        load_keyring(path, create=False)
    with pytest.raises(KeyringError):
        load_keyring(tmp_path / "missing.json", create=False)


def test_keyring_file_is_private(tmp_path):
    path = tmp_path / "k.json"
    save_keyring(path, Keyring.generate())
    assert path.stat().st_mode & 0o077 == 0


@pytest.fixture
def own_keyring(rt, tmp_path):
    """Rotation rewrites the keyring file: give this test its own copy."""
    path = tmp_path / "keyring.json"
    save_keyring(path, rt.cipher.keyring)
    rt.settings.keyring_file = path
    yield path


def _raw_values(rt, table, column):
    return [value for _id, value in _raw_rows(rt, table, column)]


def _raw_rows(rt, table, column):
    with transaction(rt.sessions) as s:
        return [tuple(r) for r in s.execute(text(f"SELECT id, {column} FROM {table}"))]


def test_rotation_reencrypts_everything_and_keeps_it_readable(rt, own_keyring, make_user):
    user = make_user(Role.clinician)
    for i in range(7):
        rt.provider.send_message(
            OutboundMessage(
                to=f"+1312555014{i}",
                from_="+13125550100",
                body=f"Reminder {i}",
                idempotency_key=f"k{i}",
            )
        )
    before = _raw_values(rt, "outbox_items", "to_number")
    assert all(v.startswith("v2:k1:") for v in before)

    report = keys.rotate(rt, actor=SYSTEM, batch_size=3, retire_old=True)
    assert report.new_key_id == "k2"
    assert report.reencrypted["outbox_items.to_number"] == 7
    assert report.reencrypted["users.totp_secret"] >= 1
    assert report.remaining_old == 0
    assert report.retired == ["k1"]

    after = _raw_values(rt, "outbox_items", "to_number")
    assert all(v.startswith("v2:k2:") for v in after)
    ring = load_keyring(own_keyring, create=False)
    assert set(ring.data_keys) == {"k2"} and ring.active == "k2"

    from careline.providers.outbox.service import list_outbox

    items, total = list_outbox(rt.sessions, rt.clock, actor=SYSTEM, limit=50, offset=0)
    assert total == 7
    assert sorted(i.to for i in items) == [f"+1312555014{i}" for i in range(7)]
    # The user's TOTP secret decrypts under the new key: sign-in still works.
    from careline.security import service as security

    result = security.login(
        rt,
        username=user.username,
        password=user.password,
        totp_code=user.code(rt.clock),
        ip="127.0.0.1",
    )
    assert result.session_id


def test_a_process_with_the_old_keyring_reloads_on_unknown_key(rt, own_keyring):
    rt.provider.send_message(
        OutboundMessage(to="+13125550143", from_="+13125550100", body="x", idempotency_key="a")
    )
    stale = PhiCipher(
        load_keyring(own_keyring, create=False),
        reload=lambda: load_keyring(own_keyring, create=False),
    )
    keys.rotate(rt, actor=SYSTEM)
    [(row_id, raw)] = _raw_rows(rt, "outbox_items", "to_number")
    assert raw.startswith("v2:k2:")
    assert stale.unseal(raw, Place("outbox_items", "to_number", row_id)) == "+13125550143"


def test_rotation_without_retire_keeps_old_keys(rt, own_keyring):
    rt.provider.send_message(
        OutboundMessage(to="+13125550143", from_="+13125550100", body="x", idempotency_key="a")
    )
    report = keys.rotate(rt, actor=SYSTEM)
    assert report.retired == []
    assert set(load_keyring(own_keyring, create=False).data_keys) == {"k1", "k2"}
