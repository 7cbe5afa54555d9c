"""ORM tables of the reminders capability: plans, planned reminders and inbound replies
(de-duplicated by the provider's message id). Front-desk tasks are the worklist's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id
from careline.security.crypto import EncryptedText


class ReminderPlanRow(Base):
    __tablename__ = "reminder_plans"
    __table_args__ = (UniqueConstraint("location_id", "type_code", name="uq_reminder_plan_scope"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    location_id: Mapped[str | None] = mapped_column(String(36))
    type_code: Mapped[str | None] = mapped_column(String(64))
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    include_type: Mapped[bool] = mapped_column(Boolean, default=False)
    prep_instructions: Mapped[str | None] = mapped_column(String(160))
    #: The manager's reminder wording per language (placeholders, no PHI).
    templates: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    #: The prep instructions in other languages, by code (no PHI: shown to every patient).
    prep_translations: Mapped[dict[str, str]] = mapped_column(
        JSON, default=dict, server_default="{}"
    )
    include_prep: Mapped[bool] = mapped_column(Boolean, default=False)
    no_answer_hours: Mapped[int] = mapped_column(Integer, default=24)
    notify_caregivers: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReminderRow(Base):
    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_patient_start", "patient_id", "appointment_start"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    #: appointment + step + recipient + appointment start: a reschedule plans anew.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    appointment_id: Mapped[str] = mapped_column(String(36), index=True)
    patient_id: Mapped[str] = mapped_column(String(36))
    location_id: Mapped[str] = mapped_column(String(36), index=True)
    type_code: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(16))
    caregiver_id: Mapped[str | None] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(8))
    appointment_start: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    job_id: Mapped[str | None] = mapped_column(String(36))
    message_id: Mapped[str | None] = mapped_column(String(36))
    error_code: Mapped[str | None] = mapped_column(String(64))
    #: A voice reminder's call at the provider, and (while its answer is not recorded)
    #: when careline asked for it: a retry looks for that call before placing another.
    call_sid: Mapped[str | None] = mapped_column(String(64))
    call_handed_off_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReplyRow(Base):
    """One reply (an inbound text or a keypad answer). A text is kept under the provider's
    message id so a provider's retry gets the same answer and acts once."""

    __tablename__ = "reminder_replies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    message_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    patient_id: Mapped[str | None] = mapped_column(String(36), index=True)
    appointment_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str | None] = mapped_column(EncryptedText)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
