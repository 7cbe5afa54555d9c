"""ORM tables of the patients capability.

PHI columns are `EncryptedText`. Lookups never decrypt a table: each searchable
value has an indexed HMAC blind index (`*_index`) computed with
`careline.security.crypto.blind_index`. Rotating the index key means
recomputing these columns.

`home_location_id` is checked through the directory's service
(`location_exists`) and also carries a foreign key, so the database refuses to
delete a location that is still some patient's home (the directory's
`delete_location` turns that refusal into `location-in-use`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careline.core.db import Base, UtcDateTime
from careline.core.ids import new_id
from careline.security.crypto import EncryptedText


class PatientRow(Base):
    __tablename__ = "patients"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    given_name: Mapped[str] = mapped_column(EncryptedText)
    family_name: Mapped[str] = mapped_column(EncryptedText)
    date_of_birth: Mapped[str] = mapped_column(EncryptedText)  # ISO yyyy-mm-dd
    mrn: Mapped[str | None] = mapped_column(EncryptedText)
    mrn_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    name_dob_index: Mapped[str] = mapped_column(String(64), index=True)
    preferred_language: Mapped[str] = mapped_column(String(35), default="en")
    preferred_channel: Mapped[str] = mapped_column(String(10))
    sms_consent: Mapped[str] = mapped_column(String(12), default="unknown")
    sms_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sms_consent_source: Mapped[str | None] = mapped_column(String(40))
    home_location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    phones: Mapped[list[PatientPhoneRow]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="PatientPhoneRow.position",
    )
    caregivers: Mapped[list[CaregiverRow]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CaregiverRow.position",
    )


class PatientPhoneRow(Base):
    __tablename__ = "patient_phones"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(EncryptedText)  # E.164
    number_index: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))
    sms_capable: Mapped[bool] = mapped_column(Boolean, default=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    patient: Mapped[PatientRow] = relationship(back_populates="phones")

    __table_args__ = (
        Index("ix_patient_phones_number_index", "number_index"),
        UniqueConstraint("patient_id", "number_index", name="uq_patient_phones_patient_number"),
    )


class CaregiverRow(Base):
    __tablename__ = "patient_caregivers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(EncryptedText)
    # Not named `relationship`: that would shadow SQLAlchemy's function in the class body.
    relation: Mapped[str] = mapped_column("relationship", String(20))
    phone: Mapped[str] = mapped_column(EncryptedText)  # E.164
    phone_index: Mapped[str] = mapped_column(String(64))
    may_receive_messages: Mapped[bool] = mapped_column(Boolean, default=False)

    patient: Mapped[PatientRow] = relationship(back_populates="caregivers")

    __table_args__ = (Index("ix_patient_caregivers_phone_index", "phone_index"),)
