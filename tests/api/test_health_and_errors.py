"""Health checks and the problem+json error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

from careline.api.app import create_app
from careline.bootstrap import build_runtime
from careline.core.settings import Environment, Settings


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json()["status"] == "ok"
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ready"


def test_readyz_reports_an_unreachable_database(keyring_path):
    rt = build_runtime(
        Settings(
            environment=Environment.test,
            # Nothing listens on port 1: the connection is refused at once.
            database_url="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
            keyring_file=keyring_path,
        )
    )
    with TestClient(create_app(rt)) as c:
        assert c.get("/healthz").status_code == 200
        r = c.get("/readyz")
    assert r.status_code == 503 and r.json()["status"] == "database-unreachable"


def test_unknown_routes_and_methods_are_problem_json(client):
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["error_id"] == "no-such-route"
    r = client.put("/healthz")
    assert r.status_code == 405 and r.json()["error_id"] == "method-not-allowed"


def test_malformed_json_is_a_clear_422(client):
    r = client.post(
        "/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    body = r.json()
    assert body["error_id"] == "validation-failed" and body["errors"]


def test_validation_errors_do_not_echo_input(client):
    secret_value = "+13125550143-Maria-Lopez"
    r = client.post("/api/v1/auth/login", json={"username": secret_value})
    assert r.status_code == 422
    assert secret_value not in r.text


def test_production_refuses_to_start_without_a_keyring(tmp_path):
    import pytest

    from careline.core.settings import SettingsError

    with pytest.raises(SettingsError, match="keyring") as refused:
        Settings(
            environment=Environment.production,
            keyring_file=tmp_path / "none.json",
            twilio_auth_token="x" * 32,
            provider="twilio",
            public_base_url="https://careline.clinic.example",
        )
    assert "x" * 8 not in str(refused.value)  # never the secret, not even part of it
    with pytest.raises(SettingsError, match="TWILIO_AUTH_TOKEN"):
        Settings(environment=Environment.production, keyring_file=tmp_path / "none.json")


def test_production_refuses_the_outbox_unless_told_nothing_may_leave(tmp_path):
    import pytest

    from careline.core.settings import SettingsError

    keyring = tmp_path / "k.json"
    keyring.write_text("{}")
    prod = {
        "environment": Environment.production,
        "keyring_file": keyring,
        "public_base_url": "https://careline.clinic.example",
    }
    with pytest.raises(SettingsError, match="CARELINE_PROVIDER=outbox") as refused:
        Settings(**prod, twilio_auth_token="x" * 32)
    assert "xxxxxxxx" not in str(refused.value)
    with pytest.raises(SettingsError, match="demo carrier"):
        Settings(**prod, twilio_auth_token="x" * 32, provider="virtual")
    told = Settings(**prod, twilio_auth_token="x" * 32, outbox_in_production=True)
    assert told.provider == "outbox"
    assert Settings(**prod, twilio_auth_token="x" * 32, provider="twilio").provider == "twilio"


def test_production_never_trusts_the_host_header(tmp_path):
    """Issue 11, item 9: signatures cover the URL; without CARELINE_PUBLIC_BASE_URL
    careline would take it from the Host header, which the client chooses."""
    import pytest

    from careline.core.settings import SettingsError

    keyring = tmp_path / "k.json"
    keyring.write_text("{}")
    with pytest.raises(SettingsError, match="CARELINE_PUBLIC_BASE_URL"):
        Settings(
            environment=Environment.production,
            keyring_file=keyring,
            twilio_auth_token="x" * 32,
            provider="twilio",
        )


def test_openapi_documents_errors_for_every_operation(client):
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if path in {"/healthz", "/readyz"}:
                continue
            if path.startswith("/telephony/"):  # provider webhooks: signed, not signed in
                assert "403" in op["responses"], (method, path)
                continue
            assert "422" in op["responses"] or "401" in op["responses"], (method, path)
            assert "401" in op["responses"] or path == "/api/v1/auth/login", (method, path)


def test_out_of_range_dates_are_a_422_naming_the_parameter(client, make_user, login, make_location):
    """Issue 11, item 15: both of these were 500s."""
    from careline.security.model import Role

    clinic = make_location("Riverside")
    login(make_user(Role.admin))
    for path, params, name in (
        ("/api/v1/appointments", {"location_id": clinic, "day": "9999-12-31"}, "day"),
        ("/api/v1/audit", {"since": "0001-01-01T00:00:00+14:00"}, "since"),
        ("/api/v1/audit", {"until": "9999-12-31T23:59:59-12:00"}, "until"),
        ("/api/v1/slots", {"from": "1899-12-31T00:00:00Z"}, "from"),
        (
            "/api/v1/reports/reminders",
            {"from": "0001-01-01T00:00:00+14:00", "to": "2026-01-01T00:00:00Z"},
            "from",
        ),
    ):
        r = client.get(path, params=params)
        assert r.status_code == 422, (path, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert name in r.text
    ok = client.get("/api/v1/appointments", params={"location_id": clinic, "day": "2026-12-03"})
    assert ok.status_code == 200


def test_readyz_warns_when_webhooks_use_the_published_demo_token(tmp_path):
    """Issue 11, item 6: say it loudly, not just in a log line."""
    from fastapi.testclient import TestClient

    from careline.api.app import create_app
    from careline.bootstrap import build_runtime

    base = {
        "environment": Environment.development,
        "database_url": f"sqlite:///{tmp_path / 'r.db'}",
        "keyring_file": tmp_path / "k.json",
    }
    for token, warned in ((None, True), ("x" * 32, False)):
        rt = build_runtime(Settings(**base, twilio_auth_token=token))
        try:
            body = TestClient(create_app(rt)).get("/readyz").json()
        finally:
            rt.engine.dispose()
        assert body["status"] == "ready"
        assert any("demo-webhook-token" in w for w in body.get("warnings", [])) is warned
