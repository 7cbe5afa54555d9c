"""FastAPI app assembly: routers, error handlers, health checks, the staff web app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from careline import __version__
from careline.api.deps import RuntimeDep, public
from careline.api.explorer import install_explorer
from careline.api.limits import BodyLimitMiddleware, BodyLimits
from careline.api.problems import install_error_handlers
from careline.api.webapp import install_webapp
from careline.metrics.api import WebhookTimingMiddleware
from careline.runtime import Runtime

API_DESCRIPTION = """
careline's HTTP API. Sign in with `POST /api/v1/auth/login` (a session cookie),
or send an API token as `Authorization: Bearer clt_...`. Errors are
`application/problem+json` (RFC 9457) with a stable `error_id`. PHI never
appears in URLs: searches by name or phone number are POST bodies.
"""


class TriageHealth(BaseModel):
    """Whether triage runs with its statistical layer or on its rules alone."""

    mode: str  # "rules+model" | "rules-only"
    model: str | None
    exemplars: int
    reason: str | None


class Health(BaseModel):
    status: str
    version: str
    triage: TriageHealth | None = None


def _triage() -> dict[str, object]:
    from careline.triage.embedding import status

    st = status()
    return TriageHealth(
        mode=st.mode, model=st.model, exemplars=st.exemplars, reason=st.reason
    ).model_dump()


def app_from_environment() -> FastAPI:
    """Each server process of `careline serve --workers N` builds its own runtime from
    the environment (uvicorn imports this by name in every worker): the processes
    share nothing but the database, whose locks and notifications keep the desk, live
    events and jobs consistent between them."""
    from careline.bootstrap import build_runtime, configure_logging
    from careline.core.settings import Settings

    settings = Settings()
    configure_logging(settings.log_level)
    return create_app(build_runtime(settings))


def create_app(rt: Runtime) -> FastAPI:
    """Build the ASGI app around an already-wired runtime."""
    app = FastAPI(
        title="careline",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url=None,  # the stock page loads assets from a CDN: /docs is careline.api.explorer
        redoc_url=None,
    )
    app.state.runtime = rt
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, limits=BodyLimits.from_settings(rt.settings))
    app.add_middleware(WebhookTimingMiddleware)  # outside the body limit: 413s are timed too
    if rt.settings.trusted_proxies:
        # Outermost: the client address and scheme are settled before anything reads them.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=rt.settings.trusted_proxies)

    from careline.api.routers import ROUTERS

    for router in ROUTERS:
        app.include_router(router)

    @app.get("/healthz", tags=["health"], summary="The process is up")
    def healthz(_: Annotated[None, Depends(public())]) -> Health:
        return Health(status="ok", version=__version__)

    @app.get(
        "/readyz",
        tags=["health"],
        summary="The database answers",
        responses={503: {"model": Health, "description": "Database unreachable"}},
    )
    def readyz(rt: RuntimeDep, _: Annotated[None, Depends(public())]) -> JSONResponse:
        try:
            with rt.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "database-unreachable", "version": __version__}, 503)
        from careline.security.keys import keyring_problem

        problem = keyring_problem(rt)
        if problem is not None:
            return JSONResponse(
                {"status": "keyring-mismatch", "version": __version__, "reason": problem}, 503
            )
        body: dict[str, object] = {"status": "ready", "version": __version__, "triage": _triage()}
        if rt.settings.uses_demo_webhook_token and rt.settings.environment.value != "test":
            body["warnings"] = [
                "demo-webhook-token: webhooks are verified with careline's published demo "
                "token; set CARELINE_TWILIO_AUTH_TOKEN before real calls reach this server"
            ]
        return JSONResponse(body)

    install_explorer(app)
    # Last: the staff web app answers every other GET (its pages and assets).
    install_webapp(app)

    return app
