"""ORM tables of compliance: retention rules and legal holds. No PHI: ids, dates and
the reason a hold was placed (which must not name a patient: it is shown in lists)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id


class RetentionRuleRow(Base):
    __tablename__ = "retention_rules"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    record_type: Mapped[str] = mapped_column(String(20))
    #: None: the network's rule; else a clinic's own.
    location_id: Mapped[str | None] = mapped_column(String(36))
    keep_days: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LegalHoldRow(Base):
    __tablename__ = "legal_holds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str | None] = mapped_column(String(36), index=True)
    interaction_id: Mapped[str | None] = mapped_column(String(36), index=True)
    starts: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ends: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(500))
    placed_by: Mapped[str] = mapped_column(String(120))
    placed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    released_by: Mapped[str | None] = mapped_column(String(120))
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
