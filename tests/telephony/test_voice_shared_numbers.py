"""A call from a number several patients share: the caller keys the patient's date of
birth (and, for twins, the first letters of the first name) and the call goes on as
that patient; otherwise it goes on unverified. Speech at the question is heard by
the flow's first prompt, so an emergency is never held up by identification."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from careline.api.app import create_app
from careline.core.settings import DEMO_AUTH_TOKEN
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn, keypad_digits, narrow_candidates
from careline.security.model import SYSTEM
from careline.telephony import identify
from careline.telephony.virtual_carrier import (
    CallerInput,
    NumberConfig,
    ScriptedAgents,
    ScriptedCaller,
    VirtualCarrier,
)
from careline.timeline import service as timeline
from clinics import clinic_with_caller

MAIN = "+13125550199"
HOME = "+13125550143"
BASE = "http://testserver/telephony/voice"
TUESDAY_10AM_CHICAGO = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
NUMBER = NumberConfig(voice_url=f"{BASE}/incoming", status_callback=f"{BASE}/status")


def _patient(rt, location_id, given: str, born: str) -> str:
    data = PatientCreate(
        given_name=given, family_name="Example", date_of_birth=born,
        phones=[PhoneIn(number=HOME)], home_location_id=location_id,
    )  # fmt: skip
    return patients.create_patient(rt, actor=SYSTEM, data=data).id


@pytest.fixture
def household(rt, clock):
    """Rosa (1970-05-05, from `clinic_with_caller`), Marco and Maria (twins, 2012-09-14)."""
    clock.set(TUESDAY_10AM_CHICAGO)
    location_id, rosa = clinic_with_caller(rt, number=MAIN, caller=HOME)
    marco = _patient(rt, location_id, "Marco", "2012-09-14")
    maria = _patient(rt, location_id, "María", "2012-09-14")
    return {"rosa": rosa, "marco": marco, "maria": maria}


def _call(rt, *inputs: CallerInput):
    carrier = VirtualCarrier(TestClient(create_app(rt)), auth_token=DEMO_AUTH_TOKEN)
    return carrier.call(
        number=NUMBER, from_=HOME, to=MAIN, caller=ScriptedCaller(list(inputs)),
        agents=ScriptedAgents(queue_wait_seconds=5),
    )  # fmt: skip


def _calls_on(rt, patient_id):
    items, _ = timeline.list_timeline(rt, actor=SYSTEM, patient_id=patient_id, limit=20, offset=0)
    return [i for i in items if i.channel.value == "voice"]


def test_keypad_letters_and_the_narrowing_are_what_a_phone_keys():
    assert keypad_digits("María José") == "62742" + "5673"  # M-A-R-I-A, J-O-S-E
    assert keypad_digits("O'Neil") == "66345"
    people = [
        ("a", datetime(2012, 9, 14).date(), "Marco"),
        ("b", datetime(2012, 9, 14).date(), "María"),
    ]
    assert narrow_candidates(people, birth_digits="09142012") == ["a", "b"]
    assert narrow_candidates(people, name_digits="627") == ["a", "b"]  # M-A-R for both
    assert narrow_candidates(people, name_digits="6272") == ["a"]  # M-A-R-C
    assert narrow_candidates(people, birth_digits="01012000") == []


def test_the_date_of_birth_finds_the_caller_and_the_call_is_theirs(rt, household):
    record = _call(rt, CallerInput(digits="05051970"))
    heard = " ".join(record.heard())
    assert "date of birth" in heard and "fecha de nacimiento" in heard
    assert "Thank you for calling" in heard  # then the flow, as Rosa
    [call] = _calls_on(rt, household["rosa"])
    kinds = [e.kind for e in call.events]
    assert "caller.shared_number" in kinds and "caller.identified" in kinds
    assert not _calls_on(rt, household["marco"]) and not _calls_on(rt, household["maria"])


def test_twins_are_told_apart_by_the_first_letters_of_the_name(rt, household):
    record = _call(rt, CallerInput(digits="09142012"), CallerInput(digits="627"))
    assert "first three letters" in " ".join(record.heard())
    # M-A-R fits both twins: nobody is guessed, the call goes on unverified.
    assert not _calls_on(rt, household["marco"]) and not _calls_on(rt, household["maria"])
    unattached, _ = timeline.list_unattached(rt, actor=SYSTEM, limit=10, offset=0)
    assert any(e.kind == "caller.unverified" for e in unattached[0].events)


def test_a_wrong_date_is_asked_again_then_the_call_goes_on_unverified(rt, household):
    record = _call(rt, CallerInput(digits="01012001"), CallerInput(digits="02022002"))
    heard = " ".join(record.heard())
    assert "does not match" in heard and "Thank you for calling" in heard
    for pid in household.values():
        assert not _calls_on(rt, pid)


def test_silence_goes_on_unverified_without_a_second_question(rt, household):
    record = _call(rt)
    heard = " ".join(record.heard())
    assert heard.count("date of birth") == 1 and "Thank you for calling" in heard
    assert all(not _calls_on(rt, pid) for pid in household.values())


def test_an_emergency_said_at_the_question_gets_guidance_at_once(rt, household):
    record = _call(rt, CallerInput(speech="my chest hurts and I can't breathe"))
    heard = " ".join(record.heard())
    assert "hang up and dial 9 1 1 now" in heard
    assert heard.index("date of birth") < heard.index("9 1 1")
    [queued] = record.of_kind("queue")
    assert "nurse_triage.emergency" in str(queued.detail["queue"])


def test_a_number_with_one_patient_is_not_asked(rt, clock):
    clock.set(TUESDAY_10AM_CHICAGO)
    _, rosa = clinic_with_caller(rt, number=MAIN, caller=HOME)
    record = _call(rt)
    assert "date of birth" not in " ".join(record.heard())
    assert len(_calls_on(rt, rosa)) == 1


def test_progress_keeps_ids_only():
    p = identify.Progress(("id-1", "id-2"), stage="first_name", tries=1)
    assert identify.Progress.from_dict(p.to_dict()) == p
    assert set(p.to_dict()) == {"candidates", "stage", "tries"}
