"""The agent's desk over HTTP: who may use it, what can be set by hand, and what
an agent and a supervisor see."""

from __future__ import annotations

from datetime import timedelta

from careline.directory import service as directory
from careline.directory.model import PresenceState
from careline.security.model import Role

FRONT_DESK = "+13125550180"


def desk_user(make_user, hire, clinic, *, available=False, role=Role.agent):
    user = make_user((role, clinic))
    staff = hire(clinic, FRONT_DESK, skills=["scheduling"], available=available, user_id=user.id)
    return user, staff


def test_an_agent_sees_and_sets_their_presence(rt, clinic, hire, make_user, login, client):
    user, staff = desk_user(make_user, hire, clinic)
    login(user)
    me = client.get("/api/v1/desk/me")
    assert me.status_code == 200, me.text
    assert me.json()["staff_id"] == staff and me.json()["presence"] == "offline"
    r = client.put("/api/v1/desk/me/presence", json={"state": "available"})
    assert r.status_code == 200 and r.json()["presence"] == "available"
    assert r.json()["current_call"] is None
    r = client.put("/api/v1/desk/me/presence", json={"state": "away"})
    assert r.json()["presence"] == "away"
    assert directory.get_staff(rt, staff_id=staff).presence is PresenceState.away


def test_busy_and_wrap_up_cannot_be_set_by_hand(clinic, hire, make_user, login, client):
    user, _ = desk_user(make_user, hire, clinic)
    login(user)
    for state in ("busy", "wrap_up"):
        r = client.put("/api/v1/desk/me/presence", json={"state": state})
        assert r.status_code == 409 and r.json()["error_id"] == "presence-transition-invalid"
    r = client.put("/api/v1/desk/me/presence", json={"state": "napping"})
    assert r.status_code == 422
    r = client.put("/api/v1/desk/me/presence", json={"state": "away", "extra": 1})
    assert r.status_code == 422


def test_nobody_leaves_a_ringing_call_by_a_status_change(
    rt, clinic, hire, make_user, login, client, line
):
    user, _ = desk_user(make_user, hire, clinic, available=True)
    call = line("+17735550120")
    call.voice("incoming")
    call.voice("gather", Digits="1")
    call.voice("gather", Digits="1")
    assert call.verbs(call.wait()) == ["Leave"]
    login(user)
    me = client.get("/api/v1/desk/me").json()
    assert me["presence"] == "busy" and me["current_call"]["status"] == "offered"
    assert me["current_call"]["department"] == "scheduling"
    r = client.put("/api/v1/desk/me/presence", json={"state": "offline"})
    assert r.status_code == 409
    # Answer, hang up: wrap-up, which the agent can end early.
    row_id = me["current_call"]["entry_id"]
    call.voice("queue-status", QueueResult="leave")
    call.voice("agent-answer", entry=row_id)
    call.voice("agent-status", entry=row_id, DialCallStatus="completed", DialCallDuration="95")
    assert client.get("/api/v1/desk/me").json()["presence"] == "wrap_up"
    r = client.post("/api/v1/desk/me/wrap-up/finish")
    assert r.status_code == 200 and r.json()["presence"] == "available"
    r = client.post("/api/v1/desk/me/wrap-up/finish")  # available already: harmless
    assert r.status_code == 200


def test_finishing_a_wrap_up_that_is_not_happening_is_refused(
    clinic, hire, make_user, login, client
):
    user, _ = desk_user(make_user, hire, clinic)
    login(user)
    r = client.post("/api/v1/desk/me/wrap-up/finish")
    assert r.status_code == 409 and "offline" in r.json()["detail"]


def test_a_user_without_a_staff_record_gets_a_clear_404(clinic, make_user, login, client):
    user = make_user((Role.agent, clinic))
    login(user)
    r = client.get("/api/v1/desk/me")
    assert r.status_code == 404 and r.json()["error_id"] == "no-staff-record"


def test_the_desk_needs_a_role_that_takes_calls(clinic, make_user, login, client):
    auditor = make_user(Role.auditor)
    login(auditor)
    assert client.get("/api/v1/desk/me").status_code == 403
    client.cookies.clear()
    assert client.get("/api/v1/desk/me").status_code == 401


def test_the_live_queue_lists_the_most_urgent_first_without_phi(
    clinic, make_user, login, client, line, clock
):
    routine = line("+17735550121")
    routine.voice("incoming")
    routine.voice("gather", Digits="1")
    routine.voice("gather", Digits="1")
    clock.advance(timedelta(seconds=30))
    urgent = line("+17735550122")
    urgent.voice("incoming")
    urgent.voice("gather", Digits="1")
    urgent.voice("gather", Digits="2")
    urgent.voice("gather", SpeechResult="my son has a fever of 104 and is vomiting")
    supervisor = make_user((Role.supervisor, clinic))
    login(supervisor)
    r = client.get("/api/v1/desk/queue")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["priority"] for i in items] == ["urgent", "routine"]
    assert items[1]["waited_seconds"] >= 30
    text = r.text
    assert "+1773" not in text and "fever" not in text
