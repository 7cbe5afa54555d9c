"""ORM table of the worklist: front-desk tasks (the table keeps its first name)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id


class FrontDeskTaskRow(Base):
    __tablename__ = "front_desk_tasks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: emergency | urgent | routine: worklists sort on it before the due time.
    urgency: Mapped[str] = mapped_column(String(16), default="routine", server_default="routine")
    patient_id: Mapped[str | None] = mapped_column(String(36), index=True)
    appointment_id: Mapped[str | None] = mapped_column(String(36))
    location_id: Mapped[str | None] = mapped_column(String(36), index=True)
    #: The timeline interaction (an inbound text, a voicemail) the task came from, if any.
    interaction_id: Mapped[str | None] = mapped_column(String(36))
    #: "Which patient?": the patients a shared number could be (comma-separated ids).
    candidates: Mapped[str | None] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: When it is due (`worklist.model.due_at`); None for tasks made before 0007.
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Who holds it: a user, and their display name when they claimed it (staff names
    #: are shown to colleagues; they are not PHI).
    claimed_by_user_id: Mapped[str | None] = mapped_column(String(36), index=True)
    claimed_by_name: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    done_by_user_id: Mapped[str | None] = mapped_column(String(36))
    done_by_name: Mapped[str | None] = mapped_column(String(200))
