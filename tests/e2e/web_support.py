"""Shared pieces of the web app's end-to-end tests: a real `careline demo` process,
the system Chromium driven by Playwright (never a downloaded browser), axe-core
injected from the npm package's local file, and screenshots under var/screenshots/.

On a developer machine without Chromium (or without the built web app) the tests
skip and say why; under CI (`CI=true`) they fail instead: `.ci/run` installs
Chromium and `scripts/dev.py test` builds the app.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest

from careline.core.settings import DEMO_AUTH_TOKEN
from careline.demo import MAIN_NUMBER
from careline.telephony.virtual_carrier import VirtualCarrier

ROOT = Path(__file__).resolve().parents[2]
CARELINE = Path(sys.executable).parent / "careline"
CHROMIUM = Path(os.environ.get("CARELINE_CHROMIUM", "/usr/bin/chromium"))
WEB_DIST = ROOT / "src" / "careline" / "web_dist"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI") == "true"


def missing_prerequisite() -> str | None:
    """Why these tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    if not (WEB_DIST / "index.html").exists():
        return "the web app is not built (python3 scripts/dev.py test builds it)"
    if not AXE.exists():
        return "web/node_modules is missing axe-core (cd web && npm ci)"
    return None


def require_prerequisites() -> None:
    why = missing_prerequisite()
    if why is None:
        return
    if IN_CI:
        pytest.fail(f"web end-to-end tests cannot run under CI: {why}")
    pytest.skip(why)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Demo:
    base: str
    secrets: dict[str, str]
    log: Path
    used_codes: dict[str, set[str]] = field(default_factory=dict)

    def password(self, username: str) -> str:
        return f"careline-demo-{username}"

    def fresh_code(self, username: str) -> str:
        """A TOTP code this user has not used yet (codes work once): waits for the next step."""
        totp = pyotp.TOTP(self.secrets[username])
        used = self.used_codes.setdefault(username, set())
        while (code := totp.now()) in used:
            time.sleep(0.5)
        used.add(code)
        return code


def start_demo(tmp: Path, patients: int = 60) -> Iterator[Demo]:
    port, carrier_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ}
    env.pop("CARELINE_DATABASE_URL", None)
    log = tmp / "demo.log"
    cmd = [
        str(CARELINE), "demo", "--db", str(tmp / "demo.db"), "--port", str(port),
        "--carrier-port", str(carrier_port), "--patients", str(patients),
    ]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp)
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise AssertionError(f"careline demo exited early:\n{log.read_text()}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise AssertionError("careline demo did not become ready")
                time.sleep(0.3)
            pattern = r"^\s+(\w+)\s+\S+\s+password: \S+\s+TOTP secret: (\w+)"
            secrets = dict(re.findall(pattern, log.read_text(), re.M))
            yield Demo(base=base, secrets=secrets, log=log)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


class Caller:
    """One inbound call to the demo's main line, webhook by webhook, signed as the
    provider signs them (the demo's published auth token)."""

    def __init__(self, demo: Demo, from_: str) -> None:
        self.base = demo.base
        self.from_ = from_
        self.sid = "CA" + uuid.uuid4().hex
        self.carrier = VirtualCarrier(httpx.Client(timeout=30), auth_token=DEMO_AUTH_TOKEN)

    def post(self, path: str, **extra: str) -> str:
        params = {
            "CallSid": self.sid,
            "AccountSid": self.carrier.account_sid,
            "From": self.from_,
            "To": MAIN_NUMBER,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **extra,
        }
        r = self.carrier.request(f"{self.base}/telephony/voice/{path}", params)
        assert r.status_code in (200, 204), r.text
        return r.text


def admin_client(demo: Demo) -> httpx.Client:
    """An HTTP client signed in as the demo's network admin (for a test's set-up)."""
    http = httpx.Client(base_url=demo.base, timeout=30)
    r = http.post(
        "/api/v1/auth/login",
        json={
            "username": "admin",
            "password": demo.password("admin"),
            "totp": demo.fresh_code("admin"),
        },
    )
    assert r.status_code == 200, r.text
    return http


@dataclass
class Browser:
    """One fresh Chromium profile, a page, and every console error it logged."""

    page: Any
    errors: list[str]

    def unexpected_errors(self) -> list[str]:
        # Chromium logs every refused request as a console error. The app asks
        # /auth/me before sign-in (401: not signed in yet) and a wrong code is a 401
        # on /auth/login: those refusals are expected; nothing else is.
        expected = re.compile(r"status of (401|403|423|429) .*/api/v1/auth/(me|login|sessions)")
        return [e for e in self.errors if not expected.search(e)]


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="careline-chromium-"))
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 800},
                locale="en-US",
            )
            context.set_default_timeout(15_000)
            page = context.pages[0] if context.pages else context.new_page()
            errors: list[str] = []

            def on_console(msg: Any) -> None:
                if msg.type == "error":
                    where = msg.location.get("url", "") if msg.location else ""
                    errors.append(f"{msg.text} @ {where}")

            page.on("console", on_console)
            page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
            try:
                yield Browser(page=page, errors=errors)
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def sign_in(page: Any, demo: Demo, username: str, code: str | None = None) -> None:
    page.goto(f"{demo.base}/")
    form = page.get_by_role("form", name="Sign in")
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(demo.password(username))
    form.get_by_label("One-time code").fill(code or demo.fresh_code(username))
    page.get_by_role("button", name="Sign in").click()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core findings on the page as it is now."""
    # Evaluated through the DevTools protocol, so the page's CSP (no inline script)
    # stays as strict as users get it.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [v for v in result if v["impact"] in {"serious", "critical"}]


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_screen(browser: Browser, name: str) -> None:
    """Every screen: a screenshot, no console error (a CSP refusal is one), and no
    serious or critical accessibility problem."""
    page = browser.page
    screenshot(page, name)
    assert browser.unexpected_errors() == [], f"{name}: {browser.unexpected_errors()}"
    violations = axe_violations(page)
    assert violations == [], f"{name}: {violations}"
