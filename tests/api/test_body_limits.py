"""Body limits per route class (issue 11, item 13): refused with 413 before the body is
read, whether its length is declared or it arrives in chunks, on a real server."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import func, select

from careline.api.app import create_app
from careline.api.limits import BodyLimits
from careline.core.db import transaction
from careline.core.settings import Settings
from careline.security.tables import AuditEntryRow
from live import live_server


def _audit_count(rt) -> int:
    with transaction(rt.sessions) as s:
        return int(s.execute(select(func.count()).select_from(AuditEntryRow)).scalar_one())


def _is_413(r: httpx.Response, limit: int) -> None:
    assert r.status_code == 413, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["error_id"] == "body-too-large" and f"{limit // 1024} KB" in body["detail"]


def test_each_route_class_has_its_limit():
    limits = BodyLimits.from_settings(Settings(database_url="sqlite://"))
    assert limits.for_path("/telephony/voice/gather") == 64 * 1024
    assert limits.for_path("/telephony/sms/inbound") == 64 * 1024
    assert limits.for_path("/api/v1/auth/login") == 16 * 1024
    assert limits.for_path("/api/v1/flows") == 2 * 1024 * 1024


def test_a_huge_sign_in_body_is_refused_before_it_is_read(rt):
    with live_server(create_app(rt)) as base, httpx.Client(base_url=base) as http:
        before = _audit_count(rt)
        huge = json.dumps({"username": "x" * 200_000, "password": "y", "totp": "1"})
        _is_413(
            http.post(
                "/api/v1/auth/login", content=huge, headers={"content-type": "application/json"}
            ),
            16 * 1024,
        )

        def chunks():
            yield b'{"username": "'
            for _ in range(64):
                yield b"x" * 1024
            yield b'", "password": "y"}'

        # No Content-Length: counted as it arrives, refused once past the limit.
        chunked = http.post(
            "/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"}
        )
        _is_413(chunked, 16 * 1024)
        assert _audit_count(rt) == before  # nothing reached the sign-in logic
        ordinary = http.post(
            "/api/v1/auth/login", json={"username": "nobody", "password": "wrong", "totp": "1"}
        )
        assert ordinary.status_code == 401  # an ordinary body is judged as before


@pytest.mark.parametrize("path", ["/telephony/voice/incoming", "/telephony/sms/inbound"])
def test_an_oversized_webhook_is_refused_before_its_signature_or_a_spool(rt, path):
    with live_server(create_app(rt)) as base, httpx.Client(base_url=base) as http:
        before = _audit_count(rt)
        multipart = http.post(path, files={"f": ("big.bin", b"\0" * 300_000)})
        _is_413(multipart, 64 * 1024)
        form = http.post(path, data={"SpeechResult": "chest pain " * 20_000})
        _is_413(form, 64 * 1024)
        assert _audit_count(rt) == before  # refused before the signature check
        small = http.post(path, data={"CallSid": "CA1"})
        assert small.status_code == 403  # an ordinary unsigned post: the signature check


def test_the_limits_are_settings(rt, settings):
    roomy = settings.model_copy(update={"max_body_bytes_sign_in": 512 * 1024})
    rt.settings = roomy
    with live_server(create_app(rt)) as base, httpx.Client(base_url=base) as http:
        body = json.dumps({"username": "x" * 100_000, "password": "y", "totp": "1"})
        r = http.post(
            "/api/v1/auth/login", content=body, headers={"content-type": "application/json"}
        )
        assert r.status_code != 413
