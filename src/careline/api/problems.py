"""problem+json everywhere: one place turns every error into RFC 9457 bodies."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from careline.core.errors import CarelineError, to_problem

log = logging.getLogger("careline.api")

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. body.phones.0")
    message: str


class ProblemModel(BaseModel):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    error_id: str = Field(description="Stable machine-readable id, e.g. no-such-patient")
    errors: list[FieldError] | None = None


_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Not signed in, session expired, or bad credentials",
    403: "Signed in but not allowed",
    404: "No such record",
    409: "Conflicts with the current state",
    422: "Invalid fields (each named in `errors`)",
    423: "Account locked",
    429: "Too many attempts; see Retry-After",
    503: "A dependency is unavailable",
}


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting each error a route can return."""
    wanted = sorted({401, 403, 422, *codes})
    return {
        code: {
            "model": ProblemModel,
            "description": _DESCRIPTIONS.get(code, "Error"),
            "content": {PROBLEM_JSON: {}},
        }
        for code in wanted
    }


def _problem(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in loc)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CarelineError)
    async def _careline(_request: Request, exc: CarelineError) -> JSONResponse:
        headers = {}
        retry = exc.extra.get("retry_after_seconds")
        if retry is not None:
            headers["Retry-After"] = str(int(retry))
        return _problem(exc.status, to_problem(exc), headers or None)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Never echo the input value back: it may be PHI.
        errors = [
            {"field": _field_path(err.get("loc", ())), "message": str(err.get("msg", "invalid"))}
            for err in exc.errors()
        ]
        names = ", ".join(e["field"] for e in errors[:5])
        body = {
            "type": "https://careline.dev/problems/validation-failed",
            "title": "The request has invalid fields",
            "status": 422,
            "detail": f"Fix these fields and retry: {names}.",
            "error_id": "validation-failed",
            "errors": errors,
        }
        return _problem(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error_id = {404: "no-such-route", 405: "method-not-allowed", 413: "body-too-large"}.get(
            exc.status_code, "http-error"
        )
        body = {
            "type": f"https://careline.dev/problems/{error_id}",
            "title": str(exc.detail),
            "status": exc.status_code,
            "detail": str(exc.detail),
            "error_id": error_id,
        }
        return _problem(exc.status_code, body, dict(exc.headers) if exc.headers else None)

    @app.exception_handler(DataError)
    async def _data(_request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value (a NUL character, a number out of range).
        # The transaction rolled back; say so without quoting the value.
        log.warning("database refused a value: %s", type(exc.orig).__name__)
        body = {
            "type": "https://careline.dev/problems/unstorable-value",
            "title": "A value cannot be stored",
            "status": 422,
            "detail": "A value contains characters or a size the database cannot store "
            "(for example a NUL character). Nothing was changed.",
            "error_id": "unstorable-value",
        }
        return _problem(422, body)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        # Log the type only: messages of library errors can quote PHI values.
        log.error("unhandled error: %s", type(exc).__name__)
        body = {
            "type": "https://careline.dev/problems/internal-error",
            "title": "Internal error",
            "status": 500,
            "detail": "Something went wrong on our side; nothing was changed. Try again.",
            "error_id": "internal-error",
        }
        return _problem(500, body)
