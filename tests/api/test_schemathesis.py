"""Property-based run over the whole OpenAPI description: no input may cause a 5xx.

Schemathesis generates requests (valid and invalid) for every operation and
sends them, authenticated with an all-scopes API token, to the real app on a
real database. Any 5xx, or a response that does not match its documented
schema, fails the test.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from careline.api.app import create_app
from careline.security import service as security
from careline.security.model import SYSTEM, Permission, Role


@pytest.fixture
def fuzz_app(rt):
    """The real app on a real database (each engine), with an all-scopes API token."""
    admin = security.create_user(
        rt,
        actor=SYSTEM,
        username="fuzz.admin",
        display_name="Fuzz",
        password="a long fuzzing passphrase",
        roles=[
            security.RoleGrantView(role=Role.admin),
            security.RoleGrantView(role=Role.clinician),
        ],
    )
    actor = security.actor_for_user_id(rt, user_id=admin.user.id)
    token = security.create_token(
        rt, actor=actor, name="fuzz", scopes=list(Permission), expires_in_days=1
    )
    app = create_app(rt)
    app.state.fuzz_token = token.secret
    return app


def fuzz(app, headers: dict[str, str], max_examples: int = 12) -> tuple[int, list[str]]:
    """Run schemathesis over every operation; return (operations, failures)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/api/v1/auth/logout":
            continue  # ends nothing under token auth; keeps the run focused
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=max_examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            exercise()
        except Exception as exc:  # collect every failing operation, then report all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    return operations, failures


def test_no_input_causes_a_server_error(fuzz_app):
    headers = {"Authorization": f"Bearer {fuzz_app.state.fuzz_token}"}
    operations, failures = fuzz(fuzz_app, headers)
    assert operations > 10
    assert failures == [], "\n\n".join(failures)


def test_the_harness_reports_a_server_error():
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/broken/{n}")
    def broken(n: int) -> dict[str, int]:
        return {"inverse": 1 // (n - n)}

    operations, failures = fuzz(app, {}, max_examples=3)
    assert operations == 1
    assert len(failures) == 1 and "/broken/{n}" in failures[0]


EXTREME_DATES = ["0001-01-01", "9999-12-31"]
EXTREME_INSTANTS = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59.999999Z",
]


def _param_format(param: dict) -> str | None:
    schema = param.get("schema", {})
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("format") in ("date", "date-time"):
            return str(option["format"])
    return None


def _ordinary(param: dict) -> str:
    fmt = _param_format(param)
    if fmt == "date":
        return "2026-03-03"
    if fmt == "date-time":
        return "2026-03-03T16:00:00Z"
    types = {
        o.get("type") for o in [param.get("schema", {}), *param.get("schema", {}).get("anyOf", [])]
    }
    return "1" if types & {"integer", "number"} else "x"


def test_extreme_dates_in_any_query_are_a_4xx_never_a_5xx(fuzz_app):
    """Issue 11, item 15: `?day=9999-12-31` and `?since=0001-01-01T00:00:00+14:00` were
    500s the generated run never tried. Every date or date-time query parameter of
    every GET operation, at both ends of the calendar and of the time zones."""
    from fastapi.testclient import TestClient

    headers = {"Authorization": f"Bearer {fuzz_app.state.fuzz_token}"}
    client = TestClient(fuzz_app, raise_server_exceptions=False)
    tried = 0
    for path, item in fuzz_app.openapi()["paths"].items():
        get = item.get("get")
        if get is None or "{" in path:
            continue
        params = [p for p in get.get("parameters", []) if p.get("in") == "query"]
        for param in params:
            fmt = _param_format(param)
            if fmt is None:
                continue
            for extreme in EXTREME_DATES if fmt == "date" else EXTREME_INSTANTS:
                query = {p["name"]: _ordinary(p) for p in params if p.get("required")}
                query[param["name"]] = extreme
                r = client.get(path, params=query, headers=headers)
                tried += 1
                assert r.status_code < 500, (path, param["name"], extreme, r.text[:300])
    assert tried >= 8  # the appointments, audit, reports... routes were reached
