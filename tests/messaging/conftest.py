"""Messaging test helpers: patients made through the real use case, and providers that
fail on purpose around the real outbox."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlalchemy import select

from careline.core.db import transaction
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn, SmsConsent
from careline.providers.outbox.service import OutboxProvider
from careline.providers.outbox.tables import OutboxItemRow
from careline.providers.protocol import OutboundCall, OutboundMessage, Receipt
from careline.runtime import Runtime
from careline.security.model import SYSTEM


@pytest.fixture
def make_patient(rt: Runtime):
    """Factory: a patient with one SMS-capable mobile number; returns its id."""

    def make(
        *,
        phone: str | None = "+13125550143",
        location_id: str | None = None,
        consent: SmsConsent = SmsConsent.opted_in,
        sms_capable: bool = True,
    ) -> str:
        data = PatientCreate(
            given_name="Ada",
            family_name="Lovelace",
            date_of_birth=date(1980, 12, 10),
            home_location_id=location_id,
            phones=[PhoneIn(number=phone, sms_capable=sms_capable, primary=True)] if phone else [],
            sms_consent=consent,
        )
        return patients.create_patient(rt, actor=SYSTEM, data=data).id

    return make


class ScriptedProvider:
    """The real outbox, with a script of what happens around each send.

    Each entry of `script` runs for one send, in order: "ok" sends; an exception
    instance is raised before sending; ("after", exc) sends, then raises `exc` as
    if the process died between the provider's acceptance and our receipt.
    """

    name = "outbox"

    def __init__(self, inner: OutboxProvider) -> None:
        self.inner = inner
        self.script: list[object] = []
        self.calls: list[OutboundMessage] = []
        self.finds: list[OutboundMessage] = []  # recoveries: "what do you already hold?"
        self.stored = threading.Event()  # set once a message reached the outbox

    def send_message(self, message: OutboundMessage) -> Receipt:
        self.calls.append(message)
        step = self.script.pop(0) if self.script else "ok"
        if isinstance(step, BaseException):
            raise step
        receipt = self.inner.send_message(message)
        self.stored.set()
        if isinstance(step, tuple) and step[0] == "after":
            raise step[1]
        return receipt

    def place_call(self, call: OutboundCall) -> Receipt:
        return self.inner.place_call(call)

    def find_messages(self, message: OutboundMessage, *, since: datetime) -> list[Receipt]:
        self.finds.append(message)
        return self.inner.find_messages(message, since=since)

    def find_calls(self, call: OutboundCall, *, since: datetime) -> list[Receipt]:
        return self.inner.find_calls(call, since=since)


@pytest.fixture
def provider(rt: Runtime) -> ScriptedProvider:
    scripted = ScriptedProvider(OutboxProvider(sessions=rt.sessions, clock=rt.clock))
    rt.provider = scripted
    return scripted


@pytest.fixture
def outbox(rt: Runtime) -> Callable[[], list[OutboxItemRow]]:
    """What the outbox provider holds (every message it has accepted)."""

    def read() -> list[OutboxItemRow]:
        with transaction(rt.sessions) as s:
            return list(
                s.execute(select(OutboxItemRow).order_by(OutboxItemRow.created_at)).scalars()
            )

    return read
