"""Reminders reach the patient's (virtual) phone through the Twilio adapter and the
carrier's REST API, and the patient's answer comes back through the signed webhooks
and changes the schedule."""

from __future__ import annotations

from reminders_support import local

from careline.directory import service as directory
from careline.directory.model import LocationUpdate
from careline.messaging.model import MessageStatus
from careline.patients.model import PreferredChannel
from careline.reminders import service as reminders
from careline.reminders.model import ReminderStatus
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentStatus
from careline.security.model import SYSTEM
from virtual_phone import on_virtual_carrier


def _status(rt, appt):
    return scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt.id).status


def test_a_text_reminder_reaches_the_phone_and_c_confirms(rt, clock, make_patient, book, worker):
    patient, phone = make_patient()
    appt = book(patient, local(2026, 11, 2, 9, 30))
    with on_virtual_carrier(rt) as phones:
        reminders.plan_reminders(rt, appointment_id=appt.id)
        clock.set(local(2026, 10, 31, 10, 30))
        worker.run_until_idle()
        planned = reminders.list_reminders(rt, actor=SYSTEM, appointment_id=appt.id)
        assert [r.status for r in planned].count(ReminderStatus.sent) == 1  # the 48 h one
        [text] = phones.received(phone)
        assert "Lakeside Clinic" in text and "C" in text
        assert phones.state.count("Messages", to=phone) == 1
        answers = phones.reply(phone, "C")
        assert answers and "confirmed" in answers[0].lower()
        assert _status(rt, appt) is AppointmentStatus.confirmed
        # The answer itself reached the phone too, as the carrier delivers a TwiML reply.
        assert phones.received(phone)[-1] == answers[0]


def test_the_carrier_reports_delivery_of_the_reminder(rt, clock, make_patient, book, worker):
    import time

    from careline.messaging import service as messaging

    patient, _phone = make_patient()
    appt = book(patient, local(2026, 11, 2, 9, 30))
    with on_virtual_carrier(rt):
        reminders.plan_reminders(rt, appointment_id=appt.id)
        clock.set(local(2026, 10, 31, 10, 30))
        worker.run_until_idle()
        planned = reminders.list_reminders(rt, actor=SYSTEM, appointment_id=appt.id)
        [reminder] = [r for r in planned if r.status is ReminderStatus.sent]
        assert reminder.message_id is not None
        deadline = time.monotonic() + 20
        status = None
        while time.monotonic() < deadline:
            status = messaging.get_message(rt, actor=SYSTEM, message_id=reminder.message_id).status
            if status is MessageStatus.delivered:
                break
            time.sleep(0.05)
        assert status is MessageStatus.delivered


def test_a_voice_reminder_rings_the_phone_and_1_confirms(
    rt, clock, clinic, make_patient, book, worker
):
    directory.update_location(
        rt, actor=SYSTEM, location_id=clinic.location,
        changes=LocationUpdate(main_phone="+13125550100"),
    )  # fmt: skip
    patient, phone = make_patient(channel=PreferredChannel.voice)
    appt = book(patient, local(2026, 11, 2, 9, 30))
    with on_virtual_carrier(rt) as phones:
        reminders.plan_reminders(rt, appointment_id=appt.id)
        clock.set(local(2026, 10, 31, 10, 30))
        worker.run_until_idle()
        worker.run_until_idle()  # a second run must not ring twice
        [call] = phones.calls(phone)
        assert call["from"] == "+13125550100" and call["status"] == "queued"
        heard = " ".join(phones.answer(call["sid"], digits=["1"]))
        assert "press 1" in heard and "confirmed" in heard
        assert _status(rt, appt) is AppointmentStatus.confirmed
        assert phones.calls(phone)[0]["status"] == "completed"
