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
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="keyring"):
        Settings(
            environment=Environment.production,
            keyring_file=tmp_path / "none.json",
            twilio_auth_token="x" * 32,
            provider="twilio",
        )
    with pytest.raises(ValidationError, match="TWILIO_AUTH_TOKEN"):
        Settings(environment=Environment.production, keyring_file=tmp_path / "none.json")


def test_production_refuses_the_outbox_unless_told_nothing_may_leave(tmp_path):
    import pytest
    from pydantic import ValidationError

    keyring = tmp_path / "k.json"
    keyring.write_text("{}")
    prod = {"environment": Environment.production, "keyring_file": keyring}
    with pytest.raises(ValidationError, match="CARELINE_PROVIDER=outbox"):
        Settings(**prod, twilio_auth_token="x" * 32)
    with pytest.raises(ValidationError, match="demo carrier"):
        Settings(**prod, twilio_auth_token="x" * 32, provider="virtual")
    told = Settings(**prod, twilio_auth_token="x" * 32, outbox_in_production=True)
    assert told.provider == "outbox"
    assert Settings(**prod, twilio_auth_token="x" * 32, provider="twilio").provider == "twilio"


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
