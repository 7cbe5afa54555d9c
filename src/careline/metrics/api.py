"""`GET /metrics` for a Prometheus scraper, and the middleware that times webhooks.

The route declares `public()` for the session guard because the caller is a
scraper, not a user: like the webhooks check signatures, the service checks the
metrics token itself (constant time) and refuses everyone else.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careline.api.deps import RuntimeDep, public
from careline.api.problems import PROBLEM_JSON, ProblemModel
from careline.metrics import service as metrics
from careline.metrics.model import observe_webhook

router = APIRouter(tags=["metrics"])
WEBHOOK_PREFIX = "/telephony/"


def _problem(description: str) -> dict[str, Any]:
    return {"model": ProblemModel, "description": description, "content": {PROBLEM_JSON: {}}}


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {}}, "description": "Prometheus text exposition"},
    401: _problem("Missing or wrong metrics token"),
    404: _problem("Metrics are off: production without CARELINE_METRICS_TOKEN"),
}


@router.get(
    "/metrics",
    summary="Operational metrics for Prometheus (no PHI)",
    description="Send `Authorization: Bearer <CARELINE_METRICS_TOKEN>`; without a token "
    "only development and test answer. Every metric is listed in docs/metrics.md.",
    response_class=Response,
    responses=_RESPONSES,
)
def scrape(request: Request, rt: RuntimeDep, _: Annotated[None, Depends(public())]) -> Response:
    """Sync on purpose: the scrape's queries run in the thread pool."""
    body = metrics.scrape(rt, authorization=request.headers.get("authorization"))
    return Response(body, media_type=metrics.CONTENT_TYPE)


class WebhookTimingMiddleware:
    """Times every `/telephony/...` request, by the route it matched and its status
    class: pure ASGI (no body buffering), and outside the body limit so a refused
    webhook is counted too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(WEBHOOK_PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app raises before a response

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            # The router put the matched route into the scope: its template, not the
            # path a caller sent, is the label.
            route = scope.get("route")
            observe_webhook(
                route_path=getattr(route, "path", None),
                status=status,
                seconds=time.perf_counter() - started,
            )
