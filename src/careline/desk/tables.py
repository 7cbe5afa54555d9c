"""Calls waiting in (or offered from) the live queues. No PHI: ids and codes only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id


class QueueEntryRow(Base):
    """One provider call in careline's queues, and the agent it is offered to.

    `status`: waiting (in the provider queue) -> offered (an agent's phone rings)
    -> connected (answered) -> done; or left (the caller hung up, chose a call back
    or overflowed). A missed offer puts it back to waiting with its `entered_at`
    kept: the caller does not lose their place.
    """

    __tablename__ = "queue_entries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    department: Mapped[str] = mapped_column(String(40))
    priority: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(20))
    location_id: Mapped[str | None] = mapped_column(String(36))
    home_location_id: Mapped[str | None] = mapped_column(String(36))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[str | None] = mapped_column(String(36), index=True)
    offered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    overflow: Mapped[bool] = mapped_column(Boolean, default=False)
    offers: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_queue_entries_status_entered", "status", "entered_at"),)
