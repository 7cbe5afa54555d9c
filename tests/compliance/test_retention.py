"""Retention with legal hold (issue 13): the rules purge the right things and nothing
under a hold, batch by batch, across a crash mid-purge, with `audit verify` still
green; the plan is a dry run; rules and holds refuse bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from careline.cli import app
from careline.compliance import retention_service as retention
from careline.compliance.retention import Action, RecordType
from careline.core.db import transaction
from careline.core.errors import ValidationFailed
from careline.jobs import service as jobs
from careline.jobs.tables import JobEventRow, JobRow
from careline.messaging import service as messaging
from careline.messaging.tables import OutboundMessageRow
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.security import audit
from careline.security.model import SYSTEM
from careline.security.tables import AuditEntryRow
from careline.timeline import service as timeline
from careline.timeline.tables import InteractionEventRow, InteractionRow

WORDS = "my chest has felt tight since the procedure"


def _patient(rt, clinic: str, phone: str) -> str:
    return patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(
            given_name="Ada", family_name="Quillfeather", date_of_birth=date(1980, 1, 2),
            home_location_id=clinic,
            phones=[PhoneIn(number=phone, sms_capable=True, primary=True)],
        ),
    ).id  # fmt: skip


def _voicemail(rt, clinic: str, patient: str | None) -> str:
    vm = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", patient_id=patient,
        location_id=clinic,
    )  # fmt: skip
    timeline.append_event(
        rt, actor=SYSTEM, interaction_id=vm.id, kind="voicemail.transcribed", text=WORDS
    )
    return vm.id


def _call(rt, clinic: str, patient: str) -> str:
    call = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", patient_id=patient,
        location_id=clinic,
    )  # fmt: skip
    timeline.append_event(rt, actor=SYSTEM, interaction_id=call.id, kind="speech", text=WORDS)
    return call.id


def _texts(rt) -> list[tuple[str, object]]:
    with transaction(rt.sessions) as s:
        return [
            (r.body, r.purged_at)
            for r in s.execute(
                select(OutboundMessageRow).order_by(OutboundMessageRow.created_at)
            ).scalars()
        ]


def _content(rt, interaction_id: str) -> list[str | None]:
    with transaction(rt.sessions) as s:
        return list(
            s.execute(
                select(InteractionEventRow.text).where(
                    InteractionEventRow.interaction_id == interaction_id
                )
            ).scalars()
        )


@pytest.fixture
def two_years(rt, clock, make_location):
    """A clinic's records over two years: old and recent voicemails, calls and texts,
    a finished job; the old ones of one patient are under a legal hold."""
    clinic = make_location("Riverside")
    kept, other = _patient(rt, clinic, "+13125550142"), _patient(rt, clinic, "+13125550143")
    old = {
        "vm_held": _voicemail(rt, clinic, kept),
        "vm": _voicemail(rt, clinic, other),
        "vm_unknown": _voicemail(rt, clinic, None),
        "call": _call(rt, clinic, other),
    }
    messaging.send_message(rt, actor=SYSTEM, patient_id=other, body=WORDS, idempotency_key="m-old")
    job = jobs.schedule(rt, kind="test.ping", payload={}, due_at=clock.now(), dedupe_key="j-old")
    jobs.cancel(rt, job_id=job.id)
    clock.advance(timedelta(days=400))
    new = {"vm": _voicemail(rt, clinic, other), "call": _call(rt, clinic, other)}
    messaging.send_message(rt, actor=SYSTEM, patient_id=other, body=WORDS, idempotency_key="m-new")
    hold = retention.place_hold(
        rt, actor=SYSTEM, reason="Litigation request 2026-114", patient_id=kept
    )
    return {"clinic": clinic, "old": old, "new": new, "hold": hold.id, "job": job.id}


def test_the_plan_counts_what_is_due_and_changes_nothing(rt, two_years):
    lines = {(ln.record_type, ln.scope): ln for ln in retention.plan(rt)}
    # Voicemails and calls are kept 365 days; 400-day-old ones are due, the held one not.
    assert lines[(RecordType.voicemails, "network")].due == 2
    assert lines[(RecordType.calls, "network")].due == 1
    assert lines[(RecordType.texts, "network")].due == 0  # texts: 7 years
    # The cancelled job and the old text's finished send job (90 days).
    assert lines[(RecordType.jobs, "network")].due == 2
    assert _content(rt, two_years["old"]["vm"]) == [WORDS]  # a dry run


def test_a_purge_strips_what_is_due_keeps_the_facts_and_never_touches_a_hold(rt, two_years):
    audit_before = _audit_count(rt)
    done = retention.run(rt, actor=SYSTEM)
    assert done == {"voicemails": 2, "calls": 1, "jobs": 2}
    old, new = two_years["old"], two_years["new"]
    assert _content(rt, old["vm"]) == [None] and _content(rt, old["call"]) == [None]
    assert _content(rt, old["vm_unknown"]) == [None]
    assert _content(rt, old["vm_held"]) == [WORDS]  # under the legal hold
    assert _content(rt, new["vm"]) == [WORDS] and _content(rt, new["call"]) == [WORDS]
    with transaction(rt.sessions) as s:
        # The fact of each contact stays (the PHI channel report still counts it).
        assert s.get(InteractionRow, old["vm"]) is not None
        assert s.get(InteractionRow, old["vm"]).purged_at is not None
        assert s.get(JobRow, two_years["job"]) is None
        assert (
            s.execute(
                select(func.count())
                .select_from(JobEventRow)
                .where(JobEventRow.job_id == two_years["job"])
            ).scalar_one()
            == 0
        )
        # One audit entry per batch, counts only.
        entries = list(
            s.execute(
                select(AuditEntryRow).where(AuditEntryRow.action == "retention.purge")
            ).scalars()
        )
        report = audit.verify(s)
    assert len(entries) == 3 and _audit_count(rt) == audit_before + 3
    for entry in entries:
        assert WORDS not in str(entry.details) and "+1312" not in str(entry.details)
    assert report.ok, report
    assert retention.run(rt, actor=SYSTEM) == {}  # nothing left to do


def test_released_holds_and_changed_rules_take_effect_at_the_next_purge(rt, two_years):
    retention.run(rt, actor=SYSTEM)
    retention.release_hold(rt, actor=SYSTEM, hold_id=two_years["hold"])
    retention.set_rule(
        rt, actor=SYSTEM, record_type=RecordType.texts, keep_days=30, action=Action.strip_content
    )
    done = retention.run(rt, actor=SYSTEM)
    assert done == {"voicemails": 1, "texts": 1}
    assert _content(rt, two_years["old"]["vm_held"]) == [None]
    [(old_body, old_purged), (new_body, new_purged)] = _texts(rt)
    assert (old_body, new_body) == ("", WORDS) and old_purged and not new_purged


def test_a_clinics_own_rule_overrides_the_networks_for_its_records(rt, two_years, make_location):
    retention.set_rule(
        rt, actor=SYSTEM, record_type=RecordType.voicemails, keep_days=3650,
        action=Action.strip_content, location_id=two_years["clinic"],
    )  # fmt: skip
    lines = {(ln.record_type, ln.scope): ln.due for ln in retention.plan(rt)}
    assert lines[(RecordType.voicemails, "network")] == 0
    assert lines[(RecordType.voicemails, two_years["clinic"])] == 0


def test_a_crash_mid_purge_loses_nothing_and_the_next_run_finishes(rt, two_years, monkeypatch):
    calls = {"n": 0}
    real = retention._apply

    def crash_on_second_batch(s, table, ids, now):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        real(s, table, ids, now)

    monkeypatch.setattr(retention, "_apply", crash_on_second_batch)
    with pytest.raises(RuntimeError):
        retention.run(rt, actor=SYSTEM, batch=1)
    monkeypatch.setattr(retention, "_apply", real)
    # The first batch (the old call) committed; the crashed one (a voicemail) rolled
    # back whole; the rest waits for the next run.
    assert _content(rt, two_years["old"]["call"]) == [None]
    assert _content(rt, two_years["old"]["vm"]) == [WORDS]
    done = retention.run(rt, actor=SYSTEM, batch=1)
    assert done == {"voicemails": 2, "jobs": 2}
    assert _content(rt, two_years["old"]["vm_held"]) == [WORDS]
    with transaction(rt.sessions) as s:
        assert audit.verify(s).ok


def test_bad_rules_and_holds_are_refused_with_the_reason(rt):
    with pytest.raises(ValidationFailed) as bad:
        retention.set_rule(
            rt, actor=SYSTEM, record_type=RecordType.calls, keep_days=0, action=Action.delete
        )
    assert {p.message for p in bad.value.problems} == {
        "keep_days must be between 1 and 36500",
        "calls can only be: strip",
    }
    with pytest.raises(ValidationFailed):
        retention.set_rule(
            rt, actor=SYSTEM, record_type=RecordType.jobs, keep_days=30, action=Action.delete,
            location_id="loc-1",
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as vague:
        retention.place_hold(rt, actor=SYSTEM, reason="because")
    assert {p.field for p in vague.value.problems} == {"reason", "hold"}
    with pytest.raises(retention.NoSuchHold):
        retention.release_hold(rt, actor=SYSTEM, hold_id="nope")


def test_the_cli_plans_runs_and_holds(rt, two_years, settings, monkeypatch):
    import json

    monkeypatch.setattr("careline.cli._runtime", lambda settings=None: rt)
    runner = CliRunner()
    planned = runner.invoke(app, ["retention", "plan"])
    assert planned.exit_code == 0, planned.output
    due = {
        json.loads(ln)["record_type"]: json.loads(ln)["due"] for ln in planned.output.splitlines()
    }
    assert due["voicemails"] == 2
    held = runner.invoke(
        app, ["retention", "hold", "--reason", "Records request 7781", "--by", "compliance",
              "--from", "2020-01-01", "--to", "2030-01-01"],
    )  # fmt: skip
    assert held.exit_code == 0, held.output
    ran = runner.invoke(app, ["retention", "run"])
    assert ran.exit_code == 0 and json.loads(ran.output) == {"purged": {"jobs": 2}}
    listed = runner.invoke(app, ["retention", "holds"])
    assert len(listed.output.splitlines()) == 2
    bad = runner.invoke(app, ["retention", "set", "calls", "30", "--action", "delete"])
    assert bad.exit_code == 1 and "calls can only be: strip" in bad.output


def _audit_count(rt) -> int:
    with transaction(rt.sessions) as s:
        return s.execute(select(func.count()).select_from(AuditEntryRow)).scalar_one()


def test_the_daily_job_purges_and_schedules_tomorrows(rt, two_years, clock):
    from careline.compliance.jobs import PURGE_JOB, purge_job

    purge_job(rt, {})
    assert _content(rt, two_years["old"]["vm"]) == [None]
    with transaction(rt.sessions) as s:
        [nxt] = s.execute(
            select(JobRow).where(JobRow.kind == PURGE_JOB, JobRow.status == "due")
        ).scalars()
    assert nxt.due_at == clock.now() + timedelta(days=1)
