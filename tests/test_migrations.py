"""One migration history for both engines, and it matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from careline import db_schema
from careline.core.db import Base, make_engine


def _fresh_engine(db_url: str):
    engine = make_engine(db_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(engine)
    return engine


def test_migrations_build_exactly_the_model_schema(db_url):
    engine = _fresh_engine(db_url)
    db_schema.upgrade(engine)
    assert db_schema.current_revision(engine) == db_schema.head_revision()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], diff
    with engine.connect() as conn:
        head = conn.execute(text("SELECT seq, last_hash FROM audit_head WHERE id = 1")).one()
    assert head == (0, "0" * 64)
    # Upgrading again is a no-op.
    db_schema.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= {"patients", "audit_entries", "locations"}
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
