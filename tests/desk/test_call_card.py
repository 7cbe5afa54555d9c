"""The agent's call card and wrap-up: what a nurse sees of the urgent call ringing for
her (triage, the words that drove it, the patient, their history and open tasks), what
an agent of another clinic never sees, and the disposition and note recorded once on
the call's timeline."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from desk_support import make_clinic
from sqlalchemy import select

from careline.core.db import transaction
from careline.core.errors import Conflict
from careline.desk import call_card
from careline.desk.model import WRAP_UP_EVENT, Disposition, WrapUpIn
from careline.directory import service as directory
from careline.directory.model import PresenceState, StaffUpdate
from careline.flows import service as flows
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.security.model import SYSTEM, Actor, Role, RoleGrant
from careline.security.tables import AuditEntryRow
from careline.telephony.tables import VoiceCallRow
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction, EventView, InteractionView
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind

NURSE_PHONE = "+13125550181"
OTHER_NURSE_PHONE = "+13125550184"
CALLER = "+17735550131"
WORDS = "my son has a fever of 104 and is vomiting"


# ---------------------------------------------------------------- helpers


def audit_entries(rt, **where) -> list[AuditEntryRow]:
    with transaction(rt.sessions) as s:
        stmt = select(AuditEntryRow).order_by(AuditEntryRow.seq)
        for k, v in where.items():
            stmt = stmt.where(getattr(AuditEntryRow, k) == v)
        return list(s.execute(stmt).scalars())


def patient_at(rt, location_id: str, phone: str, given: str = "Rosa") -> str:
    return patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(
            given_name=given,
            family_name="Example",
            date_of_birth="1970-05-05",
            phones=[PhoneIn(number=phone)],
            home_location_id=location_id,
        ),
    ).id


def nurse_at(make_user, hire, location_id: str, phone: str = NURSE_PHONE, *, staff_at=None):
    """A clinician user with a nurse-triage staff record, available."""
    user = make_user((Role.clinician, location_id))
    staff = hire(
        location_id,
        phone,
        skills=["nurse_triage", "clinical"],
        user_id=user.id,
        **({"location_ids": staff_at} if staff_at else {}),
    )
    return user, staff


def urgent_call(line, from_: str = CALLER, words: str = WORDS, *, known: bool = True):
    """A caller tells the nurse line an urgent symptom and is offered to the nurse (a
    known caller is not asked for a language: their record has it)."""
    call = line(from_)
    call.voice("incoming")
    if not known:
        call.voice("gather", Digits="1")  # English
    call.voice("gather", Digits="2")  # the nurse line
    call.voice("gather", SpeechResult=words, Confidence="0.9")
    assert call.verbs(call.wait()) == ["Leave"]
    return call


def answer_and_hang_up(call, entry_id: str) -> None:
    call.voice("queue-status", QueueResult="leave")
    call.voice("agent-answer", entry=entry_id)
    call.voice("agent-status", entry=entry_id, DialCallStatus="completed", DialCallDuration="95")


def interaction_of(rt, sid: str) -> InteractionView:
    with transaction(rt.sessions) as s:
        interaction_id = s.execute(
            select(VoiceCallRow.interaction_id).where(VoiceCallRow.call_sid == sid)
        ).scalar_one()
    return timeline.get_interaction(rt, actor=SYSTEM, interaction_id=interaction_id)


def event(seq: int, kind: str, data: dict, text: str | None = None) -> EventView:
    return EventView(
        id=f"e{seq}",
        interaction_id="i1",
        seq=seq,
        at=datetime(2026, 3, 3, 16, 0, seq, tzinfo=UTC),
        kind=kind,
        data=data,
        text=text,
        actor_user_id=None,
        actor_name="voice",
        staff_id=None,
    )


@pytest.fixture
def hire(rt, hire):
    """The desk conftest's `hire`, also able to place staff at several clinics."""

    def make(location_id, number, *, location_ids=None, **kw):
        staff_id = hire(location_id, number, **kw)
        if location_ids:
            directory.update_staff(
                rt, actor=SYSTEM, staff_id=staff_id, changes=StaffUpdate(location_ids=location_ids)
            )
        return staff_id

    return make


# ---------------------------------------------------------------- pure pieces


def test_the_card_reads_the_triage_the_route_followed_and_finds_the_words_again():
    events = [
        event(1, "triage.result", {"urgency": "routine", "intent": "scheduling"}, "an appointment"),
        event(2, "menu.choice", {"option": "nurse"}),
        event(3, "triage.result", {"urgency": "urgent", "intent": "symptom"}, WORDS),
    ]
    found = call_card.call_triage(events, "en")
    assert found is not None
    assert (found.urgency, found.intent, found.words) == ("urgent", "symptom", WORDS)
    heard = [WORDS[d.start : d.end].lower() for d in found.drivers]
    assert any("fever" in h for h in heard), heard
    assert any("vomit" in h for h in heard), heard
    assert [d.start for d in found.drivers] == sorted(d.start for d in found.drivers)
    assert call_card.call_triage([event(1, "menu.choice", {})], "en") is None


def test_a_triage_decision_without_a_readable_urgency_is_shown_as_urgent():
    found = call_card.call_triage([event(1, "triage.result", {"error": "X"}, None)], "en")
    assert found is not None and found.urgency == "urgent" and found.drivers == []


def test_only_a_keyed_date_of_birth_verifies_the_caller():
    assert call_card.caller_patient(None, []) is None
    by_number = call_card.caller_patient("p1", [event(1, "menu.choice", {})])
    assert by_number is not None
    assert (by_number.verified, by_number.identified_by) == (False, "caller_id")
    keyed = call_card.caller_patient("p1", [event(1, "caller.identified", {"by": "birth_date"})])
    assert keyed is not None and keyed.verified and keyed.identified_by == "birth_date"


def test_an_earlier_contact_is_shown_by_what_happened_never_by_what_was_said():
    view = InteractionView(
        id="i9",
        patient_id="p1",
        channel=Channel.voice,
        direction=Direction.inbound,
        staff_id=None,
        location_id=None,
        started_at=datetime(2026, 3, 1, tzinfo=UTC),
        ended_at=None,
        status="completed",
        summary="private summary",
        external_ref="CA1",
        events=[
            event(1, "triage.result", {"urgency": "routine"}, "secret words"),
            event(2, "triage.result", {"urgency": "emergency"}, "more secret words"),
            event(3, WRAP_UP_EVENT, {"disposition": "resolved", "entry_id": "q1"}, "a note"),
        ],
    )
    shown = call_card.recent_interaction(view)
    assert shown.urgency == "emergency" and shown.disposition == "resolved"
    assert shown.kinds == ["triage.result", WRAP_UP_EVENT]
    dumped = shown.model_dump_json()
    assert "secret" not in dumped and "note" not in dumped and "private" not in dumped
    assert call_card.recorded_disposition(view.events, "q1") is Disposition.resolved
    assert call_card.recorded_disposition(view.events, "q2") is None


# ---------------------------------------------------------------- the card over HTTP


def test_no_call_means_404(clinic, hire, make_user, login, client):
    user, _ = nurse_at(make_user, hire, clinic)
    login(user)
    r = client.get("/api/v1/desk/me/call")
    assert r.status_code == 404 and r.json()["error_id"] == "no-current-call"


def test_the_nurse_sees_the_urgent_call_ringing_for_her(
    rt, clinic, hire, make_user, login, client, line, clock
):
    user, staff = nurse_at(make_user, hire, clinic)
    patient_id = patient_at(rt, clinic, CALLER)
    other_patient = patient_at(rt, clinic, "+17735550132", given="Ana")
    earlier = timeline.add_note(rt, actor=SYSTEM, patient_id=patient_id, text="spoke about meds")
    task = worklist.create_task(
        rt,
        kind=TaskKind.callback_request,
        patient_id=patient_id,
        appointment_id=None,
        location_id=clinic,
    )
    worklist.create_task(
        rt,
        kind=TaskKind.callback_request,
        patient_id=other_patient,
        appointment_id=None,
        location_id=clinic,
    )
    login(user)
    call = urgent_call(line)
    clock.advance(timedelta(seconds=12))
    r = client.get("/api/v1/desk/me/call")
    assert r.status_code == 200, r.text
    card = r.json()
    assert card["status"] == "offered"
    assert (card["department"], card["priority"], card["language"]) == (
        "nurse_triage",
        "urgent",
        "en",
    )
    assert card["location_id"] == clinic and card["waited_seconds"] >= 12
    assert card["phi_withheld"] is False
    assert card["triage"]["urgency"] == "urgent" and card["triage"]["words"] == WORDS
    heard = [WORDS[d["start"] : d["end"]].lower() for d in card["triage"]["drivers"]]
    assert any("fever" in h for h in heard), heard
    assert card["patient"] == {
        "patient_id": patient_id,
        "verified": False,
        "identified_by": "caller_id",
    }
    assert [i["id"] for i in card["recent"]] == [earlier.id]
    assert "meds" not in r.text  # what was said or written stays in the timeline
    assert [t["id"] for t in card["open_tasks"]] == [task.id]
    # The read is audited, naming the patient.
    [read] = audit_entries(rt, action="desk.call_card")
    assert read.patient_id == patient_id and read.resource_id == card["entry_id"]
    # Connected: the same card, now "connected", the wait frozen at the answer.
    call.voice("queue-status", QueueResult="leave")
    call.voice("agent-answer", entry=card["entry_id"])
    clock.advance(timedelta(seconds=30))
    on_call = client.get("/api/v1/desk/me/call").json()
    assert on_call["status"] == "connected"
    assert on_call["waited_seconds"] == card["waited_seconds"]
    assert directory.get_staff(rt, staff_id=staff).presence is PresenceState.busy


def test_another_clinics_call_is_never_shown(rt, clinic, hire, make_user, login, client, line):
    other = make_clinic(rt, "LVP", "Lakeview")
    flows.install_example(rt, actor=SYSTEM, number="+18475550199", location_id=other)
    theirs, _ = nurse_at(make_user, hire, other, OTHER_NURSE_PHONE)
    mine, _ = nurse_at(make_user, hire, clinic)
    directory.set_presence(
        rt, actor=SYSTEM, staff_id=_staff_of(rt, mine.id), state=PresenceState.away
    )
    # A caller of the other clinic (its own number), offered to its nurse.
    call_other = _Line(line(CALLER), "+18475550199")
    call_other.voice("incoming")
    call_other.voice("gather", Digits="1")
    call_other.voice("gather", Digits="2")
    call_other.voice("gather", SpeechResult=WORDS, Confidence="0.9")
    assert call_other.verbs(call_other.wait()) == ["Leave"]
    login(mine)
    r = client.get("/api/v1/desk/me/call")
    assert r.status_code == 404
    assert "fever" not in r.text
    client.cookies.clear()
    login(theirs)
    assert client.get("/api/v1/desk/me/call").json()["triage"]["words"] == WORDS


def test_a_call_of_a_clinic_outside_my_grant_shows_no_phi(
    rt, clinic, hire, make_user, login, client, line
):
    # Her staff record takes calls at two clinics (overflow), her login is for one.
    elsewhere = make_clinic(rt, "MRC", "Mesa")
    user = make_user((Role.clinician, elsewhere))
    hire(
        elsewhere,
        NURSE_PHONE,
        skills=["nurse_triage", "clinical"],
        user_id=user.id,
        location_ids=[elsewhere, clinic],
    )
    patient_at(rt, clinic, CALLER)
    login(user)
    urgent_call(line)
    r = client.get("/api/v1/desk/me/call")
    assert r.status_code == 200, r.text
    card = r.json()
    assert card["priority"] == "urgent" and card["phi_withheld"] is True
    assert card["triage"] is None and card["patient"] is None and card["open_tasks"] == []
    assert "fever" not in r.text
    assert audit_entries(rt, action="desk.call_card") == []


def test_the_desk_needs_presence_write(clinic, make_user, login, client):
    login(make_user(Role.auditor))
    assert client.get("/api/v1/desk/me/call").status_code == 403
    assert client.post("/api/v1/desk/me/wrap-up", json={"disposition": "other"}).status_code == 403


# ---------------------------------------------------------------- wrap-up


def test_wrap_up_records_disposition_and_note_on_the_timeline_once(
    rt, clinic, hire, make_user, login, client, line, clock, monkeypatch
):
    published: list[dict] = []
    real_publish = call_card.events.publish_in

    def spy(s, **kw):
        published.append(kw)
        real_publish(s, **kw)

    monkeypatch.setattr(call_card.events, "publish_in", spy)
    user, staff = nurse_at(make_user, hire, clinic)
    patient_at(rt, clinic, CALLER)
    login(user)
    call = urgent_call(line)
    entry_id = client.get("/api/v1/desk/me").json()["current_call"]["entry_id"]
    answer_and_hang_up(call, entry_id)
    card = client.get("/api/v1/desk/me/call").json()
    assert card["status"] == "wrap_up" and card["wrap_up_ends_at"] is not None
    assert card["disposition"] is None
    note = "Advised fluids; call back if the fever is not down by tonight."
    r = client.post(
        "/api/v1/desk/me/wrap-up",
        json={"disposition": "clinical_advice", "note": f"  {note}  "},
    )
    assert r.status_code == 200, r.text
    assert r.json()["presence"] == "available"
    assert directory.get_staff(rt, staff_id=staff).presence is PresenceState.available
    [wrap] = [e for e in interaction_of(rt, call.sid).events if e.kind == WRAP_UP_EVENT]
    assert wrap.data["disposition"] == "clinical_advice"
    assert wrap.data["entry_id"] == entry_id and wrap.data["staff_id"] == staff
    assert wrap.data["staff_name"] == directory.get_staff(rt, staff_id=staff).display_name
    assert wrap.text == note and wrap.staff_id == staff and wrap.actor_name == user.username
    assert note not in str(wrap.data)
    # Her own desk screens hear of the wrap-up (ids only).
    [told] = [p for p in published if p["kind"] == "desk" and "interaction_id" in p["ids"]]
    assert told["staff_id"] == staff and told["ids"]["entry_id"] == entry_id
    assert told["ids"]["interaction_id"] == wrap.interaction_id
    assert note not in str(told)
    # The same call again: 409 with its own id, and nothing more on the timeline.
    again = client.post("/api/v1/desk/me/wrap-up", json={"disposition": "resolved"})
    assert again.status_code == 409 and again.json()["error_id"] == "wrap-up-already-recorded"
    kinds = [e.kind for e in interaction_of(rt, call.sid).events]
    assert kinds.count(WRAP_UP_EVENT) == 1
    # The card is gone: the nurse is available again.
    assert client.get("/api/v1/desk/me/call").status_code == 404


def test_wrap_up_needs_a_call_to_wrap_up(rt, clinic, hire, make_user, login, client, line, clock):
    user, _ = nurse_at(make_user, hire, clinic)
    login(user)
    r = client.post("/api/v1/desk/me/wrap-up", json={"disposition": "resolved"})
    assert r.status_code == 409 and r.json()["error_id"] == "not-in-wrap-up"
    # On a call: not yet.
    call = urgent_call(line, known=False)
    entry_id = client.get("/api/v1/desk/me").json()["current_call"]["entry_id"]
    r = client.post("/api/v1/desk/me/wrap-up", json={"disposition": "resolved"})
    assert r.status_code == 409 and r.json()["error_id"] == "not-in-wrap-up"
    # After the call, once wrap-up time ran out: too late (the card is gone too).
    answer_and_hang_up(call, entry_id)
    clock.advance(timedelta(seconds=rt.settings.wrap_up_seconds + 1))
    assert client.get("/api/v1/desk/me/call").status_code == 404
    r = client.post("/api/v1/desk/me/wrap-up", json={"disposition": "resolved"})
    assert r.status_code == 409 and r.json()["error_id"] == "not-in-wrap-up"
    assert WRAP_UP_EVENT not in [e.kind for e in interaction_of(rt, call.sid).events]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"disposition": "hung_up_on"},
        {"disposition": "resolved", "note": "x" * 2001},
        {"disposition": "resolved", "extra": True},
    ],
)
def test_a_bad_wrap_up_is_refused_with_422(clinic, hire, make_user, login, client, body):
    user, _ = nurse_at(make_user, hire, clinic)
    login(user)
    r = client.post("/api/v1/desk/me/wrap-up", json=body)
    assert r.status_code == 422, r.text


# ---------------------------------------------------------------- small helpers


def _staff_of(rt, user_id: str) -> str:
    with transaction(rt.sessions) as s:
        found = directory.staff_id_for_user(s, user_id=user_id)
    assert found is not None
    return found


class _Line:
    """The conftest's Line, calling another number."""

    def __init__(self, line, to: str) -> None:
        self._line = line
        self._to = to

    def voice(self, name: str, entry: str | None = None, **extra: str) -> str:
        query = f"?entry={entry}" if entry else ""
        params = {
            "CallSid": self._line.sid,
            "AccountSid": self._line.carrier.account_sid,
            "From": self._line.from_,
            "To": self._to,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **extra,
        }
        r = self._line.carrier.request(f"http://testserver/telephony/voice/{name}{query}", params)
        assert r.status_code in (200, 204), r.text
        return r.text

    def wait(self) -> str:
        return self.voice("queue-wait", QueuePosition="1", QueueTime="0")

    def verbs(self, twiml: str) -> list[str]:
        return self._line.verbs(twiml)


def test_two_wrap_ups_at_once_record_one(rt, clinic, hire, make_user, login, client, line):
    user, _ = nurse_at(make_user, hire, clinic)
    patient_at(rt, clinic, CALLER)
    login(user)
    call = urgent_call(line)
    entry_id = client.get("/api/v1/desk/me").json()["current_call"]["entry_id"]
    answer_and_hang_up(call, entry_id)
    actor = Actor(
        user_id=user.id, username=user.username, grants=(RoleGrant(Role.clinician, clinic),)
    )
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def submit(disposition: Disposition) -> None:
        start.wait()
        try:
            call_card.record_wrap_up(rt, actor=actor, data=WrapUpIn(disposition=disposition))
            outcomes.append("ok")
        except Conflict as refused:
            outcomes.append(refused.error_id)

    threads = [
        threading.Thread(target=submit, args=(d,))
        for d in (Disposition.resolved, Disposition.other)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["ok", "wrap-up-already-recorded"], outcomes
    kinds = [e.kind for e in interaction_of(rt, call.sid).events]
    assert kinds.count(WRAP_UP_EVENT) == 1
