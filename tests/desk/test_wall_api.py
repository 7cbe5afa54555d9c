"""GET /api/v1/desk/wall: a supervisor's live queues, agents, alerts and today's
figures, of their own clinics only, with no PHI."""

from __future__ import annotations

from datetime import timedelta

from desk_support import make_clinic

from careline.desk import service as desk
from careline.security.model import Role
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind

FRONT_DESK = "+13125550180"
NURSE = "+13125550181"
OTHER_DESK = "+13125550183"


def enqueue(rt, sid, location_id, *, priority="routine", department="scheduling"):
    desk.enqueue(
        rt,
        call_sid=sid,
        department=department,
        priority=priority,
        language="en",
        location_id=location_id,
        home_location_id=location_id,
    )


def answer(rt, sid):
    offer = desk.review(rt, call_sid=sid)
    assert offer is not None, "no agent was free for the call"
    assert desk.answered(rt, entry_id=offer.entry_id) is not None
    return offer


def the_wall(client, **query):
    r = client.get("/api/v1/desk/wall", params=query)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_supervisor_sees_their_clinic_and_never_another(
    rt, clinic, hire, make_user, login, client, clock
):
    other = make_clinic(rt, "OTH", "Lakeside")
    mine = hire(clinic, FRONT_DESK, skills=["scheduling"], available=False)
    theirs = hire(other, OTHER_DESK, skills=["scheduling"], available=False)
    login(make_user((Role.supervisor, clinic)))  # (signing in moves the clock on)
    enqueue(rt, "CA-mine-1", clinic)
    enqueue(rt, "CA-theirs-1", other)
    enqueue(rt, "CA-theirs-2", other, priority="emergency", department="nurse_triage")
    clock.advance(timedelta(seconds=45))

    wall = the_wall(client)
    assert [c["location_id"] for c in wall["clinics"]] == [clinic]
    [queue] = wall["clinics"][0]["queues"]
    assert (queue["department"], queue["priority"], queue["waiting"]) == (
        "scheduling",
        "routine",
        1,
    )
    assert queue["longest_wait_seconds"] == 45
    assert [a["staff_id"] for a in wall["agents"]] == [mine]
    assert wall["alerts"] == []  # the other clinic's emergency is not theirs to see
    assert theirs not in client.get("/api/v1/desk/wall").text
    assert the_wall(client, location_id=clinic)["clinics"][0]["location_id"] == clinic

    # Asking for the other clinic by id is refused, as is an id that does not exist.
    for location_id in (other, "no-such-clinic"):
        r = client.get("/api/v1/desk/wall", params={"location_id": location_id})
        assert r.status_code == 403, r.text
        assert r.json()["error_id"] == "location-out-of-scope"


def test_a_network_supervisor_sees_every_clinic_and_unknown_ids_are_404(
    rt, clinic, make_user, login, client
):
    other = make_clinic(rt, "OTH", "Lakeside")
    enqueue(rt, "CA-theirs-1", other)
    login(make_user(Role.supervisor))
    wall = the_wall(client)
    assert {c["location_id"] for c in wall["clinics"]} == {clinic, other}
    lakeside = next(c for c in wall["clinics"] if c["location_id"] == other)
    assert lakeside["queues"][0]["waiting"] == 1
    assert the_wall(client, location_id=other)["clinics"][0]["name"] == "Lakeside"
    r = client.get("/api/v1/desk/wall", params={"location_id": "no-such-clinic"})
    assert r.status_code == 404 and r.json()["error_id"] == "no-such-location"
    r = client.get("/api/v1/desk/wall", params={"location_id": "x" * 37})
    assert r.status_code == 422


def test_the_wall_needs_a_signed_in_user_with_directory_read(client):
    assert client.get("/api/v1/desk/wall").status_code == 401


def test_urgent_and_emergency_callers_past_their_limit_are_alerts(
    rt, clinic, make_user, login, client, clock
):
    login(make_user((Role.supervisor, clinic)))
    enqueue(rt, "CA-urgent", clinic, priority="urgent", department="nurse_triage")
    enqueue(rt, "CA-routine", clinic)
    assert the_wall(client)["alerts"] == []  # urgent, but not two minutes yet

    clock.advance(timedelta(seconds=121))
    enqueue(rt, "CA-emergency", clinic, priority="emergency", department="nurse_triage")
    wall = the_wall(client)
    assert wall["wait_limits"] == {"emergency": 0, "urgent": 120, "routine": None}
    assert [(a["priority"], a["waited_seconds"]) for a in wall["alerts"]] == [
        ("emergency", 0),
        ("urgent", 121),
    ]
    assert all(a["location_id"] == clinic for a in wall["alerts"])
    queues = wall["clinics"][0]["queues"]
    assert [(q["priority"], q["department"]) for q in queues] == [
        ("emergency", "nurse_triage"),
        ("urgent", "nurse_triage"),
        ("routine", "scheduling"),
    ]

    # The urgent caller hangs up: no alert any more.
    desk.caller_left(rt, call_sid="CA-urgent")
    assert [a["priority"] for a in the_wall(client)["alerts"]] == ["emergency"]


def test_todays_figures_agents_and_their_calls(rt, clinic, hire, make_user, login, client, clock):
    agent = hire(clinic, FRONT_DESK, skills=["scheduling"])
    # Yesterday (Chicago): not today's.
    clock.advance(timedelta(days=-1))
    enqueue(rt, "CA-yesterday", clinic)
    desk.caller_left(rt, call_sid="CA-yesterday")
    worklist.create_task(
        rt,
        kind=TaskKind.callback_request,
        patient_id=None,
        appointment_id=None,
        location_id=clinic,
    )
    clock.advance(timedelta(days=1))

    enqueue(rt, "CA-quick", clinic)  # answered after 10 s, then ended
    clock.advance(timedelta(seconds=10))
    offer = answer(rt, "CA-quick")
    clock.advance(timedelta(seconds=120))
    desk.dial_ended(rt, entry_id=offer.entry_id)
    clock.advance(timedelta(seconds=rt.settings.wrap_up_seconds + 1))

    enqueue(rt, "CA-gone", clinic)  # hung up while waiting
    clock.advance(timedelta(seconds=30))
    desk.caller_left(rt, call_sid="CA-gone")

    enqueue(rt, "CA-slow", clinic)  # answered after 90 s, still talking
    clock.advance(timedelta(seconds=90))
    answer(rt, "CA-slow")

    for kind in (TaskKind.callback_request, TaskKind.voicemail, TaskKind.urgent_voicemail):
        worklist.create_task(
            rt, kind=kind, patient_id=None, appointment_id=None, location_id=clinic
        )
    clock.advance(timedelta(seconds=5))
    login(make_user((Role.supervisor, clinic)))
    wall = the_wall(client)
    [riverside] = wall["clinics"]
    figures = riverside["figures"]
    assert riverside["timezone"] == "America/Chicago"
    assert figures["day"] == "2026-03-03"
    assert (figures["offered"], figures["answered"], figures["abandoned"]) == (3, 2, 1)
    assert figures["answered_within_target"] == 1
    assert figures["service_level"] == 1 / 3
    assert (figures["callbacks"], figures["voicemails"]) == (1, 2)
    assert sum(h["offered"] for h in figures["hours"]) == 3
    [queue] = riverside["queues"]
    assert (queue["waiting"], queue["ringing"], queue["connected"]) == (0, 0, 1)
    assert queue["offered_today"] == 3 and queue["service_level_today"] == 1 / 3

    [me] = [a for a in wall["agents"] if a["staff_id"] == agent]
    assert me["presence"] == "busy"
    assert me["current_call"]["status"] == "connected"
    assert me["current_call"]["priority"] == "routine"
    assert me["seconds_in_state"] >= 5  # busy since the call was offered


def test_an_empty_clinic_has_an_empty_wall(clinic, make_user, login, client):
    login(make_user((Role.supervisor, clinic)))
    wall = the_wall(client)
    [riverside] = wall["clinics"]
    assert riverside["queues"] == [] and wall["alerts"] == [] and wall["agents"] == []
    figures = riverside["figures"]
    assert (figures["offered"], figures["answered"], figures["service_level"]) == (0, 0, None)


def test_a_real_call_waits_on_the_wall_without_phi(clinic, make_user, login, client, line):
    caller = "+17735550121"
    call = line(caller)
    call.voice("incoming")
    call.voice("gather", Digits="1")
    call.voice("gather", Digits="1")  # appointments: the scheduling queue
    login(make_user((Role.supervisor, clinic)))
    r = client.get("/api/v1/desk/wall")
    assert r.status_code == 200
    [queue] = r.json()["clinics"][0]["queues"]
    assert (queue["department"], queue["waiting"]) == ("scheduling", 1)
    assert caller not in r.text and caller[2:] not in r.text and call.sid not in r.text
