"""The signed inbound SMS webhook: signature, retries, every keyword, the CANCEL rule,
the reply registry, keypad answers, tasks, plans and the report over HTTP."""

from __future__ import annotations

import pytest
from reminders_support import INBOUND_URL, local
from twilio.request_validator import RequestValidator

from careline.messaging import replies
from careline.patients import service as patients
from careline.patients.model import PreferredChannel, SmsConsent
from careline.reminders import service as reminders
from careline.reminders.model import ReminderStatus
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentStatus, CancelReason
from careline.security.model import SYSTEM, Role
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind


@pytest.fixture
def reminded(rt, clock, make_patient, book, worker):
    """A patient with an appointment Mon 09:30 whose 48 h reminder went out."""
    patient, phone = make_patient()
    appt = book(patient, local(2026, 11, 2, 9, 30))
    reminders.plan_reminders(rt, appointment_id=appt.id)
    clock.set(local(2026, 10, 31, 10, 30))
    worker.run_until_idle()
    got = reminders.list_reminders(rt, actor=SYSTEM, appointment_id=appt.id)
    assert got[0].status is ReminderStatus.sent
    return patient, phone, appt


def _status(rt, appt):
    return scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt.id).status


def _via(rt, appt):
    return scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt.id).confirmed_via


def test_unsigned_or_forged_requests_are_refused(client, rt, reminded):
    _patient, phone, appt = reminded
    params = {"MessageSid": "SM1", "From": phone, "To": "+13125550000", "Body": "C"}
    assert client.post("/telephony/sms/inbound", data=params).status_code == 403
    forged = RequestValidator("not-the-token").compute_signature(INBOUND_URL, params)
    r = client.post("/telephony/sms/inbound", data=params, headers={"X-Twilio-Signature": forged})
    assert r.status_code == 403
    assert phone not in r.text
    assert _status(rt, appt) is AppointmentStatus.booked
    # Audited like a forged voice webhook (issue 11, item 11), without the number.
    from sqlalchemy import select

    from careline.core.db import transaction
    from careline.security.tables import AuditEntryRow

    with transaction(rt.sessions) as s:
        rejected = list(
            s.execute(
                select(AuditEntryRow).where(AuditEntryRow.action == "webhook.rejected")
            ).scalars()
        )
    assert len(rejected) == 2 and all(e.outcome == "denied" for e in rejected)
    assert all(e.details == {"path": "/telephony/sms/inbound"} for e in rejected)
    assert all(phone not in str(e.details) for e in rejected)


def test_a_retry_acts_once_and_gets_the_same_answer(client, rt, reminded):
    _patient, phone, appt = reminded
    params = {"MessageSid": "SMretry", "From": phone, "To": "+13125550000", "Body": "N"}
    sig = RequestValidator(rt.settings.webhook_auth_token).compute_signature(INBOUND_URL, params)
    first = client.post("/telephony/sms/inbound", data=params, headers={"X-Twilio-Signature": sig})
    second = client.post("/telephony/sms/inbound", data=params, headers={"X-Twilio-Signature": sig})
    assert first.status_code == second.status_code == 200
    assert first.text == second.text and "cancelled" in first.text
    assert first.headers["content-type"].startswith("application/xml")
    assert _status(rt, appt) is AppointmentStatus.cancelled


def test_missing_message_sid_is_refused(client, rt, reminded):
    _patient, phone, _appt = reminded
    params = {"From": phone, "To": "+13125550000", "Body": "C"}
    sig = RequestValidator(rt.settings.webhook_auth_token).compute_signature(INBOUND_URL, params)
    r = client.post("/telephony/sms/inbound", data=params, headers={"X-Twilio-Signature": sig})
    assert r.status_code == 422


def test_confirm_then_timeline(rt, reminded, text):
    patient, phone, appt = reminded
    status, answers = text(phone, "1")
    assert status == 200 and "confirmed" in answers[0]
    assert _status(rt, appt) is AppointmentStatus.confirmed
    assert _via(rt, appt) == "reminder_text"  # the front desk sees "confirmed by reminder"
    # Confirming again is harmless.
    assert "confirmed" in text(phone, "C")[1][0]
    from careline.timeline import service as timeline

    items, _ = timeline.list_timeline(rt, actor=SYSTEM, patient_id=patient, limit=50, offset=0)
    channels = {i.channel for i in items}
    assert "sms" in channels and "reminder" in channels


def test_cancel_with_a_pending_reminder_cancels_the_appointment(rt, reminded, text):
    patient, phone, appt = reminded
    _, answers = text(phone, "CANCEL")
    assert "cancelled" in answers[0] and "STOP" in answers[0]
    assert _status(rt, appt) is AppointmentStatus.cancelled
    # Still subscribed: CANCEL was about the appointment.
    assert patients.get_patient(rt, actor=SYSTEM, patient_id=patient).sms_consent is not (
        SmsConsent.opted_out
    )
    # Its other reminders are void.
    statuses = [
        r.status for r in reminders.list_reminders(rt, actor=SYSTEM, appointment_id=appt.id)
    ]
    assert ReminderStatus.planned not in statuses


def test_cancel_with_no_pending_appointment_opts_out(rt, make_patient, text):
    patient, phone = make_patient()
    _, answers = text(phone, "cancel")
    assert "no more texts" in answers[0]
    assert patients.get_patient(rt, actor=SYSTEM, patient_id=patient).sms_consent is (
        SmsConsent.opted_out
    )


def test_stop_help_start(rt, clock, reminded, text, worker):
    patient, phone, appt = reminded
    _, answers = text(phone, "HELP")
    assert "Msg & data rates may apply" in answers[0] and "STOP" in answers[0]
    assert "Lakeside Clinic" in answers[0]
    _, answers = text(phone, "stop")
    assert len(answers) == 1
    assert patients.get_patient(rt, actor=SYSTEM, patient_id=patient).sms_consent is (
        SmsConsent.opted_out
    )
    # Words from an opted-out patient get no answer and change nothing.
    assert text(phone, "C")[1] == []
    assert _status(rt, appt) is AppointmentStatus.booked
    # The day-of reminder is refused, never sent.
    clock.set(local(2026, 11, 2, 8, 0))
    worker.run_until_idle()
    got = reminders.list_reminders(rt, actor=SYSTEM, appointment_id=appt.id)
    assert got[-1].status is ReminderStatus.refused and got[-1].error_code == "opted-out"
    _, answers = text(phone, "START")
    assert "subscribed" in answers[0]
    assert patients.get_patient(rt, actor=SYSTEM, patient_id=patient).sms_consent is (
        SmsConsent.opted_in
    )


def test_unknown_sender_gets_help_but_nothing_else(text):
    assert "Msg & data rates" in text("+13125558888", "HELP")[1][0]
    assert text("+13125558888", "C")[1] == []


def test_free_words_make_a_task(rt, reminded, text):
    patient, phone, _appt = reminded
    _, answers = text(phone, "can I bring my daughter")
    assert "did not understand" in answers[0]
    tasks, _ = worklist.list_tasks(rt, actor=SYSTEM, limit=10, offset=0)
    assert [(t.kind, t.patient_id) for t in tasks] == [(TaskKind.reply_needs_staff, patient)]


def test_registered_handlers_see_replies_first(rt, reminded, text):
    _patient, phone, appt = reminded
    seen = []

    def offer_handler(rt_, *, patient_id, text, at):
        seen.append((patient_id, text))
        return "Offer taken" if text == "YES" else None

    replies.register(offer_handler)
    try:
        assert text(phone, "YES")[1] == ["Offer taken"]
        assert _status(rt, appt) is AppointmentStatus.booked
        assert "confirmed" in text(phone, "C")[1][0]
        assert text(phone, "STOP")[1][0].endswith("START to resubscribe.")
        assert [t for _, t in seen] == ["YES", "C"]  # STOP never offered
    finally:
        replies.unregister(offer_handler)


def test_voice_reminder_without_a_clinic_line_waits_for_the_front_desk(
    rt, clock, make_patient, book, worker
):
    patient, _ = make_patient(channel=PreferredChannel.voice)
    appt = book(patient, local(2026, 11, 2, 9, 30))
    planned = reminders.plan_reminders(rt, appointment_id=appt.id)
    assert {r.channel for r in planned} == {"voice"}
    clock.set(local(2026, 10, 31, 10, 30))
    worker.run_until_idle()
    pending = reminders.pending_voice_reminders(rt)
    assert len(pending) == 1 and pending[0].error_code == "no-number"
    out = reminders.handle_voice_reminder_input(rt, reminder_id=pending[0].id, digits="1")
    assert "confirmed" in (out.answer or "")
    assert _status(rt, appt) is AppointmentStatus.confirmed
    bad = reminders.handle_voice_reminder_input(rt, reminder_id=pending[0].id, digits="7")
    assert "did not understand" in (bad.answer or "")
    with pytest.raises(reminders.NoSuchReminder):
        reminders.handle_voice_reminder_input(rt, reminder_id="nope", digits="1")


def test_voice_reminder_is_a_call_answered_by_keypad(rt, clock, clinic, make_patient, book, worker):
    from fastapi.testclient import TestClient

    from careline.api.app import create_app
    from careline.core.settings import DEMO_AUTH_TOKEN
    from careline.directory import service as directory
    from careline.directory.model import LocationUpdate
    from careline.providers.outbox.service import list_outbox
    from careline.security.model import SYSTEM
    from careline.telephony.virtual_carrier import (
        CallerInput,
        NumberConfig,
        ScriptedCaller,
        VirtualCarrier,
    )

    directory.update_location(
        rt,
        actor=SYSTEM,
        location_id=clinic.location,
        changes=LocationUpdate(main_phone="+13125550100"),
    )
    patient, _ = make_patient(channel=PreferredChannel.voice)
    appt = book(patient, local(2026, 11, 2, 9, 30))
    reminders.plan_reminders(rt, appointment_id=appt.id)
    clock.set(local(2026, 10, 31, 10, 30))
    worker.run_until_idle()
    worker.run_until_idle()  # a retried job must not ring twice
    calls = [
        i
        for i in list_outbox(rt.sessions, rt.clock, actor=SYSTEM, limit=50, offset=0)[0]
        if i.kind == "call"
    ]
    assert len(calls) == 1 and calls[0].from_ == "+13125550100"
    assert calls[0].body.startswith("/telephony/voice/reminder?reminder=")
    carrier = VirtualCarrier(TestClient(create_app(rt)), auth_token=DEMO_AUTH_TOKEN)
    record = carrier.call(
        number=NumberConfig(voice_url=f"http://testserver{calls[0].body}"),
        from_="+13125550100",
        to=calls[0].to,
        caller=ScriptedCaller([CallerInput(digits="1")]),
    )
    heard = " ".join(record.heard())
    assert "press 1" in heard and "Diabetes" not in heard  # no visit type on the phone
    assert "confirmed" in heard
    assert _status(rt, appt) is AppointmentStatus.confirmed
    assert _via(rt, appt) == "reminder_call"


def test_reschedule_replans_and_voids_old_reminders(rt, clock, make_patient, book, make_slot):
    patient, _ = make_patient()
    appt = book(patient, local(2026, 11, 2, 9, 30))
    first = reminders.plan_reminders(rt, appointment_id=appt.id)
    assert reminders.plan_reminders(rt, appointment_id=appt.id) == first  # idempotent
    new_slot = make_slot(local(2026, 11, 4, 10, 0))
    from careline.scheduling.model import RescheduleRequest

    scheduling.reschedule(
        rt, actor=SYSTEM, appointment_id=appt.id, to=RescheduleRequest(slot_id=new_slot)
    )
    second = reminders.plan_reminders(rt, appointment_id=appt.id)
    assert {r.appointment_start for r in second} == {local(2026, 11, 4, 10, 0)}
    everything = reminders.list_reminders(rt, actor=SYSTEM, appointment_id=appt.id)
    old = [r for r in everything if r.id in {f.id for f in first}]
    assert {r.status for r in old} == {ReminderStatus.void}
    scheduling.cancel(rt, actor=SYSTEM, appointment_id=appt.id, reason=CancelReason.patient)
    assert reminders.plan_reminders(rt, appointment_id=appt.id) == []
    left = reminders.list_reminders(rt, actor=SYSTEM, appointment_id=appt.id)
    assert {r.status for r in left} == {ReminderStatus.void}


def test_a_visit_moved_away_and_back_is_reminded_again(rt, clock, make_patient, book, make_slot):
    # Issue 11, item 27: keys unique forever left the moved-back visit with void
    # reminders and a cancelled no-answer check that could never be scheduled again.
    from careline.jobs import service as jobs
    from careline.jobs.model import JobStatus
    from careline.scheduling.model import RescheduleRequest

    patient, _ = make_patient()
    start = local(2026, 11, 4, 9, 30)
    appt = book(patient, start)
    first = reminders.plan_reminders(rt, appointment_id=appt.id)
    original_slot = scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt.id).slot_id
    away = make_slot(local(2026, 11, 5, 10, 0))
    scheduling.reschedule(
        rt, actor=SYSTEM, appointment_id=appt.id, to=RescheduleRequest(slot_id=away)
    )
    reminders.plan_reminders(rt, appointment_id=appt.id)
    scheduling.reschedule(
        rt, actor=SYSTEM, appointment_id=appt.id, to=RescheduleRequest(slot_id=original_slot)
    )
    back = reminders.plan_reminders(rt, appointment_id=appt.id)
    assert {r.appointment_start for r in back} == {start}
    assert back and {r.status for r in back} == {ReminderStatus.planned}
    assert {r.id for r in back} == {r.id for r in first}  # the same reminders, revived
    from sqlalchemy import select

    from careline.core.db import transaction
    from careline.jobs.tables import JobRow

    with transaction(rt.sessions) as s:
        due_sends = {
            j.payload["reminder_id"]
            for j in s.execute(
                select(JobRow).where(
                    JobRow.kind == reminders.SEND_JOB, JobRow.status == JobStatus.due.value
                )
            ).scalars()
        }
    assert {r.id for r in back} <= due_sends  # each will be sent
    key = f"{reminders.NO_ANSWER_JOB}:{appt.id}:{int(start.timestamp())}"
    assert jobs.find_job(rt, dedupe_key=key).status is JobStatus.due


def test_plans_tasks_and_report_over_http(
    rt, clock, client, make_user, login, clinic, reminded, text
):
    _patient, phone, _appt = reminded
    text(phone, "R")
    manager = make_user(Role.admin)
    login(manager)
    bad = client.put("/api/v1/reminder-plans", json={"steps": [{"name": "x", "kind": "before"}]})
    assert bad.status_code == 422
    ok = client.put(
        "/api/v1/reminder-plans",
        json={
            "location_id": clinic.location,
            "steps": [{"name": "72h", "kind": "before", "hours_before": 72}],
        },
    )
    assert ok.status_code == 200, ok.text
    eff = client.get(
        "/api/v1/reminder-plans/effective",
        params={"location_id": clinic.location, "type_code": "FOLLOWUP"},
    )
    assert eff.json()["steps"][0]["name"] == "72h"
    tasks = client.get("/api/v1/tasks").json()
    assert tasks["total"] == 1 and tasks["items"][0]["kind"] == "reschedule_request"
    done = client.post(f"/api/v1/tasks/{tasks['items'][0]['id']}/done")
    assert done.json()["status"] == "done"
    assert client.get("/api/v1/tasks").json()["total"] == 0
    window = {"from": "2026-11-01T00:00:00Z", "to": "2026-11-08T00:00:00Z"}
    report = client.get("/api/v1/reports/reminders", params=window).json()
    assert report == [
        {
            "location_id": clinic.location,
            "type_code": "FOLLOWUP",
            "appointments": 1,
            "reminders_sent": 1,
            "reminders_delivered": 0,
            "confirmed": 0,
            "cancelled": 0,
            "noshow": 0,
            "noshow_rate": 0.0,
        }
    ]
    csv = client.get("/api/v1/reports/reminders", params={**window, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("location_id,type_code,appointments")
    assert (
        client.get(
            "/api/v1/reports/reminders",
            params={"from": "2026-11-08T00:00:00Z", "to": "2026-11-01T00:00:00Z"},
        ).status_code
        == 422
    )
    assert (
        client.get("/api/v1/reports/reminders", params={**window, "format": "xml"}).status_code
        == 422
    )


def test_a_clinics_manager_cannot_rewrite_another_clinics_or_the_networks_plan(
    client, make_user, login, clinic, make_location
):
    """Issue 11, item 2: a manager of one clinic rewrote another clinic's reminder plan,
    so its next reminder would have carried their text."""
    elsewhere = make_location("Elsewhere")
    login(make_user((Role.manager, elsewhere)))
    plan = {"steps": [{"name": "72h", "kind": "before", "hours_before": 72}]}
    for target in (clinic.location, None):
        r = client.put("/api/v1/reminder-plans", json={**plan, "location_id": target})
        assert r.status_code == 403 and r.json()["error_id"] == "location-out-of-scope"
    r = client.put("/api/v1/reminder-plans", json={**plan, "location_id": elsewhere})
    assert r.status_code == 200, r.text


def test_a_plans_prep_instructions_per_language_over_http(client, make_user, login, clinic):
    login(make_user(Role.admin))
    base = {
        "location_id": clinic.location,
        "steps": [{"name": "48h", "kind": "before", "hours_before": 48}],
        "include_prep": True,
        "prep_instructions": "Bring your medicines.",
    }
    only_english = client.put("/api/v1/reminder-plans", json=base)
    assert only_english.status_code == 200, only_english.text
    assert only_english.json()["prep_missing_languages"] == ["es"]
    both = client.put(
        "/api/v1/reminder-plans",
        json={**base, "prep_translations": {"es": "Traiga sus medicinas."}},
    )
    assert both.status_code == 200
    eff = client.get(
        "/api/v1/reminder-plans/effective",
        params={"location_id": clinic.location, "type_code": "FOLLOWUP"},
    ).json()
    assert eff["prep_translations"] == {"es": "Traiga sus medicinas."}
    assert eff["prep_missing_languages"] == []
    bad = client.put("/api/v1/reminder-plans", json={**base, "prep_translations": {"xx": "?"}})
    assert bad.status_code == 422
    assert any(e["field"] == "body.prep_translations.xx" for e in bad.json()["errors"])
    wording = "{clinic}: su cita es el {date} a las {time}.{prep} {reply}"
    own = client.put("/api/v1/reminder-plans", json={**base, "templates": {"es": wording}})
    assert own.status_code == 200 and own.json()["templates"] == {"es": wording}
    no_stop = client.put(
        "/api/v1/reminder-plans", json={**base, "templates": {"es": "{date} {time}"}}
    )
    assert no_stop.status_code == 422
    assert any("{reply}" in e["message"] for e in no_stop.json()["errors"])
