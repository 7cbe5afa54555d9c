"""Reminders test helpers: a clinic in Chicago built through the real use cases, a worker
that runs messaging's and reminders' jobs, and a signed SMS sender (the virtual carrier)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from reminders_support import INBOUND_URL, TZ, WEEK_START, local  # noqa: F401

from careline.directory import service as directory
from careline.directory.model import StaffCreate
from careline.jobs.registry import Registry
from careline.jobs.worker import Worker
from careline.messaging import jobs as messaging_jobs
from careline.patients import service as patients
from careline.patients.model import CaregiverIn, PatientCreate, PhoneIn, PreferredChannel
from careline.reminders import jobs as reminder_jobs
from careline.runtime import Runtime
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentCreate, AppointmentType, SlotCreate
from careline.security.model import SYSTEM
from careline.telephony.virtual_carrier import VirtualCarrier
from careline.waitlist import jobs as waitlist_jobs

FOLLOWUP = AppointmentType(code="FOLLOWUP", display="Diabetes follow-up")
CLINIC_NUMBER = "+13125550000"

_numbers = itertools.count(100)


def new_number() -> str:
    return f"+1312555{next(_numbers):04d}"


@dataclass
class Clinic:
    location: str
    provider: str


@pytest.fixture
def clinic(rt: Runtime, clock, make_location) -> Clinic:
    clock.set(WEEK_START)
    location = make_location("Lakeside Clinic", timezone=TZ)
    staff = directory.create_staff(
        rt, actor=SYSTEM, data=StaffCreate(display_name="Dr. Reyes", location_ids=[location])
    )
    return Clinic(location=location, provider=staff.id)


@pytest.fixture
def make_patient(rt: Runtime, clinic: Clinic):
    def make(
        *,
        phone: str | None = None,
        language: str = "en",
        channel: PreferredChannel = PreferredChannel.sms,
        sms_capable: bool = True,
        caregiver_phone: str | None = None,
    ) -> tuple[str, str]:
        number = phone or new_number()
        data = PatientCreate(
            given_name="Sam",
            family_name="Example",
            date_of_birth=date(1960, 5, 5),
            home_location_id=clinic.location,
            phones=[PhoneIn(number=number, sms_capable=sms_capable, primary=True)],
            preferred_language=language,
            preferred_channel=channel,
            caregivers=[
                CaregiverIn(name="Kim Example", phone=caregiver_phone, may_receive_messages=True)
            ]
            if caregiver_phone
            else [],
        )
        return patients.create_patient(rt, actor=SYSTEM, data=data).id, number

    return make


@pytest.fixture
def make_slot(rt: Runtime, clinic: Clinic) -> Callable[[datetime], str]:
    def make(start: datetime, minutes: int = 30) -> str:
        data = SlotCreate(
            staff_id=clinic.provider,
            location_id=clinic.location,
            appointment_type=FOLLOWUP,
            start=start,
            duration_minutes=minutes,
        )
        return scheduling.create_slot(rt, actor=SYSTEM, data=data).id

    return make


@pytest.fixture
def book(rt: Runtime, make_slot):
    def make(patient_id: str, start: datetime):
        slot = make_slot(start)
        return scheduling.create_appointment(
            rt, actor=SYSTEM, data=AppointmentCreate(patient_id=patient_id, slot_id=slot)
        )

    return make


@pytest.fixture
def worker(rt: Runtime) -> Worker:
    registry = Registry()
    messaging_jobs.register_jobs(registry)
    reminder_jobs.register_jobs(registry)
    waitlist_jobs.register_jobs(registry)
    return Worker(rt, registry=registry, worker_id="test-worker")


@pytest.fixture
def carrier(client: TestClient, rt: Runtime) -> VirtualCarrier:
    return VirtualCarrier(client, auth_token=rt.settings.webhook_auth_token)


@pytest.fixture
def text(carrier: VirtualCarrier):
    """Send an inbound SMS from `number`; returns (status code, reply texts)."""

    def send(number: str, body: str) -> tuple[int, list[str]]:
        response, messages = carrier.send_sms(
            url=INBOUND_URL, from_=number, to=CLINIC_NUMBER, body=body
        )
        return response.status_code, [m.body for m in messages]

    return send


HOUR = timedelta(hours=1)
