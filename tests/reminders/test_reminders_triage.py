"""Every inbound text is triaged before keywords: emergencies and crises get 911/988
guidance, an emergency task and a timeline alert (from known and unknown numbers, and
from patients who opted out); urgent symptoms a nurse call; keywords still work.

The clinical texts are unmistakable on purpose: triage's rules change under these tests.
"""

from __future__ import annotations

import logging
import re

import pytest
from reminders_support import INBOUND_URL, local
from twilio.request_validator import RequestValidator

from careline.directory import service as directory
from careline.directory.model import LocationUpdate
from careline.patients import service as patients
from careline.patients.model import SmsConsent
from careline.reminders import service as reminders
from careline.reminders.model import ReminderStatus, ReplyAction
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentStatus
from careline.security.model import SYSTEM
from careline.timeline import service as timeline
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind, TaskUrgency

CLINIC_NUMBER = "+13125550000"  # what the `text` fixture texts
STRANGER = "+13125559876"


@pytest.fixture
def reminded(rt, clock, make_patient, book, worker):
    """Make a patient (any language) with an appointment Mon 09:30 whose 48 h reminder
    went out; returns (patient id, phone, appointment)."""

    def make(language: str = "en"):
        patient, phone = make_patient(language=language)
        appt = book(patient, local(2026, 11, 2, 9, 30))
        reminders.plan_reminders(rt, appointment_id=appt.id)
        clock.set(local(2026, 10, 31, 10, 30))
        worker.run_until_idle()
        sent = reminders.list_reminders(rt, actor=SYSTEM, appointment_id=appt.id)
        assert sent[0].status is ReminderStatus.sent
        return patient, phone, appt

    return make


def _status(rt, appt) -> AppointmentStatus:
    return scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt.id).status


def _tasks(rt):
    return worklist.list_tasks(rt, actor=SYSTEM, limit=50, offset=0, status=None)[0]


def _sms_events(rt, patient_id):
    items, _ = timeline.list_timeline(rt, actor=SYSTEM, patient_id=patient_id, limit=50, offset=0)
    return [e for i in items if i.channel == "sms" for e in i.events]


def _post(client, rt, *, sid: str, from_: str, body: str, to: str = CLINIC_NUMBER):
    """A signed inbound SMS with a chosen MessageSid (as a provider retry repeats it)."""
    params = {"MessageSid": sid, "From": from_, "To": to, "Body": body}
    sig = RequestValidator(rt.settings.webhook_auth_token).compute_signature(INBOUND_URL, params)
    r = client.post("/telephony/sms/inbound", data=params, headers={"X-Twilio-Signature": sig})
    assert r.status_code == 200, r.text
    return r.text


def _the_emergency_task(rt, patient_id):
    [task] = [t for t in _tasks(rt) if t.kind is TaskKind.clinical_emergency]
    assert task.urgency is TaskUrgency.emergency and task.status == "open"
    assert task.patient_id == patient_id
    return task


def _alert(rt, task):
    """The `triage.alert` event on the task's interaction (the one alert there)."""
    assert task.interaction_id is not None
    view = timeline.get_interaction(rt, actor=SYSTEM, interaction_id=task.interaction_id)
    [alert] = [e for e in view.events if e.kind == "triage.alert"]
    assert alert.data["task_id"] == task.id
    return view, alert


def test_chest_pain_gets_911_an_emergency_task_and_an_alert_not_a_confirmation(
    rt, clinic, reminded, text, caplog
):
    patient, phone, appt = reminded()
    caplog.set_level(logging.DEBUG)
    status, answers = text(phone, "chest pain")
    assert status == 200 and len(answers) == 1
    [answer] = answers
    assert "call 911" in answer and "Lakeside Clinic" in answer
    assert "confirm" not in answer.lower() and "Sam" not in answer and "chest" not in answer
    assert _status(rt, appt) is AppointmentStatus.booked  # not read as a reply to the reminder
    task = _the_emergency_task(rt, patient)
    assert (task.location_id, task.appointment_id) == (clinic.location, appt.id)
    view, alert = _alert(rt, task)
    assert view.patient_id == patient
    assert alert.data["urgency"] == "emergency" and alert.data["task_urgency"] == "emergency"
    assert phone in (alert.text or "") and phone not in str(alert.data)
    received = next(e for e in view.events if e.kind == "sms.received")
    assert received.text == "chest pain" and "chest" not in str(received.data)
    assert [e.text for e in view.events if e.kind == "sms.answered"] == [answer]
    # The alert is on the patient's own timeline, where a screen looks.
    assert "triage.alert" in [e.kind for e in _sms_events(rt, patient)]
    assert "chest" not in caplog.text and phone not in caplog.text


def test_a_spanish_speaker_who_cannot_breathe_is_told_to_call_911_in_spanish(rt, reminded, text):
    patient, phone, appt = reminded(language="es")
    [answer] = text(phone, "me duele el pecho y no puedo respirar")[1]
    assert "llame al 911" in answer and "Lakeside Clinic" in answer
    assert "call 911" not in answer and "Responda C" not in answer
    assert _status(rt, appt) is AppointmentStatus.booked
    task = _the_emergency_task(rt, patient)
    _view, alert = _alert(rt, task)
    assert alert.data["urgency"] == "emergency"


@pytest.mark.parametrize(
    ("language", "words", "expected"),
    [
        ("en", "I want to kill myself", ["988", "Suicide & Crisis Lifeline", "911"]),
        ("es", "quiero suicidarme", ["988", "Prevencion del Suicidio", "911"]),
    ],
)
def test_a_crisis_gets_988_and_911_and_an_emergency_task(
    rt, reminded, text, language, words, expected
):
    patient, phone, _appt = reminded(language=language)
    [answer] = text(phone, words)[1]
    for needed in expected:
        assert needed in answer, answer
    assert "kill" not in answer and "suicidarme" not in answer
    task = _the_emergency_task(rt, patient)
    _view, alert = _alert(rt, task)
    assert alert.data["intent"] == "crisis"


def test_an_urgent_symptom_gets_a_nurse_call_and_an_urgent_review_task(rt, reminded, text):
    patient, phone, appt = reminded()
    [answer] = text(phone, "my incision is red and leaking")[1]
    assert "A nurse will call you" in answer and "911" in answer
    assert "incision" not in answer
    [task] = _tasks(rt)
    assert (task.kind, task.urgency) == (TaskKind.urgent_clinical_review, TaskUrgency.urgent)
    assert task.patient_id == patient
    _view, alert = _alert(rt, task)
    assert alert.data["urgency"] == "urgent"
    assert _status(rt, appt) is AppointmentStatus.booked


@pytest.mark.parametrize("word", ["C", "YES"])
def test_c_and_yes_still_confirm_and_make_no_clinical_task(rt, reminded, text, word):
    patient, phone, appt = reminded()
    [answer] = text(phone, word)[1]
    assert "is confirmed" in answer and "911" not in answer
    assert _status(rt, appt) is AppointmentStatus.confirmed
    assert _tasks(rt) == []
    kinds = [e.kind for e in _sms_events(rt, patient)]
    assert "sms.received" in kinds and "triage.alert" not in kinds


def test_a_spanish_si_confirms_whatever_triage_makes_of_it(rt, reminded, text):
    # Clinicians write "SI" for suicidal ideation; a patient's "Sí" is a yes.
    _patient, phone, appt = reminded(language="es")
    [answer] = text(phone, "Sí")[1]
    assert "confirmada" in answer and "988" not in answer
    assert _status(rt, appt) is AppointmentStatus.confirmed
    assert _tasks(rt) == []


def test_stop_still_opts_out(rt, reminded, text):
    patient, phone, _appt = reminded()
    [answer] = text(phone, "STOP")[1]
    assert "no more texts" in answer and "911" not in answer
    consent = patients.get_patient(rt, actor=SYSTEM, patient_id=patient).sms_consent
    assert consent is SmsConsent.opted_out
    assert _tasks(rt) == []


def test_yes_with_clinical_words_is_clinical_and_does_not_confirm(rt, reminded, text):
    patient, phone, appt = reminded()
    [answer] = text(phone, "yes but my chest hurts")[1]
    assert "call 911" in answer and "confirmed" not in answer
    assert _status(rt, appt) is AppointmentStatus.booked
    task = _the_emergency_task(rt, patient)
    view, _alert_event = _alert(rt, task)
    received = next(e for e in view.events if e.kind == "sms.received")
    assert received.data["action"] == ReplyAction.clinical.value


def test_stop_with_a_crisis_opts_out_and_still_gets_988(rt, reminded, text):
    patient, phone, _appt = reminded()
    [answer] = text(phone, "STOP I want to kill myself")[1]
    assert "988" in answer and "no more texts" in answer
    consent = patients.get_patient(rt, actor=SYSTEM, patient_id=patient).sms_consent
    assert consent is SmsConsent.opted_out
    _the_emergency_task(rt, patient)


def test_an_unknown_number_that_cannot_breathe_gets_guidance_and_the_clinics_task(
    rt, clinic, text, caplog
):
    numbered = LocationUpdate(main_phone=CLINIC_NUMBER)
    directory.update_location(rt, actor=SYSTEM, location_id=clinic.location, changes=numbered)
    caplog.set_level(logging.DEBUG)
    [answer] = text(STRANGER, "I can't breathe")[1]
    assert "call 911" in answer and "Lakeside Clinic" in answer
    [task] = _tasks(rt)
    assert (task.kind, task.urgency) == (TaskKind.clinical_emergency, TaskUrgency.emergency)
    assert task.patient_id is None and task.location_id == clinic.location
    view, alert = _alert(rt, task)
    assert view.patient_id is None and view.location_id == clinic.location
    assert alert.data["known_sender"] is False
    assert alert.text == f"Call back at {STRANGER}"  # encrypted, for the nurse who calls
    assert STRANGER not in caplog.text and "breathe" not in caplog.text


def test_an_unknown_number_texting_a_network_number_gets_a_network_task(rt, client):
    network = "+13125550199"  # bound to no clinic
    answer = _post(client, rt, sid="SMnet1", from_=STRANGER, body="I can't breathe", to=network)
    assert "call 911" in answer and "careline" in answer
    [task] = _tasks(rt)
    assert task.kind is TaskKind.clinical_emergency
    assert (task.patient_id, task.location_id) == (None, None)  # everyone's worklist
    _alert(rt, task)


def test_unknown_numbers_still_get_nothing_for_plain_words(rt, clinic, text):
    assert text(STRANGER, "C")[1] == []
    assert text(STRANGER, "what time do you open")[1] == []
    assert _tasks(rt) == []


def test_a_provider_retry_of_an_emergency_acts_once_and_gets_the_same_answer(rt, client, reminded):
    patient, phone, _appt = reminded()
    first = _post(client, rt, sid="SMemerg1", from_=phone, body="chest pain")
    second = _post(client, rt, sid="SMemerg1", from_=phone, body="chest pain")
    assert first == second and "call 911" in first
    assert len(re.findall("<Message>", first)) == 1
    task = _the_emergency_task(rt, patient)
    _alert(rt, task)
    assert [e.kind for e in _sms_events(rt, patient)].count("triage.alert") == 1


def test_an_opted_out_patient_still_gets_emergency_guidance_but_nothing_else(rt, reminded, text):
    patient, phone, appt = reminded()
    text(phone, "STOP")
    assert text(phone, "C")[1] == []  # ordinary replies stay suppressed
    assert _status(rt, appt) is AppointmentStatus.booked
    [answer] = text(phone, "I can't breathe")[1]
    assert "call 911" in answer
    _the_emergency_task(rt, patient)
    # An urgent symptom is a nurse's task, but not a text to someone who opted out.
    assert text(phone, "my incision is red and leaking")[1] == []
    kinds = [t.kind for t in _tasks(rt)]
    assert TaskKind.urgent_clinical_review in kinds
    consent = patients.get_patient(rt, actor=SYSTEM, patient_id=patient).sms_consent
    assert consent is SmsConsent.opted_out  # the safety text changed nothing


def test_the_worklist_shows_emergencies_first(rt, reminded, text):
    _patient, phone, _appt = reminded()
    text(phone, "can I bring my daughter")  # a routine front-desk task, older
    text(phone, "my incision is red and leaking")
    text(phone, "chest pain")
    kinds = [t.kind for t in _tasks(rt)]
    assert kinds == [
        TaskKind.clinical_emergency,
        TaskKind.urgent_clinical_review,
        TaskKind.reply_needs_staff,
    ]


def test_an_escalated_voicemail_task_becomes_urgent(rt, clinic):
    def make(kind):
        return worklist.create_task(
            rt,
            kind=kind,
            patient_id=None,
            appointment_id=None,
            location_id=clinic.location,
            dedupe_key="voicemail:CA1",
            escalate=True,
        )

    assert make(TaskKind.voicemail).urgency is TaskUrgency.routine
    task = make(TaskKind.urgent_voicemail)
    assert (task.kind, task.urgency) == (TaskKind.urgent_voicemail, TaskUrgency.urgent)
    assert len(_tasks(rt)) == 1
