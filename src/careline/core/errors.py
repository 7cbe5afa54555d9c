"""One error family, turned into problem+json (RFC 9457) in one place.

Every error carries an HTTP status, a stable `error_id` clients can branch on,
a title, a detail a person can act on, and optional per-field problems. Never
put PHI in any of them: they are logged and shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one input field, located by a dotted path."""

    field: str
    message: str


class CarelineError(Exception):
    """Base of every expected failure. Subclasses fix the status and error id."""

    status: ClassVar[int] = 400
    error_id: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        error_id: str | None = None,
        problems: list[FieldProblem] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if error_id is not None:
            self.error_id = error_id  # type: ignore[misc]
        self.problems = problems or []
        self.extra = extra or {}


class ValidationFailed(CarelineError):
    status = 422
    error_id = "validation-failed"
    title = "The request has invalid fields"


class NotFound(CarelineError):
    status = 404
    error_id = "not-found"
    title = "Not found"


class Conflict(CarelineError):
    status = 409
    error_id = "conflict"
    title = "Conflict with the current state"


class Unauthenticated(CarelineError):
    status = 401
    error_id = "not-authenticated"
    title = "Authentication required"


class Forbidden(CarelineError):
    status = 403
    error_id = "forbidden"
    title = "Not allowed"


class TooManyRequests(CarelineError):
    status = 429
    error_id = "too-many-requests"
    title = "Too many requests"


class Unavailable(CarelineError):
    status = 503
    error_id = "unavailable"
    title = "Service unavailable"


@dataclass
class Problem:
    """The wire shape of an error (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    error_id: str
    errors: list[dict[str, str]] = field(default_factory=list)


def to_problem(error: CarelineError) -> dict[str, Any]:
    """Render an error as a problem+json body."""
    body: dict[str, Any] = {
        "type": f"https://careline.dev/problems/{error.error_id}",
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "error_id": error.error_id,
    }
    if error.problems:
        body["errors"] = [{"field": p.field, "message": p.message} for p in error.problems]
    body.update(error.extra)
    return body
