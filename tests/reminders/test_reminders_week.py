"""THE test: a simulated week of a clinic across the end of daylight saving time in
Chicago (Sunday 2026-11-01), with scripted patients, driven by the real worker."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from reminders_support import TZ, WEEK_START, local
from sqlalchemy import select

from careline.core.db import transaction
from careline.messaging.tables import OutboundMessageRow
from careline.patients import service as patients
from careline.patients.model import PreferredChannel, SmsConsent
from careline.reminders import service as reminders
from careline.reminders.model import ReminderStatus
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentStatus, SlotStatus
from careline.security.model import SYSTEM
from careline.waitlist import service as waitlist
from careline.waitlist.model import EntryCreate
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind

STEP = timedelta(minutes=15)


def _sent(rt) -> list[OutboundMessageRow]:
    with transaction(rt.sessions) as s:
        rows = s.execute(
            select(OutboundMessageRow).where(OutboundMessageRow.sent_at.is_not(None))
        ).scalars()
        return [r for r in rows]


def test_a_week_of_reminders_across_dst(
    rt, clock, clinic, make_patient, book, make_slot, worker, text
):
    zone = ZoneInfo(TZ)
    # Scripted patients: appointments Mon 2 Nov to Wed 4 Nov (after the clocks go back).
    confirmer, confirmer_phone = make_patient()
    yes_sayer, yes_phone = make_patient()
    canceller, canceller_phone = make_patient()
    rescheduler, rescheduler_phone = make_patient()
    silent, _ = make_patient()
    stopper, stopper_phone = make_patient()
    spanish, spanish_phone = make_patient(language="es")
    caregiver_phone = "+13125559999"
    cared, _ = make_patient(caregiver_phone=caregiver_phone)
    voice, _ = make_patient(channel=PreferredChannel.voice)
    early, _ = make_patient()
    # Waiting for any follow-up at this clinic: gets the canceller's slot.
    waiting, waiting_phone = make_patient()
    entry = waitlist.create_entry(
        rt,
        actor=SYSTEM,
        data=EntryCreate(
            patient_id=waiting,
            appointment_type="FOLLOWUP",
            location_ids=[clinic.location],
            priority=2,
        ),
    )

    appts = {
        "confirmer": book(confirmer, local(2026, 11, 2, 9, 30)),
        "yes": book(yes_sayer, local(2026, 11, 2, 10, 0)),
        "canceller": book(canceller, local(2026, 11, 2, 11, 0)),
        "rescheduler": book(rescheduler, local(2026, 11, 3, 9, 0)),
        "silent": book(silent, local(2026, 11, 3, 10, 0)),
        "stopper": book(stopper, local(2026, 11, 3, 14, 0)),
        "spanish": book(spanish, local(2026, 11, 4, 9, 0)),
        "cared": book(cared, local(2026, 11, 4, 11, 0)),
        "voice": book(voice, local(2026, 11, 4, 15, 0)),
        # 07:00 Tuesday: 48 h before is 07:00 Sunday, in quiet hours -> 08:00 Sunday.
        "early": book(early, local(2026, 11, 3, 7, 0)),
    }
    # Open capacity the rescheduler can be offered.
    make_slot(local(2026, 11, 5, 9, 0))
    make_slot(local(2026, 11, 5, 9, 30))

    # The sweep (re)plans everything booked; run it as the worker would.
    reminders.start_sweep(rt)
    script = {
        confirmer: (confirmer_phone, "C"),
        yes_sayer: (yes_phone, "yes"),
        canceller: (canceller_phone, "N"),
        rescheduler: (rescheduler_phone, "R"),
        stopper: (stopper_phone, "STOP"),
        spanish: (spanish_phone, "Sí"),
        cared: (caregiver_phone, "C"),  # the caregiver answers for the patient
        waiting: (waiting_phone, "YES"),  # takes the offered slot
    }
    answered: dict[str, list[str]] = {}
    seen: set[str] = set()
    end = local(2026, 11, 5, 0, 0)
    while clock.now() < end:
        worker.run_until_idle()
        for msg in _sent(rt):
            if msg.id in seen:
                continue
            seen.add(msg.id)
            who = msg.patient_id
            if who in script and who not in answered:
                number, body = script[who]
                if who == cared and msg.to_number != caregiver_phone:
                    continue
                status, replies = text(number, body)
                assert status == 200
                answered[who] = replies
                worker.run_until_idle()  # what the reply set off runs at once
        clock.advance(STEP)

    sent = _sent(rt)
    # Nothing is ever sent in quiet hours, on the recipient's (the clinic's) wall clock.
    for msg in sent:
        wall = msg.sent_at.astimezone(zone).time()
        assert wall.hour >= 8 and wall.hour < 21, (msg.sent_at, msg.body)

    def times(patient_id, to=None):
        return sorted(
            m.sent_at.astimezone(zone).replace(tzinfo=None)
            for m in sent
            if m.patient_id == patient_id and (to is None or m.to_number == to)
        )

    from datetime import datetime as dt

    # 48 h before Mon 09:30 CST is Sat 10:30 CDT (48 real hours across the change);
    # the day-of reminder is at 08:00 local, CST.
    assert times(confirmer) == [dt(2026, 10, 31, 10, 30), dt(2026, 11, 2, 8, 0)]
    assert times(yes_sayer) == [dt(2026, 10, 31, 11, 0), dt(2026, 11, 2, 8, 0)]
    assert times(early) == [dt(2026, 11, 1, 8, 0)]  # moved out of quiet hours; no day-of
    assert times(silent) == [dt(2026, 11, 1, 10, 0), dt(2026, 11, 3, 8, 0)]

    # Confirmations.
    for key in ("confirmer", "yes", "spanish", "cared"):
        got = scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appts[key].id)
        assert got.status is AppointmentStatus.confirmed, key
    assert "confirmed" in answered[confirmer][0]
    assert "confirmada" in answered[spanish][0]

    # Spanish reminders were sent in Spanish, in GSM-7.
    spanish_msgs = [m for m in sent if m.patient_id == spanish]
    assert spanish_msgs and all("cita" in m.body for m in spanish_msgs)
    assert all(m.encoding == "GSM-7" and m.segments <= 2 for m in sent)

    # The caregiver got their own reminders, and so did the patient.
    assert times(cared, to=caregiver_phone)
    assert len(times(cared)) == 2 * len(times(cared, to=caregiver_phone))

    # The canceller's appointment is cancelled, its slot free for the waitlist, its
    # day-of reminder never sent.
    cancelled = scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appts["canceller"].id)
    assert cancelled.status is AppointmentStatus.cancelled
    assert appts["canceller"].slot_id is not None
    assert times(canceller) == [dt(2026, 10, 31, 12, 0)]

    # The freed slot was offered from the waitlist within a second of the cancellation
    # and booked by the first patient who said YES.
    [offer] = waitlist.list_offers(rt, entry_id=entry.id)
    opening = waitlist.get_opening(rt, opening_id=offer.opening_id)
    assert opening.first_offer_at is not None
    assert (opening.first_offer_at - opening.opened_at).total_seconds() <= 1
    assert opening.slot_id == appts["canceller"].slot_id and opening.appointment_id
    refill = scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=opening.appointment_id)
    assert refill.patient_id == waiting and refill.start == cancelled.start
    freed = scheduling.get_slot(rt, slot_id=appts["canceller"].slot_id)
    assert freed.status is SlotStatus.busy

    # The rescheduler got a task and up to 3 open times.
    tasks, _ = worklist.list_tasks(rt, actor=SYSTEM, limit=50, offset=0)
    kinds = {(t.kind, t.appointment_id) for t in tasks}
    assert (TaskKind.reschedule_request, appts["rescheduler"].id) in kinds
    assert "Thu Nov 5 9:00 AM" in answered[rescheduler][0]

    # The silent patient: a no-answer task 24 h before; confirmers get none.
    assert (TaskKind.no_answer, appts["silent"].id) in kinds
    assert (TaskKind.no_answer, appts["confirmer"].id) not in kinds

    # STOP: one confirmation, consent recorded, no further SMS.
    assert len(answered[stopper]) == 1 and "no more texts" in answered[stopper][0]
    assert patients.get_patient(rt, actor=SYSTEM, patient_id=stopper).sms_consent is (
        SmsConsent.opted_out
    )
    assert times(stopper) == [dt(2026, 11, 1, 14, 0)]
    stopper_reminders = reminders.list_reminders(
        rt, actor=SYSTEM, appointment_id=appts["stopper"].id
    )
    assert [r.status for r in stopper_reminders] == [ReminderStatus.sent, ReminderStatus.refused]

    # The voice patient: pending voice reminders for the voice edge, no SMS.
    assert times(voice) == []
    pending = reminders.pending_voice_reminders(rt)
    assert {r.appointment_id for r in pending} == {appts["voice"].id}
    assert min(r.due_at for r in pending) > WEEK_START
