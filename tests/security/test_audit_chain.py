"""The audit log detects any edited, removed or reordered entry, and names it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, text, update
from typer.testing import CliRunner

from careline.core.db import transaction
from careline.security import audit
from careline.security.model import SYSTEM, Actor, Role
from careline.security.tables import AuditEntryRow, AuditHeadRow


def _write_entries(rt, clock, n=6):
    for i in range(n):
        with transaction(rt.sessions) as s:
            audit.record(
                s,
                clock=clock,
                actor=SYSTEM,
                action="patient.read",
                resource_type="patient",
                resource_id=f"p{i}",
                patient_id=f"p{i}",
            )
        clock.advance(timedelta(seconds=1))


def _verify(rt):
    with transaction(rt.sessions) as s:
        return audit.verify(s)


def test_an_untouched_chain_verifies(rt, clock):
    _write_entries(rt, clock)
    report = _verify(rt)
    assert report.ok and report.checked == 6


def test_editing_an_entry_is_detected(rt, clock):
    _write_entries(rt, clock)
    with transaction(rt.sessions) as s:
        s.execute(update(AuditEntryRow).where(AuditEntryRow.seq == 3).values(action="nothing"))
    report = _verify(rt)
    assert not report.ok and report.first_bad_seq == 3
    assert "altered" in report.problem


def test_editing_details_or_time_is_detected(rt, clock):
    _write_entries(rt, clock)
    with transaction(rt.sessions) as s:
        s.execute(
            update(AuditEntryRow)
            .where(AuditEntryRow.seq == 5)
            .values(at=clock.now() - timedelta(days=3))
        )
    assert _verify(rt).first_bad_seq == 5


def test_deleting_an_entry_is_detected(rt, clock):
    _write_entries(rt, clock)
    with transaction(rt.sessions) as s:
        s.execute(delete(AuditEntryRow).where(AuditEntryRow.seq == 2))
    report = _verify(rt)
    assert not report.ok and report.first_bad_seq == 3


def test_deleting_the_newest_entries_is_detected(rt, clock):
    _write_entries(rt, clock)
    with transaction(rt.sessions) as s:
        s.execute(delete(AuditEntryRow).where(AuditEntryRow.seq >= 5))
    report = _verify(rt)
    assert not report.ok and report.first_bad_seq == 5


def test_reordering_entries_is_detected(rt, clock):
    _write_entries(rt, clock)
    # Swap the positions (sequence numbers) of entries 2 and 4.
    with transaction(rt.sessions) as s:
        s.execute(text("UPDATE audit_entries SET seq = -1 WHERE seq = 2"))
        s.execute(text("UPDATE audit_entries SET seq = 2 WHERE seq = 4"))
        s.execute(text("UPDATE audit_entries SET seq = 4 WHERE seq = -1"))
    report = _verify(rt)
    assert not report.ok and report.first_bad_seq == 2


def test_recomputing_hashes_without_the_key_does_not_help(rt, clock):
    """An attacker who rewrites an entry and re-hashes it with plain SHA-256 is caught."""
    import hashlib

    from careline.security.audit import _as_entry
    from careline.security.audit_chain import canonical

    _write_entries(rt, clock)
    with transaction(rt.sessions) as s:
        row = s.get(AuditEntryRow, 6)
        row.action = "forged"
        row.hash = hashlib.sha256(canonical(_as_entry(row))).hexdigest()
        s.get(AuditHeadRow, 1).last_hash = row.hash
    assert _verify(rt).first_bad_seq == 6


def test_concurrent_appends_keep_the_chain_intact(rt, clock):
    import threading

    errors = []

    def worker(k):
        try:
            for i in range(10):
                with transaction(rt.sessions) as s:
                    audit.record(s, clock=clock, actor=SYSTEM, action=f"t{k}.{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = _verify(rt)
    assert report.ok and report.checked == 40


def test_cli_verify_exits_nonzero_and_names_the_entry(rt, clock, settings, monkeypatch):
    from careline.cli import app

    _write_entries(rt, clock)
    monkeypatch.setenv("CARELINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(settings.keyring_file))
    monkeypatch.setenv("CARELINE_AUDIT_ANCHOR_FILE", str(settings.audit_anchor_file))
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert '"ok": true' in ok.output
    with transaction(rt.sessions) as s:
        s.execute(update(AuditEntryRow).where(AuditEntryRow.seq == 4).values(outcome="denied"))
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1
    assert '"first_bad_seq": 4' in bad.output


def test_auditors_search_by_patient_user_and_time(client, make_user, login, rt, clock):
    _write_entries(rt, clock, n=4)
    auditor = make_user(Role.auditor)
    login(auditor)
    r = client.get("/api/v1/audit", params={"patient_id": "p2"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 1 and body["items"][0]["resource_id"] == "p2"
    r = client.get("/api/v1/audit", params={"user_id": auditor.id, "action": "auth.login"})
    assert r.json()["total"] == 1
    since = (clock.now() - timedelta(minutes=10)).isoformat()
    r = client.get("/api/v1/audit", params={"since": since, "action": "patient.read"})
    assert r.json()["total"] == 4
    assert client.get("/api/v1/audit/verify").json()["ok"] is True


def test_only_auditors_read_the_log(client, make_user, login):
    agent = make_user(Role.agent)
    login(agent)
    r = client.get("/api/v1/audit")
    assert r.status_code == 403
    assert r.json()["error_id"] == "permission-denied"


def test_permission_changes_are_audited(client, make_user, login, rt):
    admin = make_user(Role.admin)
    target = make_user(Role.agent)
    login(admin)
    r = client.put(f"/api/v1/users/{target.id}/roles", json={"roles": [{"role": "supervisor"}]})
    assert r.status_code == 200
    with transaction(rt.sessions) as s:
        rows, total = audit.search(s, audit.AuditQuery(action="user.roles_changed"))
    assert total == 1
    assert rows[0].details == {"before": ["agent@*"], "after": ["supervisor@*"]}
    assert rows[0].actor_user_id == admin.id


@pytest.mark.parametrize("n", [0])
def test_an_empty_log_verifies(rt, n):
    assert _verify(rt).ok


def test_actor_ip_is_recorded(rt, clock):
    with transaction(rt.sessions) as s:
        audit.record(
            s, clock=clock, actor=Actor(user_id=None, username="x", ip="10.1.2.3"), action="a"
        )
    with transaction(rt.sessions) as s:
        rows, _ = audit.search(s, audit.AuditQuery(action="a"))
    assert rows[0].ip == "10.1.2.3"


# ---------------------------------------------------------------- the anchor (issue 11, item 23)


def _verify_with_anchor(rt):
    from careline.security import audit_anchor

    with transaction(rt.sessions) as s:
        report = audit.verify(s)
        return (audit_anchor.check_anchor(s, rt) or report) if report.ok else report


def test_cutting_the_newest_entries_and_moving_the_head_is_caught_by_the_anchor(rt, clock):
    """Before: deleting the last entries and pointing the head at the new last one
    passed `audit verify`. The checkpoint outside the database remembers the head."""
    from careline.security import audit_anchor

    _write_entries(rt, clock)
    point = audit_anchor.write_checkpoint(rt)
    assert point.seq == 6 and rt.settings.audit_anchor_file.exists()
    with transaction(rt.sessions) as s:
        last_kept = s.execute(text("SELECT hash FROM audit_entries WHERE seq = 3")).scalar_one()
        s.execute(delete(AuditEntryRow).where(AuditEntryRow.seq > 3))
        s.execute(
            update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=3, last_hash=last_kept)
        )
    assert _verify(rt).ok  # the chain alone is consistent: what the attack relied on
    report = _verify_with_anchor(rt)
    assert not report.ok and report.first_bad_seq == 6
    assert "no longer holds" in (report.problem or "")


def test_wiping_the_log_and_resetting_the_head_is_caught_by_the_anchor(rt, clock):
    from careline.security import audit_anchor

    _write_entries(rt, clock)
    audit_anchor.write_checkpoint(rt)
    with transaction(rt.sessions) as s:
        s.execute(delete(AuditEntryRow))
        s.execute(
            update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=0, last_hash="0" * 64)
        )
    assert _verify(rt).ok
    assert not _verify_with_anchor(rt).ok


def test_a_forged_checkpoint_line_is_ignored_and_growth_after_a_checkpoint_is_fine(rt, clock):
    from careline.security import audit_anchor

    _write_entries(rt, clock, n=3)
    audit_anchor.write_checkpoint(rt)
    _write_entries(rt, clock, n=3)  # the log grows after the checkpoint: still fine
    assert _verify_with_anchor(rt).ok
    # A line written without the audit key (to make a later truncation look planned).
    with rt.settings.audit_anchor_file.open("a") as f:
        f.write('{"seq":1,"hash":"00","at":"2026-01-01T00:00:00+00:00","mac":"ab"}\n')
        f.write("torn line without an end")
    lines = rt.settings.audit_anchor_file.read_text().splitlines()
    newest, invalid = audit_anchor.newest_valid(lines, rt.cipher.keyring.audit_key)
    assert newest is not None and newest.seq == 3 and invalid == 2
    assert _verify_with_anchor(rt).ok


def test_the_worker_writes_checkpoints_on_its_own(rt, clock):
    from careline.bootstrap import start_periodic_work
    from careline.jobs.registry import default_registry
    from careline.jobs.worker import Worker
    from careline.security import audit_anchor

    _write_entries(rt, clock, n=2)
    start_periodic_work(rt)
    worker = Worker(rt, registry=default_registry(), worker_id="anchor-test")
    worker.run_until_idle()
    clock.advance(timedelta(minutes=rt.settings.audit_checkpoint_minutes + 1))
    worker.run_until_idle()
    lines = rt.settings.audit_anchor_file.read_text().splitlines()
    assert len(lines) >= 2  # one at start, one a period later
    newest, invalid = audit_anchor.newest_valid(lines, rt.cipher.keyring.audit_key)
    assert newest is not None and newest.seq >= 2 and invalid == 0


def test_cli_checkpoint_and_verify_use_the_anchor(rt, clock, settings, monkeypatch):
    from careline.cli import app

    _write_entries(rt, clock)
    monkeypatch.setenv("CARELINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(settings.keyring_file))
    monkeypatch.setenv("CARELINE_AUDIT_ANCHOR_FILE", str(settings.audit_anchor_file))
    runner = CliRunner()
    made = runner.invoke(app, ["audit", "checkpoint"])
    assert made.exit_code == 0 and '"seq": 6' in made.output
    with transaction(rt.sessions) as s:
        s.execute(delete(AuditEntryRow).where(AuditEntryRow.seq == 6))
        keep = s.execute(text("SELECT hash FROM audit_entries WHERE seq = 5")).scalar_one()
        s.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=5, last_hash=keep))
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1 and '"first_bad_seq": 6' in bad.output
