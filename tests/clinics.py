"""Clinics for voice tests: a Chicago-style clinic (weekday hours, Illinois
holidays) and the same clinic with the shipped main-line flow on its number and
one known caller."""

from __future__ import annotations

from careline.directory import service as directory
from careline.directory.model import Address, LocationCreate, OpeningHours
from careline.flows import service as flows
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.security.model import SYSTEM


def chicago_clinic(
    rt,
    *,
    code: str = "RFM",
    name: str = "Riverside",
    timezone: str = "America/Chicago",
    opens: str = "08:00",
    closes: str = "17:00",
) -> str:
    """A location open on weekdays, with Illinois public holidays; returns its id."""
    return directory.create_location(
        rt,
        actor=SYSTEM,
        data=LocationCreate(
            name=name,
            code=code,
            timezone=timezone,
            address=Address(
                line1="1 Example Ave",
                city="Chicago",
                region="IL",
                postal_code="60601",
                country="US",
            ),
            holiday_subdivision="IL",
            hours=[OpeningHours(weekday=d, opens=opens, closes=closes) for d in range(5)],
        ),
    ).id


def clinic_with_caller(rt, *, number: str, caller: str) -> tuple[str, str]:
    """Riverside with the main-line flow on `number` and a known patient calling
    from `caller`: (location id, patient id)."""
    location_id = chicago_clinic(rt)
    flows.install_example(rt, actor=SYSTEM, number=number, location_id=location_id)
    patient = patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(
            given_name="Rosa",
            family_name="Example",
            date_of_birth="1970-05-05",
            phones=[PhoneIn(number=caller)],
            home_location_id=location_id,
        ),
    )
    return location_id, patient.id
