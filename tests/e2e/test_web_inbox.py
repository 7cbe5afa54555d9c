"""The inbox (two-way texting) in real Chromium against a real `careline demo` process.

The front desk opens the inbox: the demo's inbound texts are there, the child's
fever (triage: urgent) first and in red with the word "Urgent". They open a
patient's conversation, reply with a template, and the text reaches the patient's
virtual phone (the demo's virtual carrier). If it is quiet hours at the clinic when
the test runs, the reply is held and the test uses "Send now anyway".
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from web_support import Demo, check_screen, chromium, require_prerequisites, sign_in, start_demo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    require_prerequisites()
    yield from start_demo(tmp_path_factory.mktemp("web-inbox"), patients=60)


def _carrier(demo: Demo) -> str:
    found = re.search(r"The virtual carrier is at (\S+?)\.?$", demo.log.read_text(), re.M)
    assert found, "the demo did not say where its virtual carrier is"
    return found.group(1).rstrip("/")


def _phone_inbox(carrier: str, number: str) -> list[dict[str, Any]]:
    r = httpx.post(f"{carrier}/_virtual/phone/inbox", json={"number": number}, timeout=5)
    r.raise_for_status()
    messages: list[dict[str, Any]] = r.json()["messages"]
    return messages


def _mobile(patient: dict[str, Any]) -> str:
    phones = patient["phones"]
    best = next((p for p in phones if p["primary"] and p["sms_capable"]), None)
    best = best or next((p for p in phones if p["sms_capable"]), phones[0])
    number: str = best["number"]
    return number


def _open_inbox(page: Any, demo: Demo) -> Any:
    sign_in(page, demo, "frontdesk")
    page.wait_for_url("**/desk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    page.wait_for_url("**/inbox")
    assert page.get_by_role("tab", name="Needs reply").get_attribute("aria-selected") == "true"
    conversations = page.get_by_test_id("conversation")
    conversations.first.wait_for()
    return conversations


def _is_red(locator: Any) -> bool:
    colour = locator.evaluate("e => getComputedStyle(e).borderLeftColor")
    r, g, b = (int(x) for x in re.findall(r"\d+", colour)[:3])
    return bool(r > 150 and g < 100 and b < 100)


def test_the_urgent_fever_text_is_listed_first_in_red(demo: Demo) -> None:
    with chromium() as b:
        page = b.page
        conversations = _open_inbox(page, demo)
        # The demo's four inbound texts all wait for a reply.
        assert conversations.count() >= 4
        for text in (
            "fever of 102",
            "Mornings are better",
            "resultados de laboratorio",
            "see you then",
        ):
            assert conversations.filter(has_text=text).count() == 1, text
        # Urgent ones before the rest, each red and saying so in words.
        alarms = [c.get_attribute("data-alarm") for c in conversations.all()]
        assert alarms == sorted(alarms, key=lambda a: a != "true")
        fever = conversations.filter(has_text="fever of 102")
        assert fever.get_attribute("data-urgency") == "urgent"
        assert fever.get_attribute("data-alarm") == "true"
        assert fever.get_by_test_id("conversation-flag").inner_text().strip().lower() == "urgent"
        assert _is_red(fever)
        check_screen(b, "11-inbox")
        # The child's fever is the one to read first.
        assert "fever of 102" in conversations.first.inner_text(), [
            c.inner_text().splitlines()[0] for c in conversations.all()
        ]


def test_front_desk_replies_with_a_template_and_the_patient_gets_it(demo: Demo) -> None:
    carrier = _carrier(demo)
    with chromium() as b:
        page = b.page
        conversations = _open_inbox(page, demo)
        api = page.request  # the browser's own session cookie
        listed = api.get(f"{demo.base}/api/v1/conversations", params={"view": "all"}).json()
        fever = next(c for c in listed["items"] if "fever" in (c["last_text"] or ""))
        patient_id = fever["patient_id"]
        assert patient_id, fever

        conversations.filter(has_text="fever of 102").click()
        thread = page.get_by_test_id("thread")
        thread.wait_for()
        texts = thread.get_by_test_id("text")
        texts.filter(has_text="fever").first.wait_for()
        assert texts.first.get_attribute("data-side") == "inbound"
        assert texts.last.get_attribute("data-side") == "outbound"  # careline's automatic answer
        assert page.get_by_test_id("thread-alarm").is_visible()
        check_screen(b, "12-inbox-urgent-thread")

        patient = api.get(f"{demo.base}/api/v1/patients/{patient_id}").json()
        number = _mobile(patient)
        assert number not in page.url and patient["family_name"] not in page.url
        before = len(_phone_inbox(carrier, number))

        # Reply with a template.
        form = page.get_by_role("form", name="Reply by text")
        form.get_by_role("button", name="Call us").click()
        box = form.get_by_label("Reply", exact=True)
        template = "Please call us at the clinic when you can."
        assert box.input_value() == template
        form.get_by_role("button", name="Send text").click()
        sent, held = page.get_by_test_id("sent"), page.get_by_test_id("held")
        sent.or_(held).first.wait_for()
        if held.is_visible():
            # Quiet hours at the clinic right now: held, and sent on purpose anyway.
            assert "held until" in held.inner_text()
            check_screen(b, "13-inbox-held")
            held.get_by_role("button", name="Send now anyway").click()
        sent.wait_for()
        assert box.input_value() == ""
        thread.get_by_test_id("text").filter(has_text=template).first.wait_for()
        check_screen(b, "14-inbox-replied")

        # It reached the patient's (virtual) phone.
        deadline = time.monotonic() + 30
        while True:
            received = [
                m for m in _phone_inbox(carrier, number)[before:] if m.get("body") == template
            ]
            if received:
                break
            assert time.monotonic() < deadline, _phone_inbox(carrier, number)
            time.sleep(0.5)
        assert len(received) == 1, received

        # She takes the conversation: it is hers in "Mine", and colleagues see who has it.
        thread.get_by_role("button", name="Assign to me").click()
        thread.get_by_text("You are answering this").wait_for()
        key = fever["key"]
        mine = api.get(f"{demo.base}/api/v1/conversations", params={"view": "mine"}).json()
        assert [c["key"] for c in mine["items"]] == [key]
        assert mine["items"][0]["unread"] is False  # she opened it
        page.get_by_role("tab", name="Mine").click()
        page.get_by_test_id("conversation").filter(
            has=page.get_by_test_id("conversation-assignee")
        ).first.wait_for()
        check_screen(b, "14b-inbox-mine")

        # "All" lists it too; names and numbers stay out of the browser's storage.
        page.get_by_role("tab", name="All").click()
        page.get_by_test_id("conversation").first.wait_for()
        check_screen(b, "15-inbox-all")
        stored = page.evaluate(
            "JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})"
        )
        assert number not in stored and patient["family_name"] not in stored
        assert b.unexpected_errors() == [], b.unexpected_errors()


def test_a_text_from_an_unknown_number_is_attached_to_a_patient(demo: Demo) -> None:
    carrier = _carrier(demo)
    with chromium() as b:
        page = b.page
        conversations = _open_inbox(page, demo)
        api = page.request
        clinic = next(
            loc
            for loc in api.get(f"{demo.base}/api/v1/locations").json()["items"]
            if loc["name"] == "Riverside Family Medicine"
        )
        # A clinical text from a number careline does not know (careline keeps those on no
        # patient's timeline until someone attaches them).
        stranger, words = (
            "+13125550199",
            "my daughter has a fever of 103 and a rash, what should I do",
        )
        r = httpx.post(
            f"{carrier}/_virtual/phone/reply",
            json={"number": stranger, "to": clinic["main_phone"], "body": words},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        page.reload()
        unknown = page.get_by_test_id("conversation").filter(has_text=words)
        unknown.wait_for()
        assert "not attached to a patient" in unknown.inner_text().lower()
        assert unknown.get_attribute("data-alarm") == "true"
        unknown.click()
        panel = page.get_by_test_id("unknown-thread")
        panel.wait_for()
        assert words in panel.inner_text()
        panel.get_by_role("button", name="Attach to a patient").click()

        # The patient it was: Ramirez, Michelle from the demo, found by name and birth date.
        listed = api.get(f"{demo.base}/api/v1/conversations", params={"view": "all"}).json()
        entry = next(c for c in listed["items"] if c["last_text"] == words)
        assert entry["patient_id"] is None and entry["number"] == stranger
        michelle = next(c for c in listed["items"] if c["patient_name"] == "Ramirez, Michelle")
        patient = api.get(f"{demo.base}/api/v1/patients/{michelle['patient_id']}").json()
        form = page.get_by_role("form", name="Find the patient who sent this text")
        form.get_by_text("By name and date of birth").click()
        form.get_by_label("Family name", exact=True).fill(patient["family_name"])
        form.get_by_label("Date of birth", exact=True).fill(patient["date_of_birth"])
        form.get_by_role("button", name="Search").click()
        match = page.get_by_test_id("attach-match").filter(has_text=patient["given_name"]).first
        match.wait_for()
        check_screen(b, "16-inbox-attach")
        match.get_by_role("button", name="Attach to this patient").click()
        page.get_by_test_id("attached").wait_for()
        assert stranger not in page.url and patient["family_name"] not in page.url
        attached = api.get(f"{demo.base}/api/v1/interactions/{entry['interaction_id']}").json()
        assert attached["patient_id"] == patient["id"]
        item = conversations.filter(has_text=words).first
        item.wait_for()
        # The list refetches after the attach: wait for the new answer, not the old one.
        deadline = time.monotonic() + 15
        while "not attached" in item.inner_text().lower() and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert "not attached" not in item.inner_text().lower()
        check_screen(b, "17-inbox-attached")
        assert b.unexpected_errors() == [], b.unexpected_errors()
