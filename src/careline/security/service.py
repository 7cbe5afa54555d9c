"""Security use cases: users, login with MFA, sessions, API tokens, break-glass.

Each public function runs in one transaction. Failed logins are committed
(counters, audit) before the error is raised, so an attacker's attempts are
never rolled back with the request.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import (
    CarelineError,
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthenticated,
    ValidationFailed,
)
from careline.runtime import Runtime
from careline.security import audit, mfa
from careline.security.crypto import DecryptionError
from careline.security.model import (
    BREAK_GLASS_ALERT_AT,
    BREAK_GLASS_PER_HOUR,
    SYSTEM,
    Actor,
    Permission,
    Role,
    RoleGrant,
    break_glass_reason_problem,
    manages_user,
    may_grant,
    role_sees_phi,
    sees_user,
    uncovered_location,
)
from careline.security.passwords import hash_password, password_problem, verify_password
from careline.security.tables import (
    ApiTokenRow,
    BreakGlassRow,
    LoginFailureRow,
    SessionRow,
    UnknownLoginRow,
    UserRoleRow,
    UserRow,
)

BREAK_GLASS_HOURS = 4
TOKEN_PREFIX = "clt_"  # noqa: S105 - a prefix, not a secret


class AccountLocked(CarelineError):
    status = 423
    error_id = "account-locked"
    title = "Account locked"


class BadCredentials(Unauthenticated):
    error_id = "bad-credentials"
    title = "Wrong username, password or code"


class MfaRequired(Unauthenticated):
    error_id = "mfa-required"
    title = "A one-time code is required"


class SessionExpired(Unauthenticated):
    error_id = "session-expired"
    title = "Session expired"


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- views


class RoleGrantView(BaseModel):
    role: Role
    location_id: str | None = None


class UserView(BaseModel):
    id: str
    username: str
    display_name: str
    active: bool
    mfa_enrolled: bool
    mfa_required: bool
    locked_until: datetime | None
    staff_id: str | None
    roles: list[RoleGrantView]
    created_at: datetime


class NewUser(BaseModel):
    user: UserView
    totp_secret: str | None
    totp_uri: str | None


class SessionView(BaseModel):
    id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ip: str | None
    user_agent: str | None
    current: bool = False


class TokenView(BaseModel):
    id: str
    name: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class NewToken(BaseModel):
    token: TokenView
    secret: str


@dataclass(frozen=True)
class LoginResult:
    session_token: str
    session_id: str
    user: UserView


def _grants(row: UserRow) -> tuple[RoleGrant, ...]:
    return tuple(RoleGrant(Role(r.role), r.location_id) for r in row.roles)


def _mfa_required(row: UserRow) -> bool:
    return any(role_sees_phi(g.role) for g in _grants(row))


def _user_view(row: UserRow) -> UserView:
    return UserView(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        active=row.active,
        mfa_enrolled=row.totp_secret is not None,
        mfa_required=_mfa_required(row),
        locked_until=row.locked_until,
        staff_id=row.staff_id,
        roles=[RoleGrantView(role=Role(r.role), location_id=r.location_id) for r in row.roles],
        created_at=row.created_at,
    )


def actor_for(row: UserRow, *, session_id: str | None = None, ip: str | None = None) -> Actor:
    return Actor(
        user_id=row.id, username=row.username, grants=_grants(row), session_id=session_id, ip=ip
    )


def actor_for_user_id(rt: Runtime, *, user_id: str) -> Actor:
    """The actor for a user acting outside a session (CLI, demo seeding, tests)."""
    with transaction(rt.sessions) as s:
        return actor_for(_user_row(s, user_id))


def active_users_in(s: Session, *, user_ids: Sequence[str]) -> dict[str, Actor]:
    """Inside the caller's transaction: the active users among `user_ids`, as actors
    (for checking what a colleague may see before handing them work)."""
    if not user_ids:
        return {}
    rows = s.execute(select(UserRow).where(UserRow.id.in_(list(set(user_ids))))).scalars()
    return {r.id: actor_for(r) for r in rows if r.active}


def display_names_in(s: Session, *, user_ids: Sequence[str]) -> dict[str, str]:
    """Inside the caller's transaction: users' display names (colleagues shown by name)."""
    if not user_ids:
        return {}
    rows = s.execute(
        select(UserRow.id, UserRow.display_name).where(UserRow.id.in_(list(set(user_ids))))
    )
    return {uid: name for uid, name in rows}


# ---------------------------------------------------------------- users


def _check_grants(grants: list[RoleGrantView]) -> None:
    if not grants:
        raise ValidationFailed(
            "A user needs at least one role.",
            problems=[FieldProblem("roles", "must hold at least one role")],
        )


def create_user(
    rt: Runtime,
    *,
    actor: Actor,
    username: str,
    display_name: str,
    password: str,
    roles: list[RoleGrantView],
    staff_id: str | None = None,
    totp_secret: str | None = None,
) -> NewUser:
    """Create a user; users whose roles see PHI are enrolled in TOTP at once. Nobody
    creates a user holding more than they hold (role and clinics)."""
    _refuse_grants_beyond(actor, roles)
    problem = password_problem(password)
    if problem:
        raise ValidationFailed(
            f"The password {problem}.", problems=[FieldProblem("password", problem)]
        )
    _check_grants(roles)
    username = username.strip().lower()
    with transaction(rt.sessions) as s:
        if s.execute(select(UserRow.id).where(UserRow.username == username)).first():
            raise Conflict(f"The username '{username}' is taken.", error_id="username-taken")
        row = UserRow(
            username=username,
            display_name=display_name,
            password_hash=hash_password(password),
            staff_id=staff_id,
            active=True,
            failed_logins=0,
            created_at=rt.clock.now(),
            roles=[UserRoleRow(role=g.role.value, location_id=g.location_id) for g in roles],
        )
        secret = None
        if _mfa_required(row) or totp_secret:
            secret = totp_secret or mfa.new_secret()
            row.totp_secret = secret
            row.totp_issued_at = rt.clock.now()
        s.add(row)
        s.flush()
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="user.create",
            resource_type="user",
            resource_id=row.id,
            details={"roles": [f"{g.role.value}@{g.location_id or '*'}" for g in roles]},
        )
        view = _user_view(row)
    return NewUser(
        user=view,
        totp_secret=secret,
        totp_uri=mfa.provisioning_uri(secret, username) if secret else None,
    )


def list_users(
    rt: Runtime, *, limit: int, offset: int, actor: Actor = SYSTEM
) -> tuple[list[UserView], int]:
    """Users the actor may see: those working at the actor's clinics (everyone, for a
    network-wide reader)."""
    with transaction(rt.sessions) as s:
        rows = [
            r
            for r in s.execute(select(UserRow).order_by(UserRow.username)).scalars()
            if sees_user(actor, _grants(r))
        ]
        return [_user_view(r) for r in rows[offset : offset + limit]], len(rows)


def get_user(rt: Runtime, *, user_id: str, actor: Actor = SYSTEM) -> UserView:
    with transaction(rt.sessions) as s:
        return _user_view(_visible_user(s, actor, user_id))


def _visible_user(s: Session, actor: Actor, user_id: str) -> UserRow:
    """A user of another clinic is "no such user", as any located thing is."""
    row = _user_row(s, user_id)
    if not sees_user(actor, _grants(row)) and not manages_user(actor, _grants(row)):
        raise NotFound("No user has this id.", error_id="no-such-user")
    return row


def require_scope(
    actor: Actor, permission: Permission, location_ids: Iterable[str | None], *, what: str = ""
) -> None:
    """Writes follow the scope of the actor's roles (issue 11, item 2): a clinic's
    records need `permission` at that clinic; network-wide ones (location None) need it
    network-wide. The route has already checked the permission is held somewhere."""
    missing = uncovered_location(actor, permission, location_ids)
    if missing is not None:
        where = "the whole network" if missing[1] is None else "this location"
        raise Forbidden(
            f"Your {permission.value} permission does not cover {where}.{what}",
            error_id="location-out-of-scope",
        )


class GrantRefused(Forbidden):
    error_id = "grant-exceeds-yours"
    title = "You cannot give more than you hold"


def _refuse_grants_beyond(actor: Actor, roles: Sequence[RoleGrantView]) -> None:
    for g in roles:
        if not may_grant(actor, RoleGrant(g.role, g.location_id)):
            where = f"at location {g.location_id}" if g.location_id else "network-wide"
            raise GrantRefused(
                f"You cannot grant the {g.role.value} role {where}: a grant never exceeds "
                "the granting user's own roles and clinics."
            )


def _managed_user(s: Session, actor: Actor, user_id: str) -> UserRow:
    """A user the actor may change: visible, and holding nothing the actor could not
    have granted (a clinic's administrator cannot touch a network administrator)."""
    row = _visible_user(s, actor, user_id)
    if not manages_user(actor, _grants(row)):
        raise Forbidden(
            "This user holds roles beyond yours; ask an administrator who holds them.",
            error_id="user-out-of-scope",
        )
    return row


def get_user_by_username(rt: Runtime, *, username: str) -> UserView:
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(UserRow).where(UserRow.username == username.strip().lower())
        ).scalar_one_or_none()
        if row is None:
            raise NotFound("No user has this username.", error_id="no-such-user")
        return _user_view(row)


def _user_row(s: Session, user_id: str) -> UserRow:
    row = s.get(UserRow, user_id)
    if row is None:
        raise NotFound("No user has this id.", error_id="no-such-user")
    return row


def set_roles(rt: Runtime, *, actor: Actor, user_id: str, roles: list[RoleGrantView]) -> UserView:
    """Replace a user's roles. A permission change: always audited."""
    _check_grants(roles)
    if actor.user_id is not None and actor.user_id == user_id:
        raise Forbidden(
            "Nobody changes their own roles; ask another administrator.", error_id="own-roles"
        )
    _refuse_grants_beyond(actor, roles)
    with transaction(rt.sessions) as s:
        row = _managed_user(s, actor, user_id)
        before = sorted(f"{r.role}@{r.location_id or '*'}" for r in row.roles)
        row.roles = [UserRoleRow(role=g.role.value, location_id=g.location_id) for g in roles]
        s.flush()
        if _mfa_required(row) and row.totp_secret is None:
            raise ValidationFailed(
                "These roles see PHI and the user has no MFA enrolled; reset MFA first.",
                error_id="mfa-enrolment-required",
            )
        after = sorted(f"{g.role.value}@{g.location_id or '*'}" for g in roles)
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="user.roles_changed",
            resource_type="user",
            resource_id=row.id,
            details={"before": before, "after": after},
        )
        return _user_view(row)


def set_active(rt: Runtime, *, actor: Actor, user_id: str, active: bool) -> UserView:
    with transaction(rt.sessions) as s:
        row = _managed_user(s, actor, user_id)
        row.active = active
        if not active:
            _end_sessions(s, rt, user_id=row.id, reason="deactivated")
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            resource_type="user",
            resource_id=row.id,
        )
        return _user_view(row)


def unlock(rt: Runtime, *, actor: Actor, user_id: str) -> UserView:
    with transaction(rt.sessions) as s:
        row = _managed_user(s, actor, user_id)
        row.locked_until = None
        row.failed_logins = 0
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="user.unlock",
            resource_type="user",
            resource_id=row.id,
        )
        return _user_view(row)


def reset_mfa(rt: Runtime, *, actor: Actor, user_id: str) -> NewUser:
    """Issue a fresh TOTP secret (lost phone); ends the user's sessions."""
    with transaction(rt.sessions) as s:
        row = _managed_user(s, actor, user_id)
        secret = mfa.new_secret()
        row.totp_secret = secret
        row.totp_last_step = None
        row.totp_issued_at = rt.clock.now()
        _end_sessions(s, rt, user_id=row.id, reason="mfa-reset")
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="user.mfa_reset",
            resource_type="user",
            resource_id=row.id,
        )
        view = _user_view(row)
    return NewUser(
        user=view, totp_secret=secret, totp_uri=mfa.provisioning_uri(secret, view.username)
    )


# ---------------------------------------------------------------- login


def _throttled(s: Session, rt: Runtime, ip: str, now: datetime) -> bool:
    window = now - timedelta(minutes=rt.settings.ip_failure_window_minutes)
    s.execute(delete(LoginFailureRow).where(LoginFailureRow.at < window))
    count = s.execute(
        select(func.count(LoginFailureRow.id)).where(
            LoginFailureRow.ip == ip, LoginFailureRow.at >= window
        )
    ).scalar_one()
    return int(count) >= rt.settings.ip_failure_limit


def _enrolment_open(rt: Runtime, row: UserRow, now: datetime) -> bool:
    """Whether the user may still fetch their secret with their password: the secret
    was never used for a sign-in, and was issued recently enough."""
    if row.totp_secret is None or row.totp_last_step is not None or row.totp_issued_at is None:
        return False
    return now - row.totp_issued_at <= timedelta(hours=rt.settings.mfa_enrolment_hours)


@dataclass(frozen=True)
class Enrolment:
    """What an authenticator app needs: scanned as a QR code or typed as the secret."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class EnrolmentClosed(CarelineError):
    status = 409
    error_id = "mfa-enrolment-closed"
    title = "Authenticator set-up is closed"


def start_enrolment(rt: Runtime, *, username: str, password: str, ip: str) -> Enrolment:
    """First sign-in: show a new user their TOTP secret (QR code), after the same
    password, lockout and throttle checks as signing in. Open only until the first code
    is used and within `mfa_enrolment_hours` of the secret's issue; audited either way."""
    now = rt.clock.now()
    username = username.strip().lower()
    failure: CarelineError | None = None
    shown: Enrolment | None = None
    with transaction(rt.sessions) as s:
        anon = Actor(user_id=None, username=username[:80] or "?", ip=ip)
        row = None
        if _throttled(s, rt, ip, now):
            failure = TooManyRequests(
                "Too many failed sign-ins from this address. Wait a few minutes and retry.",
                extra={"retry_after_seconds": rt.settings.ip_failure_window_minutes * 60},
            )
        else:
            row = s.execute(
                select(UserRow).where(UserRow.username == username)
            ).scalar_one_or_none()
            password_ok = verify_password(row.password_hash if row else None, password)
            if row is None or not row.active or not password_ok:
                failure = BadCredentials("Wrong username or password.")
            elif row.locked_until is not None and row.locked_until > now:
                failure = AccountLocked(
                    "This account is locked after repeated failed sign-ins. Wait, or ask an "
                    "administrator to unlock it.",
                    extra={
                        "retry_after_seconds": int((row.locked_until - now).total_seconds()) + 1
                    },
                )
            elif not _enrolment_open(rt, row, now):
                failure = EnrolmentClosed(
                    "Your authenticator is already set up, or the time to set it up has "
                    "passed. Sign in with a code, or ask an administrator to reset MFA."
                )
        if failure is None and row is not None and row.totp_secret is not None:
            uri = mfa.provisioning_uri(row.totp_secret, row.username)
            shown = Enrolment(secret=row.totp_secret, otpauth_uri=uri, qr_svg=mfa.qr_svg(uri))
            audit.record(
                s,
                clock=rt.clock,
                actor=actor_for(row, ip=ip),
                action="auth.mfa_enrolment",
                resource_type="user",
                resource_id=row.id,
            )
        else:
            if isinstance(failure, BadCredentials):
                s.add(LoginFailureRow(ip=ip, at=now))
                if row is not None:
                    row.failed_logins += 1
                    if row.failed_logins >= rt.settings.lockout_threshold:
                        row.locked_until = now + timedelta(minutes=rt.settings.lockout_minutes)
            audit.record(
                s,
                clock=rt.clock,
                actor=anon if row is None else actor_for(row, ip=ip),
                action="auth.mfa_enrolment",
                outcome="failed",
                resource_type="user" if row else None,
                resource_id=row.id if row else None,
                details={"reason": failure.error_id if failure else "no-secret"},
            )
    if shown is None:
        raise failure or EnrolmentClosed("No authenticator can be set up for this account.")
    return shown


def _unknown_login(s: Session, username: str, now: datetime) -> UnknownLoginRow:
    """The failure counter of a username no (active) account has."""
    key = _sha256(f"careline-login:{username}")
    found = s.get(UnknownLoginRow, key)
    if found is None:
        found = UnknownLoginRow(username_hash=key, failed_logins=0, last_at=now)
        s.add(found)
    found.last_at = now
    return found


def login(
    rt: Runtime,
    *,
    username: str,
    password: str,
    totp_code: str | None,
    ip: str,
    user_agent: str | None = None,
    replaces_session_token: str | None = None,
) -> LoginResult:
    """Check password and TOTP; open a fresh session (a new id, never a reused one)."""
    now = rt.clock.now()
    username = username.strip().lower()
    failure: CarelineError | None = None
    result: LoginResult | None = None
    counter: UserRow | UnknownLoginRow | None = None
    with transaction(rt.sessions) as s:
        anon = Actor(user_id=None, username=username[:80] or "?", ip=ip)
        throttled = _throttled(s, rt, ip, now)
        row: UserRow | None = None
        broken: DecryptionError | None = None
        if not throttled:
            try:
                row = s.execute(
                    select(UserRow).where(UserRow.username == username)
                ).scalar_one_or_none()
            except DecryptionError as exc:
                # A password hash or TOTP secret that is not this row's own (copied from
                # another user, say): refused, counted against the address, flagged.
                broken = exc
        if throttled:
            audit.record(s, clock=rt.clock, actor=anon, action="auth.login", outcome="throttled")
            failure = TooManyRequests(
                "Too many failed sign-ins from this address. Wait a few minutes and retry.",
                extra={"retry_after_seconds": rt.settings.ip_failure_window_minutes * 60},
            )
        elif broken is not None:
            s.add(LoginFailureRow(ip=ip, at=now))
            audit.record(
                s,
                clock=rt.clock,
                actor=anon,
                action="auth.login",
                outcome="integrity-error",
                resource_type="user" if broken.place else None,
                resource_id=broken.place.row_id if broken.place else None,
                flagged=True,
                details={"reason": broken.error_id, "column": broken.place.column}
                if broken.place
                else {"reason": broken.error_id},
            )
            failure = broken
        else:
            password_ok = verify_password(row.password_hash if row else None, password)
            # No account (or a deactivated one) is counted and locked like any other,
            # so neither the answer nor the lockout tells which usernames exist.
            counter = row
            if row is None or not row.active:
                counter = _unknown_login(s, username, now)
            assert counter is not None
            if counter.locked_until is not None and counter.locked_until > now:
                wait = int((counter.locked_until - now).total_seconds()) + 1
                failure = AccountLocked(
                    "This account is locked after repeated failed sign-ins. Wait, or ask an "
                    "administrator to unlock it.",
                    extra={"retry_after_seconds": wait},
                )
            elif row is None or not row.active or not password_ok:
                failure = BadCredentials("Wrong username, password or code.")
            elif row.totp_secret is not None and not totp_code:
                # Not a failure: the password was right and the client must ask for the code
                # (and may offer to set up the authenticator, if that is still open).
                failure = MfaRequired(
                    "Enter the 6-digit code from your authenticator app.",
                    extra={"enrolment_open": _enrolment_open(rt, row, now)},
                )
            elif row.totp_secret is not None:
                step = mfa.accepted_step(row.totp_secret, totp_code or "", now, row.totp_last_step)
                if step is None:
                    failure = BadCredentials("Wrong username, password or code.")
                else:
                    row.totp_last_step = step
            elif _mfa_required(row):
                failure = Forbidden(
                    "Your role requires MFA and none is enrolled; ask an administrator "
                    "to reset it.",
                    error_id="mfa-enrolment-required",
                )

            if failure is None and row is not None:
                row.failed_logins = 0
                row.locked_until = None
                if replaces_session_token:
                    old = s.execute(
                        select(SessionRow).where(
                            SessionRow.token_hash == rt.cipher.token_hash(replaces_session_token)
                        )
                    ).scalar_one_or_none()
                    if old is not None and old.ended_at is None:
                        old.ended_at, old.end_reason = now, "replaced-at-login"
                token = secrets.token_urlsafe(32)
                sess = SessionRow(
                    token_hash=rt.cipher.token_hash(token),
                    user_id=row.id,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + timedelta(hours=rt.settings.session_max_hours),
                    ip=ip,
                    user_agent=(user_agent or "")[:300] or None,
                )
                s.add(sess)
                s.flush()
                audit.record(
                    s,
                    clock=rt.clock,
                    actor=actor_for(row, session_id=sess.id, ip=ip),
                    action="auth.login",
                    resource_type="session",
                    resource_id=sess.id,
                )
                result = LoginResult(token, sess.id, _user_view(row))
            elif isinstance(failure, MfaRequired) and row is not None:
                audit.record(
                    s,
                    clock=rt.clock,
                    actor=actor_for(row, ip=ip),
                    action="auth.login",
                    outcome="mfa-required",
                    resource_type="user",
                    resource_id=row.id,
                )
            elif failure is not None:
                s.add(LoginFailureRow(ip=ip, at=now))
                details: dict[str, object] = {"reason": failure.error_id}
                if counter is not None and isinstance(failure, BadCredentials):
                    counter.failed_logins += 1
                    if counter.failed_logins >= rt.settings.lockout_threshold:
                        counter.locked_until = now + timedelta(minutes=rt.settings.lockout_minutes)
                        details["locked"] = True
                audit.record(
                    s,
                    clock=rt.clock,
                    actor=anon if row is None else actor_for(row, ip=ip),
                    action="auth.login",
                    outcome="failed",
                    resource_type="user" if row else None,
                    resource_id=row.id if row else None,
                    details=details,
                )
    if failure is not None:
        raise failure
    assert result is not None
    return result


def authenticate_session(rt: Runtime, *, token: str, ip: str | None, touch: bool = True) -> Actor:
    """Resolve a session cookie to an actor; end sessions idle or past their lifetime.

    `touch=False` (a live-event stream opening) leaves the idle timer alone: a screen
    left open must still sign itself out when nobody works at it."""
    now = rt.clock.now()
    expired: SessionExpired | None = None
    with transaction(rt.sessions) as s:
        sess = s.execute(
            select(SessionRow).where(SessionRow.token_hash == rt.cipher.token_hash(token))
        ).scalar_one_or_none()
        if sess is None or sess.ended_at is not None:
            raise Unauthenticated("You are signed out. Sign in again.", error_id="signed-out")
        idle = timedelta(minutes=rt.settings.session_idle_minutes)
        reason = None
        if now >= sess.expires_at:
            reason = "max-lifetime"
        elif now - sess.last_seen_at > idle:
            reason = "idle-timeout"
        user = s.get(UserRow, sess.user_id)
        if reason is None and (user is None or not user.active):
            reason = "deactivated"
        if reason is not None:
            sess.ended_at, sess.end_reason = now, reason
            audit.record(
                s,
                clock=rt.clock,
                actor=Actor(user_id=sess.user_id, username=user.username if user else "?", ip=ip),
                action="auth.logoff",
                resource_type="session",
                resource_id=sess.id,
                details={"reason": reason},
            )
            expired = SessionExpired(
                "Your session ended after inactivity. Sign in again."
                if reason == "idle-timeout"
                else "Your session has ended. Sign in again.",
            )
        else:
            if touch:
                sess.last_seen_at = now
            assert user is not None
            return actor_for(user, session_id=sess.id, ip=ip)
    raise expired


def session_still_open(rt: Runtime, *, session_id: str) -> bool:
    """Whether a session could still be used now (not ended, idle or expired, its user
    active), without touching it: live streams ask this to close when the session ends."""
    now = rt.clock.now()
    idle = timedelta(minutes=rt.settings.session_idle_minutes)
    with transaction(rt.sessions) as s:
        sess = s.get(SessionRow, session_id)
        if sess is None or sess.ended_at is not None:
            return False
        if now >= sess.expires_at or now - sess.last_seen_at > idle:
            return False
        user = s.get(UserRow, sess.user_id)
        return user is not None and bool(user.active)


def logout(rt: Runtime, *, actor: Actor) -> None:
    with transaction(rt.sessions) as s:
        if actor.session_id:
            sess = s.get(SessionRow, actor.session_id)
            if sess is not None and sess.ended_at is None:
                sess.ended_at, sess.end_reason = rt.clock.now(), "logout"
        audit.record(s, clock=rt.clock, actor=actor, action="auth.logout")


def _end_sessions(s: Session, rt: Runtime, *, user_id: str, reason: str) -> int:
    rows = s.execute(
        select(SessionRow).where(SessionRow.user_id == user_id, SessionRow.ended_at.is_(None))
    ).scalars()
    n = 0
    for row in rows:
        row.ended_at, row.end_reason = rt.clock.now(), reason
        n += 1
    return n


def list_sessions(rt: Runtime, *, actor: Actor) -> list[SessionView]:
    """The actor's own open sessions (devices), newest first."""
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(SessionRow)
            .where(SessionRow.user_id == actor.user_id, SessionRow.ended_at.is_(None))
            .order_by(SessionRow.created_at.desc())
        ).scalars()
        return [
            SessionView(
                id=r.id,
                created_at=r.created_at,
                last_seen_at=r.last_seen_at,
                expires_at=r.expires_at,
                ip=r.ip,
                user_agent=r.user_agent,
                current=r.id == actor.session_id,
            )
            for r in rows
        ]


def end_session(rt: Runtime, *, actor: Actor, session_id: str) -> None:
    with transaction(rt.sessions) as s:
        row = s.get(SessionRow, session_id)
        if row is None or row.user_id != actor.user_id or row.ended_at is not None:
            raise NotFound("You have no open session with this id.", error_id="no-such-session")
        row.ended_at, row.end_reason = rt.clock.now(), "ended-by-user"
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="auth.session_end",
            resource_type="session",
            resource_id=row.id,
        )


# ---------------------------------------------------------------- API tokens


def _token_view(r: ApiTokenRow) -> TokenView:
    return TokenView(
        id=r.id,
        name=r.name,
        scopes=list(r.scopes),
        created_at=r.created_at,
        expires_at=r.expires_at,
        revoked_at=r.revoked_at,
        last_used_at=r.last_used_at,
    )


def create_token(
    rt: Runtime, *, actor: Actor, name: str, scopes: list[Permission], expires_in_days: int | None
) -> NewToken:
    """A bearer token for an integration, limited to scopes its creator holds. Every
    token expires (`expires_in_days`, default 90, at most `token_max_days`); one made by
    another token never outlives it and is revoked with it."""
    days = expires_in_days or 90
    if days > rt.settings.token_max_days:
        raise ValidationFailed(
            f"A token lives at most {rt.settings.token_max_days} days.",
            problems=[
                FieldProblem("body.expires_in_days", f"at most {rt.settings.token_max_days}")
            ],
        )
    if actor.user_id is None:
        raise Forbidden("Only a signed-in user can create API tokens.")
    missing = [p.value for p in scopes if not actor.can(p)]
    if missing:
        raise Forbidden(
            f"You cannot grant scopes you do not hold: {', '.join(missing)}.",
            error_id="scope-not-held",
        )
    if not scopes:
        raise ValidationFailed(
            "A token needs at least one scope.", problems=[FieldProblem("scopes", "empty")]
        )
    now = rt.clock.now()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction(rt.sessions) as s:
        expires = now + timedelta(days=days)
        parent = s.get(ApiTokenRow, actor.token_id) if actor.token_id else None
        if parent is not None and parent.expires_at is not None:
            expires = min(expires, parent.expires_at)
        row = ApiTokenRow(
            name=name,
            token_hash=rt.cipher.token_hash(secret),
            user_id=actor.user_id,
            scopes=sorted(p.value for p in scopes),
            created_at=now,
            expires_at=expires,
            parent_id=parent.id if parent is not None else None,
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="token.create",
            resource_type="api_token",
            resource_id=row.id,
            details={"scopes": row.scopes},
        )
        return NewToken(token=_token_view(row), secret=secret)


def list_tokens(rt: Runtime, *, actor: Actor) -> list[TokenView]:
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(ApiTokenRow)
            .where(ApiTokenRow.user_id == actor.user_id)
            .order_by(ApiTokenRow.created_at.desc())
        ).scalars()
        return [_token_view(r) for r in rows]


def revoke_token(rt: Runtime, *, actor: Actor, token_id: str) -> TokenView:
    with transaction(rt.sessions) as s:
        row = s.get(ApiTokenRow, token_id)
        mine = row is not None and row.user_id == actor.user_id
        # Someone else's token: only for who manages its owner, as any change of a user
        # (a clinic's administrator never touches another clinic's tokens; issue 11, item 5).
        owner = s.get(UserRow, row.user_id) if row is not None and not mine else None
        managed = (
            owner is not None
            and actor.can(Permission.users_manage)
            and manages_user(actor, _grants(owner))
        )
        if row is None or not (mine or managed):
            raise NotFound("No token with this id.", error_id="no-such-token")
        now = rt.clock.now()
        # The token and every token made with it, and with those, and so on.
        family, frontier = [row], [row.id]
        while frontier:
            children = list(
                s.execute(select(ApiTokenRow).where(ApiTokenRow.parent_id.in_(frontier))).scalars()
            )
            family += children
            frontier = [c.id for c in children]
        for member in family:
            if member.revoked_at is None:
                member.revoked_at = now
                audit.record(
                    s,
                    clock=rt.clock,
                    actor=actor,
                    action="token.revoke",
                    resource_type="api_token",
                    resource_id=member.id,
                    details={"with": row.id} if member is not row else None,
                )
        return _token_view(row)


def authenticate_token(rt: Runtime, *, secret: str, ip: str | None) -> Actor:
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(ApiTokenRow).where(ApiTokenRow.token_hash == rt.cipher.token_hash(secret))
        ).scalar_one_or_none()
        if row is None or row.revoked_at is not None:
            raise Unauthenticated("This API token is unknown or revoked.", error_id="bad-token")
        if row.expires_at is not None and row.expires_at <= now:
            raise Unauthenticated("This API token has expired.", error_id="token-expired")
        user = s.get(UserRow, row.user_id)
        if user is None or not user.active:
            raise Unauthenticated("This API token's owner is inactive.", error_id="bad-token")
        row.last_used_at = now
        base = actor_for(user, ip=ip)
        return Actor(
            user_id=base.user_id,
            username=f"{user.username}/token:{row.name}",
            grants=base.grants,
            token_id=row.id,
            token_scopes=frozenset(Permission(p) for p in row.scopes),
            ip=ip,
        )


# ---------------------------------------------------------------- patient access


def break_glass(rt: Runtime, *, actor: Actor, patient_id: str, reason: str) -> datetime:
    """Open a patient outside one's scope for a while, with a reason; flagged for review."""
    if not actor.can(Permission.break_glass):
        raise Forbidden("Only clinicians may break the glass.", error_id="break-glass-not-allowed")
    problem = break_glass_reason_problem(reason)
    if problem is not None:
        raise ValidationFailed(
            f"Say why you need this record: {problem}.",
            problems=[FieldProblem("body.reason", problem)],
        )
    now = rt.clock.now()
    expires = now + timedelta(hours=BREAK_GLASS_HOURS)
    with transaction(rt.sessions) as s:
        assert actor.user_id is not None
        recent = int(
            s.execute(
                select(func.count(BreakGlassRow.id)).where(
                    BreakGlassRow.user_id == actor.user_id,
                    BreakGlassRow.created_at > now - timedelta(hours=1),
                )
            ).scalar_one()
        )
        if recent >= BREAK_GLASS_PER_HOUR:
            refused = TooManyRequests(
                "Too many emergency accesses in the last hour; your auditors have been told. "
                "Ask a colleague at the patient's clinic, or wait.",
                extra={"retry_after_seconds": 3600},
            )
        else:
            refused = None
        if recent + 1 >= BREAK_GLASS_ALERT_AT or refused is not None:
            # Auditors search flagged entries: a burst of emergency access is one.
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="alert.break_glass_burst",
                resource_type="user",
                resource_id=actor.user_id,
                flagged=True,
                details={"in_last_hour": recent + 1, "refused": refused is not None},
            )
        if refused is not None:
            s.commit()  # the alert stands even though the access is refused
            raise refused
        s.add(
            BreakGlassRow(
                user_id=actor.user_id,
                patient_id=patient_id,
                reason=reason.strip(),
                created_at=now,
                expires_at=expires,
            )
        )
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="patient.break_glass",
            resource_type="patient",
            resource_id=patient_id,
            patient_id=patient_id,
            flagged=True,
            details={"expires_at": expires.isoformat()},
        )
    return expires


def has_break_glass(s: Session, *, actor: Actor, patient_id: str, now: datetime) -> bool:
    if actor.user_id is None:
        return False
    found = s.execute(
        select(BreakGlassRow.id).where(
            BreakGlassRow.user_id == actor.user_id,
            BreakGlassRow.patient_id == patient_id,
            BreakGlassRow.expires_at > now,
        )
    ).first()
    return found is not None


class PatientOutOfScope(Forbidden):
    error_id = "patient-out-of-scope"

    def __init__(self, detail: str, *, actor: Actor, permission: Permission, patient_id: str):
        super().__init__(detail)
        self.actor = actor
        self.permission = permission
        self.patient_id = patient_id


def ensure_patient_access(
    rt: Runtime,
    s: Session,
    *,
    actor: Actor,
    permission: Permission,
    patient_id: str,
    home_location_id: str | None,
) -> bool:
    """Allow if a role covers the patient's home location or a break-glass grant is open.

    Returns True when access rests on break-glass (the caller flags its audit entry).
    Raises `PatientOutOfScope`; run the use case in `phi_transaction` so the refusal
    itself is audited after the use case's own transaction rolls back.
    """
    if actor.can(permission, home_location_id):
        return False
    if actor.can(permission) and has_break_glass(
        s, actor=actor, patient_id=patient_id, now=rt.clock.now()
    ):
        return True
    if actor.can(permission) and actor.can(Permission.break_glass):
        detail = (
            "This patient is outside your locations. If care requires it, open the record "
            "with break-glass and give a reason."
        )
    else:
        detail = "You may not open this patient's record."
    raise PatientOutOfScope(detail, actor=actor, permission=permission, patient_id=patient_id)


@contextmanager
def phi_transaction(rt: Runtime) -> Iterator[Session]:
    """A use case's transaction whose access refusals are still written to the audit log."""
    try:
        with transaction(rt.sessions) as s:
            yield s
    except PatientOutOfScope as refused:
        with transaction(rt.sessions) as s2:
            audit.record(
                s2,
                clock=rt.clock,
                actor=refused.actor,
                action=f"patient.{refused.permission.value}",
                outcome="denied",
                resource_type="patient",
                resource_id=refused.patient_id,
                patient_id=refused.patient_id,
            )
        raise
