"""`GET /metrics`: the Prometheus exposition, its gauges from the database, its
in-process counters, who may read it, and that no PHI ever leaves through it."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy.exc import OperationalError
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from careline.core.settings import Environment
from careline.desk import service as desk
from careline.directory import service as directory
from careline.directory.model import Endpoint, EndpointKind, PresenceState, StaffCreate
from careline.messaging import service as messaging
from careline.metrics import service as metrics_service
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn, SmsConsent
from careline.providers.protocol import ProviderError
from careline.providers.twilio.service import TwilioProvider
from careline.security.audit_anchor import anchor_file, write_checkpoint
from careline.security.model import SYSTEM
from careline.triage import service as triage
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind, TaskUrgency

EXPECTED = {
    "careline_build_info",
    "careline_database_up",
    "careline_queue_waiting_calls",
    "careline_queue_longest_wait_seconds",
    "careline_agents",
    "careline_jobs_overdue",
    "careline_job_lag_seconds",
    "careline_jobs_failed",
    "careline_outbound_messages",
    "careline_open_tasks",
    "careline_webhook_duration_seconds",
    "careline_triage_decisions",
    "careline_provider_errors",
}


def scrape(client, token: str | None = None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = client.get("/metrics", headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return r.text


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, frozenset(labels.items())))


def webhook_count(path: str, status: str) -> float:
    found = REGISTRY.get_sample_value(
        "careline_webhook_duration_seconds_count", {"path": path, "status": status}
    )
    return found or 0.0


def test_the_exposition_names_every_metric(client):
    text = scrape(client)
    names = {family.name for family in text_string_to_metric_families(text)}
    assert names >= EXPECTED
    assert value(text, "careline_database_up") == 1
    # Known states are there at 0, so a series does not vanish when nothing is in it.
    assert value(text, "careline_agents", presence="available") == 0
    assert value(text, "careline_outbound_messages", status="pending") == 0
    assert value(text, "careline_open_tasks", urgency="emergency") == 0
    assert value(text, "careline_job_lag_seconds") == 0


def test_a_waiting_call_is_counted_by_department_and_priority(rt, client, clock):
    desk.enqueue(
        rt,
        call_sid="CA" + "1" * 32,
        department="nurse",
        priority="urgent",
        language="en",
        location_id=None,
        home_location_id=None,
    )
    clock.advance(timedelta(seconds=30))
    desk.enqueue(
        rt,
        call_sid="CA" + "2" * 32,
        department="nurse",
        priority="urgent",
        language="es",
        location_id=None,
        home_location_id=None,
    )
    desk.enqueue(
        rt,
        call_sid="CA" + "3" * 32,
        department="scheduling",
        priority="routine",
        language="en",
        location_id=None,
        home_location_id=None,
    )
    desk.caller_left(rt, call_sid="CA" + "3" * 32)
    clock.advance(timedelta(seconds=45))
    text = scrape(client)
    labels = {"department": "nurse", "priority": "urgent"}
    assert value(text, "careline_queue_waiting_calls", **labels) == 2
    assert value(text, "careline_queue_longest_wait_seconds", **labels) == 75
    # A caller who left waits in no queue.
    gone = {"department": "scheduling", "priority": "routine"}
    assert value(text, "careline_queue_waiting_calls", **gone) is None


def test_agents_by_presence_end_an_overdue_wrap_up(rt, client, clock, make_location):
    location = make_location()

    def hire(number: str, state: PresenceState) -> None:
        staff = directory.create_staff(
            rt,
            actor=SYSTEM,
            data=StaffCreate(
                display_name=f"Agent {number[-4:]}",
                location_ids=[location],
                skills=["scheduling"],
                languages=["en"],
                endpoints=[Endpoint(kind=EndpointKind.phone, address=number)],
            ),
        )
        directory.set_presence(rt, actor=SYSTEM, staff_id=staff.id, state=state)

    hire("+13125550111", PresenceState.available)
    hire("+13125550112", PresenceState.away)
    hire("+13125550113", PresenceState.wrap_up)
    text = scrape(client)
    assert value(text, "careline_agents", presence="available") == 1
    assert value(text, "careline_agents", presence="wrap_up") == 1
    assert value(text, "careline_agents", presence="away") == 1
    # Past the wrap-up limit the desk counts the agent as available again.
    clock.advance(timedelta(seconds=rt.settings.wrap_up_seconds + 1))
    text = scrape(client)
    assert value(text, "careline_agents", presence="available") == 2
    assert value(text, "careline_agents", presence="wrap_up") == 0


def _patient(rt, *, given: str = "Zephyrine", family: str = "Quillfeather") -> str:
    return patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(
            given_name=given,
            family_name=family,
            date_of_birth=date(1961, 7, 14),
            phones=[PhoneIn(number="+13125550147", primary=True)],
            sms_consent=SmsConsent.opted_in,
        ),
    ).id


def test_jobs_messages_and_tasks_are_counted(rt, client, clock):
    pid = _patient(rt)
    messaging.send_message(
        rt,
        actor=SYSTEM,
        patient_id=pid,
        body="Your visit is tomorrow.",
        idempotency_key="metrics-test-1",
        deliver=False,
    )
    worklist.create_task(
        rt,
        kind=TaskKind.urgent_voicemail,
        patient_id=pid,
        appointment_id=None,
        location_id=None,
        urgency=TaskUrgency.urgent,
    )
    clock.advance(timedelta(seconds=90))
    text = scrape(client)
    assert value(text, "careline_outbound_messages", status="pending") == 1
    assert value(text, "careline_open_tasks", urgency="urgent") == 1
    # The send waits for a worker: the job is overdue and the lag says by how much.
    assert value(text, "careline_jobs_overdue") == 1
    assert value(text, "careline_job_lag_seconds") == 90


def test_no_phi_in_the_exposition(rt, client, clock):
    pid = _patient(rt, given="Zephyrine", family="Quillfeather")
    body = "Blutwurst-Orakel 4471 says hello"
    sent = messaging.send_message(
        rt, actor=SYSTEM, patient_id=pid, body=body, idempotency_key="metrics-phi", deliver=False
    )
    task = worklist.create_task(
        rt,
        kind=TaskKind.callback_request,
        patient_id=pid,
        appointment_id=None,
        location_id=None,
    )
    sid = "CA" + "9" * 32
    desk.enqueue(
        rt,
        call_sid=sid,
        department="nurse",
        priority="routine",
        language="en",
        location_id=None,
        home_location_id=None,
    )
    triage.triage("Zephyrine here, my chest hurts and I cannot breathe", "en")
    text = scrape(client)
    assert value(text, "careline_outbound_messages", status="pending") == 1  # it was counted
    for secret in (
        "Zephyrine",
        "Quillfeather",
        "+13125550147",
        "3125550147",
        "555-0147",
        "Blutwurst",
        "chest",
        pid,
        sent.id,
        task.id,
        sid,
    ):
        assert secret not in text, secret


def test_a_webhook_request_is_timed_by_route_and_status_class(rt, client):
    path = "/telephony/sms/status"
    url = f"http://testserver{path}"
    params = {"MessageSid": "SM-unknown", "MessageStatus": "delivered"}
    signature = RequestValidator(rt.settings.webhook_auth_token).compute_signature(url, params)
    ok_before = webhook_count(path, "2xx")
    refused_before = webhook_count(path, "4xx")
    unmatched_before = webhook_count("unmatched", "4xx")

    signed = client.post(url, data=params, headers={"X-Twilio-Signature": signature})
    assert signed.status_code == 204
    forged = client.post(url, data=params, headers={"X-Twilio-Signature": "Zm9yZ2Vk"})
    assert forged.status_code == 403
    assert client.post("/telephony/voice/SM-unknown-4471", data=params).status_code == 404

    assert webhook_count(path, "2xx") == ok_before + 1
    assert webhook_count(path, "4xx") == refused_before + 1
    # A path nobody routes is one label, whatever was sent.
    assert webhook_count("unmatched", "4xx") == unmatched_before + 1
    text = scrape(client)
    assert value(text, "careline_webhook_duration_seconds_count", path=path, status="2xx") == (
        ok_before + 1
    )
    assert "SM-unknown" not in text
    # Other requests are not webhooks.
    assert value(text, "careline_webhook_duration_seconds_count", path="/metrics") is None


def test_a_triage_decision_is_counted(client):
    result = triage.triage("I need to reschedule my appointment", "en")
    labels = {"urgency": result.urgency.value, "layer": result.decided_by}
    before = REGISTRY.get_sample_value("careline_triage_decisions_total", labels) or 0.0
    again = triage.triage("I need to reschedule my appointment", "en")
    assert (again.urgency, again.decided_by) == (result.urgency, result.decided_by)
    assert REGISTRY.get_sample_value("careline_triage_decisions_total", labels) == before + 1
    assert value(scrape(client), "careline_triage_decisions_total", **labels) == before + 1


def test_provider_errors_are_counted_by_code():
    provider = TwilioProvider(account_sid="AC" + "0" * 32, auth_token="not-used")
    labels = {"provider": "twilio", "code": "opted-out"}
    before = REGISTRY.get_sample_value("careline_provider_errors_total", labels) or 0.0

    def refused() -> None:
        raise TwilioRestException(400, "https://api.twilio.com/x", msg="unsubscribed", code=21610)

    with pytest.raises(ProviderError):
        provider._call(refused)
    assert REGISTRY.get_sample_value("careline_provider_errors_total", labels) == before + 1


def test_the_token_guards_the_metrics(rt, client):
    rt.settings.metrics_token = SecretStr("s3cret-scraper-token")
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic s3cret-scraper-token"},
        {"Authorization": "s3cret-scraper-token"},
    ):
        r = client.get("/metrics", headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["error_id"] == "metrics-token-required"
        assert "careline_" not in r.text
    assert "careline_database_up 1.0" in scrape(client, "s3cret-scraper-token")
    # With a token, production serves the bearer too.
    rt.settings.environment = Environment.production
    assert "careline_database_up" in scrape(client, "s3cret-scraper-token")
    assert client.get("/metrics").status_code == 401


def test_without_a_token_only_development_and_test_serve_metrics(rt, client):
    assert client.get("/metrics").status_code == 200  # test
    rt.settings.environment = Environment.development
    assert client.get("/metrics").status_code == 200
    rt.settings.environment = Environment.production
    r = client.get("/metrics", headers={"Authorization": "Bearer anything"})
    assert r.status_code == 404
    assert r.json()["error_id"] == "metrics-disabled"
    assert "careline_" not in r.text


def test_a_database_that_does_not_answer_is_a_gauge_not_a_failed_scrape(client, monkeypatch):
    def down(rt):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))

    monkeypatch.setattr(metrics_service, "read_snapshot", down)
    text = scrape(client)
    assert value(text, "careline_database_up") == 0
    assert "careline_queue_waiting_calls" not in text
    assert "careline_webhook_duration_seconds" in text  # the in-process metrics still answer


def test_the_newest_valid_audit_checkpoint_has_an_age(rt, client, clock):
    assert "careline_audit_checkpoint_age_seconds" not in scrape(client)  # no anchor yet
    write_checkpoint(rt)
    clock.advance(timedelta(minutes=7))
    with anchor_file(rt).open("a", encoding="ascii") as f:
        # A line written without the audit key is no checkpoint.
        f.write('{"seq":99,"hash":"00","at":"2026-03-02T15:06:00+00:00","mac":"forged"}\n')
    assert value(scrape(client), "careline_audit_checkpoint_age_seconds") == 7 * 60


def test_multiprocess_counters_are_added_up_from_the_shared_directory(
    client, tmp_path, monkeypatch
):
    shared = tmp_path / "prometheus"  # its own directory: every *.db in it is read
    shared.mkdir()
    # Another process (a second server or a worker) counts into the directory...
    other = (
        "from careline.metrics.model import TRIAGE_DECISIONS\n"
        "TRIAGE_DECISIONS.labels(urgency='emergency', layer='multiprocess-test').inc(3)\n"
    )
    env = {"PROMETHEUS_MULTIPROC_DIR": str(shared), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", other], env=env, check=True, timeout=60)
    # ...and this one's scrape reads every process's files.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(shared))
    text = scrape(client)
    labels = {"urgency": "emergency", "layer": "multiprocess-test"}
    assert value(text, "careline_triage_decisions_total", **labels) == 3
    assert value(text, "careline_database_up") == 1  # the database's gauges are still there
