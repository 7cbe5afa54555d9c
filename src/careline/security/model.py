"""Roles, permissions and the acting principal: pure data and decisions.

Roles are granted per location (or network-wide). A route declares one
permission; `Actor.can` answers whether this principal holds it, optionally
for one location.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Permission(StrEnum):
    directory_read = "directory:read"
    directory_write = "directory:write"
    patients_read = "patients:read"
    patients_write = "patients:write"
    timeline_read = "timeline:read"
    timeline_write = "timeline:write"
    break_glass = "patients:break-glass"
    presence_write = "presence:write"
    users_read = "users:read"
    users_manage = "users:manage"
    audit_read = "audit:read"
    outbox_read = "outbox:read"
    tokens_manage = "tokens:manage"
    flows_read = "flows:read"
    flows_write = "flows:write"


#: Permissions that expose protected health information.
PHI_PERMISSIONS = frozenset(
    {
        Permission.patients_read,
        Permission.patients_write,
        Permission.timeline_read,
        Permission.timeline_write,
        Permission.outbox_read,
    }
)


class Role(StrEnum):
    admin = "admin"
    manager = "manager"
    supervisor = "supervisor"
    agent = "agent"
    clinician = "clinician"
    auditor = "auditor"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission) - {P.break_glass},
    Role.manager: frozenset(
        {
            P.directory_read,
            P.directory_write,
            P.patients_read,
            P.patients_write,
            P.timeline_read,
            P.timeline_write,
            P.presence_write,
            P.users_read,
            P.outbox_read,
            P.tokens_manage,
            P.flows_read,
            P.flows_write,
        }
    ),
    Role.supervisor: frozenset(
        {
            P.directory_read,
            P.patients_read,
            P.timeline_read,
            P.presence_write,
            P.outbox_read,
            P.flows_read,
        }
    ),
    Role.agent: frozenset(
        {
            P.directory_read,
            P.patients_read,
            P.patients_write,
            P.timeline_read,
            P.timeline_write,
            P.presence_write,
        }
    ),
    Role.clinician: frozenset(
        {
            P.directory_read,
            P.patients_read,
            P.timeline_read,
            P.timeline_write,
            P.presence_write,
            P.break_glass,
        }
    ),
    Role.auditor: frozenset({P.audit_read, P.directory_read, P.users_read}),
}


def role_sees_phi(role: Role) -> bool:
    """Roles that can see PHI must use MFA."""
    return bool(ROLE_PERMISSIONS[role] & PHI_PERMISSIONS)


@dataclass(frozen=True)
class RoleGrant:
    """A role held network-wide (location_id None) or at one location."""

    role: Role
    location_id: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, an API token, or the system itself."""

    user_id: str | None
    username: str
    grants: tuple[RoleGrant, ...] = ()
    session_id: str | None = None
    token_id: str | None = None
    token_scopes: frozenset[Permission] | None = None
    ip: str | None = None
    extra_permissions: frozenset[Permission] = field(default_factory=frozenset)

    def can(self, permission: Permission, location_id: str | None = None) -> bool:
        """True when some grant gives `permission` (at `location_id`, when given)."""
        if self.token_scopes is not None and permission not in self.token_scopes:
            return False
        if permission in self.extra_permissions:
            return True
        for grant in self.grants:
            if permission not in ROLE_PERMISSIONS[grant.role]:
                continue
            if location_id is None or grant.location_id in (None, location_id):
                return True
        return False

    def permissions(self) -> frozenset[Permission]:
        held: set[Permission] = set(self.extra_permissions)
        for grant in self.grants:
            held |= ROLE_PERMISSIONS[grant.role]
        if self.token_scopes is not None:
            held &= self.token_scopes
        return frozenset(held)

    def scope_location_ids(self, permission: Permission) -> set[str] | None:
        """Locations where `permission` holds; None means every location."""
        if self.token_scopes is not None and permission not in self.token_scopes:
            return set()
        if permission in self.extra_permissions:
            return None
        found: set[str] = set()
        for grant in self.grants:
            if permission in ROLE_PERMISSIONS[grant.role]:
                if grant.location_id is None:
                    return None
                found.add(grant.location_id)
        return found

    @property
    def is_system(self) -> bool:
        return self.user_id is None and self.token_id is None


SYSTEM = Actor(user_id=None, username="system", extra_permissions=frozenset(Permission))


def system_actor(reason: str) -> Actor:
    """The system acting on its own (CLI maintenance, workers), named for the audit log."""
    return Actor(user_id=None, username=f"system:{reason}", extra_permissions=frozenset(Permission))


# ---------------------------------------------------------------- managing users


def may_grant(actor: Actor, grant: RoleGrant) -> bool:
    """Whether `actor` may hand out `grant`: never more than they hold themselves.

    They must manage users where the grant applies (a network-wide grant needs a
    network-wide grant of theirs), and hold there a role whose permissions include the
    granted role's. Break-glass is the one exception: it is a clinician's audited
    emergency access, not an administrator's privilege, so an administrator may still
    make clinicians at their clinics."""
    if Permission.users_manage in actor.extra_permissions:
        return True
    if actor.token_scopes is not None and Permission.users_manage not in actor.token_scopes:
        return False
    wanted = ROLE_PERMISSIONS[grant.role] - {Permission.break_glass}
    manages = strong = False
    for held in actor.grants:
        if held.location_id is not None and held.location_id != grant.location_id:
            continue  # a clinic's grant says nothing about another clinic or the network
        permissions = ROLE_PERMISSIONS[held.role]
        manages = manages or Permission.users_manage in permissions
        strong = strong or wanted <= permissions
    return manages and strong


def manages_user(actor: Actor, target: Sequence[RoleGrant]) -> bool:
    """Whether `actor` may change a user holding `target`: they could have granted every
    one of those roles (so a clinic's administrator cannot touch a network admin)."""
    return all(may_grant(actor, g) for g in target)


def sees_user(actor: Actor, target: Sequence[RoleGrant]) -> bool:
    """User lists are scoped like everything else: a user of one clinic sees the users
    who work at their clinics; only a network-wide reader sees everyone."""
    scope = actor.scope_location_ids(Permission.users_read)
    if scope is None:
        return True
    return any(g.location_id in scope for g in target if g.location_id is not None)


def uncovered_location(
    actor: Actor, permission: Permission, location_ids: Iterable[str | None]
) -> tuple[bool, str | None] | None:
    """The first of `location_ids` the actor's `permission` does not cover (None in the
    list: the whole network, which needs a network-wide grant), as (found, location);
    None when every one is covered. Pure: the services turn it into a 403."""
    if permission in actor.extra_permissions:
        return None
    scope = actor.scope_location_ids(permission)
    if scope is None:
        return None
    for location_id in location_ids:
        if location_id is None or location_id not in scope:
            return (True, location_id)
    return None


# ---------------------------------------------------------------- break-glass

#: Break-glass uses per clinician per hour before careline refuses (429) and tells
#: auditors; the burst alert comes earlier, at BREAK_GLASS_ALERT_AT.
BREAK_GLASS_PER_HOUR = 5
BREAK_GLASS_ALERT_AT = 3


def break_glass_reason_problem(reason: str) -> str | None:
    """Why a break-glass reason is not a reason, or None. An auditor must be able to
    read it later: a few real words ("xxxxxxxxxx" or "asdf asdf" are not)."""
    words = [w for w in reason.split() if sum(c.isalpha() for c in w) >= 3]
    if len(reason.strip()) < 10 or len(words) < 3:
        return "give at least three words saying why care needs this record"
    if len({w.lower() for w in words}) < 3 or len(set(reason.lower()) - {" "}) < 6:
        return "say in real words why care needs this record"
    return None
