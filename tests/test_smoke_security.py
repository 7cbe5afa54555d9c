from datetime import timedelta

from careline.security.model import Role


def test_login_and_me(client, make_user, login):
    user = make_user(Role.agent)
    login(user)
    r = client.get("/api/v1/auth/me")
    assert r.status_code == 200
    assert r.json()["user"]["username"] == user.username
    assert "patients:read" in r.json()["permissions"]


def test_idle_logoff(client, make_user, login, clock, rt):
    user = make_user(Role.agent)
    login(user)
    clock.advance(timedelta(minutes=rt.settings.session_idle_minutes + 1))
    r = client.get("/api/v1/auth/me")
    assert r.status_code == 401
    assert r.json()["error_id"] == "session-expired"
