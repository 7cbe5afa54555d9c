"""ORM tables of the flows capability.

A flow keeps one editable draft and an append-only list of published versions;
`current_version` names the live one. A rollback appends a copy of an earlier
version (see `service.rollback_flow`), so version numbers only grow and the
history says what answered the phone when. Documents are JSON (nothing in them
is PHI); the free-text reason of a change is encrypted like any free text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id
from careline.security.crypto import EncryptedText


class FlowRow(Base):
    __tablename__ = "flows"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    draft: Mapped[dict[str, Any]] = mapped_column(JSON)
    draft_revision: Mapped[int] = mapped_column(Integer, default=1)
    draft_updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    draft_updated_by: Mapped[str] = mapped_column(String(120))
    #: Number of the live version; None until the first publish.
    current_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FlowVersionRow(Base):
    __tablename__ = "flow_versions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    flow_id: Mapped[str] = mapped_column(ForeignKey("flows.id"))
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_by: Mapped[str] = mapped_column(String(120))
    published_by_user_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(EncryptedText)
    restored_from: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        # Also the index for a flow's history and for loading its current version.
        UniqueConstraint("flow_id", "number", name="uq_flow_versions_flow_number"),
    )


class FlowBindingRow(Base):
    """A phone number answered by a flow (one flow per number), and its location."""

    __tablename__ = "flow_bindings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    flow_id: Mapped[str] = mapped_column(ForeignKey("flows.id"), index=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    #: No foreign key: locations belong to the directory, reached through its service.
    location_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
