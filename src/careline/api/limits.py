"""Request body limits, enforced before a body is read (issue 11, item 13).

A 200 MB JSON body to the unauthenticated sign-in grew the process by 600 MB,
and a 300 MB multipart post to an unsigned webhook was spooled to disk before
its signature was checked. This ASGI middleware refuses a declared
`Content-Length` over the route class's limit at once, and counts the bytes of
a body sent without one (chunked), failing the read as soon as the limit is
passed. Either way the answer is a 413 problem document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careline.core.settings import Settings

PROBLEM_JSON = "application/problem+json"
TOO_LARGE = 413


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a body without a length passes its limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(TOO_LARGE, detail=too_large_detail(limit))


def too_large_detail(limit: int) -> str:
    return f"The request body is larger than this route accepts ({limit // 1024} KB at most)."


@dataclass(frozen=True)
class BodyLimits:
    """The byte limit of each route class."""

    webhook: int
    sign_in: int
    api: int

    @classmethod
    def from_settings(cls, settings: Settings) -> BodyLimits:
        return cls(
            webhook=settings.max_body_bytes_webhook,
            sign_in=settings.max_body_bytes_sign_in,
            api=settings.max_body_bytes_api,
        )

    def for_path(self, path: str) -> int:
        if path.startswith("/telephony/"):
            return self.webhook
        if path.startswith("/api/v1/auth/"):
            return self.sign_in
        return self.api


def _problem_body(limit: int) -> bytes:
    return json.dumps(
        {
            "type": "https://careline.dev/problems/body-too-large",
            "title": "Request body too large",
            "status": TOO_LARGE,
            "detail": too_large_detail(limit),
            "error_id": "body-too-large",
        }
    ).encode("utf-8")


class BodyLimitMiddleware:
    """Refuse oversized bodies by route class; see the module docstring."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = _problem_body(limit)
    await send(
        {
            "type": "http.response.start",
            "status": TOO_LARGE,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode("ascii")),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
