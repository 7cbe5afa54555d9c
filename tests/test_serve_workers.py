"""`careline serve --workers N` (issue 14): several server processes on PostgreSQL
that share only the database, each answering the API and signed webhooks; SQLite is
refused with the reason."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator

from live import free_port

CARELINE = Path(sys.executable).parent / "careline"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TOKEN = "a" * 32


def _children(pid: int) -> set[int]:
    """The server processes uvicorn spawned (not multiprocessing's resource tracker)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"spawn_main" in cmdline:
                found.add(int(child))
    return found


def _env(tmp_path: Path, keyring_path: Path, url: str) -> dict[str, str]:
    return {
        **os.environ,
        "CARELINE_ENVIRONMENT": "development",
        "CARELINE_DATABASE_URL": url,
        "CARELINE_KEYRING_FILE": str(keyring_path),
        "CARELINE_TWILIO_AUTH_TOKEN": TOKEN,
        "CARELINE_AUDIT_ANCHOR_FILE": str(tmp_path / "anchor.jsonl"),
    }


def test_sqlite_refuses_several_server_processes_and_says_why(tmp_path, keyring_path):
    env = _env(tmp_path, keyring_path, f"sqlite:///{tmp_path / 'one.db'}")
    done = subprocess.run(
        [str(CARELINE), "serve", "--workers", "2", "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "--workers 2 needs PostgreSQL" in done.stderr


def test_two_server_processes_answer_the_api_and_signed_webhooks(tmp_path, keyring_path):
    admin_url = os.environ.get("CARELINE_TEST_DATABASE_URL", PG_DEFAULT)
    name = f"careline_workers_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    env = _env(tmp_path, keyring_path, url)
    upgrade = subprocess.run(
        [str(CARELINE), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=180
    )
    assert upgrade.returncode == 0, upgrade.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(CARELINE), "serve", "--workers", "2", "--port", str(port), "--no-worker"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            time.sleep(0.3)
        # uvicorn's supervisor and its two server processes.
        deadline = time.monotonic() + 30
        while len(_children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_children(server.pid)) == 2
        # Every request is answered, whichever process takes it; a signed webhook too.
        hook = f"{base}/telephony/voice/incoming"
        params = {"CallSid": "CA-workers", "From": "+17735550102", "To": "+13125550199"}
        with httpx.Client(timeout=10) as http:
            for _ in range(20):
                assert http.get(f"{base}/healthz").status_code == 200
            sig = RequestValidator(TOKEN).compute_signature(hook, params)
            answer = http.post(hook, data=params, headers={"X-Twilio-Signature": sig})
            assert answer.status_code == 200 and "<Response>" in answer.text
            forged = http.post(hook, data=params, headers={"X-Twilio-Signature": "bad"})
            assert forged.status_code == 403
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        admin.dispose()
