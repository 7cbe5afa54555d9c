"""Print careline's OpenAPI document (as the app serves it at /openapi.json) to stdout.

Run by `npm run gen:api` with the project's virtualenv Python; it builds the app on a
throwaway SQLite database, so it needs no running server.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from pathlib import Path


def main() -> None:
    logging.disable(logging.CRITICAL)
    from careline.api.app import create_app
    from careline.bootstrap import build_runtime
    from careline.core.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/openapi.db", keyring_file=Path(tmp) / "keyring.json"
        )
        rt = build_runtime(settings)
        document = create_app(rt).openapi()
        rt.engine.dispose()
    json.dump(document, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
