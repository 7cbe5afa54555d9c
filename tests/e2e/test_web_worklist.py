"""The front desk's Worklist in real Chromium against a real `careline demo` process.

A receptionist signs in with a one-time code, opens the Worklist, and works the
demo's "no answer to reminders" task: she opens it (the patient's number and the
linked visit are there), claims it, calls the patient back through the clinic's
number (her own phone rings first) — a colleague of the same clinic, signed in in a
second browser context, sees her name on it — and resolves it with a note, which is
then on the patient's timeline. Axe-core checks the screen; screenshots under
var/screenshots/ ("worklist", "worklist-task").
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from web_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Browser,
    Demo,
    check_screen,
    require_prerequisites,
    sign_in,
    start_demo,
)

pytestmark = pytest.mark.slow

COLLEAGUE = "frontdesk2"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    require_prerequisites()
    for running in start_demo(tmp_path_factory.mktemp("web-worklist"), patients=60):
        _add_colleague(running)
        yield running


def _add_colleague(demo: Demo) -> None:
    """A second front-desk user at Riverside, made by the admin through the API."""
    with httpx.Client(base_url=demo.base, timeout=10) as admin:
        r = admin.post(
            "/api/v1/auth/login",
            json={
                "username": "admin",
                "password": demo.password("admin"),
                "totp": demo.fresh_code("admin"),
            },
        )
        assert r.status_code == 200, r.text
        clinic = next(
            loc
            for loc in admin.get("/api/v1/locations").json()["items"]
            if loc["name"] == "Riverside Family Medicine"
        )
        made = admin.post(
            "/api/v1/users",
            json={
                "username": COLLEAGUE,
                "display_name": "Demo frontdesk two",
                "password": demo.password(COLLEAGUE),
                "roles": [{"role": "agent", "location_id": clinic["id"]}],
            },
        )
        assert made.status_code == 201, made.text
        demo.secrets[COLLEAGUE] = made.json()["totp_secret"]


@contextlib.contextmanager
def two_browsers() -> Iterator[tuple[Browser, Browser]]:
    """One Chromium, two separate contexts (two people, two cookies)."""
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="careline-chromium-"))
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            browsers: list[Browser] = []
            for _ in range(2):
                context = chromium.new_context(
                    viewport={"width": 1280, "height": 800}, locale="en-US"
                )
                context.set_default_timeout(15_000)
                page = context.new_page()
                errors: list[str] = []

                def on_console(msg: Any, errors: list[str] = errors) -> None:
                    if msg.type == "error":
                        where = msg.location.get("url", "") if msg.location else ""
                        errors.append(f"{msg.text} @ {where}")

                page.on("console", on_console)
                page.on("pageerror", lambda exc, errors=errors: errors.append(f"page error: {exc}"))
                browsers.append(Browser(page=page, errors=errors))
            try:
                yield browsers[0], browsers[1]
            finally:
                chromium.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _open_worklist(page: Any, demo: Demo, username: str) -> Any:
    sign_in(page, demo, username)
    page.wait_for_url("**/desk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Worklist").click()
    page.wait_for_url("**/worklist")
    rows = page.get_by_test_id("worklist-task")
    rows.first.wait_for()
    return rows


def test_a_receptionist_claims_and_resolves_a_no_reply_task(demo: Demo) -> None:
    with two_browsers() as (ana, ben):
        page = ana.page
        rows = _open_worklist(page, demo, "frontdesk")
        api = page.request  # her own session cookie

        # Working order: no routine task above an urgent one.
        urgencies = [r.get_by_test_id("task-urgency").inner_text() for r in rows.all()]
        ranks = [{"Emergency": 0, "Urgent": 1}.get(u, 2) for u in urgencies]
        assert ranks == sorted(ranks), urgencies
        check_screen(ana, "worklist")

        row = page.locator('[data-testid="worklist-task"][data-kind="no_answer"]').first
        task_id = row.get_attribute("data-task-id")
        task = api.get(f"{demo.base}/api/v1/tasks/{task_id}").json()
        assert task["kind"] == "no_answer" and task["appointment"], task
        patient = api.get(f"{demo.base}/api/v1/patients/{task['patient_id']}").json()
        numbers = {p["number"] for p in patient["phones"]}

        row.get_by_role("button", name="Open").click()
        detail = page.get_by_role("dialog").get_by_test_id("task-detail")
        detail.wait_for()
        # What she needs to call: the number, and the visit it is about.
        shown_number = detail.get_by_test_id("task-number").inner_text().split(" ")[0]
        assert shown_number in numbers
        visit = detail.get_by_test_id("task-appointment").inner_text()
        assert task["appointment"]["type_display"] in visit
        assert task["appointment"]["provider_name"] in visit
        assert patient["family_name"] in detail.get_by_test_id("task-patient").inner_text()
        assert shown_number not in page.url and patient["family_name"] not in page.url

        detail.get_by_role("button", name="Claim").click()
        detail.get_by_test_id("task-holder").filter(has_text="You are working").wait_for()
        check_screen(ana, "worklist-task")

        # She calls the patient back through the clinic's number: her desk phone rings.
        detail.get_by_role("button", name="Call back from the clinic's number").click()
        ringing = detail.get_by_test_id("call-back-ringing")
        try:
            ringing.wait_for()
        except PlaywrightTimeout:  # say what the screen said instead (an error, in words)
            raise AssertionError(detail.inner_text()[-400:]) from None
        assert re.search(r"Your phone \(…\d{4}\) is ringing", ringing.inner_text())
        check_screen(ana, "worklist-call-back")
        calls = api.get(f"{demo.base}/api/v1/patients/{task['patient_id']}/timeline").json()
        outbound = [
            i for i in calls["items"] if i["channel"] == "voice" and i["direction"] == "outbound"
        ]
        assert any(e["kind"] == "callback.dialling" for i in outbound for e in i["events"])

        # Her colleague sees the claim, by name, and cannot take it.
        _open_worklist(ben.page, demo, COLLEAGUE)
        theirs = ben.page.locator(f'[data-task-id="{task_id}"]')
        theirs.get_by_test_id("task-claimed-by").filter(has_text="Demo frontdesk").wait_for()
        taken = ben.page.request.post(f"{demo.base}/api/v1/tasks/{task_id}/claim")
        assert taken.status == 409 and taken.json()["error_id"] == "task-claimed"
        ben.page.get_by_text(re.compile(r"^Unclaimed \(\d+\)$")).click()
        theirs.wait_for(state="detached")
        check_screen(ben, "worklist-colleague")

        # She resolves it with a note; it is on the patient's timeline.
        note = "Called her back: she keeps tomorrow's visit."
        form = page.get_by_role("form", name="Resolve the task")
        form.get_by_label("Note for the patient's timeline (optional)").fill(note)
        form.get_by_role("button", name="Resolve").click()
        page.locator(f'[data-testid="worklist-task"][data-task-id="{task_id}"]').wait_for(
            state="detached"
        )
        timeline = api.get(f"{demo.base}/api/v1/patients/{task['patient_id']}/timeline").json()
        notes = [e for i in timeline["items"] for e in i["events"] if e["kind"] == "note"]
        assert [n["text"] for n in notes if n["data"].get("task_id") == task_id] == [note]
        done = api.get(f"{demo.base}/api/v1/tasks", params={"status": "done"}).json()
        assert task_id in {t["id"] for t in done["items"]}

        # And the colleague's list lets go of it too (live, or at the latest on refresh).
        deadline = time.monotonic() + 20
        ben.page.get_by_text(re.compile(r"^All open \(\d+\)$")).click()
        while ben.page.locator(f'[data-task-id="{task_id}"]').count():
            assert time.monotonic() < deadline, "the colleague still sees the resolved task"
            time.sleep(0.5)
        stored = page.evaluate(
            "JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})"
        )
        assert patient["family_name"] not in stored and shown_number not in stored
        assert ana.unexpected_errors() == [], ana.unexpected_errors()
        assert ben.unexpected_errors() == [], ben.unexpected_errors()
