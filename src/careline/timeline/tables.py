"""ORM tables of the timeline capability.

`patient_id`, `staff_id` and `location_id` carry no foreign keys to other
capabilities' tables: those are reached through their services.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id
from careline.security.crypto import EncryptedText


class ConversationReadRow(Base):
    """When a user last opened a conversation: newer inbound texts are unread for them."""

    __tablename__ = "conversation_reads"

    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    #: "patient:<id>" or "text:<interaction id>", as the inbox keys conversations.
    conversation_key: Mapped[str] = mapped_column(String(48), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConversationAssignmentRow(Base):
    """Who at the clinic is answering a conversation (one person; colleagues see it)."""

    __tablename__ = "conversation_assignments"

    conversation_key: Mapped[str] = mapped_column(String(48), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), index=True)
    assigned_by: Mapped[str | None] = mapped_column(String(36))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InteractionRow(Base):
    __tablename__ = "interactions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str | None] = mapped_column(String(36))  # None: an unknown caller
    channel: Mapped[str] = mapped_column(String(12))
    direction: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    location_id: Mapped[str | None] = mapped_column(String(36), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str | None] = mapped_column(EncryptedText)
    external_ref: Mapped[str | None] = mapped_column(String(120), index=True)
    #: When retention stripped its content (the fact of the contact stays).
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    events: Mapped[list[InteractionEventRow]] = relationship(
        back_populates="interaction",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="InteractionEventRow.seq",
    )

    __table_args__ = (
        # The timeline query: one patient's interactions, newest first.
        Index("ix_interactions_patient_started", "patient_id", "started_at"),
    )


class InteractionEventRow(Base):
    __tablename__ = "interaction_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # never PHI
    text: Mapped[str | None] = mapped_column(EncryptedText)  # what a person said or wrote
    actor_user_id: Mapped[str | None] = mapped_column(String(36))
    actor_name: Mapped[str] = mapped_column(String(120))
    staff_id: Mapped[str | None] = mapped_column(String(36))

    interaction: Mapped[InteractionRow] = relationship(back_populates="events")

    __table_args__ = (
        # Also the index for loading an interaction's events in order.
        UniqueConstraint("interaction_id", "seq", name="uq_interaction_events_interaction_seq"),
    )
