"""Every registered route must declare the permission it needs (or say it is public)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from careline.api.deps import RouteGuard, require
from careline.security.model import Permission


def _guards(dependant: Dependant) -> list[RouteGuard]:
    found = []
    for dep in dependant.dependencies:
        if isinstance(dep.call, RouteGuard):
            found.append(dep.call)
        found.extend(_guards(dep))
    return found


def all_routes(routes) -> list[APIRoute]:
    """Flatten the app's routes, whether FastAPI keeps included routers nested or not."""
    flat = []
    for route in routes:
        if isinstance(route, APIRoute):
            flat.append(route)
        elif getattr(route, "original_router", None) is not None:
            flat.extend(all_routes(route.original_router.routes))
        elif getattr(route, "routes", None):
            flat.extend(all_routes(route.routes))
    return flat


def unguarded_routes(app: FastAPI) -> list[str]:
    missing = []
    for route in all_routes(app.routes):
        if not _guards(route.dependant):
            missing.append(f"{sorted(route.methods)} {route.path}")
    return missing


def test_every_route_declares_a_permission(client):
    app = client.app
    assert len(all_routes(app.routes)) > 10
    assert unguarded_routes(app) == []


def test_the_walk_catches_an_unguarded_route():
    app = FastAPI()

    @app.get("/guarded")
    def guarded(_: object = __import__("fastapi").Depends(require(Permission.audit_read))) -> None:
        return None

    @app.get("/forgotten")
    def forgotten() -> None:
        return None

    assert unguarded_routes(app) == ["['GET'] /forgotten"]


def test_routes_needing_a_permission_refuse_anonymous_callers(client):
    app = client.app
    checked = 0
    for route in all_routes(app.routes):
        guards = _guards(route.dependant)
        if any(g.public for g in guards):
            continue
        path = route.path
        for name in route.param_convertors:
            path = path.replace("{" + name + "}", "00000000-0000-0000-0000-000000000000")
        method = sorted(route.methods)[0]
        r = client.request(method, path)
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json")
        checked += 1
    assert checked > 10
