"""Issue 9: a clinic's own texting number. Its reminders, waitlist offers and staff
texts come from it, so a patient sees the clinic they know; a clinic without one
uses the network's default sender, as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from reminders_support import local

from careline.core.errors import ValidationFailed
from careline.directory import service as directory
from careline.directory.model import LocationUpdate
from careline.messaging.model import DEFAULT_SENDER
from careline.providers.outbox.service import list_outbox
from careline.reminders import service as reminders
from careline.reminders.model import ReminderStatus
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentStatus
from careline.security.model import SYSTEM
from careline.waitlist import service as waitlist
from careline.waitlist.model import EntryCreate

CLINIC_SMS = "+13125550199"


def _texts(rt):
    items = list_outbox(rt.sessions, rt.clock, actor=SYSTEM, limit=100, offset=0)[0]
    return [i for i in items if i.kind == "message"]


def _give_number(rt, clinic, number: str | None = CLINIC_SMS):
    return directory.update_location(
        rt, actor=SYSTEM, location_id=clinic.location, changes=LocationUpdate(sms_number=number)
    )


def test_the_number_is_checked_and_kept_in_e164(rt, clinic):
    assert _give_number(rt, clinic, "(312) 555-0199").sms_number == CLINIC_SMS
    with pytest.raises(ValidationFailed) as err:
        _give_number(rt, clinic, "call the front desk")
    assert [p.field for p in err.value.problems] == ["body.sms_number"]
    assert directory.get_location(rt, location_id=clinic.location).sms_number == CLINIC_SMS


def test_reminders_come_from_the_clinics_number_and_replies_to_it_confirm(
    rt, clock, clinic, make_patient, book, worker, text
):
    _give_number(rt, clinic)
    patient, phone = make_patient()
    appt = book(patient, local(2026, 11, 2, 9, 30))
    reminders.plan_reminders(rt, appointment_id=appt.id)
    clock.set(local(2026, 10, 31, 10, 30))
    worker.run_until_idle()
    [sent] = _texts(rt)
    assert (sent.to, sent.from_) == (phone, CLINIC_SMS)
    assert reminders.list_reminders(rt, actor=SYSTEM, appointment_id=appt.id)[0].status is (
        ReminderStatus.sent
    )
    status, _answer = text(phone, "C")
    assert status == 200
    confirmed = scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt.id)
    assert confirmed.status is AppointmentStatus.confirmed


def test_a_clinic_without_a_number_keeps_the_default_sender(
    rt, clock, clinic, make_patient, book, worker
):
    patient, _phone = make_patient()
    appt = book(patient, local(2026, 11, 2, 9, 30))
    reminders.plan_reminders(rt, appointment_id=appt.id)
    clock.set(local(2026, 10, 31, 10, 30))
    worker.run_until_idle()
    assert [t.from_ for t in _texts(rt)] == [DEFAULT_SENDER]


def test_waitlist_offers_come_from_the_clinic_of_the_slot(
    rt, clock, clinic, make_patient, make_slot
):
    _give_number(rt, clinic)
    waiting, waiting_phone = make_patient()
    waitlist.create_entry(
        rt,
        actor=SYSTEM,
        data=EntryCreate(
            patient_id=waiting, appointment_type="FOLLOWUP", location_ids=[clinic.location]
        ),
    )
    slot = make_slot(clock.now() + timedelta(hours=26))
    opening = waitlist.offer_slot(rt, slot_id=slot, reason="test")
    assert opening is not None
    [offer] = waitlist.list_offers(rt, opening_id=opening.id)
    assert offer.message_id is not None
    assert [(t.to, t.from_) for t in _texts(rt)] == [(waiting_phone, CLINIC_SMS)]
