"""The API explorer at `/docs`: Swagger UI over `/openapi.json`, from local files.

FastAPI's stock page loads Swagger UI from a CDN and starts it with an inline
script; careline serves Swagger UI 5 (it reads OpenAPI 3.1; version 4 does not)
from the `fastapi-offline` package's static files, from this origin, and starts
it from `explorer.js`, so the page keeps the web app's strict
Content-Security-Policy and works without internet access. Calls made from it use
the signed-in session (sign in through the web app first) or a bearer token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response

from careline.api.deps import public
from careline.api.webapp import OTHER_FILE_HEADERS, PAGE_HEADERS, file_inside
from careline.core.errors import NotFound

HERE = Path(__file__).resolve().parent

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>careline API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head><body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/explorer.js"></script>
</body></html>
"""


def _vendor() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    return Path(fastapi_offline.__file__).resolve().parent / "static"


def install_explorer(app: FastAPI) -> None:
    """Add `/docs` and its files (before the web app, which answers every other GET)."""
    vendor = _vendor()

    @app.get("/docs", include_in_schema=False, response_model=None)
    def docs(_: Annotated[None, Depends(public())]) -> Response:
        if vendor is None:
            return HTMLResponse(
                "<!doctype html><title>careline API</title><p>The API explorer needs the "
                "fastapi-offline package; the API description is at "
                '<a href="/openapi.json">/openapi.json</a>.</p>',
                status_code=503,
                headers=PAGE_HEADERS,
            )
        return HTMLResponse(PAGE, headers=PAGE_HEADERS)

    @app.get("/docs/assets/{path:path}", include_in_schema=False, response_model=None)
    def docs_asset(path: str, _: Annotated[None, Depends(public())]) -> Response:
        if path == "explorer.js":
            return FileResponse(HERE / "explorer.js", headers=OTHER_FILE_HEADERS)
        found = file_inside(vendor, path) if vendor is not None else None
        allowed = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon.png")
        if found is None or found.name not in allowed:
            raise NotFound("No such file of the API explorer.", error_id="no-such-asset")
        return FileResponse(found, headers=OTHER_FILE_HEADERS)
