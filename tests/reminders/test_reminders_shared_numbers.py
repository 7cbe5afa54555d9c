"""Two patients on one number (a household): each text lands on the patient it is
about, and a text that answers nothing careline asked is nobody's until a person
decides — never "the first match"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from reminders_support import local

from careline.patients import service as patients
from careline.patients.model import SmsConsent
from careline.reminders import service as reminders
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentStatus
from careline.security.model import SYSTEM
from careline.timeline import service as timeline
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind

HOME = "+13125550177"


@pytest.fixture
def household(make_patient):
    first, _ = make_patient(phone=HOME)
    second, _ = make_patient(phone=HOME)
    return first, second


def _status(rt, appt):
    return scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt.id).status


def _remind(rt, clock, worker, appt, at):
    reminders.plan_reminders(rt, appointment_id=appt.id)
    clock.set(at)
    worker.run_until_idle()


def _texts_on(rt, patient_id):
    items, _ = timeline.list_timeline(rt, actor=SYSTEM, patient_id=patient_id, limit=50, offset=0)
    return [i for i in items if i.channel.value == "sms" and i.direction.value == "inbound"]


def _tasks(rt, kind):
    items, _ = worklist.list_tasks(rt, actor=SYSTEM, limit=100, offset=0)
    return [t for t in items if t.kind is kind]


def test_each_reply_confirms_the_visit_it_answers(rt, clock, household, book, worker, text):
    first, second = household
    a = book(first, local(2026, 11, 2, 9, 30))
    b = book(second, local(2026, 11, 3, 10, 0))
    _remind(rt, clock, worker, a, local(2026, 10, 31, 10, 30))  # a's 48 h reminder
    assert text(HOME, "C")[0] == 200
    assert _status(rt, a) is AppointmentStatus.confirmed
    assert _status(rt, b) is AppointmentStatus.booked
    _remind(rt, clock, worker, b, local(2026, 11, 1, 11, 0))  # now b's reminder
    code, answers = text(HOME, "C")
    assert code == 200 and "confirm" in answers[0].lower()
    assert _status(rt, b) is AppointmentStatus.confirmed
    assert len(_texts_on(rt, first)) == 1 and len(_texts_on(rt, second)) == 1


def test_a_text_that_answers_nothing_asks_a_person_and_changes_nothing(
    rt, clock, household, book, text
):
    first, second = household
    a = book(first, local(2026, 11, 2, 9, 30))
    b = book(second, local(2026, 11, 3, 10, 0))
    clock.set(local(2026, 10, 31, 10, 30))  # no reminder was sent to the number
    code, answers = text(HOME, "C")
    assert code == 200 and "more than one patient" in answers[0].lower()
    assert _status(rt, a) is _status(rt, b) is AppointmentStatus.booked
    [task] = _tasks(rt, TaskKind.which_patient)
    assert set(task.candidates) == {first, second} and task.patient_id is None
    assert not _texts_on(rt, first) and not _texts_on(rt, second)
    # The text is kept, unattached, and staff can attach it to the one who wrote.
    kept, total = timeline.list_unattached(rt, actor=SYSTEM, limit=10, offset=0)
    assert total == 1 and kept[0].id == task.interaction_id
    timeline.link_patient(rt, actor=SYSTEM, interaction_id=kept[0].id, patient_id=second)
    assert len(_texts_on(rt, second)) == 1


def test_a_conversation_older_than_two_weeks_answers_nothing(
    rt, clock, household, book, worker, text
):
    first, _second = household
    a = book(first, local(2026, 11, 2, 9, 30))
    _remind(rt, clock, worker, a, local(2026, 10, 31, 10, 30))
    clock.advance(reminders.CONVERSATION_WINDOW + timedelta(minutes=1))
    text(HOME, "C")
    assert len(_tasks(rt, TaskKind.which_patient)) == 1


def test_stop_from_a_shared_number_stops_everyone_texted_on_it(rt, household, text):
    text(HOME, "STOP")
    for pid in household:
        assert patients.get_patient(rt, actor=SYSTEM, patient_id=pid).sms_consent is (
            SmsConsent.opted_out
        )


def test_an_emergency_from_a_shared_number_is_answered_and_not_filed_on_a_guess(
    rt, household, text
):
    first, second = household
    code, answers = text(HOME, "my chest hurts and I can't breathe")
    assert code == 200 and "911" in answers[0]
    [task] = _tasks(rt, TaskKind.clinical_emergency)
    assert task.patient_id is None and set(task.candidates) == {first, second}
    assert not _texts_on(rt, first) and not _texts_on(rt, second)


def test_a_waitlist_offer_answered_from_a_shared_number_books_the_offered_patient(
    rt, clock, household, book, worker, text, clinic, make_slot
):
    from careline.waitlist import replies as _registered  # noqa: F401 - the YES handler
    from careline.waitlist import service as waitlist
    from careline.waitlist.model import EntryCreate, EntryStatus

    first, second = household
    a = book(first, local(2026, 11, 2, 9, 30))
    _remind(rt, clock, worker, a, local(2026, 10, 31, 10, 30))  # first was texted...
    entry = waitlist.create_entry(
        rt,
        actor=SYSTEM,
        data=EntryCreate(
            patient_id=second, appointment_type="FOLLOWUP", location_ids=[clinic.location]
        ),
    )
    clock.advance(timedelta(minutes=5))
    slot = make_slot(local(2026, 11, 4, 11, 0))
    assert waitlist.offer_slot(rt, slot_id=slot, reason="cancellation") is not None
    worker.run_until_idle()  # ...then second got the offer: the YES answers the offer
    code, answers = text(HOME, "YES")
    assert code == 200 and answers
    assert waitlist.get_entry(rt, actor=SYSTEM, entry_id=entry.id).status is EntryStatus.booked
    assert _status(rt, a) is AppointmentStatus.booked  # first's visit untouched


def test_a_caregivers_number_on_file_for_two_children_is_asked_about_too(
    rt, make_patient, book, text
):
    parent = "+13125550188"
    first, _ = make_patient(caregiver_phone=parent)
    second, _ = make_patient(caregiver_phone=parent)
    a = book(first, local(2026, 11, 2, 9, 30))
    code, answers = text(parent, "C")
    assert code == 200 and "more than one patient" in answers[0].lower()
    [task] = _tasks(rt, TaskKind.which_patient)
    assert set(task.candidates) == {first, second}
    assert _status(rt, a) is AppointmentStatus.booked
