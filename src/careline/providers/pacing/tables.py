"""ORM table of the shared pace: when each sender (and the whole service) may send next.

No PHI: a sender is a clinic's number or the Messaging Service, never a patient's.
"""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from careline.core.db import Base


class SendPaceRow(Base):
    __tablename__ = "send_pace"

    #: A sender number, a Messaging Service SID, or "*" for the whole account.
    sender: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: Wall-clock seconds (Unix time): processes on several machines share it.
    next_at: Mapped[float] = mapped_column(Float)
