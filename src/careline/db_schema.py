"""Schema management: import every table module, and run migrations.

Importing all table modules in one place lets Alembic and tests see the whole
schema without any capability importing another's tables.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

TABLE_MODULES = [
    "careline.security.tables",
    "careline.directory.tables",
    "careline.providers.outbox.tables",
    "careline.providers.pacing.tables",
    "careline.patients.tables",
    "careline.timeline.tables",
    "careline.scheduling.tables",
    "careline.integrations.fhir.tables",
    "careline.jobs.tables",
    "careline.messaging.tables",
    "careline.flows.tables",
    "careline.waitlist.tables",
    "careline.telephony.tables",
    "careline.reminders.tables",
    "careline.worklist.tables",
    "careline.desk.tables",
    "careline.compliance.tables",
]


def load_all_tables() -> None:
    for name in TABLE_MODULES:
        importlib.import_module(name)


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision` on this engine (idempotent)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
