"""ORM tables of the scheduling capability.

Double booking is refused by the database, not only by a check before a write:
booking turns a slot `free` -> `busy` with a conditional UPDATE (exactly one of
two concurrent bookings matches), and `appointments.holds_slot_id` — the slot an
active appointment holds, NULL otherwise — is unique, so no two active
appointments can ever hold one slot (NULLs do not collide on either engine).

`location_id` carries a foreign key (the directory refuses to delete a location
still in use); patient, staff and department ids are checked through their
capabilities' services when written, like the timeline's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id


class SlotRow(Base):
    __tablename__ = "slots"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    staff_id: Mapped[str] = mapped_column(String(36))
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), index=True)
    department_id: Mapped[str | None] = mapped_column(String(36), index=True)
    type_code: Mapped[str | None] = mapped_column(String(64))
    type_display: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8))
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Fingerprint of what the EHR said last time (see the service's imports).
    external_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_slots_status_starts_at", "status", "starts_at"),
        Index("ix_slots_staff_starts_at", "staff_id", "starts_at"),
    )


class AppointmentRow(Base):
    __tablename__ = "appointments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(String(36), index=True)
    staff_id: Mapped[str] = mapped_column(String(36))
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    department_id: Mapped[str | None] = mapped_column(String(36))
    type_code: Mapped[str] = mapped_column(String(64))
    type_display: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(10))
    #: The slot this appointment was booked into (kept after it is released, for history).
    slot_id: Mapped[str | None] = mapped_column(ForeignKey("slots.id"), index=True)
    #: The slot whose time it uses (released on cancel and reschedule); unique, so one
    #: slot is never held twice.
    holds_slot_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    external_hash: Mapped[str | None] = mapped_column(String(64))
    cancellation_reason: Mapped[str | None] = mapped_column(String(20))
    confirmed_via: Mapped[str | None] = mapped_column(String(20))
    interaction_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_appointments_staff_starts_at", "staff_id", "starts_at"),
        Index("ix_appointments_location_starts_at", "location_id", "starts_at"),
    )
