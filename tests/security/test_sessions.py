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


def test_activity_keeps_a_session_alive(client, make_user, login, clock, rt):
    user = make_user(Role.agent)
    login(user)
    for _ in range(4):
        clock.advance(timedelta(minutes=rt.settings.session_idle_minutes - 1))
        assert client.get("/api/v1/auth/me").status_code == 200


def test_sessions_end_at_their_maximum_lifetime(client, make_user, login, clock, rt):
    user = make_user(Role.agent)
    login(user)
    for _ in range(rt.settings.session_max_hours * 5):
        clock.advance(timedelta(minutes=12))
        r = client.get("/api/v1/auth/me")
        if r.status_code == 401:
            break
    assert r.status_code == 401
    assert r.json()["error_id"] == "session-expired"


def test_list_and_end_my_sessions(rt, make_user, clock):
    from fastapi.testclient import TestClient

    from careline.api.app import create_app

    user = make_user(Role.agent)
    app = create_app(rt)
    phone, laptop = TestClient(app), TestClient(app)
    for device in (phone, laptop):
        r = device.post(
            "/api/v1/auth/login",
            json={"username": user.username, "password": user.password, "totp": user.code(clock)},
        )
        assert r.status_code == 200
        clock.advance(timedelta(seconds=31))
    sessions = laptop.get("/api/v1/auth/sessions").json()
    assert len(sessions) == 2
    other = next(s for s in sessions if not s["current"])
    assert laptop.delete(f"/api/v1/auth/sessions/{other['id']}").status_code == 204
    assert phone.get("/api/v1/auth/me").status_code == 401
    assert laptop.get("/api/v1/auth/me").status_code == 200
    assert laptop.delete(f"/api/v1/auth/sessions/{other['id']}").status_code == 404
    assert laptop.post("/api/v1/auth/logout").status_code == 204
    assert laptop.get("/api/v1/auth/me").status_code == 401


def test_a_cookie_session_refuses_state_changes_from_another_site(client, make_user, login):
    """Issue 11, item 20: requests without a body relied on SameSite alone."""
    login(make_user(Role.admin))
    url = "/api/v1/auth/logout"  # body-less and state-changing
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        r = client.post(url, headers=headers)
        assert r.status_code == 403 and r.json()["error_id"] == "cross-site-request", headers
    assert client.get("/api/v1/auth/me").status_code == 200  # still signed in
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert (
        client.get("/api/v1/auth/me", headers={"Origin": "https://evil.example"}).status_code == 200
    )
    assert client.post(url, headers=same).status_code == 204
