"""A waitlist offer reaches the patient's virtual phone through the Twilio adapter and the
carrier's REST API; their YES comes back through the signed inbound webhook and books."""

from __future__ import annotations

from careline.patients import service as patients
from careline.scheduling import service as scheduling
from careline.scheduling.model import SlotStatus
from careline.security.model import SYSTEM
from careline.waitlist import service as waitlist
from careline.waitlist.model import EntryStatus
from virtual_phone import on_virtual_carrier


def test_an_offer_reaches_the_phone_and_yes_books_the_slot(rt, clock, new_entry, new_slot):
    first, second = new_entry(), new_entry()
    slot = new_slot()
    with on_virtual_carrier(rt) as phones:
        opening = waitlist.offer_slot(rt, slot_id=slot, reason="cancellation")
        assert opening is not None
        numbers = {}
        for entry in (first, second):
            pid = waitlist.get_entry(rt, actor=SYSTEM, entry_id=entry).patient_id
            numbers[entry] = patients.get_patient(rt, actor=SYSTEM, patient_id=pid).phones[0].number
            [offer] = phones.received(numbers[entry])
            assert "YES" in offer
        answers = phones.reply(numbers[second], "YES")
        assert answers, "careline answered nothing"
        assert waitlist.get_entry(rt, actor=SYSTEM, entry_id=second).status is EntryStatus.booked
        assert scheduling.get_slot(rt, slot_id=slot).status is SlotStatus.busy
        # The first to answer got it; a later YES is told the slot is gone.
        late = phones.reply(numbers[first], "YES")
        assert late and late[0] != answers[0]
        assert waitlist.get_entry(rt, actor=SYSTEM, entry_id=first).status is not EntryStatus.booked
