"""Request dependencies: the runtime, the acting principal and permission checks.

Every route must declare exactly what it needs: `require(Permission.X)`,
`authenticated()` (any signed-in principal, for one's own account) or
`public()` (health checks, sign-in). A test walks every route and fails on
one that declares none of them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import AfterValidator, BaseModel

from careline.core.errors import Forbidden, Unauthenticated
from careline.runtime import Runtime
from careline.security import service as security
from careline.security.model import Actor, Permission

SESSION_COOKIE = "careline_session"


def get_runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _resolve_actor(request: Request, rt: Runtime, *, touch: bool = True) -> Actor:
    ip = client_ip(request)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return security.authenticate_token(rt, secret=auth[7:].strip(), ip=ip)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        refuse_cross_site(request, rt)
        return security.authenticate_session(rt, token=token, ip=ip, touch=touch)
    raise Unauthenticated("Sign in first, or send an API token as 'Authorization: Bearer ...'.")


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def refuse_cross_site(request: Request, rt: Runtime) -> None:
    """A state-changing request riding on the session cookie must come from careline's
    own pages: browsers say where a request comes from (Sec-Fetch-Site, Origin), and
    SameSite alone does not cover every browser and body-less request (issue 11, item
    20). Clients that send neither header are not browsers, so not a forgery vector."""
    if request.method in SAFE_METHODS:
        return
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None and site not in ("same-origin", "none"):
        raise Forbidden("This request came from another site.", error_id="cross-site-request")
    if origin is not None:
        allowed = {f"{request.url.scheme}://{request.url.netloc}"}
        if rt.settings.public_base_url:
            allowed.add(rt.settings.public_base_url.rstrip("/"))
        if origin.rstrip("/") not in allowed:
            raise Forbidden("This request came from another site.", error_id="cross-site-request")


class RouteGuard:
    """Marker + check. `permission` None with `public` False means: any signed-in actor."""

    def __init__(
        self, permission: Permission | None, *, public: bool = False, passive: bool = False
    ) -> None:
        self.permission = permission
        self.public = public
        #: Passive: does not count as activity for the session's idle timer.
        self.passive = passive

    def __call__(self, request: Request) -> Actor | None:
        if self.public:
            return None
        rt = get_runtime(request)
        actor = _resolve_actor(request, rt, touch=not self.passive)
        if self.permission is not None and not actor.can(self.permission):
            raise Forbidden(
                f"Your roles do not include the '{self.permission.value}' permission.",
                error_id="permission-denied",
            )
        request.state.actor = actor
        return actor

    def __repr__(self) -> str:
        return f"RouteGuard({self.permission}, public={self.public})"


def require(permission: Permission) -> RouteGuard:
    return RouteGuard(permission)


def authenticated() -> RouteGuard:
    return RouteGuard(None)


def signed_in_passively() -> RouteGuard:
    """Any signed-in actor, without resetting the session's idle timer (live streams)."""
    return RouteGuard(None, passive=True)


def public() -> RouteGuard:
    return RouteGuard(None, public=True)


def actor_of(request: Request) -> Actor:
    """The actor the route's guard resolved (use with `Depends(require(...))`)."""
    actor: Actor | None = getattr(request.state, "actor", None)
    if actor is None:
        raise Unauthenticated("Sign in first.")
    return actor


# ---------------------------------------------------------------- dates in queries

#: Dates careline can reason about: far enough for any record, near enough that every
#: conversion (to UTC, to a clinic's day) stays inside Python's range.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _sane_instant(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        raise ValueError("is out of range") from None
    if not FIRST_YEAR <= utc.year <= LAST_YEAR:
        raise ValueError(f"must be between the years {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _sane_day(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"must be between the years {FIRST_YEAR} and {LAST_YEAR}")
    return value


#: A query instant: out-of-range values (9999-12-31, 0001-01-01+14:00) are a 422 naming
#: the parameter, never a 500 from an overflow deeper down (issue 11, item 15).
Instant = Annotated[datetime, AfterValidator(_sane_instant)]
Day = Annotated[date, AfterValidator(_sane_day)]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: `items`, the `total` across all pages, and where it starts."""

    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (1-200)")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]
