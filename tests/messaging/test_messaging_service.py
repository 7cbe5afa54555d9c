"""Sending exactly once on real databases: idempotency keys, retries through the jobs
runner, permanent failures, opt-outs, quiet hours and status callbacks."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from careline.core.db import transaction
from careline.core.errors import Conflict, ValidationFailed
from careline.core.phone import InvalidPhoneNumber
from careline.jobs import service as jobs
from careline.jobs.model import JobStatus
from careline.jobs.registry import default_registry
from careline.jobs.worker import Worker, start_background_worker
from careline.messaging import service as messaging
from careline.messaging.model import MessageChannel, MessageStatus
from careline.messaging.service import NoSuchMessage
from careline.patients import service as patients
from careline.patients.model import SmsConsent
from careline.providers.protocol import ProviderError
from careline.security.model import SYSTEM, Actor, Role, RoleGrant
from careline.security.service import PatientOutOfScope
from careline.security.tables import AuditEntryRow

NUMBER = "+13125550143"


def _send(rt, patient_id, key="reminder:appt-1:24h", **kw):
    kw.setdefault("body", "Reminder: your visit is tomorrow at 10:00. Reply YES to confirm.")
    return messaging.send_message(
        rt, actor=SYSTEM, patient_id=patient_id, idempotency_key=key, **kw
    )


def _worker(rt):
    return Worker(rt, registry=default_registry(), worker_id="test-worker", batch_size=20)


def _job(rt, message):
    return jobs.find_job(rt, dedupe_key=f"messaging.send:{message.id}")


def _audit_actions(rt):
    with transaction(rt.sessions) as s:
        return [a for (a,) in s.execute(select(AuditEntryRow.action).order_by(AuditEntryRow.seq))]


def test_a_message_is_sent_at_once_and_recorded(rt, make_patient, provider, outbox):
    pid = make_patient()
    sent = _send(rt, pid)
    assert sent.status is MessageStatus.sent and sent.attempts == 1
    assert sent.to == NUMBER and sent.provider == "outbox" and sent.error_code is None
    assert sent.segments == 1 and sent.encoding == "GSM-7"
    [item] = outbox()
    assert item.idempotency_key == "reminder:appt-1:24h" and sent.provider_id == item.id
    assert item.to_number == NUMBER and item.patient_id == pid
    assert _job(rt, sent).status is JobStatus.done
    actions = _audit_actions(rt)
    assert {"message.create", "message.send"} <= set(actions)


def test_the_same_idempotency_key_never_sends_twice(rt, make_patient, provider, outbox):
    pid = make_patient()
    first = _send(rt, pid)
    again = _send(rt, pid, body="A re-rendered text with another wording")
    assert again.id == first.id and again.body == first.body
    assert _audit_actions(rt)[-1] == "message.replay"
    assert len(outbox()) == 1 and len(provider.calls) == 1
    # And while it is still pending (no inline delivery), likewise.
    queued = _send(rt, pid, key="reminder:appt-2:24h", deliver=False)
    assert _send(rt, pid, key="reminder:appt-2:24h", deliver=True).id == queued.id
    assert queued.status is MessageStatus.pending and len(outbox()) == 1


def test_a_key_reused_for_another_patient_is_a_conflict(rt, make_patient, provider, outbox):
    first, second = make_patient(), make_patient(phone="+13125550144")
    _send(rt, first)
    with pytest.raises(Conflict) as info:
        _send(rt, second)
    assert info.value.error_id == "idempotency-key-reused"
    assert len(outbox()) == 1


def test_a_queued_message_is_sent_by_a_worker_exactly_once(rt, make_patient, provider, outbox):
    pid = make_patient()
    msg = _send(rt, pid, deliver=False)
    assert msg.status is MessageStatus.pending and outbox() == []
    assert _worker(rt).run_once() == 1
    after = messaging.get_message(rt, actor=SYSTEM, message_id=msg.id)
    assert after.status is MessageStatus.sent and after.provider_id == outbox()[0].id
    # Delivering it again (a duplicate job, a replayed handler) changes nothing.
    assert messaging.deliver_message(rt, message_id=msg.id).status is MessageStatus.sent
    messaging.send_job(rt, {"message_id": msg.id})
    assert len(outbox()) == 1 and len(provider.calls) == 1


def test_the_in_process_background_worker_sends_queued_messages(rt, make_patient, provider, outbox):
    pid = make_patient()
    msg = _send(rt, pid, deliver=False)
    stop = start_background_worker(rt, poll_interval=0.01)  # what `careline serve` runs
    try:
        assert provider.stored.wait(timeout=30)
    finally:
        stop()  # returns after the batch in hand, so the receipt is recorded
    assert messaging.get_message(rt, actor=SYSTEM, message_id=msg.id).status is MessageStatus.sent
    assert len(outbox()) == 1


def test_a_crash_after_the_provider_accepted_is_retried_without_a_second_send(
    rt, clock, make_patient, provider, outbox
):
    pid = make_patient()
    # The provider stores the message, then "the process dies" before our receipt.
    provider.script = [("after", RuntimeError("killed"))]
    msg = _send(rt, pid)
    assert msg.status is MessageStatus.pending and len(outbox()) == 1
    job = _job(rt, msg)
    assert job.status is JobStatus.due and job.last_error == "RuntimeError"
    clock.advance(timedelta(seconds=30))
    assert _worker(rt).run_once() == 1
    done = messaging.get_message(rt, actor=SYSTEM, message_id=msg.id)
    assert done.status is MessageStatus.sent and done.attempts == 2
    [item] = outbox()  # handed over once, then found and adopted
    assert done.provider_id == item.id and len(provider.calls) == 1
    assert [m.idempotency_key for m in provider.finds] == [msg.idempotency_key]


def test_provider_outages_are_retried_with_backoff_then_fail(
    rt, clock, make_patient, provider, outbox
):
    pid = make_patient()
    outage = ProviderError("gateway timeout for +13125550143", permanent=False, code="30001")
    provider.script = [outage, outage, outage]
    msg = _send(rt, pid, max_attempts=3)
    assert msg.status is MessageStatus.pending and msg.error_code == "30001"
    job = _job(rt, msg)
    assert job.status is JobStatus.due and job.due_at == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=29))
    assert _worker(rt).run_once() == 0
    clock.advance(timedelta(seconds=1))
    assert _worker(rt).run_once() == 1
    assert _job(rt, msg).due_at == clock.now() + timedelta(minutes=1)
    clock.advance(timedelta(minutes=1))
    assert _worker(rt).run_once() == 1
    failed = messaging.get_message(rt, actor=SYSTEM, message_id=msg.id)
    assert failed.status is MessageStatus.failed and failed.error_code == "30001"
    assert failed.attempts == 3 and outbox() == []
    assert _job(rt, msg).status is JobStatus.failed


def test_a_permanent_provider_error_stops_at_once(rt, clock, make_patient, provider, outbox):
    pid = make_patient()
    provider.script = [ProviderError("invalid 'To' +13125550143", permanent=True, code="21211")]
    msg = _send(rt, pid)
    assert msg.status is MessageStatus.undeliverable and msg.error_code == "21211"
    assert _job(rt, msg).status is JobStatus.failed
    clock.advance(timedelta(days=1))
    assert _worker(rt).run_once() == 0
    assert len(provider.calls) == 1 and outbox() == []


def test_provider_error_text_never_reaches_logs_or_rows(rt, make_patient, provider, caplog):
    pid = make_patient()
    provider.script = [ProviderError(f"cannot reach {NUMBER}", permanent=False)]
    with caplog.at_level(logging.DEBUG):
        msg = _send(rt, pid)
    assert msg.error_code == "provider-error"
    assert NUMBER not in caplog.text and NUMBER[2:] not in caplog.text
    assert _job(rt, msg).last_error == "provider-error"


def test_an_opted_out_patient_is_never_texted(rt, make_patient, provider, outbox):
    pid = make_patient(consent=SmsConsent.opted_out)
    msg = _send(rt, pid)
    assert msg.status is MessageStatus.undeliverable and msg.error_code == "opted-out"
    assert _job(rt, msg) is None
    assert provider.calls == [] and outbox() == []
    assert _send(rt, pid).id == msg.id  # idempotent refusal


def test_an_opt_out_after_scheduling_stops_the_send(rt, clock, make_patient, provider, outbox):
    pid = make_patient()
    msg = _send(rt, pid, deliver=False)
    patients.set_sms_consent(
        rt, actor=SYSTEM, patient_id=pid, consent=SmsConsent.opted_out, source="sms-keyword"
    )
    assert _worker(rt).run_once() == 1
    after = messaging.get_message(rt, actor=SYSTEM, message_id=msg.id)
    assert after.status is MessageStatus.undeliverable and after.error_code == "opted-out"
    assert _job(rt, msg).status is JobStatus.failed
    assert provider.calls == [] and outbox() == []


def test_quiet_hours_hold_a_message_until_morning(rt, clock, make_patient, provider, outbox):
    pid = make_patient()
    clock.set(datetime(2026, 3, 3, 3, 0, tzinfo=UTC))  # 22:00 in New York
    msg = _send(rt, pid, recipient_tz="America/New_York")
    morning = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)  # 08:00 EST
    assert msg.status is MessageStatus.pending and msg.due_at == morning
    assert _worker(rt).run_once() == 0 and outbox() == []
    clock.set(morning - timedelta(seconds=1))
    assert _worker(rt).run_once() == 0
    clock.set(morning)
    assert _worker(rt).run_once() == 1
    assert messaging.get_message(rt, actor=SYSTEM, message_id=msg.id).status is MessageStatus.sent


def test_a_retry_that_falls_in_quiet_hours_is_deferred_not_counted(
    rt, clock, make_patient, provider, outbox
):
    pid = make_patient()
    clock.set(datetime(2026, 3, 3, 1, 59, 45, tzinfo=UTC))  # 20:59:45 in New York
    provider.script = [ProviderError("busy", permanent=False, code="30001")]
    msg = _send(rt, pid, recipient_tz="America/New_York")
    assert msg.status is MessageStatus.pending
    clock.advance(timedelta(seconds=30))  # the retry is due at 21:00:15: quiet
    assert _worker(rt).run_once() == 1
    job = _job(rt, msg)
    assert job.status is JobStatus.due and job.attempts == 1  # the deferral is not a try
    assert job.due_at == datetime(2026, 3, 3, 13, 0, tzinfo=UTC)
    assert outbox() == []
    clock.set(job.due_at)
    assert _worker(rt).run_once() == 1
    assert len(outbox()) == 1


def test_not_before_delays_the_send(rt, clock, make_patient, provider, outbox):
    pid = make_patient()
    at = clock.now() + timedelta(hours=2)
    msg = _send(rt, pid, not_before=at)
    assert msg.status is MessageStatus.pending and msg.due_at == at and outbox() == []
    clock.set(at)
    assert _worker(rt).run_once() == 1 and len(outbox()) == 1


def test_the_number_defaults_to_the_patients_sms_capable_phone(rt, make_patient, provider):
    landline_only = make_patient(phone="+13125550145", sms_capable=False)
    with pytest.raises(ValidationFailed) as info:
        _send(rt, landline_only)
    assert info.value.error_id == "no-sms-number"
    explicit = _send(rt, landline_only, key="k:explicit", to="(312) 555-0146")
    assert explicit.to == "+13125550146"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": "   "}, "body"),
        ({"body": "x" * 1601}, "body"),
        ({"key": "has a space"}, "idempotency_key"),
        ({"key": ""}, "idempotency_key"),
        ({"sender": "not a sender id"}, "sender"),
        ({"recipient_tz": "Atlantis/Capital"}, "recipient_tz"),
        ({"channel": MessageChannel.voice}, "channel"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_written(
    rt, make_patient, provider, outbox, change, field
):
    pid = make_patient()
    with pytest.raises(ValidationFailed) as info:
        _send(rt, pid, **change)
    assert field in {p.field for p in info.value.problems}
    with transaction(rt.sessions) as s:
        assert s.execute(select(func.count()).select_from(jobs.JobRow)).scalar_one() == 0
    assert provider.calls == []


def test_a_bad_number_is_refused_without_echoing_it(rt, make_patient, provider):
    pid = make_patient()
    with pytest.raises(InvalidPhoneNumber) as info:
        _send(rt, pid, to="555-not-a-number")
    assert "555" not in info.value.detail and info.value.problems[0].field == "to"


def test_an_actor_out_of_scope_cannot_text_a_patient(rt, make_patient, make_location, provider):
    home, elsewhere = make_location("Home Clinic"), make_location("Other Clinic")
    pid = make_patient(location_id=home)
    agent = Actor(
        user_id="u-1",
        username="agent1",
        grants=(RoleGrant(role=Role.agent, location_id=elsewhere),),
    )
    with pytest.raises(PatientOutOfScope):
        messaging.send_message(
            rt, actor=agent, patient_id=pid, body="Hello", idempotency_key="k:scope"
        )
    assert provider.calls == []
    assert "patient.patients:read" in _audit_actions(rt)  # the refusal is audited
    # Replaying a key someone else used does not show that message to them either.
    _send(rt, pid, key="k:theirs", body="Private")
    with pytest.raises(PatientOutOfScope):
        messaging.send_message(
            rt, actor=agent, patient_id=pid, body="Hello", idempotency_key="k:theirs"
        )


def test_status_callbacks_move_forward_only(rt, make_patient, provider):
    pid = make_patient()
    msg = _send(rt, pid)
    delivered = messaging.record_status(rt, provider_id=msg.provider_id, status="delivered")
    assert delivered.status is MessageStatus.delivered and delivered.delivered_at is not None
    late = messaging.record_status(rt, provider_id=msg.provider_id, status="sent")
    assert late.status is MessageStatus.delivered
    assert "message.status" in _audit_actions(rt)
    with pytest.raises(NoSuchMessage):
        messaging.record_status(rt, provider_id="SM-unknown", status="delivered")
    with pytest.raises(ValidationFailed):
        messaging.record_status(rt, provider_id=msg.provider_id, status="teleported")
    with pytest.raises(NoSuchMessage):
        messaging.record_status(
            rt, provider_id=msg.provider_id, provider="twilio", status="delivered"
        )


def test_a_carrier_failure_callback_records_its_code(rt, make_patient, provider):
    pid = make_patient()
    msg = _send(rt, pid)
    failed = messaging.record_status(
        rt, provider_id=msg.provider_id, provider="outbox", status="undelivered", error_code="30003"
    )
    assert failed.status is MessageStatus.undeliverable and failed.error_code == "30003"


def test_reading_a_message_is_audited_and_unknown_ids_are_404(rt, make_patient, provider):
    pid = make_patient()
    msg = _send(rt, pid)
    assert messaging.get_message(rt, actor=SYSTEM, message_id=msg.id).body == msg.body
    assert _audit_actions(rt)[-1] == "message.read"
    with pytest.raises(NoSuchMessage):
        messaging.get_message(rt, actor=SYSTEM, message_id="nope")


def test_a_send_job_with_a_bad_payload_fails_for_good(rt):
    job = jobs.schedule(rt, kind="messaging.send", payload={"nothing": 1}, due_at=rt.clock.now())
    assert _worker(rt).run_once() == 1
    view = jobs.get_job(rt, job_id=job.id)
    assert view.status is JobStatus.failed and view.last_error == "bad-payload"


def test_the_status_callback_webhook_updates_delivery(rt, make_patient, client, outbox):
    from twilio.request_validator import RequestValidator

    pid = make_patient()
    rt.settings.public_base_url = "https://careline.example.org"
    msg = _send(rt, pid)
    [stored] = outbox()
    # Where the provider reports: absolute, or nothing (a provider cannot call a path).
    assert stored.status_callback == "https://careline.example.org/telephony/sms/status"
    rt.settings.public_base_url = None
    assert _send(rt, pid, key="no-public-url").status is MessageStatus.sent
    assert [i.status_callback for i in outbox()].count(None) == 1
    url = "http://testserver/telephony/sms/status"
    params = {"MessageSid": msg.provider_id, "MessageStatus": "delivered", "To": NUMBER}
    signature = RequestValidator(rt.settings.webhook_auth_token).compute_signature(url, params)
    forged = client.post(url, data=params, headers={"X-Twilio-Signature": "Zm9yZ2Vk"})
    assert forged.status_code == 403
    assert messaging.get_message(rt, actor=SYSTEM, message_id=msg.id).status is not (
        MessageStatus.delivered
    )
    r = client.post(url, data=params, headers={"X-Twilio-Signature": signature})
    assert r.status_code == 204
    assert messaging.get_message(rt, actor=SYSTEM, message_id=msg.id).status is (
        MessageStatus.delivered
    )
    unknown = {**params, "MessageSid": "SM-unknown"}
    sig = RequestValidator(rt.settings.webhook_auth_token).compute_signature(url, unknown)
    assert client.post(url, data=unknown, headers={"X-Twilio-Signature": sig}).status_code == 204
