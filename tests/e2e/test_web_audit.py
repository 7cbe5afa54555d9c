"""The auditor's console in real Chromium against a real `careline demo` process.

A nurse opens a demo patient's record (through the API, as the web app does). The
demo's auditor signs in with a one-time code, opens the Audit log, and finds who
opened that patient's record this week by searching the patient's family name and
date of birth (a POST body: nothing of the patient in the URL). The nurse's read is
there; the auditor marks it reviewed, exports the search as CSV (a real download,
under the strict CSP), and verifies the audit chain. Afterwards the log holds the
auditor's own search, naming the matched patient by id and never the name or date of
birth. Axe-core checks each screen; screenshots under var/screenshots/ ("audit",
"audit-verified").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from web_support import (
    Demo,
    admin_client,
    check_screen,
    chromium,
    require_prerequisites,
    sign_in,
    start_demo,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    require_prerequisites()
    yield from start_demo(tmp_path_factory.mktemp("web-audit"), patients=20)


def _signed_in(demo: Demo, username: str) -> httpx.Client:
    http = httpx.Client(base_url=demo.base, timeout=30)
    r = http.post(
        "/api/v1/auth/login",
        json={
            "username": username,
            "password": demo.password(username),
            "totp": demo.fresh_code(username),
        },
    )
    assert r.status_code == 200, r.text
    return http


def test_an_auditor_finds_who_opened_a_record_this_week(demo: Demo) -> None:
    admin = admin_client(demo)
    try:
        patient = admin.get("/api/v1/patients", params={"limit": 5}).json()["items"][0]
        nurse = _signed_in(demo, "nurse")
        try:
            assert nurse.get(f"/api/v1/patients/{patient['id']}").status_code == 200
        finally:
            nurse.close()
        family, born = patient["family_name"], patient["date_of_birth"]

        with chromium() as b:
            page = b.page
            sign_in(page, demo, "auditor")
            page.wait_for_url("**/account/sessions")
            page.get_by_role("navigation", name="Main").get_by_role(
                "link", name="Audit log"
            ).click()
            page.wait_for_url("**/audit")
            form = page.get_by_role("form", name="Search the audit log")
            form.get_by_label("Patient's family name").fill(family)
            form.get_by_label("Patient's date of birth").fill(born)
            week_ago = (date.today() - timedelta(days=6)).isoformat()
            form.get_by_label("From").fill(week_ago)
            form.get_by_role("button", name="Search").click()

            opened = page.locator('[data-testid="audit-entry"][data-action="patient.read"]').filter(
                has=page.locator('[data-testid="audit-who"]', has_text="nurse")
            )
            opened.first.wait_for()
            assert page.get_by_test_id("audit-count").inner_text().startswith("1 patient matched.")
            assert page.url.endswith("/audit")  # the name and birth date went in a body
            for row in page.get_by_test_id("audit-entry").all():
                assert patient["id"] in row.inner_text()  # only this patient's entries

            seq = opened.first.get_attribute("data-seq")
            assert seq is not None
            opened.first.get_by_role("button", name=f"Mark reviewed: entry {seq}").click()
            marked = page.locator(f'[data-testid="audit-entry"][data-seq="{seq}"]')
            marked.get_by_test_id("audit-reviewed").wait_for()
            assert "Reviewed by auditor" in marked.inner_text()
            check_screen(b, "audit")

            with page.expect_download() as download:
                page.get_by_role("button", name="Export CSV").click()
            saved = Path(download.value.path())
            rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
            assert download.value.suggested_filename.endswith(".csv")
            ours = next(r for r in rows if r["seq"] == seq)
            assert ours["actor_name"] == "nurse" and ours["action"] == "patient.read"
            assert ours["reviewed_by"] == "auditor"
            assert {r["patient_id"] for r in rows} == {patient["id"]}

            page.get_by_role("button", name="Verify the audit chain").click()
            verdict = page.get_by_test_id("audit-chain-ok")
            verdict.wait_for()
            assert "entries checked" in verdict.inner_text()
            check_screen(b, "audit-verified")
            csp = [e for e in b.errors if "Content Security Policy" in e or "Refused" in e]
            assert csp == [], csp

        # The auditor's search and export are in the log: who matched, never the terms.
        trail = admin.get("/api/v1/audit", params={"limit": 200}).json()
        asked = [e for e in trail["items"] if e["action"] in ("audit.search", "audit.export")]
        assert {e["action"] for e in asked} == {"audit.search", "audit.export"}
        for entry in asked:
            assert entry["actor_name"] == "auditor"
            assert entry["details"]["matched_patient_ids"] == [patient["id"]]
            assert family not in str(entry) and born not in str(entry)
        reviewed = [e for e in trail["items"] if e["action"] == "audit.review"]
        assert [e["resource_id"] for e in reviewed] == [seq]
    finally:
        admin.close()
