"""Scheduling test helpers: a small clinic (location, provider, patient) and slot factories,
all built through the real use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from scheduling_helpers import FOLLOWUP

from careline.directory import service as directory
from careline.directory.model import DepartmentCreate, DepartmentKind, StaffCreate
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentCreate, AppointmentType, SlotCreate
from careline.security.model import SYSTEM


@pytest.fixture
def make_patient(rt):
    def make(*, location_id: str | None = None, family_name: str = "Testperson") -> str:
        data = PatientCreate(
            given_name="Pat",
            family_name=family_name,
            date_of_birth=date(1970, 1, 1),
            home_location_id=location_id,
            phones=[PhoneIn(number="+13125550101")],
        )
        return patients.create_patient(rt, actor=SYSTEM, data=data).id

    return make


@pytest.fixture
def make_staff(rt):
    def make(name: str = "Dr. Example", *, location_id: str | None = None, departments=()) -> str:
        data = StaffCreate(
            display_name=name,
            location_ids=[location_id] if location_id else [],
            department_ids=list(departments),
        )
        return directory.create_staff(rt, actor=SYSTEM, data=data).id

    return make


@pytest.fixture
def make_department(rt):
    def make(location_id: str | None = None, kind: str = "general") -> str:
        data = DepartmentCreate(name="Clinic", kind=DepartmentKind(kind), location_id=location_id)
        return directory.create_department(rt, actor=SYSTEM, data=data).id

    return make


@dataclass
class Clinic:
    location: str
    department: str
    provider: str
    patient: str


@pytest.fixture
def clinic(make_location, make_staff, make_department, make_patient) -> Clinic:
    location = make_location("North Clinic", timezone="America/Chicago")
    department = make_department(location)
    return Clinic(
        location=location,
        department=department,
        provider=make_staff(location_id=location, departments=[department]),
        patient=make_patient(location_id=location),
    )


@pytest.fixture
def make_slot(rt, clock, clinic):
    """Factory: a free slot `hours` after now (default: tomorrow), 30 minutes long."""

    def make(
        *,
        hours: float = 24,
        minutes: int = 30,
        staff_id: str | None = None,
        location_id: str | None = None,
        department_id: str | None = None,
        appointment_type: AppointmentType | None = FOLLOWUP,
        start: datetime | None = None,
    ) -> str:
        data = SlotCreate(
            staff_id=staff_id or clinic.provider,
            location_id=location_id or clinic.location,
            department_id=department_id if department_id is not None else clinic.department,
            appointment_type=appointment_type,
            start=start or clock.now() + timedelta(hours=hours),
            duration_minutes=minutes,
        )
        return scheduling.create_slot(rt, actor=SYSTEM, data=data).id

    return make


@pytest.fixture
def book(rt, clinic):
    """Factory: book `slot_id` (or a time) for the clinic's patient, as the system."""

    def make(slot_id: str | None = None, *, patient_id: str | None = None, **timed):
        data = AppointmentCreate(
            patient_id=patient_id or clinic.patient,
            slot_id=slot_id,
            **timed,
        )
        return scheduling.create_appointment(rt, actor=SYSTEM, data=data)

    return make
