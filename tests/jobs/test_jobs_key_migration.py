"""Revision 0015 on both engines: the unique key becomes a partial index over held
keys, and the SQLite table rebuild keeps every job's history (job_events)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from careline import db_schema
from careline.core.db import Base, make_engine

BEFORE = "0014_endpoint_owner"
STAMP = "'2026-03-02 15:00:00+00'"


def _fresh(db_url: str):
    engine = make_engine(db_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(engine)
    return engine


def _job(conn, job_id: str, status: str, key: str) -> None:
    conn.execute(
        text(
            "INSERT INTO jobs (id, kind, payload, due_at, status, attempts, max_attempts,"
            " dedupe_key, created_at, updated_at) VALUES (:id, 'test.ping', '{}', "
            f"{STAMP}, :status, 0, 1, :key, {STAMP}, {STAMP})"
        ),
        {"id": job_id, "status": status, "key": key},
    )
    conn.execute(
        text(
            "INSERT INTO job_events (job_id, at, kind, to_status, attempt) "
            f"VALUES (:id, {STAMP}, 'scheduled', 'due', 0)"
        ),
        {"id": job_id},
    )


def test_job_keys_upgrade_keeps_history_releases_cancelled_keys_and_downgrades(db_url):
    engine = _fresh(db_url)
    db_schema.upgrade(engine, BEFORE)
    with engine.begin() as conn:
        _job(conn, "j1", "cancelled", "noanswer:a:1")
        _job(conn, "j2", "done", "send:r1")
    db_schema.upgrade(engine)
    assert db_schema.current_revision(engine) == db_schema.head_revision()
    with engine.connect() as conn:
        # The rebuild kept both jobs and every transition they went through.
        assert conn.execute(text("SELECT count(*) FROM jobs")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM job_events")).scalar() == 2
    with engine.begin() as conn:
        _job(conn, "j3", "due", "noanswer:a:1")  # the cancelled job's key is free again
    with pytest.raises(IntegrityError), engine.begin() as conn:
        _job(conn, "j4", "due", "send:r1")  # a done job's key still holds
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM jobs WHERE id = 'j3'"))  # cascades its events
        assert conn.execute(text("SELECT count(*) FROM job_events")).scalar() == 2
    cfg = db_schema.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, BEFORE)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM job_events")).scalar() == 2
    with pytest.raises(IntegrityError), engine.begin() as conn:
        _job(conn, "j5", "due", "noanswer:a:1")  # before 0015, every key held forever
    db_schema.upgrade(engine)  # leave the database at head for the rest of the process
    engine.dispose()
