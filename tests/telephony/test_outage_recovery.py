"""A database outage, a restart during it, and the way back (issue 11, item 14).

Before: `careline serve` refused to start without a database, so a restart during
an outage took the fallback plan down with it, and voicemails the fallback plan
spooled were never filed. Now the server starts degraded (fallback plan, /readyz
503), recovers by itself when the database answers, and files the spool.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, select, text
from twilio.request_validator import RequestValidator

from careline.bootstrap import build_runtime
from careline.core.db import transaction
from careline.core.settings import Settings
from careline.security.model import SYSTEM
from careline.telephony import fallback
from careline.telephony.spool_import import import_spool
from careline.timeline import service as timeline
from careline.worklist.tables import FrontDeskTaskRow as TaskRow
from clinics import clinic_with_caller
from live import free_port

MAIN = "+13125550199"
CALLER = "+13125550143"
TOKEN = "f" * 32
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _spool_call(settings: Settings, cipher, sid: str, transcript: str, *, from_=CALLER) -> None:
    base = {"CallSid": sid, "From": from_, "To": MAIN}
    fallback.spool(
        settings,
        cipher,
        "recorded",
        {**base, "RecordingUrl": "https://api.twilio.com/r", "RecordingDuration": "12"},
    )
    fallback.spool(settings, cipher, "transcribed", {**base, "TranscriptionText": transcript})


def _tasks(rt) -> list[TaskRow]:
    with transaction(rt.sessions) as s:
        return list(s.execute(select(TaskRow).where(TaskRow.kind == "voicemail")).scalars())


def test_spooled_voicemails_are_filed_once_with_triage(rt, tmp_path):
    rt.settings = rt.settings.model_copy(update={"spool_dir": tmp_path / "spool"})
    location_id, patient_id = clinic_with_caller(rt, number=MAIN, caller=CALLER)
    _spool_call(rt.settings, rt.cipher, "CA-out-1", "my chest hurts and I can't breathe")
    _spool_call(
        rt.settings, rt.cipher, "CA-out-2", "please call me about my bill", from_="+17735550111"
    )
    report = import_spool(rt)
    assert (report.calls, report.filed, report.already) == (2, 2, 0)
    assert not fallback.spool_path(rt.settings).exists()  # renamed, kept beside it
    assert list((tmp_path / "spool").glob("voicemail.imported-*.jsonl"))
    tasks = {t.patient_id: t for t in _tasks(rt)}
    assert tasks[patient_id].urgency == "emergency" and tasks[patient_id].location_id == location_id
    assert tasks[None].urgency == "routine"
    filed = timeline.find_by_external_ref(rt, actor=SYSTEM, external_ref="fallback:CA-out-1")
    assert filed is not None and filed.patient_id == patient_id
    [recorded] = [e for e in filed.events if e.kind == "voicemail.recorded"]
    assert recorded.text == "my chest hurts and I can't breathe"
    assert recorded.data["by"] == "fallback-plan"
    # The same call spooled again (a provider retry during the outage): nothing twice.
    _spool_call(rt.settings, rt.cipher, "CA-out-1", "my chest hurts and I can't breathe")
    again = import_spool(rt)
    assert (again.filed, again.already) == (0, 1) and len(_tasks(rt)) == 2


def _wait(check, *, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("the server did not get there in time")


class DatabaseLink:
    """The network between careline and PostgreSQL: down until `restore()` (nothing
    listens on its port, as when the database host is unreachable), then a plain TCP
    relay to the real server."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._server: socket.socket | None = None

    def restore(self) -> None:
        server = socket.create_server(("127.0.0.1", self.port))
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            return  # either side closed: the finally below closes both
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    sock.close()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()


# An outage of a database server needs a database server: PostgreSQL (the one CI
# names, else this machine's). SQLite is a file and has no outage to recover from.
def test_serve_starts_degraded_during_an_outage_and_recovers_by_itself(tmp_path, keyring_path):
    admin_url = os.environ.get("CARELINE_TEST_DATABASE_URL", PG_DEFAULT)
    name = f"careline_outage_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    real = make_url(admin_url)
    link = DatabaseLink((real.host or "127.0.0.1", real.port or 5432))
    url = real.set(
        database=name, host="127.0.0.1", port=link.port, query={"connect_timeout": "2"}
    ).render_as_string(hide_password=False)
    env = {
        **os.environ,
        "CARELINE_ENVIRONMENT": "development",
        "CARELINE_DATABASE_URL": url,
        "CARELINE_KEYRING_FILE": str(keyring_path),
        "CARELINE_TWILIO_AUTH_TOKEN": TOKEN,
        "CARELINE_SPOOL_DIR": str(tmp_path / "spool"),
        "CARELINE_DB_RETRY_SECONDS": "0.3",
        "CARELINE_AUDIT_ANCHOR_FILE": str(tmp_path / "anchor.jsonl"),
    }
    careline = Path(sys.executable).parent / "careline"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(careline), "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def up() -> bool:
            try:
                return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return server.poll() is not None

        _wait(up)
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        ready = httpx.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["status"] == "database-unreachable"
        # A caller's voicemail during the outage, through the fallback plan (signed).
        url_fb = f"{base}/telephony/voice/fallback?step=transcribed"
        params = {
            "CallSid": "CA-down",
            "From": CALLER,
            "To": MAIN,
            "TranscriptionText": "I need to reschedule my visit",
        }
        sig = RequestValidator(TOKEN).compute_signature(url_fb, params)
        answered = httpx.post(url_fb, data=params, headers={"X-Twilio-Signature": sig}, timeout=5)
        assert answered.status_code == 200
        assert (tmp_path / "spool" / "voicemail.jsonl").exists()
        # The network comes back; the operator migrates the new database.
        link.restore()
        upgrade = subprocess.run(
            [str(careline), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
        )
        assert upgrade.returncode == 0, upgrade.stderr
        _wait(lambda: httpx.get(f"{base}/readyz", timeout=10).status_code == 200)
        _wait(lambda: not (tmp_path / "spool" / "voicemail.jsonl").exists())
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    settings = Settings(
        database_url=url, keyring_file=keyring_path, audit_anchor_file=tmp_path / "anchor.jsonl"
    )
    rt = build_runtime(settings)
    try:
        filed = timeline.find_by_external_ref(rt, actor=SYSTEM, external_ref="fallback:CA-down")
        assert filed is not None
        assert [t.kind for t in _tasks(rt)] == ["voicemail"]
    finally:
        rt.events.close()
        rt.engine.dispose()
        link.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_cli_imports_the_spool(rt, tmp_path, settings, monkeypatch):
    from typer.testing import CliRunner

    from careline.cli import app

    spool = tmp_path / "spool"
    rt.settings = rt.settings.model_copy(update={"spool_dir": spool})
    clinic_with_caller(rt, number=MAIN, caller=CALLER)
    _spool_call(rt.settings, rt.cipher, "CA-cli", "my sugar is 45 and I'm shaky")
    monkeypatch.setenv("CARELINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(settings.keyring_file))
    monkeypatch.setenv("CARELINE_SPOOL_DIR", str(spool))
    done = CliRunner().invoke(app, ["voicemail", "import-spool"])
    assert done.exit_code == 0 and '"filed": 1' in done.output
    [task] = _tasks(rt)
    assert task.urgency in ("urgent", "emergency")  # a low sugar is never a routine call back
