"""Calling a patient back from the worklist through the clinic's number (issue 10).

The receptionist presses Call back: careline rings *their* phone from the clinic's
main number; when they answer, the signed webhook connects them to the patient with
the clinic's number as the caller id; the outcome lands on the patient's timeline.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from careline.api.app import create_app
from careline.core.db import transaction
from careline.core.settings import DEMO_AUTH_TOKEN
from careline.directory import service as directory
from careline.directory.model import Endpoint, EndpointKind, LocationUpdate, StaffCreate
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.providers.outbox.tables import OutboxItemRow
from careline.security.model import SYSTEM, Role
from careline.telephony.twiml import Dial, Say, parse
from careline.timeline import service as timeline
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind

PATIENT_PHONE = "+13125550142"
CLINIC_LINE = "+13125550100"
DESK_PHONE = "+17735550188"
BASE = "http://testserver"


@pytest.fixture
def desk(rt, make_location, make_user):
    clinic = make_location("Riverside")
    directory.update_location(
        rt, actor=SYSTEM, location_id=clinic, changes=LocationUpdate(main_phone=CLINIC_LINE)
    )
    patient = patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(
            given_name="Rosa",
            family_name="Quintero",
            date_of_birth=date(1971, 4, 9),
            home_location_id=clinic,
            phones=[PhoneIn(number=PATIENT_PHONE, sms_capable=True, primary=True)],
        ),
    ).id
    ana = make_user((Role.agent, clinic), username="ana")
    directory.create_staff(
        rt,
        actor=SYSTEM,
        data=StaffCreate(
            display_name="Ana",
            location_ids=[clinic],
            user_id=ana.id,
            endpoints=[Endpoint(kind=EndpointKind.phone, address=DESK_PHONE)],
        ),
    )
    task = worklist.create_task(
        rt,
        kind=TaskKind.callback_request,
        patient_id=patient,
        appointment_id=None,
        location_id=clinic,
    )
    return clinic, patient, ana, task


def _signed(client: TestClient, url: str, **params: str):
    params = {"CallSid": "CA-cb", "AccountSid": "AC" + "1" * 32, **params}
    sig = RequestValidator(DEMO_AUTH_TOKEN).compute_signature(url, params)
    return client.post(url, data=params, headers={"X-Twilio-Signature": sig})


def test_the_staff_phone_rings_from_the_clinic_and_is_bridged_to_the_patient(
    client, rt, login, desk
):
    _, patient, ana, task = desk
    login(ana)
    r = client.post(f"/api/v1/tasks/{task.id}/call-back")
    assert r.status_code == 202, r.text
    leg, ringing = r.json()["interaction_id"], r.json()["ringing"]
    assert ringing == "…0188" and PATIENT_PHONE not in r.text
    with transaction(rt.sessions) as s:
        [call] = s.execute(select(OutboxItemRow).where(OutboxItemRow.kind == "call")).scalars()
        to, from_, url = call.to_number, call.from_number, call.body
    assert (to, from_) == (DESK_PHONE, CLINIC_LINE)  # the desk phone rings, from the clinic
    assert url.endswith(f"/telephony/voice/call-back?leg={leg}") and PATIENT_PHONE not in url
    assert worklist.get_task(rt, actor=SYSTEM, task_id=task.id).claimed_by_user_id == ana.id
    # Ana picks up: the provider asks the webhook what to do.
    provider = TestClient(create_app(rt))
    answer = _signed(provider, f"{BASE}/telephony/voice/call-back?leg={leg}")
    assert answer.status_code == 200
    verbs = parse(answer.content).verbs
    assert isinstance(verbs[0], Say)
    dial = verbs[1]
    assert isinstance(dial, Dial) and dial.caller_id == CLINIC_LINE
    assert [t.address for t in dial.targets] == [PATIENT_PHONE]
    done = _signed(
        provider,
        f"{BASE}/telephony/voice/call-back-status?leg={leg}",
        DialCallStatus="completed",
        DialCallDuration="95",
    )
    assert done.status_code == 200
    view = timeline.get_interaction(rt, actor=SYSTEM, interaction_id=leg)
    assert view.patient_id == patient and view.direction == "outbound"
    assert [e.kind for e in view.events] == [
        "callback.dialling",
        "callback.connecting",
        "callback.completed",
    ]
    assert view.status == "completed"
    # A late or replayed answer on the ended leg connects nobody.
    late = _signed(provider, f"{BASE}/telephony/voice/call-back?leg={leg}")
    assert "<Dial" not in late.text and "<Hangup" in late.text


def test_an_unanswered_call_back_is_recorded_and_the_task_stays_open(client, rt, login, desk):
    _, _, ana, task = desk
    login(ana)
    leg = client.post(f"/api/v1/tasks/{task.id}/call-back").json()["interaction_id"]
    provider = TestClient(create_app(rt))
    _signed(provider, f"{BASE}/telephony/voice/call-back?leg={leg}")
    missed = _signed(
        provider, f"{BASE}/telephony/voice/call-back-status?leg={leg}", DialCallStatus="no-answer"
    )
    assert "did not answer" in missed.text
    view = timeline.get_interaction(rt, actor=SYSTEM, interaction_id=leg)
    assert view.events[-1].kind == "callback.unanswered" and view.status == "no-answer"
    assert worklist.get_task(rt, actor=SYSTEM, task_id=task.id).status == "open"


def test_what_is_missing_is_said_and_other_clinics_see_nothing(
    client, rt, login, make_user, make_location, desk
):
    clinic, _, _, task = desk
    nobody = make_user((Role.agent, clinic), username="noph")  # no staff phone
    login(nobody)
    r = client.post(f"/api/v1/tasks/{task.id}/call-back")
    assert r.status_code == 409 and r.json()["error_id"] == "no-staff-phone"
    elsewhere = make_user((Role.agent, make_location("Harbour")), username="cy")
    login(elsewhere)
    assert client.post(f"/api/v1/tasks/{task.id}/call-back").status_code == 404
    with transaction(rt.sessions) as s:
        calls = s.execute(select(OutboxItemRow).where(OutboxItemRow.kind == "call")).all()
    assert calls == []


def test_forged_call_back_webhooks_are_refused(rt, desk):
    provider = TestClient(create_app(rt))
    r = provider.post(f"{BASE}/telephony/voice/call-back?leg=x", data={"CallSid": "CA1"})
    assert r.status_code == 403
    assert re.search(r"bad-signature", r.text)
