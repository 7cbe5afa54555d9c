"""Booking, open capacity, cancelling and rescheduling, on real databases."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from scheduling_helpers import ANNUAL, FOLLOWUP, agent_at, audit_entries
from sqlalchemy import func, select

from careline.core.db import transaction
from careline.core.errors import Conflict, NotFound, ValidationFailed
from careline.scheduling import service as scheduling
from careline.scheduling.model import (
    AppointmentCreate,
    AppointmentStatus,
    CancelReason,
    RescheduleRequest,
    SlotStatus,
    TransitionRefused,
)
from careline.scheduling.tables import AppointmentRow, SlotRow
from careline.security.model import SYSTEM
from careline.timeline import service as timeline


def free_ids(rt, **filters) -> list[str]:
    return [s.id for s in scheduling.free_slots(rt, **filters)]


def slot_status(rt, slot_id) -> SlotStatus:
    return scheduling.get_slot(rt, slot_id=slot_id).status


def test_booking_a_free_slot_takes_it_audits_and_writes_the_timeline(rt, clinic, make_slot, book):
    slot = make_slot()
    assert free_ids(rt) == [slot]
    appt = book(slot)
    assert appt.status is AppointmentStatus.booked
    assert appt.slot_id == slot and appt.staff_id == clinic.provider
    assert appt.location_id == clinic.location and appt.department_id == clinic.department
    assert appt.appointment_type == FOLLOWUP  # the slot's type
    assert appt.duration_minutes == 30 and appt.end - appt.start == timedelta(minutes=30)
    assert slot_status(rt, slot) is SlotStatus.busy
    assert free_ids(rt) == []

    entry = audit_entries(rt, action="appointment.create")[-1]
    assert entry.patient_id == clinic.patient and entry.resource_id == appt.id
    assert "Follow-up" not in str(entry.details)  # the display text stays out of the audit log

    assert appt.interaction_id is not None
    items, _ = timeline.list_timeline(
        rt, actor=SYSTEM, patient_id=clinic.patient, limit=10, offset=0
    )
    assert [i.id for i in items] == [appt.interaction_id]
    (event,) = items[0].events
    assert event.kind == "appointment.booked"
    assert event.data["appointment_id"] == appt.id and event.data["type_code"] == "FOLLOWUP"
    assert "Follow-up visit" not in str(event.data)
    assert items[0].external_ref == f"appointment:{appt.id}" and items[0].ended_at is None


def test_one_slot_cannot_be_booked_twice(rt, clinic, make_slot, make_patient, book):
    slot = make_slot()
    book(slot)
    other = make_patient(location_id=clinic.location)
    with pytest.raises(Conflict) as refused:
        book(slot, patient_id=other)
    assert refused.value.error_id == "slot-taken"
    with transaction(rt.sessions) as s:
        assert s.execute(select(func.count(AppointmentRow.id))).scalar_one() == 1


def test_concurrent_bookings_of_one_slot_exactly_one_wins(rt, clinic, make_slot, make_patient):
    slot = make_slot()
    patients = [make_patient(location_id=clinic.location) for _ in range(4)]
    barrier = threading.Barrier(len(patients))
    won: list[str] = []
    lost: list[str] = []
    unexpected: list[BaseException] = []

    def attempt(pid: str) -> None:
        barrier.wait()
        try:
            appt = scheduling.create_appointment(
                rt, actor=SYSTEM, data=AppointmentCreate(patient_id=pid, slot_id=slot)
            )
            won.append(appt.patient_id)
        except Conflict as exc:
            lost.append(exc.error_id)
        except BaseException as exc:  # pragma: no cover - reported below
            unexpected.append(exc)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in patients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert unexpected == []
    assert len(won) == 1
    assert lost == ["slot-taken"] * 3
    with transaction(rt.sessions) as s:
        rows = list(s.execute(select(AppointmentRow)).scalars())
    assert [r.patient_id for r in rows] == won and rows[0].holds_slot_id == slot
    assert slot_status(rt, slot) is SlotStatus.busy


def test_a_provider_is_not_double_booked_without_slots(rt, clock, clinic, book):
    start = clock.now() + timedelta(days=2)
    timed = dict(
        staff_id=clinic.provider,
        location_id=clinic.location,
        duration_minutes=30,
        appointment_type=ANNUAL,
    )
    book(start=start, **timed)
    with pytest.raises(Conflict) as refused:
        book(start=start + timedelta(minutes=15), **timed)
    assert refused.value.error_id == "provider-double-booked"
    # Back to back is fine (intervals are half-open).
    book(start=start + timedelta(minutes=30), **timed)


def test_a_free_slot_overlapping_a_booked_time_is_not_offered(rt, clock, clinic, make_slot, book):
    start = clock.now() + timedelta(days=2)
    slot = make_slot(start=start + timedelta(minutes=15))
    assert free_ids(rt) == [slot]
    book(
        start=start,
        staff_id=clinic.provider,
        location_id=clinic.location,
        duration_minutes=30,
        appointment_type=ANNUAL,
    )
    assert free_ids(rt) == []
    with pytest.raises(Conflict) as refused:
        book(slot)
    assert refused.value.error_id == "provider-double-booked"
    assert slot_status(rt, slot) is SlotStatus.free  # the refused booking left nothing behind


def test_blocked_past_and_unknown_slots_are_refused(rt, clock, make_slot, book):
    blocked = make_slot(hours=5)
    scheduling.set_slot_status(rt, actor=SYSTEM, slot_id=blocked, status=SlotStatus.blocked)
    with pytest.raises(Conflict) as refused:
        book(blocked)
    assert refused.value.error_id == "slot-blocked"

    soon = make_slot(hours=1)
    clock.advance(timedelta(hours=2))
    with pytest.raises(Conflict) as refused:
        book(soon)
    assert refused.value.error_id == "slot-in-past"
    assert free_ids(rt) == []  # past slots are not open capacity

    with pytest.raises(NotFound) as missing:
        book("00000000-0000-0000-0000-000000000000")
    assert missing.value.error_id == "no-such-slot"


def test_a_typed_slot_takes_only_its_type(rt, make_slot, book, clinic):
    typed = make_slot()
    with pytest.raises(ValidationFailed) as bad:
        scheduling.create_appointment(
            rt,
            actor=SYSTEM,
            data=AppointmentCreate(
                patient_id=clinic.patient, slot_id=typed, appointment_type=ANNUAL
            ),
        )
    assert bad.value.problems[0].field == "body.appointment_type"
    untyped = make_slot(hours=48, appointment_type=None)
    with pytest.raises(ValidationFailed):
        book(untyped)  # an untyped slot needs the caller to say what the visit is
    appt = scheduling.create_appointment(
        rt,
        actor=SYSTEM,
        data=AppointmentCreate(patient_id=clinic.patient, slot_id=untyped, appointment_type=ANNUAL),
    )
    assert appt.appointment_type == ANNUAL


def test_bad_references_are_named(rt, clock, clinic):
    data = AppointmentCreate(
        patient_id=clinic.patient,
        staff_id="00000000-0000-0000-0000-000000000000",
        location_id="00000000-0000-0000-0000-000000000001",
        department_id="00000000-0000-0000-0000-000000000002",
        start=clock.now() - timedelta(hours=1),
        duration_minutes=20,
        appointment_type=ANNUAL,
    )
    with pytest.raises(ValidationFailed) as bad:
        scheduling.create_appointment(rt, actor=SYSTEM, data=data)
    assert {p.field for p in bad.value.problems} == {
        "body.staff_id",
        "body.department_id",
        "body.start",
    }
    good = data.model_copy(
        update={
            "staff_id": clinic.provider,
            "department_id": None,
            "start": clock.now() + timedelta(hours=3),
        }
    )
    with pytest.raises(ValidationFailed) as bad:
        scheduling.create_appointment(rt, actor=SYSTEM, data=good)
    assert [p.field for p in bad.value.problems] == ["body.location_id"]
    unknown_patient = good.model_copy(
        update={
            "location_id": clinic.location,
            "patient_id": "00000000-0000-0000-0000-00000000000f",
        }
    )
    with pytest.raises(NotFound) as missing:
        scheduling.create_appointment(rt, actor=SYSTEM, data=unknown_patient)
    assert missing.value.error_id == "no-such-patient"


def test_cancelling_frees_the_slot_for_someone_else(rt, clinic, make_slot, make_patient, book):
    slot = make_slot()
    appt = book(slot)
    cancelled = scheduling.cancel(
        rt, actor=SYSTEM, appointment_id=appt.id, reason=CancelReason.patient
    )
    assert cancelled.status is AppointmentStatus.cancelled
    assert cancelled.cancellation_reason is CancelReason.patient
    assert free_ids(rt) == [slot]
    assert slot_status(rt, slot) is SlotStatus.free
    again = book(slot, patient_id=make_patient(location_id=clinic.location))
    assert again.slot_id == slot

    # Cancelling twice is harmless (a retried request) and frees nothing more.
    twice = scheduling.cancel(rt, actor=SYSTEM, appointment_id=appt.id, reason=CancelReason.other)
    assert twice.cancellation_reason is CancelReason.patient
    assert slot_status(rt, slot) is SlotStatus.busy

    items, _ = timeline.list_timeline(
        rt, actor=SYSTEM, patient_id=clinic.patient, limit=10, offset=0
    )
    first = next(i for i in items if i.id == appt.interaction_id)
    assert [e.kind for e in first.events] == ["appointment.booked", "appointment.cancelled"]
    assert first.events[1].data["reason"] == "patient"
    assert first.status == "cancelled" and first.ended_at is not None


def test_cancelling_an_appointment_without_a_slot_publishes_one(rt, clock, clinic, book):
    start = clock.now() + timedelta(days=3)
    appt = book(
        start=start,
        staff_id=clinic.provider,
        location_id=clinic.location,
        department_id=clinic.department,
        duration_minutes=40,
        appointment_type=ANNUAL,
    )
    assert appt.slot_id is None and free_ids(rt) == []
    scheduling.cancel(rt, actor=SYSTEM, appointment_id=appt.id, reason=CancelReason.weather)
    (offered,) = scheduling.free_slots(rt, department_id=clinic.department)
    assert offered.start == start and offered.duration_minutes == 40
    assert offered.staff_id == clinic.provider and offered.appointment_type == ANNUAL


def test_cancelling_after_the_time_passed_publishes_nothing(rt, clock, clinic, book):
    appt = book(
        start=clock.now() + timedelta(hours=1),
        staff_id=clinic.provider,
        location_id=clinic.location,
        duration_minutes=30,
        appointment_type=ANNUAL,
    )
    clock.advance(timedelta(hours=2))
    scheduling.cancel(rt, actor=SYSTEM, appointment_id=appt.id, reason=CancelReason.patient)
    with transaction(rt.sessions) as s:
        assert s.execute(select(func.count(SlotRow.id))).scalar_one() == 0


def test_free_slots_filters(
    rt, clock, clinic, make_slot, make_staff, make_location, make_department
):
    other_site = make_location("South Clinic")
    other_dept = make_department(other_site)
    other_doc = make_staff("Dr. Other", location_id=other_site)
    a = make_slot(hours=24)
    b = make_slot(hours=26, appointment_type=None)
    c = make_slot(
        hours=30,
        staff_id=other_doc,
        location_id=other_site,
        department_id=other_dept,
        appointment_type=ANNUAL,
    )
    assert free_ids(rt) == [a, b, c]
    assert free_ids(rt, appointment_type="FOLLOWUP") == [a, b]  # untyped takes any type
    assert free_ids(rt, appointment_type="ANNUAL") == [b, c]
    assert free_ids(rt, location_id=other_site) == [c]
    assert free_ids(rt, department_id=clinic.department) == [a, b]
    assert free_ids(rt, staff_id=other_doc) == [c]
    now = clock.now()
    assert free_ids(rt, window_start=now + timedelta(hours=25)) == [b, c]
    assert free_ids(rt, window_end=now + timedelta(hours=25)) == [a]
    with pytest.raises(ValidationFailed):
        scheduling.free_slots(rt, window_start=now, window_end=now - timedelta(hours=1))
    with pytest.raises(ValidationFailed):
        scheduling.free_slots(rt, window_start=datetime(2026, 3, 3, 9, 0))  # naive


def test_slots_of_one_provider_do_not_overlap(rt, make_slot):
    make_slot(hours=24)
    with pytest.raises(Conflict) as refused:
        make_slot(hours=24.25)
    assert refused.value.error_id == "slot-overlaps"


def test_a_busy_slot_cannot_be_blocked_or_freed_by_hand(rt, make_slot, book):
    slot = make_slot()
    book(slot)
    for status in (SlotStatus.blocked, SlotStatus.free):
        with pytest.raises(Conflict) as refused:
            scheduling.set_slot_status(rt, actor=SYSTEM, slot_id=slot, status=status)
        assert refused.value.error_id == "slot-busy"
    with pytest.raises(ValidationFailed):
        scheduling.set_slot_status(rt, actor=SYSTEM, slot_id=slot, status=SlotStatus.busy)


def test_rescheduling_moves_to_a_new_slot_and_frees_the_old_one(rt, clinic, make_slot, book):
    old, new = make_slot(hours=24), make_slot(hours=48)
    appt = book(old)
    scheduling.confirm(rt, actor=SYSTEM, appointment_id=appt.id)
    moved = scheduling.reschedule(
        rt, actor=SYSTEM, appointment_id=appt.id, to=RescheduleRequest(slot_id=new)
    )
    assert moved.slot_id == new and moved.start == scheduling.get_slot(rt, slot_id=new).start
    assert moved.status is AppointmentStatus.booked  # the confirmation was for the old time
    assert slot_status(rt, old) is SlotStatus.free and slot_status(rt, new) is SlotStatus.busy
    assert free_ids(rt) == [old]
    entry = audit_entries(rt, action="appointment.reschedule")[-1]
    assert entry.patient_id == clinic.patient
    items, _ = timeline.list_timeline(
        rt, actor=SYSTEM, patient_id=clinic.patient, limit=10, offset=0
    )
    kinds = [e.kind for e in items[0].events]
    assert kinds == ["appointment.booked", "appointment.confirmed", "appointment.rescheduled"]


def test_rescheduling_into_a_taken_slot_changes_nothing(rt, clinic, make_slot, make_patient, book):
    mine, theirs = make_slot(hours=24), make_slot(hours=48)
    appt = book(mine)
    book(theirs, patient_id=make_patient(location_id=clinic.location))
    with pytest.raises(Conflict) as refused:
        scheduling.reschedule(
            rt, actor=SYSTEM, appointment_id=appt.id, to=RescheduleRequest(slot_id=theirs)
        )
    assert refused.value.error_id == "slot-taken"
    still = scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt.id)
    assert still.slot_id == mine and slot_status(rt, mine) is SlotStatus.busy
    with pytest.raises(ValidationFailed):
        scheduling.reschedule(
            rt, actor=SYSTEM, appointment_id=appt.id, to=RescheduleRequest(slot_id=mine)
        )


def test_rescheduling_to_a_time_gives_the_old_slot_back(rt, clock, clinic, make_slot, book):
    slot = make_slot(hours=24)
    appt = book(slot)
    later = clock.now() + timedelta(days=5)
    moved = scheduling.reschedule(
        rt,
        actor=SYSTEM,
        appointment_id=appt.id,
        to=RescheduleRequest(start=later, duration_minutes=45),
    )
    assert moved.start == later and moved.duration_minutes == 45 and moved.slot_id is None
    assert free_ids(rt) == [slot]


def test_finished_appointments_cannot_be_rescheduled(rt, clock, make_slot, book):
    appt = book(make_slot(hours=1))
    clock.advance(timedelta(hours=1, minutes=5))
    scheduling.mark_noshow(rt, actor=SYSTEM, appointment_id=appt.id)
    with pytest.raises(TransitionRefused):
        scheduling.reschedule(
            rt,
            actor=SYSTEM,
            appointment_id=appt.id,
            to=RescheduleRequest(start=clock.now() + timedelta(days=1)),
        )


def test_a_visit_from_booking_to_fulfilled(rt, clock, clinic, make_slot, book):
    appt = book(make_slot(hours=2))
    with pytest.raises(TransitionRefused):
        scheduling.mark_fulfilled(rt, actor=SYSTEM, appointment_id=appt.id)
    with pytest.raises(TransitionRefused):
        scheduling.mark_noshow(rt, actor=SYSTEM, appointment_id=appt.id)  # not started yet
    assert scheduling.confirm(rt, actor=SYSTEM, appointment_id=appt.id).status == "confirmed"
    clock.advance(timedelta(hours=1, minutes=50))
    assert scheduling.mark_arrived(rt, actor=SYSTEM, appointment_id=appt.id).status == "arrived"
    with pytest.raises(TransitionRefused):
        scheduling.cancel(rt, actor=SYSTEM, appointment_id=appt.id, reason=CancelReason.patient)
    done = scheduling.mark_fulfilled(rt, actor=SYSTEM, appointment_id=appt.id)
    assert done.status is AppointmentStatus.fulfilled
    items, _ = timeline.list_timeline(
        rt, actor=SYSTEM, patient_id=clinic.patient, limit=10, offset=0
    )
    assert [e.kind for e in items[0].events] == [
        "appointment.booked",
        "appointment.confirmed",
        "appointment.arrived",
        "appointment.fulfilled",
    ]
    assert items[0].status == "fulfilled"


def test_a_location_day_is_its_local_day(rt, clock, clinic, book):
    # 23:30 in Chicago on 3 March is 05:30 UTC on 4 March: it belongs to 3 March there.
    late = datetime(2026, 3, 4, 5, 30, tzinfo=UTC)
    timed = dict(
        staff_id=clinic.provider,
        location_id=clinic.location,
        duration_minutes=20,
        appointment_type=ANNUAL,
    )
    evening = book(start=late, **timed)
    morning = book(start=datetime(2026, 3, 3, 15, 0, tzinfo=UTC), **timed)
    book(start=datetime(2026, 3, 4, 15, 0, tzinfo=UTC), **timed)
    from datetime import date

    items, total = scheduling.list_appointments_at_location(
        rt, actor=SYSTEM, location_id=clinic.location, day=date(2026, 3, 3), limit=10, offset=0
    )
    assert total == 2 and [a.id for a in items] == [morning.id, evening.id]
    entry = audit_entries(rt, action="appointment.list")[-1]
    assert set(entry.details["patient_ids"]) == {clinic.patient}
    with pytest.raises(NotFound):
        scheduling.list_appointments_at_location(
            rt,
            actor=SYSTEM,
            location_id="00000000-0000-0000-0000-000000000000",
            day=date(2026, 3, 3),
            limit=10,
            offset=0,
        )


def test_scope_follows_the_location_or_the_patient(
    rt, clinic, make_location, make_patient, make_slot, book
):
    south = make_location("South Clinic")
    visitor = make_patient(location_id=south)  # home elsewhere, seen here
    appt = book(make_slot(), patient_id=visitor)
    # The front desk of the appointment's clinic may act on it.
    here = agent_at(clinic.location)
    assert scheduling.get_appointment(rt, actor=here, appointment_id=appt.id).id == appt.id
    # Staff of the patient's home clinic too (through the patient's scope)...
    home = agent_at(south)
    assert scheduling.get_appointment(rt, actor=home, appointment_id=appt.id).id == appt.id
    # ...but not a third clinic's.
    elsewhere = agent_at(make_location("East Clinic"))
    with pytest.raises(Exception) as refused:
        scheduling.get_appointment(rt, actor=elsewhere, appointment_id=appt.id)
    assert getattr(refused.value, "status", None) == 403
    denied = audit_entries(rt, outcome="denied")
    assert denied and denied[-1].patient_id == visitor
    with pytest.raises(Exception) as refused:
        scheduling.cancel(rt, actor=elsewhere, appointment_id=appt.id, reason=CancelReason.other)
    assert getattr(refused.value, "status", None) == 403
    assert scheduling.get_appointment(rt, actor=SYSTEM, appointment_id=appt.id).status == "booked"
