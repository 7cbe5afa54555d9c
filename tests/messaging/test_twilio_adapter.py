"""The Twilio adapter against the virtual carrier's REST side, over real HTTP on loopback.

Every failure a carrier can produce is provoked on the carrier's side (`Fault`):
throttling, outages, slow answers, refusals with the provider's codes, and a
request accepted whose answer never arrives. What careline must do about each is
asserted on careline's rows and counted on the carrier's side.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from careline.api.app import create_app
from careline.bootstrap import carrier_from_settings
from careline.jobs import service as jobs
from careline.jobs.registry import default_registry
from careline.jobs.worker import Worker
from careline.messaging import service as messaging
from careline.messaging.model import MessageStatus
from careline.patients import service as patients
from careline.patients.model import PatientUpdate, PreferredChannel, SmsConsent
from careline.providers.protocol import OutboundCall, OutboundMessage, ProviderError
from careline.providers.twilio.service import Pacer, TwilioProvider, provider_error
from careline.providers.virtual.rest import (
    DEFAULT_SERVICE_SID,
    CarrierState,
    Fault,
    VirtualCarrierApi,
)
from careline.security.model import SYSTEM
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind
from live import live_server

NUMBER = "+13125550143"
SENDER = "+13125550100"


@pytest.fixture
def carrier():
    state = CarrierState(deliver=False)
    with live_server(VirtualCarrierApi(state)) as url:
        yield state, url


def _adapter(carrier, **kw) -> TwilioProvider:
    state, url = carrier
    kw.setdefault("timeout_seconds", 2.0)
    return TwilioProvider(
        account_sid=state.account_sid, auth_token=state.auth_token, base_url=url, **kw
    )


def _message(body: str = "Your visit is tomorrow at 9:00.", **kw) -> OutboundMessage:
    return OutboundMessage(
        to=kw.pop("to", NUMBER), from_=kw.pop("from_", SENDER), body=body,
        idempotency_key=kw.pop("key", "k1"), **kw,
    )  # fmt: skip


# ---------------------------------------------------------------- the adapter itself


def test_a_text_is_created_with_the_providers_shapes(carrier):
    state, _ = carrier
    receipt = _adapter(carrier).send_message(_message())
    assert receipt.provider == "twilio" and receipt.status == "queued"
    assert receipt.provider_id.startswith("SM") and len(receipt.provider_id) == 34
    [held] = state.messages
    assert (held["to"], held["from"], held["body"]) == (NUMBER, SENDER, _message().body)
    assert held["direction"] == "outbound-api"


def test_a_messaging_service_sends_when_the_sender_is_a_name(carrier):
    state, _ = carrier
    adapter = _adapter(carrier, messaging_service_sid=DEFAULT_SERVICE_SID)
    adapter.send_message(_message(from_="careline"))
    assert state.messages[0]["messaging_service_sid"] == DEFAULT_SERVICE_SID
    with pytest.raises(ProviderError) as err:
        _adapter(carrier).send_message(_message(from_="careline"))
    assert (err.value.code, err.value.permanent) == ("no-sender", False)


def test_wrong_credentials_are_refused_and_kept_for_a_retry(carrier):
    state, url = carrier
    bad = TwilioProvider(account_sid=state.account_sid, auth_token="wrong", base_url=url)
    with pytest.raises(ProviderError) as err:
        bad.send_message(_message())
    assert (err.value.code, err.value.permanent) == ("auth", False)
    assert state.messages == []


@pytest.mark.parametrize(
    ("fault", "code", "permanent"),
    [
        (Fault("throttle"), "throttled", False),
        (Fault("outage", status=503), "provider-unavailable", False),
        (Fault("outage", status=500), "provider-unavailable", False),
        (Fault("refuse", code=21610), "opted-out", True),
        (Fault("refuse", code=21614), "unreachable", True),
        (Fault("refuse", code=21612), "unreachable", True),
        (Fault("refuse", code=21408), "unreachable", True),
    ],
)
def test_carrier_failures_map_to_what_the_clinic_needs(carrier, fault, code, permanent):
    state, _ = carrier
    state.add_fault(fault)
    adapter = _adapter(carrier)
    with pytest.raises(ProviderError) as err:
        adapter.send_message(_message())
    assert (err.value.code, err.value.permanent) == (code, permanent)
    if code == "throttled":
        assert err.value.retry_after is not None and err.value.retry_after >= 1
    assert state.messages == []
    adapter.send_message(_message())  # the fault was for one request only
    assert len(state.messages) == 1


def test_an_invalid_number_is_refused_by_the_carrier_as_unreachable(carrier):
    with pytest.raises(ProviderError) as err:
        _adapter(carrier).send_message(_message(to="+1555"))
    assert (err.value.code, err.value.permanent) == ("unreachable", True)


def test_unknown_codes_are_permanent_and_named_without_text():
    err = provider_error(400, 21999, None)
    assert err.permanent and err.code == "twilio-21999"


def test_a_slow_answer_within_the_timeout_is_a_send(carrier):
    state, _ = carrier
    state.add_fault(Fault("slow", seconds=0.3))
    assert _adapter(carrier, timeout_seconds=5).send_message(_message()).status == "queued"


def test_an_accepted_request_whose_answer_never_comes_is_found_afterwards(carrier):
    state, _ = carrier
    state.add_fault(Fault("accept-then-hang", seconds=5))
    adapter = _adapter(carrier, timeout_seconds=0.5)
    handed_off = datetime.now(UTC)
    with pytest.raises(ProviderError) as err:
        adapter.send_message(_message())
    assert (err.value.code, err.value.permanent) == ("provider-no-answer", False)
    assert len(state.messages) == 1  # the carrier did accept it
    [found] = adapter.find_messages(_message(), since=handed_off)
    assert found.provider_id == state.messages[0]["sid"]
    # Another text to the same number, or the same text long before, is not it.
    assert adapter.find_messages(_message(body="another text"), since=handed_off) == []
    later = handed_off + timedelta(minutes=10)
    assert adapter.find_messages(_message(), since=later) == []


def test_calls_are_placed_and_found(carrier):
    state, _ = carrier
    adapter = _adapter(carrier)
    call = OutboundCall(to=NUMBER, from_=SENDER, url="http://127.0.0.1:1/r", idempotency_key="c1")
    since = datetime.now(UTC)
    receipt = adapter.place_call(call)
    assert receipt.provider_id.startswith("CA") and receipt.status == "queued"
    assert [r.provider_id for r in adapter.find_calls(call, since=since)] == [receipt.provider_id]
    assert state.calls[0]["to"] == NUMBER


def test_the_pacer_keeps_each_sender_and_the_service_under_their_rate():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    pacer = Pacer(per_number=1.0, per_service=4.0, now=lambda: now[0], sleep=sleep)
    assert [pacer.wait("+1A") for _ in range(3)] == [0.0, 1.0, 1.0]
    # Another sender is held only by the service's rate (4 a second).
    assert pacer.wait("+1B") == pytest.approx(0.25)


def test_no_number_or_text_reaches_the_logs(carrier, caplog):
    state, _ = carrier
    state.add_fault(Fault("refuse", code=21211))
    adapter = _adapter(carrier)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(ProviderError):
            adapter.send_message(_message(body="Secret visit text"))
        adapter.send_message(_message(body="Secret visit text"))
        adapter.find_messages(_message(body="Secret visit text"), since=datetime.now(UTC))
    assert NUMBER not in caplog.text and NUMBER[2:] not in caplog.text
    assert "Secret visit text" not in caplog.text


# ---------------------------------------------------------------- through careline


@pytest.fixture
def twilio_rt(rt, carrier):
    rt.provider = _adapter(carrier, timeout_seconds=0.5)
    return rt


def _send(rt, pid, key="reminder:appt-1:24h"):
    return messaging.send_message(
        rt, actor=SYSTEM, patient_id=pid, body="Your visit is tomorrow.", idempotency_key=key,
        sender=SENDER,
    )  # fmt: skip


def _worker(rt) -> Worker:
    return Worker(rt, registry=default_registry(), worker_id="test-worker", batch_size=20)


def test_a_lost_answer_is_recovered_by_asking_the_carrier_never_by_resending(
    twilio_rt, clock, carrier, make_patient
):
    state, _ = carrier
    pid = make_patient()
    state.add_fault(Fault("accept-then-hang", seconds=3))
    msg = _send(twilio_rt, pid)
    assert msg.status is MessageStatus.pending and msg.error_code == "provider-no-answer"
    assert state.count("Messages", to=NUMBER) == 1
    clock.advance(timedelta(minutes=2))
    assert _worker(twilio_rt).run_once() == 1
    done = messaging.get_message(twilio_rt, actor=SYSTEM, message_id=msg.id)
    assert done.status is MessageStatus.sent and done.provider == "twilio"
    assert done.provider_id == state.messages[0]["sid"]
    assert state.count("Messages", to=NUMBER) == 1  # counted at the carrier: once
    creates = [r for r in state.requests if r["resource"] == "Messages"]
    assert len(creates) == 1  # the retry asked; it never created again


def test_the_same_text_twice_to_one_number_is_sent_twice(twilio_rt, clock, carrier, make_patient):
    # Recovery must not adopt another message's copy: two keys, same text, two sends.
    state, _ = carrier
    pid = make_patient()
    first = _send(twilio_rt, pid, key="a")
    state.add_fault(Fault("accept-then-hang", seconds=3))
    second = _send(twilio_rt, pid, key="b")
    assert second.status is MessageStatus.pending
    clock.advance(timedelta(minutes=2))
    _worker(twilio_rt).run_once()
    again = messaging.get_message(twilio_rt, actor=SYSTEM, message_id=second.id)
    assert again.status is MessageStatus.sent and again.provider_id != first.provider_id
    assert state.count("Messages", to=NUMBER) == 2


def test_throttling_retries_later_with_jitter_and_then_sends(
    twilio_rt, clock, carrier, make_patient
):
    state, _ = carrier
    pid = make_patient()
    state.add_fault(Fault("throttle", times=1))
    msg = _send(twilio_rt, pid)
    assert msg.status is MessageStatus.pending and msg.error_code == "throttled"
    job = jobs.find_job(twilio_rt, dedupe_key=f"messaging.send:{msg.id}")
    wait = job.due_at - clock.now()
    assert timedelta(seconds=30) <= wait <= timedelta(seconds=40)  # backoff + jitter
    clock.advance(wait)
    assert _worker(twilio_rt).run_once() == 1
    assert messaging.get_message(twilio_rt, actor=SYSTEM, message_id=msg.id).status is (
        MessageStatus.sent
    )
    assert state.count("Messages", to=NUMBER) == 1


def test_a_carrier_opt_out_becomes_the_patients_consent(twilio_rt, carrier, make_patient):
    state, _ = carrier
    pid = make_patient()
    state.add_fault(Fault("refuse", code=21610))
    msg = _send(twilio_rt, pid)
    assert msg.status is MessageStatus.undeliverable and msg.error_code == "opted-out"
    patient = patients.get_patient(twilio_rt, actor=SYSTEM, patient_id=pid)
    assert patient.sms_consent is SmsConsent.opted_out
    assert patient.sms_consent_source == "carrier"
    # And the next text is refused by careline itself, before the carrier.
    refused = _send(twilio_rt, pid, key="next")
    assert refused.status is MessageStatus.undeliverable and state.messages == []


def test_an_unreachable_number_makes_a_task_and_falls_back_to_voice(
    twilio_rt, carrier, make_patient
):
    state, _ = carrier
    pid = make_patient()
    patients.update_patient(
        twilio_rt, actor=SYSTEM, patient_id=pid,
        changes=PatientUpdate(preferred_channel=PreferredChannel.sms),
    )  # fmt: skip
    state.add_fault(Fault("refuse", code=21614))
    msg = _send(twilio_rt, pid)
    assert msg.status is MessageStatus.undeliverable and msg.error_code == "unreachable"
    patient = patients.get_patient(twilio_rt, actor=SYSTEM, patient_id=pid)
    assert patient.preferred_channel is PreferredChannel.voice
    listed, _ = worklist.list_tasks(twilio_rt, actor=SYSTEM, limit=50, offset=0)
    tasks = [t for t in listed if t.patient_id == pid]
    assert [t.kind for t in tasks] == [TaskKind.number_unreachable]


def test_status_callbacks_come_back_signed_and_move_the_message(rt, make_patient):
    state = CarrierState(deliver=True)
    with live_server(create_app(rt)) as careline_url, live_server(VirtualCarrierApi(state)) as url:
        rt.settings.public_base_url = careline_url
        rt.provider = TwilioProvider(
            account_sid=state.account_sid, auth_token=state.auth_token, base_url=url
        )
        msg = _send(rt, make_patient())
        assert msg.status is MessageStatus.sent
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            seen = messaging.get_message(rt, actor=SYSTEM, message_id=msg.id)
            if seen.status is MessageStatus.delivered:
                break
            time.sleep(0.05)
        assert seen.status is MessageStatus.delivered


def test_a_forged_status_callback_is_refused(rt, make_patient):
    state = CarrierState(deliver=True, auth_token="not-the-token-careline-knows")
    with live_server(create_app(rt)) as careline_url, live_server(VirtualCarrierApi(state)) as url:
        rt.settings.public_base_url = careline_url
        rt.provider = TwilioProvider(
            account_sid=state.account_sid, auth_token=state.auth_token, base_url=url
        )
        msg = _send(rt, make_patient())
        r = httpx.post(
            f"{careline_url}/telephony/sms/status",
            data={"MessageSid": msg.provider_id, "MessageStatus": "failed"},
            headers={"X-Twilio-Signature": "forged"},
        )
        assert r.status_code == 403
        time.sleep(0.3)  # the carrier's own (wrongly signed) callbacks have had their chance
        seen = messaging.get_message(rt, actor=SYSTEM, message_id=msg.id)
        assert seen.status is MessageStatus.sent


def test_settings_choose_the_virtual_carrier(settings, rt):
    settings.provider = "virtual"
    settings.twilio_api_base_url = "http://127.0.0.1:9"
    chosen = carrier_from_settings(settings, sessions=rt.sessions, clock=rt.clock)
    assert isinstance(chosen, TwilioProvider)
    settings.provider = "twilio"
    settings.twilio_account_sid = None
    settings.twilio_auth_token = None
    with pytest.raises(ValueError, match="TWILIO_ACCOUNT_SID"):
        carrier_from_settings(settings, sessions=rt.sessions, clock=rt.clock)


def test_a_clinics_own_number_is_the_sender_even_beside_a_messaging_service(carrier):
    # Issue 9: per-location senders. A clinic's number goes as From (in the service's
    # pool when there is one); a sender name still needs the service.
    state, _ = carrier
    adapter = _adapter(carrier, messaging_service_sid=DEFAULT_SERVICE_SID)
    adapter.send_message(_message(from_="+13125550199"))
    adapter.send_message(_message(from_="careline", key="k2"))
    clinic, network = state.messages
    assert (clinic["from"], clinic["messaging_service_sid"]) == (
        "+13125550199",
        DEFAULT_SERVICE_SID,
    )
    assert network["from"] != "+13125550199" and network["messaging_service_sid"]


def test_a_text_for_a_clinic_with_its_own_number_reaches_the_carrier_from_it(
    twilio_rt, carrier, make_patient
):
    from careline.directory import service as directory
    from careline.directory.model import Address, LocationCreate

    state, _ = carrier
    location = directory.create_location(
        twilio_rt,
        actor=SYSTEM,
        data=LocationCreate(
            name="Northside",
            code="NS",
            timezone="America/Chicago",
            address=Address(
                line1="1 Main St", city="Chicago", region="IL", postal_code="60601", country="US"
            ),
            sms_number="+13125550199",
        ),
    )
    pid = make_patient(location_id=location.id)
    sent = messaging.send_message(
        twilio_rt, actor=SYSTEM, patient_id=pid, body="Your visit is tomorrow.",
        idempotency_key="reminder:appt-2:24h", location_id=location.id,
    )  # fmt: skip
    assert sent.status is MessageStatus.sent and sent.sender == "+13125550199"
    [held] = state.messages
    assert (held["to"], held["from"]) == (NUMBER, "+13125550199")
