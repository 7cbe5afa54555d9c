"""Provider webhook authenticity: X-Twilio-Signature, checked with `twilio`'s validator.

The signature covers the full URL the provider requested plus the POST form
parameters, keyed with the account's auth token. Behind a reverse proxy the
URL we see differs from the one signed, so `public_base_url` rebuilds it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from twilio.request_validator import RequestValidator

from careline.core.db import transaction
from careline.core.errors import CarelineError, FieldProblem, Forbidden
from careline.core.settings import Settings
from careline.runtime import Runtime
from careline.security import audit
from careline.security.model import Actor

log = logging.getLogger("careline.telephony")


class BadSignature(Forbidden):
    error_id = "bad-signature"
    title = "Webhook signature missing or invalid"


class BadRetryToken(CarelineError):
    status = 400
    error_id = "bad-idempotency-token"
    title = "Invalid retry token"


#: What a provider retry token may look like (the replay table's key is 128 wide).
IDEMPOTENCY_TOKEN = re.compile(r"[A-Za-z0-9_.:-]{1,128}")

#: The longest value careline takes from a provider field (issue 11, item 12): an
#: SMS body is at most 1,600 characters (ten segments), a speech result a few
#: sentences, a voicemail transcript two minutes of talk. Longer values are cut
#: after the signature check (which covers the whole value), so no hostile field
#: can make triage, the flow or the database chew on megabytes.
FIELD_LIMITS: dict[str, int] = {
    "Body": 1600,
    "SpeechResult": 2000,
    "UnstableSpeechResult": 2000,
    "TranscriptionText": 10_000,
}
DEFAULT_FIELD_LIMIT = 2000


def capped(params: dict[str, str]) -> dict[str, str]:
    """Every field cut to its documented length (see FIELD_LIMITS)."""
    return {k: v[: FIELD_LIMITS.get(k, DEFAULT_FIELD_LIMIT)] for k, v in params.items()}


@dataclass(frozen=True)
class SignedRequest:
    """A verified provider request: its form parameters and retry token."""

    url: str
    params: dict[str, str]
    idempotency_token: str | None


def public_url(request: Request, settings: Settings) -> str:
    if settings.public_base_url:
        base = settings.public_base_url.rstrip("/")
        query = f"?{request.url.query}" if request.url.query else ""
        return f"{base}{request.url.path}{query}"
    return str(request.url)


async def verify(request: Request, settings: Settings) -> SignedRequest:
    """Return the verified parameters, or raise `BadSignature` (never echoing them)."""
    form = await request.form()
    params = {k: str(v) for k, v in form.multi_items()}
    url = public_url(request, settings)
    signature = request.headers.get("X-Twilio-Signature", "")
    validator = RequestValidator(settings.webhook_auth_token)
    if not signature or not validator.validate(url, params, signature):
        log.warning(
            "rejected webhook with %s signature on %s",
            "no" if not signature else "a bad",
            request.url.path,
        )
        raise BadSignature(
            "This request is not signed by the configured provider account. Check the "
            "provider's auth token and CARELINE_PUBLIC_BASE_URL."
        )
    token = request.headers.get("I-Twilio-Idempotency-Token")
    if token is not None and not IDEMPOTENCY_TOKEN.fullmatch(token):
        # Stored as the key of the answer a retry gets: a hostile value must be a clear
        # 400, never a database error (issue 11, item 10).
        raise BadRetryToken(
            "I-Twilio-Idempotency-Token must be 1-128 letters, digits or - _ . :",
            problems=[
                FieldProblem("header.I-Twilio-Idempotency-Token", "1-128 of [A-Za-z0-9_.:-]")
            ],
        )
    return SignedRequest(url, capped(params), token)


def _audit_rejection(rt: Runtime, path: str, ip: str | None) -> None:
    try:
        with transaction(rt.sessions) as s:
            audit.record(
                s,
                clock=rt.clock,
                actor=Actor(user_id=None, username="provider:unverified", ip=ip),
                action="webhook.rejected",
                outcome="denied",
                details={"path": path},
            )
    except Exception:  # refusing must not depend on the database
        log.warning("could not audit a rejected webhook")


async def verified(request: Request, rt: Runtime, *, audit_failure: bool = True) -> SignedRequest:
    """The one way every provider webhook (voice and SMS) is checked: verify, and audit
    a refusal (off the event loop: the audit writes to the database)."""
    try:
        return await verify(request, rt.settings)
    except BadSignature:
        if audit_failure:
            ip = request.client.host if request.client else None
            await run_in_threadpool(_audit_rejection, rt, request.url.path, ip)
        raise
