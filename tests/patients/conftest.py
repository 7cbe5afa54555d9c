"""Patients test helpers: a patient factory through the real use case."""

from __future__ import annotations

from datetime import date

import pytest

from careline.patients import service as patients
from careline.patients.model import CaregiverIn, PatientCreate, PhoneIn
from careline.runtime import Runtime
from careline.security.model import SYSTEM


@pytest.fixture
def make_patient(rt: Runtime):
    """Factory: a patient registered by the system; returns its id."""

    def make(
        *,
        location_id: str | None = None,
        given_name: str = "Ada",
        family_name: str = "Lovelace",
        date_of_birth: date = date(1980, 12, 10),
        phones: list[str] = (),
        caregiver_phone: str | None = None,
        mrn: str | None = None,
    ) -> str:
        data = PatientCreate(
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
            mrn=mrn,
            home_location_id=location_id,
            phones=[PhoneIn(number=p) for p in phones],
            caregivers=[
                CaregiverIn(name="Carer Person", relationship="parent", phone=caregiver_phone)
            ]
            if caregiver_phone
            else [],
        )
        return patients.create_patient(rt, actor=SYSTEM, data=data).id

    return make
