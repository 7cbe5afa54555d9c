"""The timeline: interactions across channels, ordered events, notes, scope and audit."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from careline.core.db import transaction
from careline.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from careline.security.model import SYSTEM, Actor, Role, RoleGrant
from careline.security.service import PatientOutOfScope
from careline.security.tables import AuditEntryRow
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction


def audit_entries(rt, **where) -> list[AuditEntryRow]:
    with transaction(rt.sessions) as s:
        stmt = select(AuditEntryRow).order_by(AuditEntryRow.seq)
        for k, v in where.items():
            stmt = stmt.where(getattr(AuditEntryRow, k) == v)
        return list(s.execute(stmt).scalars())


def agent_at(location_id: str | None) -> Actor:
    return Actor(user_id="u-agent", username="agent", grants=(RoleGrant(Role.agent, location_id),))


@pytest.fixture
def history(rt, clock, make_patient):
    """A patient with a call, a text, a note and a voicemail, a minute apart."""
    pid = make_patient(phones=["+12125550142"])
    call = timeline.start_interaction(
        rt,
        actor=SYSTEM,
        channel=Channel.voice,
        direction=Direction.inbound,
        patient_id=pid,
        external_ref="CA123",
    )
    for kind, data in [("menu.choice", {"digit": "2"}), ("queue.enter", {"queue": "q1"})]:
        clock.advance(timedelta(seconds=5))
        timeline.append_event(rt, actor=SYSTEM, interaction_id=call.id, kind=kind, data=data)
    timeline.append_event(
        rt, actor=SYSTEM, interaction_id=call.id, kind="triage.result", text="my chest hurts"
    )
    timeline.end_interaction(rt, actor=SYSTEM, interaction_id=call.id, status="completed")
    clock.advance(timedelta(minutes=1))
    sms = timeline.start_interaction(
        rt, actor=SYSTEM, channel="sms", direction="inbound", patient_id=pid, external_ref="SM9"
    )
    timeline.append_event(rt, actor=SYSTEM, interaction_id=sms.id, kind="sms.in", text="C")
    clock.advance(timedelta(minutes=1))
    note = timeline.add_note(rt, actor=SYSTEM, patient_id=pid, text="Called back, all fine.")
    clock.advance(timedelta(minutes=1))
    vm = timeline.start_interaction(
        rt, actor=SYSTEM, channel=Channel.voicemail, direction=Direction.inbound, patient_id=pid
    )
    return {"patient": pid, "call": call.id, "sms": sms.id, "note": note.id, "vm": vm.id}


def test_channels_interleave_newest_first_with_events_in_order(
    client, rt, make_user, login, history
):
    login(make_user(Role.agent))
    r = client.get(f"/api/v1/patients/{history['patient']}/timeline")
    assert r.status_code == 200
    page = r.json()
    assert page["total"] == 4
    assert [i["id"] for i in page["items"]] == [
        history["vm"],
        history["note"],
        history["sms"],
        history["call"],
    ]
    assert [i["channel"] for i in page["items"]] == ["voicemail", "note", "sms", "voice"]
    call = page["items"][3]
    assert [(e["seq"], e["kind"]) for e in call["events"]] == [
        (1, "menu.choice"),
        (2, "queue.enter"),
        (3, "triage.result"),
    ]
    assert call["events"][0]["data"] == {"digit": "2"}
    assert call["events"][2]["text"] == "my chest hurts"
    assert call["status"] == "completed" and call["ended_at"]
    note = page["items"][1]
    assert note["direction"] == "internal" and note["status"] == "recorded"
    assert [e["text"] for e in note["events"]] == ["Called back, all fine."]
    assert page["items"][0]["status"] == "open"


def test_timeline_pages_filters_and_audits_each_read(client, rt, make_user, login, history):
    user = make_user(Role.agent)
    login(user)
    url = f"/api/v1/patients/{history['patient']}/timeline"
    first = client.get(url, params={"limit": 3}).json()
    rest = client.get(url, params={"limit": 3, "offset": 3}).json()
    assert [len(first["items"]), len(rest["items"])] == [3, 1]
    assert rest["items"][0]["id"] == history["call"]
    only_sms = client.get(url, params={"channel": "sms"}).json()
    assert [i["id"] for i in only_sms["items"]] == [history["sms"]] and only_sms["total"] == 1
    assert client.get(url, params={"channel": "fax"}).status_code == 422

    reads = audit_entries(rt, action="timeline.read", patient_id=history["patient"])
    assert len(reads) == 3
    assert all(e.actor_user_id == user.id for e in reads)
    assert [e.details["count"] for e in reads] == [3, 1, 1]


def test_timeline_of_unknown_patient_is_404(client, make_user, login):
    login(make_user(Role.agent))
    r = client.get("/api/v1/patients/00000000-0000-0000-0000-000000000000/timeline")
    assert r.status_code == 404 and r.json()["error_id"] == "no-such-patient"


def test_notes_over_http(client, rt, make_user, login, make_patient):
    pid = make_patient()
    user = make_user(Role.clinician)
    login(user)
    r = client.post(f"/api/v1/patients/{pid}/notes", json={"text": "Allergic to penicillin."})
    assert r.status_code == 201, r.text
    note = r.json()
    assert note["channel"] == "note" and note["patient_id"] == pid
    assert note["events"][0]["actor_user_id"] == user.id
    with rt.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT text FROM interaction_events WHERE interaction_id = :i"),
            {"i": note["id"]},
        ).scalar_one()
    assert stored.startswith("v2:k1:") and "penicillin" not in stored
    assert len(audit_entries(rt, action="timeline.note", patient_id=pid)) == 1

    blank = client.post(f"/api/v1/patients/{pid}/notes", json={"text": "   "})
    assert blank.status_code == 422
    assert [e["field"] for e in blank.json()["errors"]] == ["body.text"]
    extra = client.post(f"/api/v1/patients/{pid}/notes", json={"text": "x", "pin": True})
    assert extra.status_code == 422
    nobody = client.post(
        "/api/v1/patients/00000000-0000-0000-0000-000000000000/notes", json={"text": "x"}
    )
    assert nobody.status_code == 404

    login(make_user(Role.supervisor))  # reads timelines, does not write them
    assert client.post(f"/api/v1/patients/{pid}/notes", json={"text": "x"}).status_code == 403


def test_scope_applies_to_timeline_and_interactions(
    client, rt, make_user, login, make_location, make_patient
):
    a, b = make_location("A"), make_location("B")
    pid = make_patient(location_id=b)
    call = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", patient_id=pid
    )
    login(make_user((Role.agent, a)))
    r = client.get(f"/api/v1/patients/{pid}/timeline")
    assert r.status_code == 403 and r.json()["error_id"] == "patient-out-of-scope"
    r = client.get(f"/api/v1/interactions/{call.id}")
    assert r.status_code == 403 and r.json()["error_id"] == "patient-out-of-scope"
    assert client.post(f"/api/v1/patients/{pid}/notes", json={"text": "x"}).status_code == 403
    assert len(audit_entries(rt, patient_id=pid, outcome="denied")) == 3
    assert audit_entries(rt, action="timeline.read") == []

    login(make_user((Role.agent, b)))
    r = client.get(f"/api/v1/interactions/{call.id}")
    assert r.status_code == 200 and r.json()["id"] == call.id
    assert len(audit_entries(rt, action="interaction.read", patient_id=pid)) == 1
    r = client.get("/api/v1/interactions/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404 and r.json()["error_id"] == "no-such-interaction"


def test_break_glass_reads_of_a_timeline_are_flagged(
    client, rt, make_user, login, make_location, make_patient
):
    a, b = make_location("A"), make_location("B")
    pid = make_patient(location_id=b)
    login(make_user((Role.clinician, a)))
    url = f"/api/v1/patients/{pid}/timeline"
    assert client.get(url).status_code == 403
    reason = {"reason": "Transferred to our ward tonight; need history."}
    assert client.post(f"/api/v1/patients/{pid}/break-glass", json=reason).status_code == 200
    assert client.get(url).status_code == 200
    [read] = audit_entries(rt, action="timeline.read", patient_id=pid)
    assert read.flagged is True


def test_unknown_caller_then_identified(rt, make_location, make_patient):
    a, b = make_location("A"), make_location("B")
    pid = make_patient(location_id=a)
    call = timeline.start_interaction(
        rt,
        actor=SYSTEM,
        channel="voice",
        direction="inbound",
        location_id=a,
        external_ref="CAabc",
    )
    assert call.patient_id is None and call.status == "open"
    # A patient-less interaction is scoped by its location.
    with pytest.raises(Forbidden):
        timeline.get_interaction(rt, actor=agent_at(b), interaction_id=call.id)
    assert timeline.get_interaction(rt, actor=agent_at(a), interaction_id=call.id).id == call.id

    linked = timeline.link_patient(rt, actor=agent_at(a), interaction_id=call.id, patient_id=pid)
    assert linked.patient_id == pid
    with pytest.raises(Conflict):
        timeline.link_patient(rt, actor=SYSTEM, interaction_id=call.id, patient_id=make_patient())
    found = timeline.find_by_external_ref(rt, actor=SYSTEM, external_ref="CAabc")
    assert found is not None and found.id == call.id
    assert timeline.find_by_external_ref(rt, actor=SYSTEM, external_ref="CAnone") is None
    assert (
        timeline.find_by_external_ref(rt, actor=SYSTEM, external_ref="CAabc", channel=Channel.sms)
        is None
    )


def test_start_interaction_checks_its_inputs(rt, make_location, make_patient):
    b = make_location("B")
    pid = make_patient(location_id=b)
    with pytest.raises(NotFound):
        timeline.start_interaction(
            rt, actor=SYSTEM, channel="voice", direction="inbound", patient_id="nope"
        )
    with pytest.raises(ValidationFailed) as bad:
        timeline.start_interaction(rt, actor=SYSTEM, channel="fax", direction="sideways")
    assert {p.field for p in bad.value.problems} == {"channel", "direction"}
    with pytest.raises(ValidationFailed):
        timeline.start_interaction(
            rt, actor=SYSTEM, channel="voice", direction="inbound", location_id="nowhere"
        )
    with pytest.raises(PatientOutOfScope):
        timeline.start_interaction(
            rt, actor=agent_at("elsewhere"), channel="sms", direction="outbound", patient_id=pid
        )
    with transaction(rt.sessions) as s:
        assert s.execute(text("SELECT count(*) FROM interactions")).scalar_one() == 0


def test_events_and_endings_are_checked(rt, make_patient):
    call = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="outbound", patient_id=make_patient()
    )
    with pytest.raises(ValidationFailed):
        timeline.append_event(rt, actor=SYSTEM, interaction_id=call.id, kind="Menu Choice")
    with pytest.raises(ValidationFailed):
        timeline.append_event(
            rt, actor=SYSTEM, interaction_id=call.id, kind="x", data={"when": object()}
        )
    with pytest.raises(NotFound):
        timeline.append_event(rt, actor=SYSTEM, interaction_id="nope", kind="x")
    with pytest.raises(ValidationFailed):
        timeline.end_interaction(rt, actor=SYSTEM, interaction_id=call.id, status="open")
    ended = timeline.end_interaction(
        rt, actor=SYSTEM, interaction_id=call.id, status="no-answer", summary="Rang out."
    )
    assert ended.status == "no-answer" and ended.summary == "Rang out."
    again = timeline.end_interaction(rt, actor=SYSTEM, interaction_id=call.id, status="no-answer")
    assert again.ended_at == ended.ended_at
    with pytest.raises(Conflict):
        timeline.end_interaction(rt, actor=SYSTEM, interaction_id=call.id, status="completed")
    with rt.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT summary FROM interactions WHERE id = :i"), {"i": call.id}
        ).scalar_one()
    assert stored.startswith("v2:k1:") and "Rang" not in stored


def test_concurrent_appends_keep_seqs_unique_and_gapless(rt, make_patient):
    call = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", patient_id=make_patient()
    )
    per_thread, threads = 12, 2
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                timeline.append_event(
                    rt, actor=SYSTEM, interaction_id=call.id, kind="t.step", data={"w": n, "i": i}
                )
        except BaseException as exc:  # reported below, on the main thread
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    events = timeline.get_interaction(rt, actor=SYSTEM, interaction_id=call.id).events
    assert [e.seq for e in events] == list(range(1, per_thread * threads + 1))
    for n in range(threads):
        # Each writer's own events stay in the order it wrote them.
        mine = [e.data["i"] for e in events if e.data["w"] == n]
        assert mine == list(range(per_thread))


def test_a_taken_sequence_number_is_retried_once_then_refused(rt, make_patient, monkeypatch):
    """The unique (interaction, seq) constraint is the backstop behind the row lock."""
    call = timeline.start_interaction(
        rt, actor=SYSTEM, channel="sms", direction="outbound", patient_id=make_patient()
    )
    timeline.append_event(rt, actor=SYSTEM, interaction_id=call.id, kind="sms.out")
    real = timeline._next_seq
    stale = iter([1])  # the first attempt collides with seq 1; the retry reads afresh

    monkeypatch.setattr(timeline, "_next_seq", lambda s, i: next(stale, None) or real(s, i))
    ev = timeline.append_event(rt, actor=SYSTEM, interaction_id=call.id, kind="sms.status")
    assert ev.seq == 2

    monkeypatch.setattr(timeline, "_next_seq", lambda s, i: 1)
    with pytest.raises(Conflict):
        timeline.append_event(rt, actor=SYSTEM, interaction_id=call.id, kind="sms.status")
    events = timeline.get_interaction(rt, actor=SYSTEM, interaction_id=call.id).events
    assert [(e.seq, e.kind) for e in events] == [(1, "sms.out"), (2, "sms.status")]
    # Nothing of the failed attempts reached the audit log.
    assert len(audit_entries(rt, action="interaction.event")) == 2


def test_unknown_callers_are_listed_per_clinic_and_attached_over_http(
    client, rt, make_user, login, make_location, make_patient
):
    a, b = make_location("A"), make_location("B")
    pid = make_patient(location_id=a)
    mine = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", location_id=a
    )
    theirs = timeline.start_interaction(
        rt, actor=SYSTEM, channel="sms", direction="inbound", location_id=b
    )
    known = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", location_id=a, patient_id=pid
    )
    login(make_user((Role.agent, a)))
    page = client.get("/api/v1/interactions").json()
    assert [i["id"] for i in page["items"]] == [mine.id] and page["total"] == 1
    assert known.id not in {i["id"] for i in page["items"]}
    assert client.get("/api/v1/interactions", params={"location_id": b}).json()["total"] == 0
    assert audit_entries(rt, action="interaction.list_unattached")
    # Another clinic's unknown caller cannot be attached from here.
    r = client.post(f"/api/v1/interactions/{theirs.id}/patient", json={"patient_id": pid})
    assert r.status_code == 403
    r = client.post(f"/api/v1/interactions/{mine.id}/patient", json={"patient_id": pid})
    assert r.status_code == 200 and r.json()["patient_id"] == pid
    assert audit_entries(rt, action="interaction.link_patient", patient_id=pid)
    assert client.get("/api/v1/interactions").json()["total"] == 0
    r = client.post(f"/api/v1/interactions/{mine.id}/patient", json={"patient_id": "x" * 40})
    assert r.status_code == 422


def test_a_steps_events_are_one_write_and_one_audit_entry(rt, make_patient):
    """Issue 14: each event of a call step was its own transaction and audit entry."""
    from careline.timeline.model import NewEvent

    call = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", patient_id=make_patient()
    )
    timeline.append_event(rt, actor=SYSTEM, interaction_id=call.id, kind="call.started")
    made = timeline.append_events(
        rt,
        actor=SYSTEM,
        interaction_id=call.id,
        new=[
            NewEvent("menu.chosen", {"option": "1"}),
            NewEvent("Not A Kind!"),  # refused by its checks, the rest are kept
            NewEvent("triage.result", {"urgency": "urgent"}, text="my chest hurts"),
        ],
    )
    assert [(e.seq, e.kind) for e in made] == [(2, "menu.chosen"), (3, "triage.result")]
    events = timeline.get_interaction(rt, actor=SYSTEM, interaction_id=call.id).events
    assert [e.kind for e in events] == ["call.started", "menu.chosen", "triage.result"]
    assert events[2].text == "my chest hurts"
    entries = audit_entries(rt, action="interaction.event")
    assert len(entries) == 2  # one for the single event, one for the step's two
    assert entries[-1].details == {"kinds": ["menu.chosen", "triage.result"], "seq": 2}
    assert timeline.append_events(rt, actor=SYSTEM, interaction_id=call.id, new=[]) == []
