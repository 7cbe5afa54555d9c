"""The demo as a user runs it: a real `careline demo` process serving real HTTP on
loopback. Its whole output (our logs, uvicorn's access log) must contain no
demo patient's name, phone number or MRN after a session of typical work.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyotp
import pytest
from sqlalchemy import create_engine, text

from careline.security.crypto import PhiCipher, Place
from careline.security.keyring import load_keyring

pytestmark = pytest.mark.slow

CARELINE = Path(sys.executable).parent / "careline"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(base: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"careline demo exited early with {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):  # not listening yet
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        time.sleep(0.3)
    raise AssertionError("careline demo did not become ready")


def _secrets(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\w+)\s+\S+\s+password: \S+\s+TOTP secret: (\w+)", output, re.M))


def _sign_in(base: str, username: str, secret: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    r = client.post(
        "/api/v1/auth/login",
        json={
            "username": username,
            "password": f"careline-demo-{username}",
            "totp": pyotp.TOTP(secret).now(),
        },
    )
    assert r.status_code == 200, r.text
    return client


def _demo_phi(db: Path, keyring: Path) -> set[str]:
    cipher = PhiCipher(load_keyring(keyring, create=False))
    engine = create_engine(f"sqlite:///{db}")
    values: set[str] = set()

    def clear(table: str, column: str, row_id: str, stored: str) -> str:
        return cipher.unseal(stored, Place(table, column, row_id))

    with engine.connect() as conn:
        for pid, given, family, mrn in conn.execute(
            text("SELECT id, given_name, family_name, mrn FROM patients")
        ):
            family = clear("patients", "family_name", pid, family)
            values.add(f"{clear('patients', 'given_name', pid, given)} {family}")
            values.add(family + ",")
            if mrn:
                values.add(clear("patients", "mrn", pid, mrn))
        for row_id, number in conn.execute(text("SELECT id, number FROM patient_phones")):
            e164 = clear("patient_phones", "number", row_id, number)
            values.update({e164, e164[2:]})  # +13125550143 and 3125550143
        for row_id, name, phone in conn.execute(
            text("SELECT id, name, phone FROM patient_caregivers")
        ):
            values.add(clear("patient_caregivers", "name", row_id, name))
            values.add(clear("patient_caregivers", "phone", row_id, phone))
    engine.dispose()
    return values


def test_demo_serves_real_http_and_logs_no_phi(tmp_path):
    db = tmp_path / "demo.db"
    port, carrier_port = _free_port(), _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CARELINE_LOG_LEVEL": "DEBUG"}
    env.pop("CARELINE_DATABASE_URL", None)
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                str(CARELINE),
                "demo",
                "--db",
                str(db),
                "--port",
                str(port),
                "--carrier-port",
                str(carrier_port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
        )
        try:
            _wait_ready(base, proc)
            secrets = _secrets(log.read_text())
            assert {"frontdesk", "nurse", "auditor", "admin"} <= set(secrets)

            desk = _sign_in(base, "frontdesk", secrets["frontdesk"])
            page = desk.get("/api/v1/patients", params={"limit": 20}).json()
            assert page["total"] > 0 and len(page["items"]) == 20
            patient = desk.get(f"/api/v1/patients/{page['items'][0]['id']}").json()
            phone = patient["phones"][0]["number"]
            found = desk.post("/api/v1/patients/search", json={"phone": phone})
            assert found.status_code == 200 and found.json()
            assert desk.get(f"/api/v1/patients/{patient['id']}/timeline").status_code == 200
            r = desk.post(
                "/api/v1/patients",
                json={
                    "given_name": patient["given_name"],
                    "family_name": patient["family_name"],
                    "date_of_birth": "1980-01-01",
                    "phones": [{"number": phone + "99"}],
                },
            )
            assert r.status_code == 422
            assert patient["family_name"] not in r.text and phone not in r.text
            r = desk.patch(f"/api/v1/patients/{patient['id']}", json={"preferred_language": "es"})
            assert r.status_code == 200
            # A failed sign-in whose username is a patient's name.
            httpx.post(
                f"{base}/api/v1/auth/login",
                json={"username": patient["family_name"], "password": "x" * 12},
            )

            nurse = _sign_in(base, "nurse", secrets["nurse"])
            r = nurse.post(
                f"/api/v1/patients/{patient['id']}/notes",
                json={"text": f"Called {patient['given_name']} back at {phone}."},
            )
            assert r.status_code == 201, r.text

            auditor = _sign_in(base, "auditor", secrets["auditor"])
            trail = auditor.get("/api/v1/audit", params={"patient_id": patient["id"]}).json()
            assert trail["total"] >= 3

            # The virtual carrier runs beside it, and the virtual phone talks to it.
            phones = subprocess.run(
                [str(CARELINE), "phone", "list", "--carrier", f"http://127.0.0.1:{carrier_port}"],
                capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
            )  # fmt: skip
            assert phones.returncode == 0, phones.stderr
            assert "text(s)" in phones.stdout or "No phone has received" in phones.stdout
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)

    # Re-running the demo reuses the database instead of seeding twice.
    again = subprocess.run(
        [str(CARELINE), "demo", "--db", str(db), "--no-serve"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert "Reusing the existing demo network" in again.stdout

    output = log.read_text() + again.stdout + again.stderr
    assert "GET /api/v1/patients" in output  # the access log was captured
    leaked = sorted(v for v in _demo_phi(db, tmp_path / "keyring.json") if v in output)
    assert leaked == [], f"{len(leaked)} PHI values found in the logs"
