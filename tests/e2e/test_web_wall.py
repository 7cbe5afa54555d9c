"""The supervisor wall in real Chromium against a real `careline demo` process.

A supervisor signs in with TOTP and opens the wall of Riverside Family Medicine.
While they watch, a scripted caller (signed provider webhooks, as the virtual
carrier sends them) dials the network's main line, chooses the clinic and
"appointments", and waits in the scheduling queue: the tile's waiting count goes up
without a reload (a live event, or the 10 s refresh at worst). Then an emergency
caller reaches the nurse queue and the red alert strip appears; both hang up and
the wall empties again. The chart renders with no CSP violation (checked in the
console), and axe finds nothing serious.

So that the call reaches a queue whatever time the test runs, an administrator first
opens the clinic around the clock (the demo keeps office hours).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from web_support import Caller as SignedCaller
from web_support import (
    Demo,
    admin_client,
    check_screen,
    chromium,
    require_prerequisites,
    sign_in,
    start_demo,
)

from careline.telephony.twiml import Enqueue, parse

pytestmark = pytest.mark.slow

CLINIC = "Riverside Family Medicine"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    require_prerequisites()
    yield from start_demo(tmp_path_factory.mktemp("web-wall"), patients=20)


def _open_around_the_clock(demo: Demo) -> str:
    """The clinic's id, after making it open every hour of every day (no holidays)."""
    http = admin_client(demo)
    try:
        clinic = next(
            loc for loc in http.get("/api/v1/locations").json()["items"] if loc["name"] == CLINIC
        )
        r = http.patch(
            f"/api/v1/locations/{clinic['id']}",
            json={
                "hours": [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(7)],
                "closures": [],
                "observe_holidays": False,
            },
        )
        assert r.status_code == 200, r.text
        location_id: str = clinic["id"]
        return location_id
    finally:
        http.close()


class Caller(SignedCaller):
    """One inbound call to the demo's main line, with the menus answered."""

    def to_queue(self, *answers: dict[str, str]) -> str:
        """Call, answer the menus, and return the queue the caller was put in."""
        twiml = self.post("incoming")
        twiml = self.post("gather", Digits="1")  # English
        digit = re.search(rf"For {CLINIC}, press (\d)", twiml)
        assert digit, twiml
        twiml = self.post("gather", Digits=digit.group(1))
        for answer in answers:
            twiml = self.post("gather", **answer)
        queued = [v for v in parse(twiml.encode()).verbs if isinstance(v, Enqueue)]
        assert queued, twiml
        return queued[0].queue

    def hang_up(self) -> None:
        self.post("status", CallStatus="completed", CallDuration="30")


def _waiting(page: Any, department: str, priority: str) -> int:
    tile = page.locator(
        f'[data-testid="wall-queue"][data-department="{department}"][data-priority="{priority}"]'
    )
    if tile.count() == 0:
        return 0
    return int(tile.get_by_test_id("wall-waiting").inner_text())


def _figure(page: Any, name: str) -> int:
    """One of today's figures as the wall shows it."""
    card = page.get_by_test_id(f"wall-figure-{name}")
    return int(card.get_by_test_id("wall-figure-value").inner_text())


def _eventually(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_supervisor_watches_a_caller_join_and_leave_the_queue(demo: Demo) -> None:
    location_id = _open_around_the_clock(demo)
    with chromium() as b:
        page = b.page
        sign_in(page, demo, "supervisor")
        page.wait_for_url("**/desk")
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Supervisor wall"
        ).click()
        page.wait_for_url("**/wall")
        page.get_by_role("textbox", name="Clinic").click()
        page.get_by_role("option", name=CLINIC).click()
        wall = page.locator(f'[data-testid="wall"][data-clinic="{location_id}"]')
        wall.wait_for()
        page.get_by_test_id("wall-chart").locator("svg").first.wait_for()
        page.get_by_test_id("wall-agent").first.wait_for()
        page.locator('[data-testid="live-state"][data-state="live"]').wait_for()
        assert page.get_by_test_id("wall-alerts").count() == 0
        before = _waiting(page, "scheduling", "routine")
        offered_before = _figure(page, "offered")
        check_screen(b, "wall-before")

        # A caller waits for the scheduling desk (nobody asks the wait URL, so no
        # agent is offered the call: it stays in line).
        scheduling = Caller(demo, "+12025550123")
        queue = scheduling.to_queue({"Digits": "1"})  # appointments
        assert queue.startswith("scheduling"), queue
        _eventually(
            lambda: _waiting(page, "scheduling", "routine") == before + 1,
            12,
            "the waiting count did not go up without a reload",
        )
        tile = page.locator('[data-testid="wall-queue"][data-department="scheduling"]')
        first = tile.get_by_test_id("wall-longest").inner_text()
        _eventually(
            lambda: tile.get_by_test_id("wall-longest").inner_text() != first,
            5,
            "the longest wait does not tick",
        )
        _eventually(lambda: _figure(page, "offered") == offered_before + 1, 12, "offered")

        # An emergency caller reaches the nurse queue: the red strip, at once.
        emergency = Caller(demo, "+12025550124")
        queue = emergency.to_queue(
            {"Digits": "2"},  # the nurse
            {"SpeechResult": "crushing chest pain and I cannot breathe", "Confidence": "0.9"},
        )
        assert queue.startswith("nurse_triage"), queue
        alerts = page.get_by_test_id("wall-alerts")
        alerts.wait_for(timeout=12_000)
        assert alerts.get_by_test_id("wall-alert").first.get_attribute("data-priority") == (
            "emergency"
        )
        colour = alerts.evaluate("e => getComputedStyle(e).backgroundColor")
        r, g, b_ = (int(x) for x in re.findall(r"\d+", colour)[:3])
        assert r > 150 and g < 80 and b_ < 80, colour
        assert page.url.endswith("/wall")  # never reloaded, never an id in the URL
        check_screen(b, "wall")

        # Both hang up: the line empties and the alert goes.
        scheduling.hang_up()
        emergency.hang_up()
        _eventually(
            lambda: _waiting(page, "scheduling", "routine") == before,
            12,
            "the waiting count did not go down",
        )
        alerts.wait_for(state="detached", timeout=12_000)
        _eventually(lambda: _figure(page, "abandoned") >= 2, 12, "abandoned calls")
        text = page.locator("main").inner_text()
        assert "+1202555012" not in text and "2025550123" not in text
        check_screen(b, "wall-after")
        csp = [e for e in b.errors if "Content Security Policy" in e or "Refused" in e]
        assert csp == [], csp
