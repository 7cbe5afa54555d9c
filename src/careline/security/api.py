"""Routes: sign-in, own sessions, users and roles, API tokens, audit search, break-glass."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from careline.api.deps import (
    SESSION_COOKIE,
    Instant,
    Page,
    PageDep,
    RuntimeDep,
    authenticated,
    client_ip,
    public,
    require,
)
from careline.api.problems import problem_responses
from careline.core.db import transaction
from careline.patients.model import NAME_MAX
from careline.security import audit, audit_console
from careline.security import service as svc
from careline.security.audit import AuditQuery
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1", tags=["security"])

Strict = ConfigDict(extra="forbid")


class LoginRequest(BaseModel):
    model_config = Strict
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    totp: str | None = Field(default=None, max_length=10, description="6-digit TOTP code")


class EnrolmentRequest(BaseModel):
    model_config = Strict
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class EnrolmentView(BaseModel):
    """Scan `qr_svg` (or type `secret`) into an authenticator app, then sign in with
    the code it shows: that first code completes the set-up."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class Me(BaseModel):
    user: svc.UserView
    permissions: list[str]
    session_id: str | None


def _secure(request: Request, rt_cookie_secure: bool | None) -> bool:
    if rt_cookie_secure is not None:
        return rt_cookie_secure
    # The scheme as the trusted proxy (if any) reported it: a client's own
    # X-Forwarded-Proto header counts for nothing.
    return request.url.scheme == "https"


@router.post(
    "/auth/enrolment",
    responses=problem_responses(401, 409, 423, 429),
    summary="First sign-in: my authenticator's secret and QR code (password required)",
    description="Open to a user whose one-time-code secret was issued (account created or "
    "MFA reset) within `mfa_enrolment_hours` and never used; the first code used to sign "
    "in closes it (409 mfa-enrolment-closed afterwards). Wrong passwords count towards "
    "the lockout like sign-ins do. The answer is never cached.",
)
def start_enrolment(
    body: EnrolmentRequest,
    request: Request,
    response: Response,
    rt: RuntimeDep,
    _: Annotated[None, Depends(public())],
) -> EnrolmentView:
    shown = svc.start_enrolment(
        rt, username=body.username, password=body.password, ip=client_ip(request)
    )
    response.headers["Cache-Control"] = "no-store"
    return EnrolmentView(secret=shown.secret, otpauth_uri=shown.otpauth_uri, qr_svg=shown.qr_svg)


@router.post(
    "/auth/login", responses=problem_responses(401, 423, 429), summary="Sign in (password + TOTP)"
)
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    rt: RuntimeDep,
    _: Annotated[None, Depends(public())],
) -> Me:
    result = svc.login(
        rt,
        username=body.username,
        password=body.password,
        totp_code=body.totp,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
        replaces_session_token=request.cookies.get(SESSION_COOKIE),
    )
    response.set_cookie(
        SESSION_COOKIE,
        result.session_token,
        httponly=True,
        samesite="strict",
        secure=_secure(request, rt.settings.cookie_secure),
        path="/",
        max_age=rt.settings.session_max_hours * 3600,
    )
    return Me(
        user=result.user,
        permissions=sorted(p.value for p in _perms(result.user)),
        session_id=result.session_id,
    )


def _perms(user: svc.UserView) -> set[Permission]:
    from careline.security.model import ROLE_PERMISSIONS

    held: set[Permission] = set()
    for g in user.roles:
        held |= ROLE_PERMISSIONS[g.role]
    return held


@router.post("/auth/logout", status_code=204, responses=problem_responses())
def logout(
    response: Response, rt: RuntimeDep, actor: Annotated[Actor, Depends(authenticated())]
) -> None:
    svc.logout(rt, actor=actor)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/auth/me", responses=problem_responses())
def me(rt: RuntimeDep, actor: Annotated[Actor, Depends(authenticated())]) -> Me:
    assert actor.user_id is not None
    user = svc.get_user(rt, user_id=actor.user_id)
    return Me(
        user=user,
        permissions=sorted(p.value for p in actor.permissions()),
        session_id=actor.session_id,
    )


@router.get("/auth/sessions", responses=problem_responses(), summary="My open sessions")
def my_sessions(
    rt: RuntimeDep, actor: Annotated[Actor, Depends(authenticated())]
) -> list[svc.SessionView]:
    return svc.list_sessions(rt, actor=actor)


@router.delete(
    "/auth/sessions/{session_id}",
    status_code=204,
    responses=problem_responses(404),
    summary="End one of my sessions (e.g. a lost device)",
)
def end_my_session(
    session_id: str, rt: RuntimeDep, actor: Annotated[Actor, Depends(authenticated())]
) -> None:
    svc.end_session(rt, actor=actor, session_id=session_id)


# ---------------------------------------------------------------- users


class UserCreate(BaseModel):
    model_config = Strict
    username: str = Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9._-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=200)
    roles: list[svc.RoleGrantView] = Field(min_length=1)
    staff_id: str | None = None


class RolesUpdate(BaseModel):
    model_config = Strict
    roles: list[svc.RoleGrantView] = Field(min_length=1)


class ActiveUpdate(BaseModel):
    model_config = Strict
    active: bool


@router.get("/users", responses=problem_responses())
def list_users(
    rt: RuntimeDep, page: PageDep, actor: Annotated[Actor, Depends(require(Permission.users_read))]
) -> Page[svc.UserView]:
    """The users who work at your clinics (everyone, for a network-wide role)."""
    items, total = svc.list_users(rt, limit=page.limit, offset=page.offset, actor=actor)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/users", status_code=201, responses=problem_responses(409))
def create_user(
    body: UserCreate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.users_manage))],
) -> svc.NewUser:
    return svc.create_user(
        rt,
        actor=actor,
        username=body.username,
        display_name=body.display_name,
        password=body.password,
        roles=body.roles,
        staff_id=body.staff_id,
    )


@router.get("/users/{user_id}", responses=problem_responses(404))
def get_user(
    user_id: str, rt: RuntimeDep, actor: Annotated[Actor, Depends(require(Permission.users_read))]
) -> svc.UserView:
    return svc.get_user(rt, user_id=user_id, actor=actor)


@router.put(
    "/users/{user_id}/roles",
    responses=problem_responses(403, 404),
    summary="Replace a user's roles (never your own; never beyond your own roles and clinics)",
)
def set_roles(
    user_id: str,
    body: RolesUpdate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.users_manage))],
) -> svc.UserView:
    return svc.set_roles(rt, actor=actor, user_id=user_id, roles=body.roles)


@router.put("/users/{user_id}/active", responses=problem_responses(404))
def set_active(
    user_id: str,
    body: ActiveUpdate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.users_manage))],
) -> svc.UserView:
    return svc.set_active(rt, actor=actor, user_id=user_id, active=body.active)


@router.post("/users/{user_id}/unlock", responses=problem_responses(404))
def unlock_user(
    user_id: str,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.users_manage))],
) -> svc.UserView:
    return svc.unlock(rt, actor=actor, user_id=user_id)


@router.post("/users/{user_id}/mfa-reset", responses=problem_responses(404))
def reset_mfa(
    user_id: str,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.users_manage))],
) -> svc.NewUser:
    return svc.reset_mfa(rt, actor=actor, user_id=user_id)


# ---------------------------------------------------------------- tokens


class TokenCreate(BaseModel):
    model_config = Strict
    name: str = Field(min_length=1, max_length=120)
    scopes: list[Permission] = Field(min_length=1)
    expires_in_days: int = Field(
        default=90, ge=1, le=3650, description="Every token expires (at most token_max_days)"
    )


@router.get("/tokens", responses=problem_responses())
def list_tokens(
    rt: RuntimeDep, actor: Annotated[Actor, Depends(require(Permission.tokens_manage))]
) -> list[svc.TokenView]:
    return svc.list_tokens(rt, actor=actor)


@router.post(
    "/tokens",
    status_code=201,
    responses=problem_responses(),
    summary="Create an API token (the secret is shown once)",
)
def create_token(
    body: TokenCreate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.tokens_manage))],
) -> svc.NewToken:
    return svc.create_token(
        rt, actor=actor, name=body.name, scopes=body.scopes, expires_in_days=body.expires_in_days
    )


@router.delete("/tokens/{token_id}", responses=problem_responses(404))
def revoke_token(
    token_id: str,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.tokens_manage))],
) -> svc.TokenView:
    return svc.revoke_token(rt, actor=actor, token_id=token_id)


# ---------------------------------------------------------------- audit


class AuditEntryView(BaseModel):
    seq: int
    at: datetime
    actor_user_id: str | None
    actor_name: str
    action: str
    outcome: str
    resource_type: str | None
    resource_id: str | None
    patient_id: str | None
    ip: str | None
    flagged: bool
    details: dict[str, object]


class ChainStatus(BaseModel):
    ok: bool
    checked: int
    first_bad_seq: int | None
    problem: str | None


@router.get("/audit", responses=problem_responses(), summary="Search the audit log")
def search_audit(
    rt: RuntimeDep,
    page: PageDep,
    actor: Annotated[Actor, Depends(require(Permission.audit_read))],
    patient_id: Annotated[str | None, Query(max_length=36)] = None,
    user_id: Annotated[str | None, Query(max_length=36)] = None,
    action: Annotated[str | None, Query(max_length=80)] = None,
    since: Instant | None = None,
    until: Instant | None = None,
    flagged: bool | None = None,
) -> Page[AuditEntryView]:
    q = AuditQuery(
        patient_id=patient_id,
        user_id=user_id,
        action=action,
        since=since,
        until=until,
        flagged=flagged,
        limit=page.limit,
        offset=page.offset,
    )
    with transaction(rt.sessions) as s:
        rows, total = audit.search(s, q)
        items = [AuditEntryView.model_validate(r, from_attributes=True) for r in rows]
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="audit.search",
            details={"patient_id": patient_id, "user_id": user_id, "count": len(items)},
        )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/audit/verify", responses=problem_responses(), summary="Verify the hash chain")
def verify_audit(
    rt: RuntimeDep, _: Annotated[Actor, Depends(require(Permission.audit_read))]
) -> ChainStatus:
    with transaction(rt.sessions) as s:
        report = audit.verify(s)
    return ChainStatus(
        ok=report.ok,
        checked=report.checked,
        first_bad_seq=report.first_bad_seq,
        problem=report.problem,
    )


# ---------------------------------------------------------------- the auditor's console


class AuditSearchRequest(BaseModel):
    """A POST body, so a patient's name and date of birth never appear in a URL."""

    model_config = Strict
    family_name: str | None = Field(
        default=None,
        min_length=1,
        max_length=NAME_MAX,
        description="The patient's family name; always with date_of_birth",
    )
    date_of_birth: date | None = Field(
        default=None, description="The patient's date of birth; always with family_name"
    )
    patient_id: str | None = Field(default=None, max_length=36)
    user_id: str | None = Field(default=None, max_length=36, description="Who acted")
    action: str | None = Field(default=None, min_length=1, max_length=80)
    since: Instant | None = None
    until: Instant | None = Field(default=None, description="Exclusive")
    flagged_only: bool = False
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=10_000_000)


AuditSeq = Annotated[int, Path(ge=1, le=2**31 - 1, description="The entry's sequence number")]


def _console_query(body: AuditSearchRequest) -> audit_console.ConsoleSearch:
    return audit_console.ConsoleSearch(
        family_name=body.family_name,
        date_of_birth=body.date_of_birth,
        patient_id=body.patient_id,
        user_id=body.user_id,
        action=body.action,
        since=body.since,
        until=body.until,
        flagged_only=body.flagged_only,
        limit=body.limit,
        offset=body.offset,
    )


@router.post(
    "/audit/search",
    responses=problem_responses(),
    summary="Search the audit log by patient (name and date of birth), user, action, time",
    description="Newest first. The patient is found through the blind index (nothing is "
    "decrypted); `matched_patient_ids` says who matched. The search is itself audited "
    "(`audit.search`) with the matched ids, never the name or date of birth.",
)
def search_audit_console(
    body: AuditSearchRequest,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.audit_read))],
) -> audit_console.ConsoleResult:
    return audit_console.search(rt, actor=actor, query=_console_query(body))


@router.post(
    "/audit/search.csv",
    response_class=Response,
    responses={
        **problem_responses(),
        200: {"content": {"text/csv": {}}, "description": "The matching entries as CSV"},
    },
    summary="Export an audit search as CSV (every match up to 10,000, newest first)",
    description="The same body as `/audit/search`; paging is ignored. `X-Total-Count` "
    "says how many matched. Audited as `audit.export`.",
)
def export_audit_csv(
    body: AuditSearchRequest,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.audit_read))],
) -> Response:
    text, total = audit_console.export_csv(rt, actor=actor, query=_console_query(body))
    stamp = rt.clock.now().strftime("%Y%m%d-%H%M%S")
    return Response(
        content=text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="careline-audit-{stamp}.csv"',
            "Cache-Control": "no-store",
            "X-Total-Count": str(total),
        },
    )


@router.post(
    "/audit/{seq}/review",
    responses=problem_responses(404),
    summary="Mark an audit entry reviewed (the first mark stands)",
    description="Stored beside the hash chain, never in it: the entry itself is unchanged. "
    "Audited as `audit.review`.",
)
def review_audit_entry(
    seq: AuditSeq,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.audit_read))],
) -> audit_console.ReviewView:
    return audit_console.review(rt, actor=actor, seq=seq)
