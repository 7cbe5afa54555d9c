"""Waitlist fixtures: a clinic with a provider, slots and patients, built through real use cases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from careline.directory import service as directory
from careline.directory.model import DepartmentCreate, DepartmentKind, StaffCreate
from careline.jobs.registry import default_registry
from careline.jobs.worker import Worker
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentType, SlotCreate
from careline.security.model import SYSTEM
from careline.waitlist import service as waitlist
from careline.waitlist.model import EntryCreate

FOLLOWUP = AppointmentType(code="FOLLOWUP", display="Follow-up visit")


@dataclass
class Clinic:
    location: str
    department: str
    provider: str


@pytest.fixture
def wl_clinic(rt, make_location) -> Clinic:
    location = make_location("North Clinic", timezone="America/New_York")
    department = directory.create_department(
        rt,
        actor=SYSTEM,
        data=DepartmentCreate(name="Clinic", kind=DepartmentKind("general"), location_id=location),
    ).id
    provider = directory.create_staff(
        rt,
        actor=SYSTEM,
        data=StaffCreate(
            display_name="Dr. Example", location_ids=[location], department_ids=[department]
        ),
    ).id
    return Clinic(location, department, provider)


@pytest.fixture
def new_patient(rt, wl_clinic):
    counter = iter(range(1000))

    def make() -> str:
        n = next(counter)
        data = PatientCreate(
            given_name="Pat",
            family_name=f"Waiter{uuid.uuid4().hex[:6]}",
            date_of_birth=date(1970, 1, 1),
            home_location_id=wl_clinic.location,
            phones=[PhoneIn(number=f"+1312555{n:04d}")],
        )
        return patients.create_patient(rt, actor=SYSTEM, data=data).id

    return make


@pytest.fixture
def new_entry(rt, clock, wl_clinic, new_patient):
    def make(*, priority: int = 3, wait: timedelta = timedelta(0), **extra) -> str:
        data = EntryCreate(
            patient_id=extra.pop("patient_id", None) or new_patient(),
            department_id=wl_clinic.department,
            appointment_type="FOLLOWUP",
            location_ids=[wl_clinic.location],
            priority=priority,
            **extra,
        )
        entry = waitlist.create_entry(rt, actor=SYSTEM, data=data)
        clock.advance(wait)
        return entry.id

    return make


@pytest.fixture
def new_slot(rt, clock, wl_clinic):
    def make(hours: float = 24) -> str:
        data = SlotCreate(
            staff_id=wl_clinic.provider,
            location_id=wl_clinic.location,
            department_id=wl_clinic.department,
            appointment_type=FOLLOWUP,
            start=clock.now() + timedelta(hours=hours),
            duration_minutes=30,
        )
        return scheduling.create_slot(rt, actor=SYSTEM, data=data).id

    return make


@pytest.fixture
def worker(rt) -> Worker:
    return Worker(rt, registry=default_registry(), worker_id="test-worker")
