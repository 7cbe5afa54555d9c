"""A cancelled job releases its dedupe key (issue 11, item 27): the unique constraint on
jobs.dedupe_key becomes a partial unique index over the jobs that hold their key (every
one not cancelled), so work called off and wanted again — an appointment moved away
and back — can be scheduled again, while a finished job's key still refuses a rerun.

SQLite cannot drop a constraint in place: the table is rebuilt, and dropping the old
`jobs` would cascade-delete every `job_events` row (foreign keys are on, and cannot be
turned off inside the migration's transaction), so the history is kept aside in a
temporary table and put back.

Revision ID: 0015_job_keys_released_on_cancel
Revises: 0014_endpoint_owner
Create Date: 2026-12-04 02:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_job_keys_released_on_cancel"
down_revision = "0014_endpoint_owner"
branch_labels = None
depends_on = None

HELD_KEY = "status <> 'cancelled'"


def _rebuild_jobs_keeping_history(change: str) -> None:
    op.execute("CREATE TEMP TABLE job_events_kept AS SELECT * FROM job_events")
    with op.batch_alter_table("jobs", recreate="always") as batch:
        if change == "drop":
            batch.drop_constraint("uq_jobs_dedupe_key", type_="unique")
        else:
            batch.create_unique_constraint("uq_jobs_dedupe_key", ["dedupe_key"])
    op.execute("DELETE FROM job_events")
    op.execute("INSERT INTO job_events SELECT * FROM job_events_kept")
    op.execute("DROP TABLE job_events_kept")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_jobs_keeping_history("drop")
    else:
        op.drop_constraint("uq_jobs_dedupe_key", "jobs", type_="unique")
    op.create_index("ix_jobs_dedupe_key", "jobs", ["dedupe_key"], unique=False)
    op.create_index(
        "uq_jobs_held_dedupe_key",
        "jobs",
        ["dedupe_key"],
        unique=True,
        sqlite_where=sa.text(HELD_KEY),
        postgresql_where=sa.text(HELD_KEY),
    )


def downgrade() -> None:
    # Fails, naming the key, if a released key was used again since the upgrade.
    op.drop_index("uq_jobs_held_dedupe_key", table_name="jobs")
    op.drop_index("ix_jobs_dedupe_key", table_name="jobs")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_jobs_keeping_history("create")
    else:
        op.create_unique_constraint("uq_jobs_dedupe_key", "jobs", ["dedupe_key"])
