"""ORM tables of the directory capability.

Addresses, opening hours and closures are small documents always read with
their location, so they are JSON columns; staff membership and endpoints are
rows, so routing can query them. Nothing here is PHI: names of staff and
clinics, business numbers and addresses are plain columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id


class OrganisationRow(Base):
    """The one organisation of this install (its id is always 1)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class LocationRow(Base):
    __tablename__ = "locations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: None: the postal address is the dispatchable (E911) address.
    dispatch_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    main_phone: Mapped[str | None] = mapped_column(String(20))
    # The clinic's own texting number (E.164): its patients' texts are sent from it.
    sms_number: Mapped[str | None] = mapped_column(String(20))
    holiday_country: Mapped[str | None] = mapped_column(String(2), default="US")
    holiday_subdivision: Mapped[str | None] = mapped_column(String(40))
    observe_holidays: Mapped[bool] = mapped_column(Boolean, default=True)
    #: [{"weekday": 0, "opens": "08:00", "closes": "17:00"}, ...]
    hours: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: [{"starts_on": "2026-03-10", "ends_on": ..., "closed_from": ..., "reason": ...}, ...]
    closures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class DepartmentRow(Base):
    __tablename__ = "departments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    #: None: the department serves the whole network.
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id"), index=True)


class StaffRow(Base):
    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    display_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    presence: Mapped[str] = mapped_column(String(20))
    presence_since: Mapped[datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[str | None] = mapped_column(String(36), unique=True)

    department_links: Mapped[list[StaffDepartmentRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StaffDepartmentRow.position"
    )
    location_links: Mapped[list[StaffLocationRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StaffLocationRow.position"
    )
    endpoints: Mapped[list[StaffEndpointRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StaffEndpointRow.position"
    )

    # Routing asks "who has been available longest?"
    __table_args__ = (Index("ix_staff_presence_since", "presence", "presence_since"),)


class StaffDepartmentRow(Base):
    __tablename__ = "staff_departments"

    staff_id: Mapped[str] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_staff_departments_department_id", "department_id"),)


class StaffLocationRow(Base):
    __tablename__ = "staff_locations"

    staff_id: Mapped[str] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_staff_locations_location_id", "location_id"),)


class StaffEndpointRow(Base):
    """A phone number or SIP URI where a staff member can be reached."""

    __tablename__ = "staff_endpoints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(200), index=True)
    label: Mapped[str | None] = mapped_column(String(60))
    #: organisation | personal (EndpointOwner).
    managed_by: Mapped[str] = mapped_column(
        String(12), default="organisation", server_default="organisation"
    )
    e911_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
