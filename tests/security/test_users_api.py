"""User administration over the API and the CLI."""

from __future__ import annotations

from typer.testing import CliRunner

from careline.security.model import Role


def test_admin_creates_a_user_with_mfa_enrolment(client, make_user, login):
    login(make_user(Role.admin))
    r = client.post(
        "/api/v1/users",
        json={
            "username": "nurse.kim",
            "display_name": "Kim RN",
            "password": "a long passphrase",
            "roles": [{"role": "clinician"}],
        },
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["totp_secret"] and body["totp_uri"].startswith("otpauth://totp/")
    assert body["user"]["mfa_enrolled"] is True
    again = client.post(
        "/api/v1/users",
        json={
            "username": "nurse.kim",
            "display_name": "x",
            "password": "a long passphrase",
            "roles": [{"role": "agent"}],
        },
    )
    assert again.status_code == 409 and again.json()["error_id"] == "username-taken"


def test_bad_user_input_names_the_field(client, make_user, login):
    login(make_user(Role.admin))
    base = {
        "username": "x.y",
        "display_name": "X",
        "password": "a long passphrase",
        "roles": [{"role": "agent"}],
    }
    cases = [
        ({"password": "short"}, "password"),
        ({"roles": []}, "body.roles"),
        ({"roles": [{"role": "janitor"}]}, "body.roles.0.role"),
        ({"surprise": 1}, "body.surprise"),
    ]
    for change, field in cases:
        r = client.post("/api/v1/users", json={**base, **change})
        assert r.status_code == 422, (change, r.text)
        fields = [e["field"] for e in r.json().get("errors", [])]
        assert field in fields, (change, fields)
    assert client.get("/api/v1/users").json()["total"] == 1  # only the admin


def test_agents_cannot_manage_users(client, make_user, login):
    login(make_user(Role.agent))
    r = client.post("/api/v1/users", json={})
    assert r.status_code == 403


def test_deactivation_ends_sessions(client, make_user, login, rt):
    from fastapi.testclient import TestClient

    from careline.api.app import create_app

    target = make_user(Role.agent)
    other = TestClient(create_app(rt))
    r = other.post(
        "/api/v1/auth/login",
        json={
            "username": target.username,
            "password": target.password,
            "totp": target.code(rt.clock),
        },
    )
    assert r.status_code == 200
    login(make_user(Role.admin))
    assert (
        client.put(f"/api/v1/users/{target.id}/active", json={"active": False}).status_code == 200
    )
    assert other.get("/api/v1/auth/me").status_code == 401


def test_cli_users_create(settings, monkeypatch, rt):
    from careline.cli import app

    monkeypatch.setenv("CARELINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(settings.keyring_file))
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["users", "create", "front.desk", "--role", "agent", "--password", "a long passphrase"],
    )
    assert result.exit_code == 0, result.output
    assert "TOTP secret:" in result.output
    bad = runner.invoke(
        app, ["users", "create", "x.y", "--role", "janitor", "--password", "a long passphrase"]
    )
    assert bad.exit_code == 1 and "Unknown role" in bad.output
