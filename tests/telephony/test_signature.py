"""Webhook signatures are checked with twilio's validator against the public URL."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from careline.api.problems import install_error_handlers
from careline.core.settings import DEMO_AUTH_TOKEN, Environment, Settings
from careline.telephony.signature import verify


def _app(settings: Settings) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/hook")
    async def hook(request: Request) -> dict:
        signed = await verify(request, settings)
        return {"from": signed.params.get("From"), "token": signed.idempotency_token}

    return app


def _sign(url: str, params: dict, token: str = DEMO_AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


PARAMS = {"CallSid": "CA123", "From": "+13125550143", "To": "+13125550100"}


def test_a_correct_signature_passes():
    c = TestClient(_app(Settings(environment=Environment.test)))
    r = c.post(
        "/hook",
        data=PARAMS,
        headers={
            "X-Twilio-Signature": _sign("http://testserver/hook", PARAMS),
            "I-Twilio-Idempotency-Token": "abc",
        },
    )
    assert r.status_code == 200 and r.json() == {"from": "+13125550143", "token": "abc"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
        {"X-Twilio-Signature": _sign("http://testserver/hook", PARAMS, token="other-token")},
        {"X-Twilio-Signature": _sign("http://testserver/hook", {**PARAMS, "From": "+13125550199"})},
    ],
)
def test_missing_forged_or_tampered_signatures_get_403(headers):
    c = TestClient(_app(Settings(environment=Environment.test)))
    r = c.post("/hook", data=PARAMS, headers=headers)
    assert r.status_code == 403
    assert r.json()["error_id"] == "bad-signature"
    assert "+13125550143" not in r.text


def test_behind_a_proxy_the_public_url_is_what_is_signed():
    settings = Settings(
        environment=Environment.test, public_base_url="https://careline.example.org"
    )
    c = TestClient(_app(settings))
    good = _sign("https://careline.example.org/hook", PARAMS)
    assert c.post("/hook", data=PARAMS, headers={"X-Twilio-Signature": good}).status_code == 200
    internal = _sign("http://testserver/hook", PARAMS)
    assert c.post("/hook", data=PARAMS, headers={"X-Twilio-Signature": internal}).status_code == 403


def test_production_needs_a_real_token(tmp_path):
    from careline.core.settings import SettingsError

    with pytest.raises(SettingsError, match="TWILIO_AUTH_TOKEN"):
        Settings(environment=Environment.production, keyring_file=tmp_path / "k.json")
