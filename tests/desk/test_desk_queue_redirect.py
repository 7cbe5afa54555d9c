"""Issue 9: a caller for whom an agent was reserved leaves the provider queue at once,
by the provider's Queue Members REST call, instead of at their next wait request
(2 to 20 s later). Driven through the Twilio adapter against the virtual carrier's
REST side over real HTTP; the wait pass stays the fallback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from desk_support import MAIN

from careline.core.settings import DEMO_AUTH_TOKEN
from careline.desk import service as desk
from careline.directory import service as directory
from careline.directory.model import PresenceState
from careline.providers.twilio.service import TwilioProvider
from careline.providers.virtual.rest import CarrierState, VirtualCarrierApi
from careline.security.model import SYSTEM
from careline.telephony.queue_redirect import QUEUE_REDIRECT
from careline.telephony.virtual_carrier import (
    CallerInput,
    NumberConfig,
    QueueMember,
    QueueRegistry,
    ScriptedAgents,
    ScriptedCaller,
    VirtualCarrier,
)
from live import live_server

BASE = "http://testserver/telephony/voice"
NUMBER = NumberConfig(
    voice_url=f"{BASE}/incoming", fallback_url=f"{BASE}/fallback", status_callback=f"{BASE}/status"
)
FRONT_DESK = "+13125550180"


@pytest.fixture
def rest_carrier(rt):
    state = CarrierState(deliver=False)
    with live_server(VirtualCarrierApi(state)) as url:
        rt.provider = TwilioProvider(
            account_sid=state.account_sid, auth_token=state.auth_token, base_url=url,
            timeout_seconds=2.0,
        )  # fmt: skip
        rt.settings = rt.settings.model_copy(update={"public_base_url": "http://testserver"})
        yield state


def test_an_agent_reserved_by_another_callers_request_takes_the_caller_out_at_once(
    rt, clinic, hire, app_client, rest_carrier, clock
):
    agent = hire(clinic, FRONT_DESK, skills=["scheduling"], available=False)

    def meanwhile(member: QueueMember) -> None:
        # While this caller waits: the agent comes back, and another caller's wait
        # request matches the floor — the agent goes to the caller who waited longer.
        clock.advance(timedelta(seconds=5))
        directory.set_presence(rt, actor=SYSTEM, staff_id=agent, state=PresenceState.available)
        desk.enqueue(
            rt, call_sid="CA-other", department="scheduling", priority="routine",
            language="en", location_id=clinic, home_location_id=None,
        )  # fmt: skip
        assert desk.review(rt, call_sid="CA-other") is None  # not theirs

    queues = rest_carrier.queues
    queues.on_join = meanwhile
    carrier = VirtualCarrier(app_client, auth_token=DEMO_AUTH_TOKEN, queues=queues)
    agents = ScriptedAgents(answer_queues=False)
    rec = carrier.call(
        number=NUMBER,
        from_="+17735550102",
        to=MAIN,
        caller=ScriptedCaller([CallerInput(digits="1"), CallerInput(digits="1")]),
        agents=agents,
    )
    [queued] = rec.of_kind("queue")
    assert queued.detail["result"] == "redirected" and queued.detail["wait"] == 0
    paths = [e.detail["url"] for e in rec.of_kind("request")]
    # Straight from the queue to the agent's ring: no wait pass was needed.
    after_enqueue = paths[paths.index(QUEUE_REDIRECT) - 1 :]
    assert "/telephony/voice/queue-wait" not in paths
    assert after_enqueue[1] == QUEUE_REDIRECT
    [dialled] = rec.of_kind("dial")
    assert dialled.detail["target"] == FRONT_DESK and dialled.detail["status"] == "completed"
    assert agents.answered == [FRONT_DESK]


def test_a_redirect_for_a_caller_no_longer_waiting_is_refused_and_changes_nothing(rest_carrier, rt):
    # The wait pass stays the guarantee: the adapter answers False, careline goes on.
    sid = rest_carrier.queues.sid_of("scheduling.routine.en@network")
    assert sid.startswith("QU")
    assert (
        rt.provider.redirect_queue_member(
            queue="scheduling.routine.en@network", call_sid="CA-gone", url="http://testserver/x"
        )
        is False
    )
    assert (
        rt.provider.redirect_queue_member(
            queue="no-such-queue", call_sid="CA-gone", url="http://testserver/x"
        )
        is False
    )


def test_the_registry_redirects_only_a_member_of_that_queue():
    queues = QueueRegistry()
    member = queues.join("a.routine.en@x", "CA1", 0.0)
    other = queues.sid_of("b.routine.en@x")
    assert not queues.redirect(other, "CA1", "http://h/u", "POST")
    assert queues.redirect(member.queue_sid, "CA1", "http://h/u", "POST")
    assert queues.take_redirect("CA1") == ("http://h/u", "POST")
    assert queues.take_redirect("CA1") is None
    queues.leave("CA1")
    assert not queues.redirect(member.queue_sid, "CA1", "http://h/u", "POST")
