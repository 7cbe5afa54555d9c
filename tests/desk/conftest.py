"""A clinic whose main line runs the shipped flow, staff who take its calls, and a
way to drive one provider call webhook by webhook (signed, like the carrier)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from desk_support import MAIN, TUESDAY_10AM_CHICAGO, make_clinic
from fastapi.testclient import TestClient

from careline.api.app import create_app
from careline.core.settings import DEMO_AUTH_TOKEN
from careline.directory import service as directory
from careline.directory.model import (
    Endpoint,
    EndpointKind,
    PresenceState,
    StaffCreate,
)
from careline.flows import service as flows
from careline.security.model import SYSTEM
from careline.telephony.twiml import parse
from careline.telephony.virtual_carrier import VirtualCarrier


@pytest.fixture
def clinic(rt, clock) -> str:
    clock.set(TUESDAY_10AM_CHICAGO)
    location_id = make_clinic(rt, "RFM", "Riverside")
    flows.install_example(rt, actor=SYSTEM, number=MAIN, location_id=location_id)
    return location_id


@pytest.fixture
def hire(rt):
    """Factory: a staff member at a location, with a desk phone, optionally available."""

    def make(
        location_id: str,
        number: str,
        *,
        skills: list[str],
        languages: tuple[str, ...] = ("en",),
        available: bool = True,
        user_id: str | None = None,
    ) -> str:
        staff = directory.create_staff(
            rt,
            actor=SYSTEM,
            data=StaffCreate(
                display_name=f"Agent {number[-4:]}",
                location_ids=[location_id],
                skills=skills,
                languages=list(languages),
                endpoints=[Endpoint(kind=EndpointKind.phone, address=number)],
                user_id=user_id,
            ),
        )
        if available:
            directory.set_presence(
                rt, actor=SYSTEM, staff_id=staff.id, state=PresenceState.available
            )
        return staff.id

    return make


@pytest.fixture
def app_client(rt):
    return TestClient(create_app(rt))


@pytest.fixture
def carrier(app_client):
    return VirtualCarrier(app_client, auth_token=DEMO_AUTH_TOKEN)


@dataclass
class Line:
    """One provider call, driven one signed webhook at a time."""

    carrier: VirtualCarrier
    from_: str
    sid: str = field(default_factory=lambda: "CA" + uuid.uuid4().hex)

    def post(self, path: str, **extra: str) -> str:
        params = {
            "CallSid": self.sid,
            "AccountSid": self.carrier.account_sid,
            "From": self.from_,
            "To": MAIN,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **extra,
        }
        response = self.carrier.request(f"http://testserver{path}", params)
        assert response.status_code in (200, 204), response.text
        return response.text

    def voice(self, name: str, entry: str | None = None, **extra: str) -> str:
        query = f"?entry={entry}" if entry else ""
        return self.post(f"/telephony/voice/{name}{query}", **extra)

    def wait(self, queue_time: int = 0) -> str:
        return self.voice("queue-wait", QueuePosition="1", QueueTime=str(queue_time))

    def verbs(self, twiml: str) -> list[str]:
        return [type(v).__name__ for v in parse(twiml.encode()).verbs]


@pytest.fixture
def line(carrier):
    def make(from_: str) -> Line:
        return Line(carrier, from_)

    return make
