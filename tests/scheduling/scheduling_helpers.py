"""Shared constants and helpers of the scheduling tests."""

from __future__ import annotations

from sqlalchemy import select

from careline.core.db import transaction
from careline.scheduling.model import AppointmentType
from careline.security.model import Actor, Role, RoleGrant
from careline.security.tables import AuditEntryRow

FOLLOWUP = AppointmentType(code="FOLLOWUP", display="Follow-up visit")
ANNUAL = AppointmentType(code="ANNUAL", display="Annual check-up")


def audit_entries(rt, **where) -> list[AuditEntryRow]:
    with transaction(rt.sessions) as s:
        stmt = select(AuditEntryRow).order_by(AuditEntryRow.seq)
        for k, v in where.items():
            stmt = stmt.where(getattr(AuditEntryRow, k) == v)
        return list(s.execute(stmt).scalars())


def agent_at(location_id: str | None) -> Actor:
    return Actor(user_id="u-agent", username="agent", grants=(RoleGrant(Role.agent, location_id),))
