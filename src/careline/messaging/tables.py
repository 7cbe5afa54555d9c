"""ORM tables of messaging: outbound messages, each under a unique idempotency key.

The key's unique constraint is what makes a send happen once: a retry or a
second decision to send the same thing finds the existing row. `patient_id`
and `job_id` carry no foreign keys (other capabilities are reached through
their services).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id
from careline.security.crypto import EncryptedText


class OutboundMessageRow(Base):
    __tablename__ = "outbound_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # Stored in the clear (and handed to the provider): ids and purposes only, never PHI.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    patient_id: Mapped[str | None] = mapped_column(String(36), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # Channel
    to_number: Mapped[str] = mapped_column(EncryptedText)
    #: Keyed hash of `to_number`: a reply from that number finds what it answers.
    to_index: Mapped[str | None] = mapped_column(String(64), index=True)
    sender: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(EncryptedText)
    status: Mapped[str] = mapped_column(String(20))  # MessageStatus
    provider: Mapped[str | None] = mapped_column(String(40))
    provider_id: Mapped[str | None] = mapped_column(String(120))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(80))  # a code, never PHI
    segments: Mapped[int] = mapped_column(Integer)
    #: When retention stripped its text and number (the fact of the message stays).
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    encoding: Mapped[str] = mapped_column(String(8))
    recipient_tz: Mapped[str | None] = mapped_column(String(64))  # quiet hours apply when set
    job_id: Mapped[str | None] = mapped_column(String(36))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Wall-clock time of the first hand-off whose answer is not recorded: a retry asks
    # the provider what it accepted since then before sending again.
    handed_off_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        # Status callbacks find their message by the provider's id (first column: the lookup).
        UniqueConstraint("provider_id", "provider", name="uq_outbound_messages_provider_id"),
    )
