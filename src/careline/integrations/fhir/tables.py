"""ORM table of the FHIR integration: which careline record each imported resource became.

Patients, staff and locations have no external-id column of their own (their
capabilities need none), so the link lives here, keyed by resource type and
FHIR id: re-importing a resource finds its record instead of creating another.
A `Schedule` becomes no record of its own; its link keeps what its slots need
(provider, location, type) in `data`, which is then never PHI.

A slot or appointment is linked here only while it is held (it cannot be a
careline record yet: see the service): `data` then keeps what it will be imported
from and what it waits for. For a held appointment that is what an appointment
row holds (a patient id and a time), so it is as much PHI as that row is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id


class FhirLinkRow(Base):
    __tablename__ = "fhir_links"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    resource_type: Mapped[str] = mapped_column(String(32))
    fhir_id: Mapped[str] = mapped_column(String(64))
    careline_id: Mapped[str | None] = mapped_column(String(36), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("resource_type", "fhir_id", name="uq_fhir_links_resource"),)
