"""Staff text a patient over HTTP: once per Idempotency-Key, on the timeline, scoped to
the patient's clinic, refused after STOP, held for quiet hours unless told."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from careline.patients.model import SmsConsent
from careline.security.model import SYSTEM, Role
from careline.timeline import service as timeline

KEY = {"Idempotency-Key": "reply-0b1c2d3e4f"}


@pytest.fixture
def clinic(make_location):
    return make_location("North Clinic", timezone="America/New_York")


def _sms_on_timeline(rt, pid):
    items, _ = timeline.list_timeline(rt, actor=SYSTEM, patient_id=pid, limit=20, offset=0)
    return [i for i in items if i.channel.value == "sms" and i.direction.value == "outbound"]


def test_a_staff_text_goes_once_and_lands_on_the_timeline(
    client, rt, make_user, login, clinic, make_patient, outbox
):
    pid = make_patient(location_id=clinic)
    login(make_user((Role.agent, clinic)))
    url = f"/api/v1/patients/{pid}/messages"
    first = client.post(url, json={"body": "Your forms are ready at the desk."}, headers=KEY)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "sent" and first.json()["sender"]
    again = client.post(url, json={"body": "Your forms are ready at the desk."}, headers=KEY)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert len(outbox()) == 1
    [sms] = _sms_on_timeline(rt, pid)
    assert sms.events[0].kind == "sms.sent_by_staff"
    assert sms.events[0].text == "Your forms are ready at the desk."


def test_another_clinics_patient_cannot_be_texted(
    client, make_user, login, clinic, make_location, make_patient, outbox
):
    pid = make_patient(location_id=make_location("South Clinic"))
    login(make_user((Role.agent, clinic)))
    r = client.post(f"/api/v1/patients/{pid}/messages", json={"body": "hello"}, headers=KEY)
    assert r.status_code == 403 and outbox() == []


def test_after_stop_nothing_is_sent(client, make_user, login, clinic, make_patient, outbox):
    pid = make_patient(location_id=clinic, consent=SmsConsent.opted_out)
    login(make_user((Role.agent, clinic)))
    r = client.post(f"/api/v1/patients/{pid}/messages", json={"body": "hello"}, headers=KEY)
    assert r.status_code == 409 and r.json()["error_id"] == "patient-opted-out"
    assert outbox() == []


def test_quiet_hours_hold_the_text_unless_told(
    client, clock, make_user, login, clinic, make_patient, outbox
):
    clock.set(datetime(2026, 3, 3, 3, 0, tzinfo=UTC))  # 22:00 in New York
    pid = make_patient(location_id=clinic)
    login(make_user((Role.agent, clinic)))
    url = f"/api/v1/patients/{pid}/messages"
    held = client.post(url, json={"body": "Call us tomorrow."}, headers=KEY)
    assert held.status_code == 201 and held.json()["status"] == "pending"
    assert held.json()["due_at"].startswith("2026-03-03T13:00")  # 08:00 in New York
    now = client.post(
        url,
        json={"body": "Your ride is outside.", "respect_quiet_hours": False},
        headers={"Idempotency-Key": "reply-urgent-0001"},
    )
    assert now.status_code == 201 and now.json()["status"] == "sent"
    assert len(outbox()) == 1


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ({"body": "hello"}, {}),
        ({"body": "hello"}, {"Idempotency-Key": "short"}),
        ({"body": "hello"}, {"Idempotency-Key": "has spaces in it"}),
        ({"body": ""}, KEY),
        ({"body": "x" * 1601}, KEY),
        ({"body": "hello", "extra": 1}, KEY),
    ],
)
def test_bad_requests_are_refused_by_name(
    client, make_user, login, clinic, make_patient, outbox, body, headers
):
    pid = make_patient(location_id=clinic)
    login(make_user((Role.agent, clinic)))
    r = client.post(f"/api/v1/patients/{pid}/messages", json=body, headers=headers)
    assert r.status_code == 422 and outbox() == []


def test_a_held_text_sent_now_anyway_goes_once(
    client, rt, clock, make_user, login, clinic, make_patient, outbox, make_location
):
    clock.set(datetime(2026, 3, 3, 3, 0, tzinfo=UTC))  # 22:00 in New York
    pid = make_patient(location_id=clinic)
    login(make_user((Role.agent, clinic)))
    held = client.post(
        f"/api/v1/patients/{pid}/messages", json={"body": "Your ride is here."}, headers=KEY
    ).json()
    assert held["status"] == "pending" and outbox() == []
    now = client.post(f"/api/v1/messages/{held['id']}/send-now")
    assert now.status_code == 200, now.text
    assert now.json()["id"] == held["id"] and now.json()["status"] == "sent"
    assert len(outbox()) == 1
    again = client.post(f"/api/v1/messages/{held['id']}/send-now")
    assert again.status_code == 409 and again.json()["error_id"] == "message-not-waiting"
    clock.set(datetime(2026, 3, 3, 13, 5, tzinfo=UTC))  # the morning: nothing more goes
    from careline.jobs.registry import default_registry
    from careline.jobs.worker import Worker

    Worker(rt, registry=default_registry(), worker_id="morning").run_once()
    assert len(outbox()) == 1
    login(make_user((Role.agent, make_location("South Clinic"))))
    assert client.post(f"/api/v1/messages/{held['id']}/send-now").status_code == 403
