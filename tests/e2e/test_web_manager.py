"""The manager's console in real Chromium against a real `careline demo` process
(issue 12): a practice manager changes things tonight without calling IT.

Clinics: the manager opens Mesa Ridge Clinic, whose closures a colleague has been
editing too, adds a holiday closure in three days, sees it close that day in the
14-day preview, and finds every other closure of that clinic and of another clinic
untouched (through the API as well); removes one closure the same way; and opens the
clinic on Saturday mornings. Messages: the manager writes Riverside's Spanish reminder
for follow-up visits, is warned off a patient-name placeholder, sees the preview of a
made-up patient and its segment count, saves, and the API returns the new wording.
Every screen is checked with axe-core and saved under var/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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

MESA = "Mesa Ridge Clinic"
RIVERSIDE = "Riverside Family Medicine"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    require_prerequisites()
    yield from start_demo(tmp_path_factory.mktemp("web-manager"), patients=20)


@pytest.fixture
def admin(demo: Demo) -> Iterator[httpx.Client]:
    http = admin_client(demo)
    yield http
    http.close()


def _clinic(http: httpx.Client, name: str) -> dict[str, Any]:
    items = http.get("/api/v1/locations", params={"limit": 200}).json()["items"]
    found: dict[str, Any] = next(loc for loc in items if loc["name"] == name)
    return found


def _reasons(http: httpx.Client, name: str) -> set[str]:
    return {c["reason"] for c in _clinic(http, name)["closures"]}


def _choose_clinic(page: Any, name: str) -> None:
    page.get_by_role("textbox", name="Clinic").click()
    page.get_by_role("option", name=name).click()


def _open(page: Any, demo: Demo, link: str, path: str) -> None:
    sign_in(page, demo, "manager")
    page.wait_for_url("**/desk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()
    page.wait_for_url(f"**{path}")


def test_the_console_is_only_for_those_who_manage_clinics(demo: Demo) -> None:
    with chromium() as b:
        sign_in(b.page, demo, "supervisor")
        b.page.wait_for_url("**/desk")
        nav = b.page.get_by_role("navigation", name="Main")
        nav.get_by_role("link", name="Supervisor wall").wait_for()
        assert nav.get_by_role("link", name="Clinics").count() == 0
        assert nav.get_by_role("link", name="Messages").count() == 0


def test_a_manager_adds_a_holiday_and_every_other_closure_stays(
    demo: Demo, admin: httpx.Client
) -> None:
    mesa, riverside = _clinic(admin, MESA), _clinic(admin, RIVERSIDE)
    # A colleague's closures, here and at another clinic, added meanwhile.
    for clinic, body in (
        (mesa, {"starts_on": "2027-01-15", "reason": "Flu clinic day"}),
        (riverside, {"starts_on": "2027-01-20", "reason": "Inventory day"}),
    ):
        r = admin.post(f"/api/v1/locations/{clinic['id']}/closures", json=body)
        assert r.status_code == 201, r.text
    before_mesa, before_riverside = _reasons(admin, MESA), _reasons(admin, RIVERSIDE)
    assert {"Staff training", "Flu clinic day"} <= before_mesa
    # Three days ahead, on a weekday (so the clinic would otherwise open).
    holiday = datetime.now(ZoneInfo(mesa["timezone"])).date() + timedelta(days=3)
    while holiday.weekday() >= 5:
        holiday += timedelta(days=1)

    with chromium() as b:
        page = b.page
        _open(page, demo, "Clinics", "/manage/clinics")
        _choose_clinic(page, MESA)
        page.locator(f'[data-testid="manager-clinic"][data-clinic="{mesa["id"]}"]').wait_for()
        page.get_by_test_id("manager-open-now").wait_for()
        day = page.locator(f'[data-testid="manager-day"][data-day="{holiday.isoformat()}"]')
        assert day.get_attribute("data-open") == "true"
        assert page.get_by_test_id("manager-closure").count() == len(before_mesa)
        check_screen(b, "manager-clinics")

        form = page.get_by_role("form", name="Add a closure")
        form.get_by_label("First day").fill(holiday.isoformat())
        form.get_by_label("Reason").fill("Winter holiday")
        form.get_by_role("button", name="Add closure").click()
        page.get_by_test_id("manager-closure-added").wait_for()
        page.locator('[data-testid="manager-closure"]', has_text="Winter holiday").wait_for()
        assert page.get_by_test_id("manager-closure").count() == len(before_mesa) + 1
        page.locator(
            f'[data-testid="manager-day"][data-day="{holiday.isoformat()}"][data-open="false"]',
            has_text="Winter holiday",
        ).wait_for()
        check_screen(b, "manager-clinics-closure-added")
        assert _reasons(admin, MESA) == before_mesa | {"Winter holiday"}
        assert _reasons(admin, RIVERSIDE) == before_riverside

        # Removing one closure removes only that one.
        page.get_by_role("button", name='Remove the closure "Flu clinic day"').click()
        page.locator('[data-testid="manager-closure"]', has_text="Flu clinic day").wait_for(
            state="detached"
        )
        assert _reasons(admin, MESA) == (before_mesa - {"Flu clinic day"}) | {"Winter holiday"}
        assert _reasons(admin, RIVERSIDE) == before_riverside

        # Saturday mornings from now on.
        page.get_by_label("Open on Saturday").check()
        page.get_by_label("Saturday, hours 1: opens").fill("09:00")
        page.get_by_label("Saturday, hours 1: closes").fill("25:00")
        page.get_by_text("Write the closing time as HH:MM").wait_for()
        assert page.get_by_role("button", name="Save opening hours").is_disabled()
        check_screen(b, "manager-clinics-hours-error")
        page.get_by_label("Saturday, hours 1: closes").fill("12:00")
        page.get_by_role("button", name="Save opening hours").click()
        page.get_by_test_id("manager-hours-saved").wait_for()
        hours = _clinic(admin, MESA)["hours"]
        assert {"weekday": 5, "opens": "09:00", "closes": "12:00"} in hours
        assert len([h for h in hours if h["weekday"] < 5]) == 5
        assert _reasons(admin, MESA) == (before_mesa - {"Flu clinic day"}) | {"Winter holiday"}
        check_screen(b, "manager-clinics-hours-saved")
        assert "/manage/clinics" in page.url and mesa["id"] not in page.url


def test_a_manager_writes_the_spanish_reminder(demo: Demo, admin: httpx.Client) -> None:
    riverside = _clinic(admin, RIVERSIDE)
    wording = "{clinic}: su cita es el {date} a las {time}. ¡Le esperamos! Está confirmada? {reply}"
    with chromium() as b:
        page = b.page
        _open(page, demo, "Messages", "/manage/messages")
        _choose_clinic(page, RIVERSIDE)
        page.locator(
            f'[data-testid="manager-messages"][data-clinic="{riverside["id"]}"]'
        ).wait_for()
        assert page.get_by_role("textbox", name="Visit type").input_value() == "Follow-up visit"
        spanish = page.get_by_test_id("manager-template-es")
        box = spanish.get_by_label("Wording in Spanish")
        box.fill("{patient_name}: su cita es el {date} a las {time}. {reply}")
        spanish.get_by_test_id("manager-phi-warning").wait_for()
        spanish.get_by_text("Not a placeholder careline knows: {patient_name}").wait_for()
        assert page.get_by_role("button", name="Save wording").is_disabled()
        check_screen(b, "manager-messages-warning")

        box.fill(wording)
        preview = spanish.get_by_test_id("manager-template-preview")
        expected = (
            f"{RIVERSIDE}: su cita es el jue 10 dic a las 9:30. ¡Le esperamos! Esta confirmada?"
            " Responda C para confirmar, R para cambiarla, N para cancelar."
            " STOP para no recibir mas."
        )
        page.wait_for_function(
            "([el, text]) => el.textContent === text", arg=[preview.element_handle(), expected]
        )
        assert spanish.get_by_test_id("manager-phi-warning").count() == 0
        segments = spanish.get_by_test_id("manager-segments")
        # "á" has no GSM-7 form (careline sends it as "a"); "¡" does: 183 septets in GSM-7,
        # two texts (as UCS-2 it would have been three).
        assert len(expected) == 183
        assert segments.get_attribute("data-encoding") == "GSM-7"
        assert segments.get_attribute("data-segments") == "2"
        spanish.get_by_text("careline sends these letters plainly").wait_for()
        page.get_by_role("button", name="Save wording").click()
        page.get_by_test_id("manager-plan-saved").wait_for()
        page.locator('[data-testid="manager-plan"][data-source="own"]').wait_for()
        check_screen(b, "manager-messages")

    r = admin.get(
        "/api/v1/reminder-plans/effective",
        params={"location_id": riverside["id"], "type_code": "FOLLOWUP"},
    )
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["location_id"] == riverside["id"] and plan["type_code"] == "FOLLOWUP"
    assert plan["templates"] == {"es": wording}
    assert [s["name"] for s in plan["steps"]] == ["48h", "dayof"]  # the timing kept
