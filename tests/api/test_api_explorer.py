"""`/docs`: the API explorer, from local files under the strict CSP (issue 14)."""

from __future__ import annotations

import re


def test_the_explorer_page_loads_only_local_files_under_the_strict_policy(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/docs/assets/") for s in sources)  # no CDN
    assert "<script>" not in page.text  # nothing inline: started from explorer.js
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert asset.headers["x-content-type-options"] == "nosniff"
    init = client.get("/docs/assets/explorer.js").text
    assert '"/openapi.json"' in init and "SwaggerUIBundle" in init


def test_the_explorer_serves_nothing_but_its_own_files(client):
    for path in (
        "/docs/assets/index.html",
        "/docs/assets/nothing.js",
        "/docs/assets/%2e%2e/%2e%2e/api/app.py",
    ):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error_id"] == "no-such-asset"
