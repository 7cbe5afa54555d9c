"""First sign-in: a new user sets up their authenticator from a QR code, with their
password; the set-up closes once a code is used or its time passes, and an
administrator's MFA reset opens it again."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from sqlalchemy import select

from careline.core.db import transaction
from careline.security import mfa
from careline.security.model import SYSTEM, Role
from careline.security.service import reset_mfa
from careline.security.tables import AuditEntryRow


def _enrol(client, user, password=None):
    return client.post(
        "/api/v1/auth/enrolment",
        json={"username": user.username, "password": password or user.password},
    )


def _login(client, user, totp=None):
    return client.post(
        "/api/v1/auth/login",
        json={"username": user.username, "password": user.password, "totp": totp},
    )


def test_a_new_user_scans_the_code_signs_in_and_the_set_up_closes(client, make_user, clock, rt):
    user = make_user(Role.agent)
    first = _login(client, user)
    assert first.status_code == 401 and first.json()["error_id"] == "mfa-required"
    assert first.json()["enrolment_open"] is True

    shown = _enrol(client, user)
    assert shown.status_code == 200, shown.text
    assert shown.headers["cache-control"] == "no-store"
    body = shown.json()
    assert body["secret"] == user.totp_secret
    assert pyotp.parse_uri(body["otpauth_uri"]).secret == user.totp_secret
    assert body["qr_svg"].lstrip().startswith("<svg") and "<script" not in body["qr_svg"]

    # The authenticator app now shows codes for that secret: the first one signs in.
    code = pyotp.TOTP(body["secret"]).at(clock.now())
    assert _login(client, user, totp=code).status_code == 200
    clock.advance(timedelta(seconds=31))

    again = _enrol(client, user)
    assert again.status_code == 409 and again.json()["error_id"] == "mfa-enrolment-closed"
    assert user.totp_secret not in again.text
    assert _login(client, user).json()["enrolment_open"] is False
    with transaction(rt.sessions) as s:
        outcomes = s.execute(
            select(AuditEntryRow.outcome).where(AuditEntryRow.action == "auth.mfa_enrolment")
        ).scalars()
        assert sorted(outcomes) == ["failed", "ok"]


def test_a_wrong_password_shows_nothing_and_counts_towards_the_lockout(client, make_user, rt):
    user = make_user(Role.agent)
    for _ in range(rt.settings.lockout_threshold):
        r = _enrol(client, user, password="not the password at all")
        assert r.status_code == 401 and "secret" not in r.json()
    r = _enrol(client, user)  # the right password, but the account is locked now
    assert r.status_code == 423
    assert "secret" not in r.json()


def test_the_set_up_closes_after_its_time_and_a_reset_reopens_it(client, make_user, clock, rt):
    user = make_user(Role.clinician)
    clock.advance(timedelta(hours=rt.settings.mfa_enrolment_hours, minutes=1))
    late = _enrol(client, user)
    assert late.status_code == 409 and late.json()["error_id"] == "mfa-enrolment-closed"
    assert _login(client, user).json()["enrolment_open"] is False

    fresh = reset_mfa(rt, actor=SYSTEM, user_id=user.id)
    shown = _enrol(client, user)
    assert shown.status_code == 200
    assert shown.json()["secret"] == fresh.totp_secret != user.totp_secret


def test_users_without_a_secret_have_nothing_to_set_up(client, make_user):
    auditor = make_user(Role.auditor)  # no PHI: no second factor required
    r = _enrol(client, auditor)
    assert r.status_code == 409


def test_the_qr_code_encodes_exactly_the_provisioning_uri():
    secret = mfa.new_secret()
    svg = mfa.qr_svg(mfa.provisioning_uri(secret, "nurse.kim"))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert secret not in svg  # drawn as modules, not written out as text
