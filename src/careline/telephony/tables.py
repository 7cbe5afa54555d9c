"""Voice calls in progress (engine state between webhooks) and webhook receipts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id


class VoiceCallRow(Base):
    """One provider call and where it is in its flow. The state holds no PHI."""

    __tablename__ = "voice_calls"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    flow_id: Mapped[str] = mapped_column(String(36))
    flow_version: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[str | None] = mapped_column(String(36))
    interaction_id: Mapped[str | None] = mapped_column(String(36), index=True)
    patient_id: Mapped[str | None] = mapped_column(String(36))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    last_response: Mapped[str] = mapped_column(Text)
    #: Why careline took the caller out of a queue (`overflow` | `callback`), read when
    #: the provider reports QueueResult=leave.
    leave_reason: Mapped[str | None] = mapped_column(String(20))
    #: While a shared number's caller is asked who the patient is: the candidates'
    #: ids and what is asked next (`careline.telephony.identify.Progress`).
    identify: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebhookReceiptRow(Base):
    """A provider request already answered: a retry with its token gets the same answer."""

    __tablename__ = "webhook_receipts"

    token: Mapped[str] = mapped_column(String(128), primary_key=True)
    path: Mapped[str] = mapped_column(String(200))
    response: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
