"""API tokens: hashed at rest, scoped, revocable."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from careline.core.db import transaction
from careline.security.model import Role


def _token(client, scopes, expires_in_days=30):
    r = client.post(
        "/api/v1/tokens",
        json={"name": "ehr-bridge", "scopes": scopes, "expires_in_days": expires_in_days},
    )
    return r


def test_token_is_shown_once_and_stored_hashed(client, make_user, login, rt):
    login(make_user(Role.manager))
    r = _token(client, ["directory:read"])
    assert r.status_code == 201
    secret = r.json()["secret"]
    assert secret.startswith("clt_")
    with transaction(rt.sessions) as s:
        stored = [row[0] for row in s.execute(text("SELECT token_hash FROM api_tokens"))]
    assert stored and secret not in stored[0] and len(stored[0]) == 64
    listed = client.get("/api/v1/tokens").json()
    assert "secret" not in listed[0]


def test_token_scopes_limit_what_it_can_do(client, make_user, login, rt):
    login(make_user(Role.manager))
    secret = _token(client, ["users:read"]).json()["secret"]
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/users", headers=bearer).status_code == 200
    r = client.get("/api/v1/outbox", headers=bearer)  # the manager may; the token may not
    assert r.status_code == 403 and r.json()["error_id"] == "permission-denied"


def test_cannot_grant_scopes_one_does_not_hold(client, make_user, login):
    login(make_user(Role.manager))
    r = _token(client, ["audit:read"])
    assert r.status_code == 403 and r.json()["error_id"] == "scope-not-held"
    r = _token(client, ["no-such-scope"])
    assert r.status_code == 422


def test_revoked_and_expired_tokens_stop_working(client, make_user, login, clock):
    login(make_user(Role.manager))
    a = _token(client, ["users:read"]).json()
    b = _token(client, ["users:read"], expires_in_days=1).json()
    assert client.delete(f"/api/v1/tokens/{a['token']['id']}").status_code == 200
    client.cookies.clear()
    r = client.get("/api/v1/users", headers={"Authorization": f"Bearer {a['secret']}"})
    assert r.status_code == 401 and r.json()["error_id"] == "bad-token"
    clock.advance(timedelta(days=1, seconds=1))
    r = client.get("/api/v1/users", headers={"Authorization": f"Bearer {b['secret']}"})
    assert r.status_code == 401 and r.json()["error_id"] == "token-expired"
    r = client.get("/api/v1/users", headers={"Authorization": "Bearer clt_forged"})
    assert r.status_code == 401


def test_every_token_expires_and_revoking_one_revokes_what_it_made(client, make_user, login, rt):
    """Issue 11, item 19: tokens without expiry, and children surviving their parent."""
    login(make_user(Role.admin))
    r = client.post(
        "/api/v1/tokens",
        json={"name": "forever", "scopes": ["tokens:manage"], "expires_in_days": None},
    )
    assert r.status_code == 422
    r = _token(
        client, ["tokens:manage", "directory:read"], expires_in_days=rt.settings.token_max_days + 1
    )
    assert r.status_code == 422
    parent = _token(client, ["tokens:manage", "directory:read"], expires_in_days=10).json()
    client.cookies.clear()
    as_parent = {"Authorization": f"Bearer {parent['secret']}"}
    child = client.post(
        "/api/v1/tokens",
        json={
            "name": "child",
            "scopes": ["tokens:manage", "directory:read"],
            "expires_in_days": 300,
        },
        headers=as_parent,
    )
    assert child.status_code == 201, child.text
    # A token made by a token never outlives it.
    assert child.json()["token"]["expires_at"] == parent["token"]["expires_at"]
    as_child = {"Authorization": f"Bearer {child.json()['secret']}"}
    grandchild = client.post(
        "/api/v1/tokens",
        json={"name": "grandchild", "scopes": ["directory:read"], "expires_in_days": 5},
        headers=as_child,
    ).json()
    as_grandchild = {"Authorization": f"Bearer {grandchild['secret']}"}
    assert client.get("/api/v1/locations", headers=as_grandchild).status_code == 200
    r = client.delete(f"/api/v1/tokens/{parent['token']['id']}", headers=as_parent)
    assert r.status_code in (200, 204), r.text
    for headers in (as_parent, as_child, as_grandchild):
        r = client.get("/api/v1/locations", headers=headers)
        assert r.status_code == 401 and r.json()["error_id"] == "bad-token"
