"""The API explorer at /docs renders every operation in Chromium, offline, under the
strict Content-Security-Policy (a refused script or style would be a console error)."""

from __future__ import annotations

import pytest
from web_support import chromium, require_prerequisites, screenshot

from careline.api.app import create_app
from careline.core.db import Base
from careline.db_schema import load_all_tables
from live import live_server

pytestmark = pytest.mark.slow


def test_the_explorer_lists_the_api_in_a_real_browser(rt):
    require_prerequisites()
    load_all_tables()
    Base.metadata.create_all(rt.engine)
    app = create_app(rt)
    operations = sum(len(item) for item in app.openapi()["paths"].values())
    with live_server(app) as base, chromium() as browser:
        page = browser.page
        page.goto(f"{base}/docs")
        page.wait_for_selector(".opblock")
        shown = page.locator(".opblock").count()
        assert shown == operations  # every operation of /openapi.json, grouped by tag
        assert page.get_by_text("/api/v1/auth/login", exact=True).count() >= 1
        screenshot(page, "api-explorer")
        # No console error: a script or style the CSP refused would be one. (axe is run
        # on careline's own screens; Swagger UI's markup is the library's, for developers.)
        assert browser.unexpected_errors() == []
