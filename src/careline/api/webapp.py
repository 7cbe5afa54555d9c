"""The staff web app: its built files, served from the API's own origin.

`web/` builds into `careline/web_dist/` (package data). Hashed files under
`/assets/` are cached for a year; every other path that is not the API's
(`/desk`, `/patients/...`) answers the app's `index.html`, whose router takes
over. Pages carry a strict Content-Security-Policy: scripts and styles only from
this origin, no inline script, never framed. Without a build, `/` says how to
make one instead of answering 404.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.convertors import Convertor, register_url_convertor

from careline.api.deps import public
from careline.core.errors import NotFound

WEB_DIST = Path(__file__).resolve().parent.parent / "web_dist"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}
ASSET_HEADERS = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
}
OTHER_FILE_HEADERS = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}

# Paths the app never answers: the API and the provider webhooks keep their own 404/405.
_RESERVED = r"(?!(?:api|telephony|assets)(?:/|$)|(?:openapi\.json|healthz|readyz)$)"


class AppPathConvertor(Convertor[str]):
    """Any path that is not the API's, the webhooks' or the health checks'."""

    regex = _RESERVED + r".*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("app_path", AppPathConvertor())

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>careline: web app not built</title></head>
<body>
<h1>careline</h1>
<p>The staff web app has not been built into this installation, so there is nothing
to show here yet. The API works: its description is at
<a href="/openapi.json">/openapi.json</a>.</p>
<p>To build the web app from a source checkout, run <code>python3 scripts/dev.py demo</code>
(it builds the app when needed), or build it by hand:</p>
<pre>cd web
npm ci
npm run build</pre>
<p>then reload this page. Building needs Node.js 20 or newer (see docs/web.md).</p>
<p>Looked for: <code>{where}</code></p>
</body></html>
"""


def file_inside(root: Path, relative: str) -> Path | None:
    """The file `relative` names under `root`, or None (missing, a folder, or outside root)."""
    if not relative or "\x00" in relative:
        return None
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()) or not candidate.is_file():
        return None
    return candidate


def install_webapp(app: FastAPI, dist: Path | None = None) -> None:
    """Serve the built app; call after every API route is registered (it catches the rest)."""
    root = dist or WEB_DIST

    def _page() -> Response:
        index = root / "index.html"
        if not index.is_file():
            body = NOT_BUILT.format(where=html.escape(str(index)))
            return HTMLResponse(body, status_code=503, headers=PAGE_HEADERS)
        return FileResponse(index, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    @app.api_route(
        "/assets/{path:path}", methods=["GET", "HEAD"], include_in_schema=False, response_model=None
    )
    def asset(path: str, _: Annotated[None, Depends(public())]) -> Response:
        found = file_inside(root / "assets", path)
        if found is None:
            raise NotFound("No such file of the web app.", error_id="no-such-asset")
        return FileResponse(found, headers=ASSET_HEADERS)

    @app.api_route(
        "/{path:app_path}", methods=["GET", "HEAD"], include_in_schema=False, response_model=None
    )
    def app_page(path: str, _: Annotated[None, Depends(public())]) -> Response:
        found = file_inside(root, path) if path != "index.html" else None
        if found is not None:  # favicon.svg, robots.txt: files at the top of the build
            return FileResponse(found, headers=OTHER_FILE_HEADERS)
        return _page()
