"""The staff web app in real Chromium against a real `careline demo` process.

A receptionist's morning: sign in with a one-time code, today's appointments at
their clinic, check a patient in, see the open tasks, find a patient by phone, read
their timeline and add a note. Every screen is checked with axe-core and saved
as a screenshot under var/screenshots/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest
from web_support import (
    Demo,
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
    yield from start_demo(tmp_path_factory.mktemp("web-demo"), patients=60)


def _expect(page, text: str, timeout: float = 15_000) -> None:
    page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout)


def test_pages_carry_a_strict_csp_and_the_api_is_untouched(demo: Demo):
    for path in ("/", "/desk", "/patients/00000000-0000-0000-0000-000000000000"):
        r = httpx.get(demo.base + path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        csp = r.headers["content-security-policy"]
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
        ):
            assert directive in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert '<div id="root">' in r.text
    script = re.search(r'src="(/assets/[^"]+\.js)"', httpx.get(demo.base + "/").text)
    assert script is not None
    asset = httpx.get(demo.base + script.group(1))
    assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
    # The API, the webhooks and the health checks are not the app's.
    missing = httpx.get(demo.base + "/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert httpx.get(demo.base + "/telephony/nothing").status_code == 404
    assert httpx.get(demo.base + "/openapi.json").json()["info"]["title"] == "careline"
    assert httpx.get(demo.base + "/healthz").json()["status"] == "ok"


def test_a_wrong_code_says_so_in_plain_words(demo: Demo):
    with chromium() as b:
        page = b.page
        page.goto(demo.base + "/")
        check_screen(b, "01-sign-in")
        sign_in(page, demo, "manager", code="000000")
        alert = page.get_by_test_id("sign-in-error")
        alert.wait_for()
        assert "one-time code is wrong" in alert.inner_text()
        assert page.url.endswith("/sign-in")
        check_screen(b, "02-sign-in-wrong-code")
        assert b.unexpected_errors() == [], b.unexpected_errors()


def test_a_new_user_sets_up_their_authenticator_from_the_sign_in_page(demo: Demo):
    """First sign-in: the password alone offers the set-up; the QR code and the typed
    key are the account's own secret, and the first code from it signs in."""
    import pyotp

    with chromium() as b:
        page = b.page
        page.goto(demo.base + "/")
        form = page.get_by_role("form", name="Sign in")
        form.get_by_label("Username").fill("admin")
        form.get_by_label("Password").fill(demo.password("admin"))
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="Show my set-up code").click()
        page.get_by_test_id("enrolment-qr").wait_for()
        typed = page.get_by_test_id("enrolment-secret").inner_text().replace(" ", "")
        assert typed == demo.secrets["admin"]
        check_screen(b, "01b-sign-in-authenticator-set-up")
        code = pyotp.TOTP(typed).now()
        demo.used_codes.setdefault("admin", set()).add(code)
        form.get_by_label("One-time code").fill(code)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_test_id("signed-in-as").wait_for(timeout=15_000)
        assert "Demo admin" in page.get_by_test_id("signed-in-as").inner_text()
        assert b.unexpected_errors() == [], b.unexpected_errors()
    # Once used, the set-up is closed: the secret is never shown again.
    r = httpx.post(
        demo.base + "/api/v1/auth/enrolment",
        json={"username": "admin", "password": demo.password("admin")},
    )
    assert r.status_code == 409 and demo.secrets["admin"] not in r.text


def test_front_desk_day(demo: Demo):
    with chromium() as b:
        page = b.page
        sign_in(page, demo, "frontdesk")
        page.wait_for_url("**/desk")
        _expect(page, "Riverside Family Medicine")
        assert "Demo frontdesk" in page.get_by_test_id("signed-in-as").inner_text()
        page.get_by_test_id("appointment").first.wait_for()
        check_screen(b, "03-today")

        # Check in the first patient still expected.
        row = (
            page.get_by_test_id("appointment")
            .filter(has=page.get_by_role("button", name="Check in"))
            .first
        )
        appointment_id = row.get_attribute("data-appointment-id")
        row.get_by_role("button", name="Check in").click()
        arrived = page.locator(f'[data-appointment-id="{appointment_id}"]')
        arrived.get_by_test_id("appointment-status").filter(has_text="Arrived").wait_for()
        api = page.request  # the browser's own session cookie
        seen = api.get(f"{demo.base}/api/v1/appointments/{appointment_id}").json()
        assert seen["status"] == "arrived"
        patient_id = seen["patient_id"]

        # Today sums up the open tasks and leads to the Worklist, where they are worked.
        summary = page.get_by_test_id("worklist-summary")
        riverside = next(
            loc["id"]
            for loc in api.get(f"{demo.base}/api/v1/locations").json()["items"]
            if loc["name"] == "Riverside Family Medicine"
        )
        open_tasks = api.get(
            f"{demo.base}/api/v1/tasks", params={"status": "open", "location_id": riverside}
        ).json()
        assert open_tasks["total"] > 0
        assert f"{open_tasks['total']} open tasks" in summary.inner_text()
        summary.get_by_role("link", name="Open the Worklist").click()
        page.wait_for_url("**/worklist")
        page.get_by_test_id("worklist-task").first.wait_for()
        check_screen(b, "04-worklist")

        # Find the checked-in patient by phone (a POST body: the number is in no URL).
        patient = api.get(f"{demo.base}/api/v1/patients/{patient_id}").json()
        phone = patient["phones"][0]["number"]
        page.get_by_role("link", name="Patients").click()
        page.wait_for_url("**/patients")
        page.get_by_label("Phone number", exact=True).fill(phone)
        page.get_by_role("button", name="Search").click()
        match = page.get_by_test_id("match").filter(has_text=patient["family_name"]).first
        match.wait_for()
        check_screen(b, "05-patient-search")
        match.get_by_role("button", name="Open").click()
        page.wait_for_url(f"**/patients/{patient_id}")
        assert phone not in page.url and patient["family_name"] not in page.url
        heading = page.get_by_test_id("patient-name")
        assert patient["family_name"] in heading.inner_text()
        page.get_by_test_id("interaction").first.wait_for()
        # Checking in is on the one timeline too (the appointment's entry).
        check_screen(b, "06-patient")

        note = "Front desk: patient asked for a morning slot next time."
        page.get_by_label("Note", exact=True).fill(note)
        page.get_by_role("button", name="Add note").click()
        page.get_by_test_id("interaction").filter(has_text=note).first.wait_for()
        timeline = api.get(f"{demo.base}/api/v1/patients/{patient_id}/timeline").json()
        assert any(e["text"] == note for i in timeline["items"] for e in i["events"])

        # My sessions, then the Spanish UI.
        page.get_by_role("link", name="My sessions").click()
        page.wait_for_url("**/account/sessions")
        _expect(page, "This session")
        check_screen(b, "07-sessions")
        page.get_by_text("Español").click()
        page.get_by_role("link", name="Hoy").click()
        _expect(page, "Citas")
        check_screen(b, "08-today-es")
        page.get_by_text("English").click()

        # Nothing the app says or loads may carry PHI into the browser's storage.
        stored = page.evaluate("JSON.stringify(Object.entries(localStorage))")
        assert patient["family_name"] not in stored and phone not in stored
        assert b.unexpected_errors() == [], b.unexpected_errors()


def test_front_desk_moves_a_visit_and_books_an_open_slot(demo: Demo):
    """Reschedule from Today into a free time, and book a found patient into one of
    today's open slots, without leaving the screen."""
    with chromium() as b:
        page = b.page
        sign_in(page, demo, "frontdesk")
        page.wait_for_url("**/desk")
        api = page.request
        row = (
            page.get_by_test_id("appointment")
            .filter(has=page.get_by_role("button", name="Reschedule"))
            .first
        )
        row.wait_for()
        appointment_id = row.get_attribute("data-appointment-id")
        before = api.get(f"{demo.base}/api/v1/appointments/{appointment_id}").json()
        row.get_by_role("button", name="Reschedule").click()
        dialog = page.get_by_test_id("reschedule-dialog")
        dialog.get_by_test_id("free-slot").first.wait_for()
        check_screen(b, "03b-reschedule")
        dialog.get_by_test_id("free-slot").first.click()
        dialog.wait_for(state="detached")
        # The move is committed by the time the dialog closes on success, but a live
        # update can re-render Today (and close the dialog) while it is in flight: wait
        # for the server's answer, up to the locator timeout, rather than race it.
        deadline = time.monotonic() + 15
        while True:
            after = api.get(f"{demo.base}/api/v1/appointments/{appointment_id}").json()
            if after["slot_id"] != before["slot_id"] or time.monotonic() > deadline:
                break
            page.wait_for_timeout(250)
        assert after["slot_id"] != before["slot_id"] and after["start"] != before["start"]
        assert after["patient_id"] == before["patient_id"]

        # Book someone into one of today's open slots, found by phone.
        someone = api.get(f"{demo.base}/api/v1/patients/{before['patient_id']}").json()
        open_slot = page.get_by_test_id("open-slot").first
        open_slot.wait_for()
        free_before = page.get_by_test_id("open-slot").count()
        open_slot.get_by_role("button", name="Book").click()
        booking = page.get_by_test_id("book-dialog")
        booking.get_by_label("Phone number", exact=True).fill(someone["phones"][0]["number"])
        booking.get_by_role("button", name="Search").click()
        booking.get_by_test_id("match").first.wait_for()
        check_screen(b, "03c-book")
        booking.get_by_test_id("match").first.get_by_role("button", name="Book").click()
        booking.wait_for(state="detached")
        page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=open-slot]').length < n",
            arg=free_before,
            timeout=10_000,
        )
        visits = api.get(
            f"{demo.base}/api/v1/appointments", params={"patient_id": someone["id"]}
        ).json()
        # The moved visit and the new one (a patient id in a query string is an opaque id).
        assert len([v for v in visits["items"] if v["status"] in ("booked", "confirmed")]) >= 2
        assert b.unexpected_errors() == [], b.unexpected_errors()


def test_a_nurse_lands_on_patients_and_is_sent_back_when_the_session_ends(demo: Demo):
    with chromium() as b:
        page = b.page
        sign_in(page, demo, "nurse")
        page.wait_for_url("**/patients")
        page.get_by_role("heading", name="Patients").wait_for()
        nav = page.get_by_role("navigation", name="Main")
        assert nav.get_by_role("link", name="Today").count() == 0
        check_screen(b, "09-nurse-patients")

        # The session ends elsewhere (idle logoff answers the same 401): the next call
        # sends the nurse back to sign-in, told why.
        sessions = page.request.get(f"{demo.base}/api/v1/auth/sessions").json()
        current = next(s for s in sessions if s["current"])
        ended = page.request.delete(f"{demo.base}/api/v1/auth/sessions/{current['id']}")
        assert ended.status == 204
        nav.get_by_role("link", name="My sessions").click()
        page.wait_for_url("**/sign-in")
        reason = page.get_by_test_id("signed-out-reason")
        reason.wait_for()
        assert "Sign in again" in reason.inner_text()
        check_screen(b, "10-signed-out")
        assert b.unexpected_errors() == [], b.unexpected_errors()
