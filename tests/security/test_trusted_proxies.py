"""Forwarded headers count only from configured proxies (issue 11, item 18).

Before: uvicorn trusted X-Forwarded-For from loopback, so anything on the host (or
a proxy on loopback passing client headers through) could pick the address that
sign-in throttles and audit entries use; behind a proxy elsewhere, every user
shared the proxy's address. Now only `trusted_proxies` may name the client.
"""

from __future__ import annotations

import httpx
from sqlalchemy import select

from careline.api.app import create_app
from careline.core.db import transaction
from careline.security.model import Role
from careline.security.tables import AuditEntryRow
from live import live_server

FORGED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def _login_ips(rt) -> list[str | None]:
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(AuditEntryRow).where(AuditEntryRow.action.like("auth.login%"))
        ).scalars()
        return [r.ip for r in rows]


def _bad_login(base: str) -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1/auth/login",
        json={"username": "nobody", "password": "wrong", "totp": "000000"},
        headers=FORGED,
    )


def test_without_trusted_proxies_the_connections_address_counts(rt):
    assert rt.settings.trusted_proxies == []
    with live_server(create_app(rt)) as base:
        assert _bad_login(base).status_code == 401
    assert _login_ips(rt) == ["127.0.0.1"]


def test_a_configured_proxy_names_the_client_and_the_scheme(rt, make_user, clock):
    rt.settings = rt.settings.model_copy(update={"trusted_proxies": ["127.0.0.1"]})
    user = make_user(Role.agent)
    with live_server(create_app(rt)) as base:
        assert _bad_login(base).status_code == 401
        ok = httpx.post(
            f"{base}/api/v1/auth/login",
            json={"username": user.username, "password": user.password, "totp": user.code(clock)},
            headers=FORGED,
        )
    assert set(_login_ips(rt)) == {"203.0.113.9"}  # the failed and the good sign-in
    assert ok.status_code == 200 and "; secure" in ok.headers["set-cookie"].lower()


def test_a_proxy_elsewhere_is_not_trusted_for_loopback_requests(rt, make_user, clock):
    rt.settings = rt.settings.model_copy(update={"trusted_proxies": ["10.0.0.0/8"]})
    user = make_user(Role.agent)
    with live_server(create_app(rt)) as base:
        assert _bad_login(base).status_code == 401
        ok = httpx.post(
            f"{base}/api/v1/auth/login",
            json={"username": user.username, "password": user.password, "totp": user.code(clock)},
            headers=FORGED,
        )
    assert set(_login_ips(rt)) == {"127.0.0.1"}
    assert ok.status_code == 200 and "secure" not in ok.headers["set-cookie"].lower().replace(
        "samesite", ""
    )
