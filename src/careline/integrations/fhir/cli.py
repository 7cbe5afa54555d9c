"""`careline import fhir FILE`: import an EHR's FHIR R4 Bundle, print a JSON summary.

Exit codes: 0 everything imported, 1 some resources failed (listed in `errors`),
2 the file is not an importable bundle (or the options are wrong).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

import_app = typer.Typer(help="Import records from other systems.", no_args_is_help=True)


def _exit_with(body: dict[str, object], code: int) -> typer.Exit:
    typer.echo(json.dumps(body, indent=2))
    return typer.Exit(code)


#: The largest file `careline import fhir` reads (a bundle of a few thousand
#: patients is tens of MB); bigger exports are split by the EHR's bulk export.
MAX_FILE_BYTES = 512 * 2**20


@import_app.command("fhir")
def import_fhir(
    file: Annotated[
        Path,
        typer.Argument(
            help="A FHIR R4 Bundle (JSON): searchset, collection, "
            "transaction or batch; or one resource."
        ),
    ],
    timezone: Annotated[
        str | None,
        typer.Option(help="Time zone of locations whose resource has no timezone extension."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count everything; write nothing.")
    ] = False,
) -> None:
    """Import Patient, Practitioner, Location, Schedule, Slot and Appointment resources.

    Safe to repeat: records are found again by their FHIR ids (patients also by MRN),
    so a second import of the same file changes nothing.
    """
    from careline.bootstrap import build_runtime, configure_logging
    from careline.core.errors import CarelineError
    from careline.core.settings import Settings
    from careline.integrations.fhir import service
    from careline.security.model import system_actor

    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise _exit_with(
                {"error": f"the file is larger than {MAX_FILE_BYTES // 2**20} MB; split it"}, 2
            )
        document = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _exit_with({"error": f"cannot read the file ({exc.strerror})"}, 2) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _exit_with({"error": "the file is not JSON (UTF-8)"}, 2) from None
    except RecursionError:
        raise _exit_with({"error": "the file nests JSON too deeply to be FHIR"}, 2) from None
    settings = Settings()
    configure_logging(settings.log_level)
    rt = build_runtime(settings)
    try:
        report = service.import_bundle(
            rt,
            actor=system_actor("fhir-import"),
            document=document,
            default_timezone=timezone,
            dry_run=dry_run,
        )
    except CarelineError as exc:
        raise _exit_with(
            {
                "error_id": exc.error_id,
                "error": exc.detail,
                "problems": [{"path": p.field, "message": p.message} for p in exc.problems],
            },
            2,
        ) from None
    finally:
        rt.engine.dispose()
    body = report.model_dump(mode="json")
    body["ok"] = report.failed == 0
    raise _exit_with(body, 0 if report.failed == 0 else 1)
