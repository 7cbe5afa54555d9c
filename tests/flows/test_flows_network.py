"""One main number for many clinics: the network flow routes known callers to their
home clinic, lets unknown callers choose (keypad or the clinic's name), and then
follows the chosen clinic's hours and queues."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from careline.api.app import create_app
from careline.core.errors import ValidationFailed
from careline.core.settings import DEMO_AUTH_TOKEN
from careline.flows import service as flows
from careline.flows.model import validate_flow
from careline.flows.network import Clinic, network_flow
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.security.model import SYSTEM
from careline.telephony.render import parse_queue_name
from careline.telephony.virtual_carrier import (
    CallerInput,
    NumberConfig,
    ScriptedAgents,
    ScriptedCaller,
    VirtualCarrier,
)
from clinics import chicago_clinic

MAIN = "+13125550199"
BASE = "http://testserver/telephony/voice"
NUMBER = NumberConfig(voice_url=f"{BASE}/incoming", status_callback=f"{BASE}/status")
# 10:30 in Chicago, 09:30 in Denver on a Tuesday.
TUESDAY = datetime(2026, 3, 3, 16, 30, tzinfo=UTC)


def _clinic(rt, code, name, tz, opens):
    return chicago_clinic(rt, code=code, name=name, timezone=tz, opens=opens)


@pytest.fixture
def network(rt, clock):
    clock.set(TUESDAY)
    riverside = _clinic(rt, "RFM", "Riverside Family Medicine", "America/Chicago", "08:00")
    # Mesa Ridge opens at 10:00 Denver time: still closed at 09:30 there.
    mesa = _clinic(rt, "MRC", "Mesa Ridge Clinic", "America/Denver", "10:00")
    doc = network_flow(
        flows.example_document("main-line"),
        network_name="Prairie and Peaks Health",
        clinics=[Clinic(riverside, "Riverside Family Medicine"), Clinic(mesa, "Mesa Ridge Clinic")],
    )
    flows.install_example(rt, actor=SYSTEM, number=MAIN, document=doc)
    return riverside, mesa


@pytest.fixture
def carrier(rt):
    return VirtualCarrier(TestClient(create_app(rt)), auth_token=DEMO_AUTH_TOKEN)


def _call(carrier, from_, *inputs):
    return carrier.call(
        number=NUMBER,
        from_=from_,
        to=MAIN,
        caller=ScriptedCaller(list(inputs), patience_seconds=600),
        agents=ScriptedAgents(queue_wait_seconds=10),
    )


def _queue(rec):
    queued = rec.of_kind("queue")
    return parse_queue_name(str(queued[0].detail["queue"])) if queued else None


def test_the_network_flow_validates_clean(rt, network):
    riverside, mesa = network
    live = flows.flow_for_number(rt, number=MAIN)
    assert live.binding.location_id is None  # one number for the whole network
    doc = network_flow(
        flows.example_document("main-line"),
        network_name="Net",
        clinics=[Clinic(riverside, "Riverside"), Clinic(mesa, "Mesa Ridge")],
    )
    assert validate_flow(doc) == []


def test_an_unknown_caller_chooses_a_clinic_and_queues_there(rt, network, carrier):
    riverside, _ = network
    rec = _call(
        carrier,
        "+17735550130",
        CallerInput(digits="1"),
        CallerInput(digits="1"),
        CallerInput(digits="1"),
    )
    heard = " ".join(rec.heard())
    assert "Prairie and Peaks Health" in heard
    assert "For Riverside Family Medicine, press 1. For Mesa Ridge Clinic, press 2." in heard
    assert _queue(rec) == ("scheduling", "routine", "en", riverside)


def test_the_chosen_clinics_hours_decide_not_the_first_clinics(rt, network, carrier):
    rec = _call(carrier, "+17735550131", CallerInput(digits="1"), CallerInput(digits="2"))
    heard = " ".join(rec.heard())
    assert "Our offices are closed" in heard  # Mesa Ridge opens at 10:00 Denver time
    assert _queue(rec) is None


def test_a_clinic_can_be_chosen_by_name(rt, network, carrier):
    riverside, _ = network
    rec = _call(
        carrier,
        "+17735550132",
        CallerInput(digits="1"),
        CallerInput(speech="riverside please"),
        CallerInput(digits="4"),
    )
    assert _queue(rec) == ("billing", "routine", "en", riverside)


def test_a_caller_who_does_not_choose_goes_to_the_first_clinic(rt, network, carrier):
    riverside, _ = network
    rec = _call(carrier, "+17735550133", CallerInput(digits="1"))  # then silence
    # Silence at the clinic menu, then silence at the main menu: the front desk.
    assert _queue(rec) == ("general", "routine", "en", riverside)


def test_a_known_caller_goes_straight_to_their_home_clinic(rt, network, carrier):
    riverside, _ = network
    patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(
            given_name="Ana",
            family_name="Example",
            date_of_birth="1980-01-01",
            phones=[PhoneIn(number="+17205550134")],
            home_location_id=riverside,
            preferred_language="en",
        ),
    )
    rec = _call(carrier, "+17205550134", CallerInput(digits="3"))
    heard = " ".join(rec.heard())
    assert "For Riverside Family Medicine" not in heard
    assert _queue(rec) == ("refills", "routine", "en", riverside)


def test_a_network_flow_needs_the_main_line_and_one_to_nine_clinics(network):
    riverside, _ = network
    base = flows.example_document("main-line")
    with pytest.raises(ValidationFailed):
        network_flow(base, network_name="Net", clinics=[])
    with pytest.raises(ValidationFailed):
        network_flow(
            base, network_name="Net", clinics=[Clinic(riverside, f"C{i}") for i in range(10)]
        )
    other = base.model_copy(
        update={"nodes": {k: v for k, v in base.nodes.items() if k != "welcome"}}
    )
    with pytest.raises(ValidationFailed):
        network_flow(other, network_name="Net", clinics=[Clinic(riverside, "Riverside")])


def test_a_flow_naming_a_clinic_that_does_not_exist_is_not_published(rt, network):
    """A typo in a clinic id would send callers to nobody's queue: refused by node."""
    doc = network_flow(
        flows.example_document("main-line"),
        network_name="Net",
        clinics=[Clinic("00000000-0000-0000-0000-000000000000", "Nowhere")],
    )
    assert validate_flow(doc) == []  # the graph itself is fine
    created = flows.create_flow(rt, actor=SYSTEM, document=doc)
    with pytest.raises(ValidationFailed) as err:
        flows.publish_flow(rt, actor=SYSTEM, flow_id=created.id, reason="try it")
    assert err.value.extra["problems"] == [
        {"node_id": "clinic_1", "code": "unknown-location", "message": "no location has this id"}
    ]


def test_the_demo_main_number_serves_the_whole_network(rt, clock, carrier):
    """The demo binds its one main number without a location: a caller who picks
    Lakeview Pediatrics queues at Lakeview, not at the first clinic."""
    from careline.demo import MAIN_NUMBER, seed_demo
    from careline.directory.service import list_locations

    clock.set(TUESDAY)
    assert seed_demo(rt, patients_count=5)
    live = flows.flow_for_number(rt, number=MAIN_NUMBER)
    assert live.binding.location_id is None
    codes = {loc.code: loc.id for loc in list_locations(rt, limit=10, offset=0)[0]}
    rec = carrier.call(
        number=NUMBER,
        from_="+17735550135",
        to=MAIN_NUMBER,
        caller=ScriptedCaller(
            [CallerInput(digits="1"), CallerInput(digits="2"), CallerInput(digits="1")],
            patience_seconds=600,
        ),
        agents=ScriptedAgents(queue_wait_seconds=10),
    )
    assert _queue(rec) == ("scheduling", "routine", "en", codes["LVP"])


def test_an_unknown_callers_call_belongs_to_the_clinic_they_chose(rt, network, carrier, make_user):
    """Issue 11, item 4: a call to the network's main line never recorded the chosen
    clinic, so an unknown caller's voicemail was visible to every clinic."""
    from careline.security.model import Role
    from careline.security.service import actor_for_user_id
    from careline.timeline import service as timeline
    from careline.timeline.service import InteractionOutOfScope

    riverside, mesa = network
    # Mesa Ridge is closed now: the caller who chooses it is heard by its voicemail.
    _call(carrier, "+17735550139", CallerInput(digits="1"), CallerInput(digits="2"))
    [call] = timeline.list_unattached(rt, actor=SYSTEM, limit=10, offset=0)[0]
    assert call.location_id == mesa
    riverside_desk = actor_for_user_id(rt, user_id=make_user((Role.agent, riverside)).id)
    mesa_desk = actor_for_user_id(rt, user_id=make_user((Role.agent, mesa)).id)
    assert timeline.list_unattached(rt, actor=riverside_desk, limit=10, offset=0)[0] == []
    with pytest.raises(InteractionOutOfScope):
        timeline.get_interaction(rt, actor=riverside_desk, interaction_id=call.id)
    assert timeline.get_interaction(rt, actor=mesa_desk, interaction_id=call.id).id == call.id


def test_an_unknown_caller_who_chose_no_clinic_is_for_network_wide_staff_only(
    rt, network, carrier, make_user
):
    from careline.security.model import Role
    from careline.security.service import actor_for_user_id
    from careline.timeline import service as timeline
    from careline.timeline.service import InteractionOutOfScope

    riverside, _ = network
    # A call that ended at the clinic menu: no clinic was ever chosen.
    call = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", external_ref="CAnoclinic"
    )
    assert call.location_id is None
    clinic_desk = actor_for_user_id(rt, user_id=make_user((Role.agent, riverside)).id)
    with pytest.raises(InteractionOutOfScope):
        timeline.get_interaction(rt, actor=clinic_desk, interaction_id=call.id)
    network_desk = actor_for_user_id(rt, user_id=make_user(Role.supervisor).id)
    assert timeline.get_interaction(rt, actor=network_desk, interaction_id=call.id).id == call.id
