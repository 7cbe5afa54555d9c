"""The worklist over HTTP: claims colleagues see (and conflicts), another clinic's
user, resolving with a note that lands on the patient's timeline, working order by
urgency and due time, the task detail (number, transcript, appointment) and its audit,
and the live events each change publishes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from careline.core.db import transaction
from careline.directory import service as directory
from careline.directory.model import StaffCreate
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentCreate, AppointmentType, SlotCreate
from careline.security.model import SYSTEM, Permission, Role
from careline.security.tables import AuditEntryRow
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind, TaskUrgency

PHONE = "+13125550142"


@dataclass
class World:
    clinic: str
    other_clinic: str
    patient: str
    appointment: str
    ana: Any  # front desk at the clinic
    ben: Any  # front desk at the clinic
    cy: Any  # front desk at the other clinic
    manager: Any


@pytest.fixture
def world(rt, make_location, make_user) -> World:
    clinic = make_location("Riverside")
    other = make_location("Hillcrest")
    provider = directory.create_staff(
        rt, actor=SYSTEM, data=StaffCreate(display_name="Dr. Okafor", location_ids=[clinic])
    )
    patient = patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(
            given_name="Rosa",
            family_name="Quintero",
            date_of_birth=date(1971, 4, 9),
            home_location_id=clinic,
            phones=[PhoneIn(number=PHONE, sms_capable=True, primary=True)],
        ),
    ).id
    start = rt.clock.now() + timedelta(days=1)
    slot = scheduling.create_slot(
        rt,
        actor=SYSTEM,
        data=SlotCreate(
            staff_id=provider.id,
            location_id=clinic,
            appointment_type=AppointmentType(code="FOLLOWUP", display="Follow-up"),
            start=start,
            duration_minutes=30,
        ),
    )
    appt = scheduling.create_appointment(
        rt, actor=SYSTEM, data=AppointmentCreate(patient_id=patient, slot_id=slot.id)
    )
    return World(
        clinic=clinic,
        other_clinic=other,
        patient=patient,
        appointment=appt.id,
        ana=make_user((Role.agent, clinic), username="ana"),
        ben=make_user((Role.agent, clinic), username="ben"),
        cy=make_user((Role.agent, other), username="cy"),
        manager=make_user(Role.manager, username="maya"),
    )


def _no_answer(rt, w: World, **kw: Any):
    return worklist.create_task(
        rt,
        kind=TaskKind.no_answer,
        patient_id=w.patient,
        appointment_id=w.appointment,
        location_id=w.clinic,
        **kw,
    )


def test_a_claim_is_seen_by_colleagues_and_a_second_claim_conflicts(client, rt, login, world):
    task = _no_answer(rt, world)
    login(world.ana)
    mine = client.post(f"/api/v1/tasks/{task.id}/claim")
    assert mine.status_code == 200, mine.text
    assert mine.json()["claimed_by_user_id"] == world.ana.id
    assert mine.json()["claimed_by_name"] == "Ana"
    assert client.post(f"/api/v1/tasks/{task.id}/claim").status_code == 200  # again: no change
    assert [t["id"] for t in client.get("/api/v1/tasks?view=mine").json()["items"]] == [task.id]

    login(world.ben)
    listed = client.get("/api/v1/tasks").json()["items"]
    assert [(t["id"], t["claimed_by_name"]) for t in listed] == [(task.id, "Ana")]
    assert client.get("/api/v1/tasks?view=unclaimed").json()["total"] == 0
    assert client.get("/api/v1/tasks?view=mine").json()["total"] == 0
    taken = client.post(f"/api/v1/tasks/{task.id}/claim")
    assert taken.status_code == 409
    assert taken.json()["error_id"] == "task-claimed"
    assert taken.json()["claimed_by_name"] == "Ana"
    # An agent cannot take over, even when asking; nor release or resolve Ana's task.
    forced = client.post(f"/api/v1/tasks/{task.id}/claim", json={"take_over": True})
    assert forced.status_code == 409
    assert client.post(f"/api/v1/tasks/{task.id}/release").status_code == 409
    assert client.post(f"/api/v1/tasks/{task.id}/done").status_code == 409
    assert worklist.get_task(rt, actor=SYSTEM, task_id=task.id).status == "open"

    login(world.ana)
    released = client.post(f"/api/v1/tasks/{task.id}/release")
    assert released.status_code == 200 and released.json()["claimed_by_user_id"] is None
    assert client.get("/api/v1/tasks?view=unclaimed").json()["total"] == 1


def test_a_manager_may_take_over_a_claim_explicitly(client, rt, login, world):
    task = _no_answer(rt, world)
    login(world.ana)
    client.post(f"/api/v1/tasks/{task.id}/claim")
    login(world.manager)
    assert client.post(f"/api/v1/tasks/{task.id}/claim").status_code == 409  # not asked
    over = client.post(f"/api/v1/tasks/{task.id}/claim", json={"take_over": True})
    assert over.status_code == 200 and over.json()["claimed_by_name"] == "Maya"
    with transaction(rt.sessions) as s:
        actions = s.execute(
            select(AuditEntryRow.action).where(AuditEntryRow.resource_id == task.id)
        ).scalars()
        assert "task.take_over" in set(actions)


def test_another_clinics_user_gets_no_such_task(client, rt, login, world):
    task = _no_answer(rt, world)
    login(world.cy)
    assert client.get("/api/v1/tasks").json()["total"] == 0
    for method, path in [
        ("get", f"/api/v1/tasks/{task.id}"),
        ("post", f"/api/v1/tasks/{task.id}/claim"),
        ("post", f"/api/v1/tasks/{task.id}/release"),
        ("post", f"/api/v1/tasks/{task.id}/done"),
    ]:
        r = client.request(method, path)
        assert r.status_code == 404, (path, r.text)
        assert r.json()["error_id"] == "no-such-task"
        assert PHONE not in r.text
    seen = worklist.get_task(rt, actor=SYSTEM, task_id=task.id)
    assert seen.status == "open" and seen.claimed_by_user_id is None


def test_unknown_ids_and_bad_bodies_are_refused(client, rt, login, world):
    task = _no_answer(rt, world)
    login(world.ana)
    assert client.post("/api/v1/tasks/nope/claim").json()["error_id"] == "no-such-task"
    assert client.get("/api/v1/tasks/" + "x" * 37).status_code == 422
    assert client.post(f"/api/v1/tasks/{task.id}/claim", json={"who": "me"}).status_code == 422
    long = client.post(f"/api/v1/tasks/{task.id}/done", json={"note": "x" * 2001})
    assert long.status_code == 422
    assert client.get("/api/v1/tasks?view=everyone").status_code == 422
    assert worklist.get_task(rt, actor=SYSTEM, task_id=task.id).status == "open"


def test_resolving_with_a_note_puts_it_on_the_patients_timeline(client, rt, login, world):
    task = _no_answer(rt, world)
    login(world.ana)
    client.post(f"/api/v1/tasks/{task.id}/claim")
    note = "Called back: she will come tomorrow as booked."
    done = client.post(f"/api/v1/tasks/{task.id}/done", json={"note": note})
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "done" and body["done_by_name"] == "Ana"
    line = client.get(f"/api/v1/patients/{world.patient}/timeline").json()["items"]
    notes = [e for i in line for e in i["events"] if e["kind"] == "note"]
    assert [(n["text"], n["data"]["task_id"], n["actor_name"]) for n in notes] == [
        (note, task.id, "ana")
    ]
    # Done twice: nothing changes, no second note.
    again = client.post(f"/api/v1/tasks/{task.id}/done", json={"note": note})
    assert again.status_code == 200
    line = client.get(f"/api/v1/patients/{world.patient}/timeline").json()["items"]
    assert sum(e["kind"] == "note" for i in line for e in i["events"]) == 1
    assert client.get("/api/v1/tasks").json()["total"] == 0


def test_a_note_needs_a_patient_and_nothing_is_half_done(client, rt, login, world):
    task = worklist.create_task(
        rt,
        kind=TaskKind.which_patient,
        patient_id=None,
        appointment_id=None,
        location_id=world.clinic,
    )
    login(world.ana)
    r = client.post(f"/api/v1/tasks/{task.id}/done", json={"note": "Spoke to the family."})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.note"
    assert worklist.get_task(rt, actor=SYSTEM, task_id=task.id).status == "open"
    assert client.post(f"/api/v1/tasks/{task.id}/done", json={}).status_code == 200


def test_tasks_come_in_order_of_urgency_then_due_time(client, rt, clock, login, world):
    def make(kind: TaskKind, urgency: TaskUrgency | None = None) -> str:
        clock.advance(timedelta(minutes=1))
        return worklist.create_task(
            rt,
            kind=kind,
            patient_id=world.patient,
            appointment_id=None,
            location_id=world.clinic,
            urgency=urgency,
        ).id

    routine_first = make(TaskKind.voicemail)
    urgent = make(TaskKind.urgent_voicemail)
    emergency = make(TaskKind.clinical_emergency)
    routine_second = make(TaskKind.callback_request)
    login(world.ana)
    items = client.get("/api/v1/tasks").json()["items"]
    assert [t["id"] for t in items] == [emergency, urgent, routine_first, routine_second]
    by_id = {t["id"]: t for t in items}
    assert by_id[emergency]["due_at"] == by_id[emergency]["created_at"]
    # START is a Monday 10:00 in New York: routine work is due at 17:00 there (22:00 UTC).
    assert by_id[routine_first]["due_at"].startswith("2026-03-02T22:00:00")


def test_the_detail_has_the_number_and_appointment_and_is_audited(client, rt, login, world):
    task = _no_answer(rt, world)
    login(world.ana)
    r = client.get(f"/api/v1/tasks/{task.id}")
    assert r.status_code == 200, r.text
    detail = r.json()
    assert detail["caller_number"] == PHONE and detail["number_source"] == "patient"
    appt = detail["appointment"]
    assert appt["id"] == world.appointment and appt["provider_name"] == "Dr. Okafor"
    assert appt["status"] == "booked"
    assert detail["transcript"] is None and detail["has_recording"] is False
    with transaction(rt.sessions) as s:
        actions = {
            (a.action, a.patient_id)
            for a in s.execute(
                select(AuditEntryRow).where(AuditEntryRow.actor_user_id == world.ana.id)
            ).scalars()
        }
    assert ("task.detail", world.patient) in actions
    assert ("patient.read", world.patient) in actions  # the number is PHI


def test_a_voicemails_detail_has_the_transcript_and_the_callers_number(client, rt, login, world):
    call = timeline.start_interaction(
        rt,
        actor=SYSTEM,
        channel=Channel.voice,
        direction=Direction.inbound,
        patient_id=world.patient,
        location_id=world.clinic,
    )
    timeline.append_event(
        rt,
        actor=SYSTEM,
        interaction_id=call.id,
        kind="voicemail.recorded",
        data={"duration_seconds": 12},
    )
    timeline.append_event(
        rt,
        actor=SYSTEM,
        interaction_id=call.id,
        kind="voicemail.transcribed",
        text="Please call me about my refill.",
        data={},
    )
    timeline.append_event(
        rt,
        actor=SYSTEM,
        interaction_id=call.id,
        kind="callback.queued",
        text="Call back at +13125550999",
        data={},
    )
    task = worklist.create_task(
        rt,
        kind=TaskKind.voicemail,
        patient_id=world.patient,
        appointment_id=None,
        location_id=world.clinic,
        interaction_id=call.id,
    )
    login(world.ben)
    detail = client.get(f"/api/v1/tasks/{task.id}").json()
    assert detail["transcript"] == "Please call me about my refill."
    assert detail["has_recording"] is True
    assert detail["caller_number"] == "+13125550999"
    assert detail["number_source"] == "interaction"
    assert detail["appointment"] is None


def test_every_change_is_published_for_the_tasks_clinic(client, rt, login, world, monkeypatch):
    published: list[dict[str, Any]] = []

    def record(_s: Any, **kw: Any) -> None:
        published.append(kw)

    monkeypatch.setattr(worklist.events, "publish_in", record)
    task = _no_answer(rt, world)
    login(world.ana)
    client.post(f"/api/v1/tasks/{task.id}/claim")
    client.post(f"/api/v1/tasks/{task.id}/release")
    client.post(f"/api/v1/tasks/{task.id}/done")
    assert [(p["kind"], p["location_id"], p["ids"]) for p in published] == [
        ("task", world.clinic, {"task_id": task.id})
    ] * 4
    assert all(p["permission"] is Permission.patients_read for p in published)
