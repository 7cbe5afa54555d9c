"""One webhook step is one unit of work (issue 11, item 28).

Before: the call's new state and the answer stored for the provider's retry were
committed first, the call-back task after. When creating the task failed once,
the retry replayed the stored answer: the caller heard "we will call you back",
the timeline said so, and no task existed. Now state, stored answer, timeline
events, task and desk entry commit together or not at all, and the retry redoes
the step.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from careline.api.app import create_app
from careline.core.db import transaction, unit_of_work
from careline.core.settings import DEMO_AUTH_TOKEN
from careline.desk.tables import QueueEntryRow
from careline.security.model import SYSTEM
from careline.telephony.tables import VoiceCallRow, WebhookReceiptRow
from careline.timeline import service as timeline
from careline.worklist import service as worklist
from clinics import clinic_with_caller

MAIN = "+13125550199"
CALLER = "+13125550143"
BASE = "http://testserver/telephony/voice"
TUESDAY_10AM_CHICAGO = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


def _post(client, path: str, token: str, **extra: str):
    params = {"CallSid": "CA28", "From": CALLER, "To": MAIN, **extra}
    sig = RequestValidator(DEMO_AUTH_TOKEN).compute_signature(f"{BASE}/{path}", params)
    return client.post(
        f"{BASE}/{path}",
        data=params,
        headers={"X-Twilio-Signature": sig, "I-Twilio-Idempotency-Token": token},
    )


def _callback_tasks(rt) -> int:
    items, _ = worklist.list_tasks(rt, actor=SYSTEM, limit=50, offset=0)
    return sum(1 for t in items if t.kind == "callback_request")


def _kinds(rt, patient_id: str) -> list[str]:
    items, _ = timeline.list_timeline(rt, actor=SYSTEM, patient_id=patient_id, limit=10, offset=0)
    return [e.kind for i in items if i.channel == "voice" for e in i.events]


def test_a_failed_task_fails_the_whole_step_and_the_retry_does_it_all(rt, clock, monkeypatch):
    clock.set(TUESDAY_10AM_CHICAGO)
    _, patient_id = clinic_with_caller(rt, number=MAIN, caller=CALLER)
    client = TestClient(create_app(rt), raise_server_exceptions=False)
    assert _post(client, "incoming", "t1", CallStatus="ringing").status_code == 200
    assert "<Enqueue" in _post(client, "gather", "t2", Digits="1").text
    offer = _post(client, "queue-status", "t3", QueueResult="queue-full").text
    assert "<Gather" in offer
    with transaction(rt.sessions) as s:
        before = s.execute(select(VoiceCallRow.state).where(VoiceCallRow.call_sid == "CA28"))
        state_before = dict(before.scalar_one())
    real = worklist.create_task
    failures = iter([RuntimeError("the task table is briefly unavailable")])

    def flaky(*args, **kwargs):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real(*args, **kwargs)

    monkeypatch.setattr(worklist, "create_task", flaky)
    failed = _post(client, "gather", "t4", Digits="1")  # yes, call me back
    assert failed.status_code == 500
    with transaction(rt.sessions) as s:
        state_now = s.execute(
            select(VoiceCallRow.state).where(VoiceCallRow.call_sid == "CA28")
        ).scalar_one()
        receipts = s.execute(
            select(func.count())
            .select_from(WebhookReceiptRow)
            .where(WebhookReceiptRow.token == "t4")
        ).scalar_one()
    assert dict(state_now) == state_before and receipts == 0  # nothing of the step stayed
    assert _callback_tasks(rt) == 0 and "callback.queued" not in _kinds(rt, patient_id)
    retried = _post(client, "gather", "t4", Digits="1")  # the provider's retry
    assert retried.status_code == 200
    assert _callback_tasks(rt) == 1
    assert _kinds(rt, patient_id).count("callback.queued") == 1
    again = _post(client, "gather", "t4", Digits="1")  # and a second retry is a replay
    assert again.text == retried.text and _callback_tasks(rt) == 1


def test_a_unit_of_work_commits_its_parts_together_or_not_at_all(rt):
    """The mechanism: services' own transactions join the unit as savepoints."""
    with transaction(rt.sessions) as s:
        start = s.execute(select(func.count()).select_from(QueueEntryRow)).scalar_one()
    try:
        with unit_of_work(rt.sessions):
            with transaction(rt.sessions) as s:
                s.add(
                    QueueEntryRow(
                        call_sid="CA-uow",
                        department="scheduling",
                        priority="routine",
                        status="waiting",
                        entered_at=TUESDAY_10AM_CHICAGO,
                        updated_at=TUESDAY_10AM_CHICAGO,
                    )
                )
            raise RuntimeError("a later part fails")
    except RuntimeError:
        pass_through = True
    assert pass_through
    with transaction(rt.sessions) as s:
        assert s.execute(select(func.count()).select_from(QueueEntryRow)).scalar_one() == start
    # An inner part that fails and is caught rolls back only itself.
    with unit_of_work(rt.sessions):
        try:
            with transaction(rt.sessions) as s:
                s.add(
                    QueueEntryRow(
                        call_sid="CA-inner",
                        department="scheduling",
                        priority="routine",
                        status="waiting",
                        entered_at=TUESDAY_10AM_CHICAGO,
                        updated_at=TUESDAY_10AM_CHICAGO,
                    )
                )
                s.flush()
                raise ValueError("this part is refused")
        except ValueError:
            refused = True
        with transaction(rt.sessions) as s:
            s.add(
                QueueEntryRow(
                    call_sid="CA-kept",
                    department="scheduling",
                    priority="routine",
                    status="waiting",
                    entered_at=TUESDAY_10AM_CHICAGO,
                    updated_at=TUESDAY_10AM_CHICAGO,
                )
            )
    assert refused
    with transaction(rt.sessions) as s:
        sids = set(s.execute(select(QueueEntryRow.call_sid)).scalars())
    assert "CA-kept" in sids and "CA-inner" not in sids and "CA-uow" not in sids
