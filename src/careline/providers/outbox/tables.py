"""Stored outbound messages and calls of the outbox provider."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id
from careline.security.crypto import EncryptedText


class OutboxItemRow(Base):
    __tablename__ = "outbox_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(10))  # message | call
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    to_number: Mapped[str] = mapped_column(EncryptedText)
    from_number: Mapped[str] = mapped_column(String(64))
    body: Mapped[str | None] = mapped_column(EncryptedText)  # message text or call URL
    status: Mapped[str] = mapped_column(String(20))
    status_callback: Mapped[str | None] = mapped_column(String(500))
    patient_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
