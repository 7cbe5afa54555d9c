"""Alembic environment: runs against the connection or URL careline hands it."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Text

from careline.core.db import Base, UtcDateTime
from careline.db_schema import load_all_tables
from careline.security.crypto import EncryptedText

load_all_tables()
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Migrations must not depend on our TypeDecorators: render their storage type.
    if type_ == "type" and isinstance(obj, EncryptedText):
        return "sa.Text()"
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, Text):
        return "sa.Text()"
    return False


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    opts: dict[str, Any] = {
        "target_metadata": target_metadata,
        "render_as_batch": True,
        "render_item": render_item,
        "compare_type": True,
    }
    if connection is not None:
        context.configure(connection=connection, **opts)
        with context.begin_transaction():
            context.run_migrations()
        return
    from careline.core.db import make_engine

    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, **opts)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
