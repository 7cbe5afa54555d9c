"""Due jobs are claimed in index order (issue 14): the index on (status, due_at) gains
the id that breaks ties, so claiming the next batch never sorts the jobs due at the
same instant (a 15-clinic network's 08:00 reminders are tens of thousands).

Revision ID: 0011_job_due_order
Revises: 0010_bind_ciphertexts
Create Date: 2026-12-03 16:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0011_job_due_order"
down_revision = "0010_bind_ciphertexts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_jobs_status_due_at", table_name="jobs")
    op.create_index("ix_jobs_status_due_at_id", "jobs", ["status", "due_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_jobs_status_due_at_id", table_name="jobs")
    op.create_index("ix_jobs_status_due_at", "jobs", ["status", "due_at"], unique=False)
