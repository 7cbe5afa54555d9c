"""ORM tables of the waitlist.

An *opening* is one time a slot became free and the waitlist was asked to fill
it; `active_slot_id` (the slot while the opening is live, NULL after) is unique,
so a slot never has two live openings. An *offer* is one patient asked about one
opening. Booking is decided by a conditional UPDATE of the opening `open` ->
`booking`: exactly one concurrent confirmation matches.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id


class WaitlistEntryRow(Base):
    __tablename__ = "waitlist_entries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(String(36), index=True)
    department_id: Mapped[str | None] = mapped_column(String(36))
    type_code: Mapped[str | None] = mapped_column(String(64))
    location_ids: Mapped[list[str]] = mapped_column(JSON)
    staff_id: Mapped[str | None] = mapped_column(String(36))
    provider_required: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(35))
    priority: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    preferred_times: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_waitlist_entries_status_department", "status", "department_id"),
        Index("ix_waitlist_entries_status_type", "status", "type_code"),
    )


class WaitlistOpeningRow(Base):
    __tablename__ = "waitlist_openings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slot_id: Mapped[str] = mapped_column(String(36), index=True)
    #: The slot while this opening is live; NULL once it ends. Unique: one live opening a slot.
    active_slot_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    location_id: Mapped[str] = mapped_column(String(36))
    department_id: Mapped[str | None] = mapped_column(String(36))
    type_code: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    waves_sent: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    first_offer_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    filled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    appointment_id: Mapped[str | None] = mapped_column(String(36))
    booking_offer_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WaitlistOfferRow(Base):
    __tablename__ = "waitlist_offers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(String(36), index=True)
    patient_id: Mapped[str] = mapped_column(String(36))
    opening_id: Mapped[str] = mapped_column(String(36), index=True)
    slot_id: Mapped[str] = mapped_column(String(36), index=True)
    wave: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    message_id: Mapped[str | None] = mapped_column(String(36))
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_waitlist_offers_patient_status", "patient_id", "status"),)


class WaitlistWaveSettingsRow(Base):
    """Wave plan per department; the row with `scope` '*' is the global default."""

    __tablename__ = "waitlist_wave_settings"

    scope: Mapped[str] = mapped_column(String(36), primary_key=True)
    wave_size: Mapped[int] = mapped_column(Integer)
    spacing_minutes: Mapped[int] = mapped_column(Integer)
    offer_minutes: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
