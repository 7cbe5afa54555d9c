"""Offers in waves, expiry, quiet hours, cancellation refill, first-YES-wins under threads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from careline.core.errors import CarelineError
from careline.messaging import replies
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentCreate, CancelReason, SlotStatus
from careline.security.model import SYSTEM, Actor, Role, RoleGrant
from careline.waitlist import replies as _registered  # noqa: F401
from careline.waitlist import service as waitlist
from careline.waitlist.model import (
    ConfirmOutcome,
    EntryStatus,
    OfferStatus,
    OpeningStatus,
    WaveSettings,
)


def statuses(rt, entry_ids):
    return [waitlist.get_entry(rt, actor=SYSTEM, entry_id=e).status for e in entry_ids]


def test_waves_spacing_and_expiry(rt, clock, new_entry, new_slot, worker) -> None:
    entries = [new_entry(wait=timedelta(minutes=1)) for _ in range(5)]
    slot = new_slot()
    opening = waitlist.offer_slot(rt, slot_id=slot, reason="test")
    assert opening is not None and opening.waves_sent == 1
    first = waitlist.list_offers(rt, opening_id=opening.id)
    # Default wave: 3, the longest-waiting first, each with its SMS.
    assert {o.entry_id for o in first} == set(entries[:3])
    assert all(o.message_id for o in first)
    assert statuses(rt, entries) == [EntryStatus.offered] * 3 + [EntryStatus.waiting] * 2
    worker.run_until_idle()
    assert len(waitlist.list_offers(rt, opening_id=opening.id)) == 3  # not yet: 10 minutes
    clock.advance(timedelta(minutes=9, seconds=59))
    worker.run_until_idle()
    assert len(waitlist.list_offers(rt, opening_id=opening.id)) == 3
    clock.advance(timedelta(seconds=1))
    worker.run_until_idle()
    second = [o for o in waitlist.list_offers(rt, opening_id=opening.id) if o.wave == 2]
    assert {o.entry_id for o in second} == set(entries[3:])
    # Wave 1 expires 30 minutes after it went out; those entries wait again.
    clock.advance(timedelta(minutes=20))
    worker.run_until_idle()
    after = {o.entry_id: o.status for o in waitlist.list_offers(rt, opening_id=opening.id)}
    assert [after[e] for e in entries] == [OfferStatus.expired] * 3 + [OfferStatus.open] * 2
    assert statuses(rt, entries)[:3] == [EntryStatus.waiting] * 3
    # Nobody is left to ask: the opening ends once the last offers expire.
    for _ in range(3):  # the follow-up waves notice the last expiries
        clock.advance(timedelta(minutes=10))
        worker.run_until_idle()
    assert waitlist.get_opening(rt, opening_id=opening.id).status is OpeningStatus.exhausted


def test_wave_settings_per_department(rt, wl_clinic, new_entry, new_slot) -> None:
    for _ in range(4):
        new_entry()
    waitlist.set_wave_settings(
        rt,
        actor=SYSTEM,
        department_id=wl_clinic.department,
        data=WaveSettings(wave_size=1, spacing_minutes=5, offer_minutes=15),
    )
    opening = waitlist.offer_slot(rt, slot_id=new_slot(), reason="test")
    assert opening is not None
    (offer,) = waitlist.list_offers(rt, opening_id=opening.id)
    assert offer.expires_at - offer.sent_at == timedelta(minutes=15)


def test_withdrawn_and_voice_entries_are_never_offered(rt, new_entry, new_slot) -> None:
    gone = new_entry(priority=1)
    voice = new_entry(priority=1, channel="voice")
    kept = new_entry(priority=5)
    waitlist.withdraw_entry(rt, actor=SYSTEM, entry_id=gone)
    opening = waitlist.offer_slot(rt, slot_id=new_slot(), reason="test")
    assert opening is not None
    assert [o.entry_id for o in waitlist.list_offers(rt, opening_id=opening.id)] == [kept]
    assert waitlist.list_offers(rt, entry_id=gone) == []
    assert waitlist.list_offers(rt, entry_id=voice) == []


def test_an_entry_holds_one_open_offer_at_a_time(rt, new_entry, new_slot) -> None:
    only = new_entry()
    a = waitlist.offer_slot(rt, slot_id=new_slot(24), reason="test")
    b = waitlist.offer_slot(rt, slot_id=new_slot(48), reason="test")
    assert a is not None and b is not None
    assert len(waitlist.list_offers(rt, entry_id=only)) == 1
    assert b.status is OpeningStatus.exhausted


def test_offer_slot_is_idempotent_and_refuses_a_busy_slot(
    rt, new_entry, new_slot, wl_clinic, new_patient
) -> None:
    new_entry()
    slot = new_slot()
    first = waitlist.offer_slot(rt, slot_id=slot, reason="test")
    again = waitlist.offer_slot(rt, slot_id=slot, reason="sweep")
    assert first is not None and again is not None and again.id == first.id
    other = new_slot(48)
    scheduling.create_appointment(
        rt, actor=SYSTEM, data=AppointmentCreate(patient_id=new_patient(), slot_id=other)
    )
    assert waitlist.offer_slot(rt, slot_id=other, reason="test") is None


def test_quiet_hours_make_the_wave_wait(rt, clock, new_entry, new_slot, worker) -> None:
    entry = new_entry()
    # 22:00 in New York (EST, UTC-5).
    clock.set(datetime(2026, 3, 3, 3, 0, tzinfo=UTC))
    opening = waitlist.offer_slot(rt, slot_id=new_slot(24), reason="test")
    assert opening is not None and opening.waves_sent == 0
    assert waitlist.list_offers(rt, entry_id=entry) == []
    clock.set(datetime(2026, 3, 3, 12, 59, tzinfo=UTC))  # 07:59 local
    worker.run_until_idle()
    assert waitlist.list_offers(rt, entry_id=entry) == []
    clock.set(datetime(2026, 3, 3, 13, 0, tzinfo=UTC))  # 08:00 local
    worker.run_until_idle()
    (offer,) = waitlist.list_offers(rt, entry_id=entry)
    assert offer.sent_at == datetime(2026, 3, 3, 13, 0, tzinfo=UTC)


def test_cancellation_is_refilled_first_offer_within_a_second(
    rt, clock, new_entry, new_slot, new_patient, worker
) -> None:
    waiting = new_entry()
    waiting_patient = waitlist.get_entry(rt, actor=SYSTEM, entry_id=waiting).patient_id
    slot = new_slot()
    booked = scheduling.create_appointment(
        rt, actor=SYSTEM, data=AppointmentCreate(patient_id=new_patient(), slot_id=slot)
    )
    clock.advance(timedelta(hours=1))
    cancelled_at = clock.now()
    scheduling.cancel(rt, actor=SYSTEM, appointment_id=booked.id, reason=CancelReason.patient)
    clock.advance(timedelta(milliseconds=500))  # the in-process worker's next poll
    worker.run_until_idle()
    (offer,) = waitlist.list_offers(rt, entry_id=waiting)
    opening = waitlist.get_opening(rt, opening_id=offer.opening_id)
    assert opening.opened_at == cancelled_at
    assert opening.first_offer_at is not None
    assert opening.first_offer_at - opening.opened_at <= timedelta(seconds=1)
    answer = replies.offer(rt, patient_id=waiting_patient, text="Sí", at=clock.now())
    assert answer is not None and "booked" in answer
    assert scheduling.get_slot(rt, slot_id=slot).status is SlotStatus.busy
    appts, _ = scheduling.list_appointments_for_patient(
        rt, actor=SYSTEM, patient_id=waiting_patient, limit=10, offset=0
    )
    assert [(a.slot_id, a.source.value) for a in appts] == [(slot, "waitlist")]
    assert waitlist.get_entry(rt, actor=SYSTEM, entry_id=waiting).status is EntryStatus.booked
    done = waitlist.get_opening(rt, opening_id=opening.id)
    assert done.status is OpeningStatus.filled and done.appointment_id == appts[0].id


def test_no_declines_and_keeps_place(rt, clock, new_entry, new_slot) -> None:
    entry = new_entry()
    patient = waitlist.get_entry(rt, actor=SYSTEM, entry_id=entry).patient_id
    waitlist.offer_slot(rt, slot_id=new_slot(), reason="test")
    assert replies.offer(rt, patient_id=patient, text="no", at=clock.now()) is not None
    assert waitlist.get_entry(rt, actor=SYSTEM, entry_id=entry).status is EntryStatus.waiting
    (offer,) = waitlist.list_offers(rt, entry_id=entry)
    assert offer.status is OfferStatus.declined
    # Words that are not an answer, or no live offer: not consumed.
    assert replies.offer(rt, patient_id=patient, text="what time?", at=clock.now()) is None


def test_reply_after_expiry_is_not_a_booking(rt, clock, new_entry, new_slot) -> None:
    entry = new_entry()
    (offer_opening) = waitlist.offer_slot(rt, slot_id=new_slot(), reason="test")
    assert offer_opening is not None
    (offer,) = waitlist.list_offers(rt, entry_id=entry)
    clock.advance(timedelta(minutes=31))
    outcome, view = waitlist.confirm_offer(rt, offer_id=offer.id)
    assert outcome is ConfirmOutcome.not_open and view.status is OfferStatus.expired


@pytest.mark.parametrize("n", [6])
def test_simultaneous_yes_books_exactly_once(rt, clock, wl_clinic, new_entry, new_slot, n) -> None:
    waitlist.set_wave_settings(rt, actor=SYSTEM, department_id=None, data=WaveSettings(wave_size=n))
    entries = [new_entry() for _ in range(n)]
    patients_ = [waitlist.get_entry(rt, actor=SYSTEM, entry_id=e).patient_id for e in entries]
    slot = new_slot()
    opening = waitlist.offer_slot(rt, slot_id=slot, reason="test")
    assert opening is not None and len(waitlist.list_offers(rt, opening_id=opening.id)) == n
    barrier = threading.Barrier(n)
    answers: dict[str, str | None] = {}
    errors: list[BaseException] = []

    def reply(patient_id: str) -> None:
        try:
            barrier.wait()
            answers[patient_id] = replies.offer(
                rt, patient_id=patient_id, text="YES", at=clock.now()
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reply, args=(p,)) for p in patients_]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    booked = [p for p, a in answers.items() if a and "booked" in a]
    taken = [p for p, a in answers.items() if a and "already taken" in a]
    assert len(booked) == 1 and len(taken) == n - 1
    booked_appts = []
    for p in patients_:
        appts, _ = scheduling.list_appointments_for_patient(
            rt, actor=SYSTEM, patient_id=p, limit=5, offset=0
        )
        booked_appts += appts
    assert len(booked_appts) == 1 and booked_appts[0].patient_id == booked[0]
    states = {
        waitlist.get_entry(rt, actor=SYSTEM, entry_id=e).patient_id: waitlist.get_entry(
            rt, actor=SYSTEM, entry_id=e
        ).status
        for e in entries
    }
    assert states[booked[0]] is EntryStatus.booked
    assert all(states[p] is EntryStatus.waiting for p in taken)


def test_scope_refuses_other_clinics_patients(rt, make_location, new_patient, wl_clinic) -> None:
    from careline.waitlist.model import EntryCreate

    elsewhere = make_location("South Clinic")
    agent = Actor(user_id="u1", username="agent", grants=(RoleGrant(Role.agent, elsewhere),))
    data = EntryCreate(
        patient_id=new_patient(),
        department_id=wl_clinic.department,
        location_ids=[wl_clinic.location],
    )
    with pytest.raises(CarelineError) as err:
        waitlist.create_entry(rt, actor=agent, data=data)
    assert err.value.error_id == "patient-out-of-scope"
    bad = EntryCreate(
        patient_id=data.patient_id, department_id=wl_clinic.department, location_ids=["nope"]
    )
    with pytest.raises(CarelineError) as err2:
        waitlist.create_entry(rt, actor=SYSTEM, data=bad)
    assert err2.value.status == 422


class Crash(Exception):
    """Stands for the process dying mid-confirmation (nothing after it runs)."""


@pytest.mark.parametrize("booked_before_crash", [False, True])
def test_a_confirmation_cut_off_by_a_crash_is_mended_by_the_sweep(
    rt, clock, new_entry, new_slot, monkeypatch, booked_before_crash
) -> None:
    entry = new_entry()
    opening = waitlist.offer_slot(rt, slot_id=new_slot(), reason="test")
    assert opening is not None
    (offer,) = waitlist.list_offers(rt, entry_id=entry)
    real_create = scheduling.create_appointment

    def crashing_create(*args, **kwargs):
        if booked_before_crash:
            real_create(*args, **kwargs)
        raise Crash

    monkeypatch.setattr(scheduling, "create_appointment", crashing_create)
    with pytest.raises(Crash):
        waitlist.confirm_offer(rt, offer_id=offer.id)
    monkeypatch.setattr(scheduling, "create_appointment", real_create)
    assert waitlist.get_opening(rt, opening_id=opening.id).status is OpeningStatus.booking
    assert waitlist.recover_stuck_bookings(rt) == 0  # not stale yet: it may still finish
    clock.advance(waitlist.BOOKING_STALE_AFTER + timedelta(seconds=1))
    assert waitlist.recover_stuck_bookings(rt) == 1
    mended = waitlist.get_opening(rt, opening_id=opening.id)
    if booked_before_crash:
        assert mended.status is OpeningStatus.filled and mended.appointment_id
        assert waitlist.get_entry(rt, actor=SYSTEM, entry_id=entry).status is EntryStatus.booked
    else:
        assert mended.status is OpeningStatus.open and mended.appointment_id is None
        outcome, _ = waitlist.confirm_offer(rt, offer_id=offer.id)  # the YES, retried
        assert outcome is ConfirmOutcome.booked
    assert waitlist.recover_stuck_bookings(rt) == 0
