"""Sign-in: MFA, lockout, rate limiting, fresh session ids, cookies."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from careline.core.db import transaction
from careline.security import mfa
from careline.security.model import Role
from careline.security.tables import AuditEntryRow, SessionRow


def _login(client, user, *, password=None, totp=None):
    return client.post(
        "/api/v1/auth/login",
        json={"username": user.username, "password": password or user.password, "totp": totp},
    )


def test_phi_roles_need_a_totp_code(client, make_user, clock):
    user = make_user(Role.clinician)
    assert user.totp_secret
    r = _login(client, user)
    assert r.status_code == 401
    assert r.json()["error_id"] == "mfa-required"
    r = _login(client, user, totp="000000" if user.code(clock) != "000000" else "111111")
    assert r.status_code == 401
    assert r.json()["error_id"] == "bad-credentials"
    r = _login(client, user, totp=user.code(clock))
    assert r.status_code == 200
    assert r.json()["user"]["mfa_required"] is True


def test_a_totp_code_works_only_once(client, make_user, clock):
    user = make_user(Role.agent)
    code = user.code(clock)
    assert _login(client, user, totp=code).status_code == 200
    clock.advance(timedelta(seconds=5))  # same 30 s step
    r = _login(client, user, totp=code)
    assert r.status_code == 401


def test_roles_without_phi_do_not_require_mfa(client, make_user):
    user = make_user(Role.auditor)
    assert user.totp_secret is None
    r = _login(client, user)
    assert r.status_code == 200
    assert r.json()["user"]["mfa_required"] is False


def test_lockout_after_repeated_failures_then_expiry(client, make_user, clock, rt):
    user = make_user(Role.agent)
    for _ in range(rt.settings.lockout_threshold):
        r = _login(client, user, password="wrong password!!", totp=user.code(clock))
        assert r.status_code == 401
    # Even the right password is refused while locked.
    r = _login(client, user, totp=user.code(clock))
    assert r.status_code == 423
    assert r.json()["error_id"] == "account-locked"
    assert int(r.headers["Retry-After"]) > 0
    clock.advance(timedelta(minutes=rt.settings.lockout_minutes, seconds=1))
    r = _login(client, user, totp=user.code(clock))
    assert r.status_code == 200
    with transaction(rt.sessions) as s:
        locked = (
            s.execute(select(AuditEntryRow).where(AuditEntryRow.action == "auth.login"))
            .scalars()
            .all()
        )
        assert any(e.details.get("locked") for e in locked)


def test_an_admin_can_unlock(client, make_user, login, clock, rt):
    user = make_user(Role.agent)
    for _ in range(rt.settings.lockout_threshold):
        _login(client, user, password="wrong password!!")
    admin = make_user(Role.admin)
    login(admin)
    r = client.post(f"/api/v1/users/{user.id}/unlock")
    assert r.status_code == 200
    client.cookies.clear()
    assert _login(client, user, totp=user.code(clock)).status_code == 200


def test_failures_from_one_address_are_rate_limited(client, make_user, rt, clock):
    rt.settings.ip_failure_limit = 3
    for i in range(3):
        r = client.post("/api/v1/auth/login", json={"username": f"nobody{i}", "password": "x" * 12})
        assert r.status_code == 401
    user = make_user(Role.agent)
    r = _login(client, user, totp=user.code(clock))
    assert r.status_code == 429
    assert "Retry-After" in r.headers
    clock.advance(timedelta(minutes=rt.settings.ip_failure_window_minutes + 1))
    assert _login(client, user, totp=user.code(clock)).status_code == 200


def test_unknown_user_and_wrong_password_look_the_same(client, make_user):
    user = make_user(Role.auditor)
    a = client.post("/api/v1/auth/login", json={"username": "ghost", "password": "x" * 12})
    b = _login(client, user, password="y" * 12)
    assert a.status_code == b.status_code == 401
    assert a.json() == b.json()


def test_unknown_usernames_lock_exactly_like_real_ones(client, make_user, rt, clock):
    """Issue 11, item 17: unknown usernames never locked, so a 423 told an attacker
    which usernames exist."""
    real = make_user(Role.auditor)
    answers = {}
    for name in (real.username, "ghost.user"):
        for _ in range(rt.settings.lockout_threshold):
            r = client.post("/api/v1/auth/login", json={"username": name, "password": "y" * 12})
            assert r.status_code == 401
        r = client.post("/api/v1/auth/login", json={"username": name, "password": "y" * 12})
        answers[name] = (r.status_code, r.json()["error_id"], r.json()["detail"])
    assert answers[real.username] == answers["ghost.user"]
    assert answers["ghost.user"][0] == 423
    # Both unlock when the lockout ends.
    clock.advance(timedelta(minutes=rt.settings.lockout_minutes, seconds=1))
    r = client.post("/api/v1/auth/login", json={"username": "ghost.user", "password": "y" * 12})
    assert r.status_code == 401


def test_login_issues_a_new_session_and_ends_the_old_one(client, make_user, clock, rt):
    user = make_user(Role.agent)
    assert _login(client, user, totp=user.code(clock)).status_code == 200
    first = client.cookies.get("careline_session")
    clock.advance(timedelta(seconds=31))
    assert _login(client, user, totp=user.code(clock)).status_code == 200
    second = client.cookies.get("careline_session")
    assert first and second and first != second
    with transaction(rt.sessions) as s:
        rows = s.execute(select(SessionRow).where(SessionRow.user_id == user.id)).scalars().all()
        reasons = sorted(str(r.end_reason) for r in rows)
    assert reasons == ["None", "replaced-at-login"]


def test_session_cookie_flags(client, make_user, clock):
    user = make_user(Role.agent)
    r = _login(client, user, totp=user.code(clock))
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie.replace("samesite", "")
    clock.advance(timedelta(seconds=31))
    with TestClient(client.app, base_url="https://testserver") as https:
        r = https.post(
            "/api/v1/auth/login",
            json={"username": user.username, "password": user.password, "totp": user.code(clock)},
        )
    assert "; secure" in r.headers["set-cookie"].lower()
    # A forwarded scheme counts only from a trusted proxy (tests/security/test_trusted_proxies.py)


def test_mfa_code_helper_matches_pyotp(clock):
    secret = mfa.new_secret()
    code = mfa.code_at(secret, clock.now())
    assert mfa.accepted_step(secret, code, clock.now(), None) is not None
    assert mfa.accepted_step(secret, "12345", clock.now(), None) is None
