"""Revision 0007 on both engines: tasks filed before it keep working (no due time, no
holder), and it downgrades cleanly."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from careline import db_schema
from careline.core.db import Base, make_engine

BEFORE = "0006_message_hand_off"
NEW_COLUMNS = {
    "due_at",
    "claimed_by_user_id",
    "claimed_by_name",
    "claimed_at",
    "done_by_user_id",
    "done_by_name",
}


def _fresh(db_url: str):
    engine = make_engine(db_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(engine)
    return engine


def _columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("front_desk_tasks")}


def test_task_claims_upgrade_keeps_old_tasks_and_downgrades(db_url):
    engine = _fresh(db_url)
    db_schema.upgrade(engine, BEFORE)
    assert not NEW_COLUMNS & _columns(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO front_desk_tasks (id, kind, urgency, status, created_at) "
                "VALUES ('t1', 'voicemail', 'routine', 'open', '2026-03-02 15:00:00+00')"
            )
        )
    db_schema.upgrade(engine)
    assert db_schema.current_revision(engine) == db_schema.head_revision()
    assert _columns(engine) >= NEW_COLUMNS
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT kind, due_at, claimed_by_user_id FROM front_desk_tasks WHERE id = 't1'")
        ).one()
    assert tuple(row) == ("voicemail", None, None)
    cfg = db_schema.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, BEFORE)
    assert not NEW_COLUMNS & _columns(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM front_desk_tasks")).scalar() == 1
    # Leave the database at head, as the rest of this process's tests expect it.
    db_schema.upgrade(engine)
    engine.dispose()
