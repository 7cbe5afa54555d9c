"""Reminder plans keep their prep instructions per language (issue 12): a Spanish
reminder carried the English instructions; now it carries the Spanish ones, or a
Spanish sentence asking the patient to call.

Revision ID: 0012_prep_translations
Revises: 0011_job_due_order
Create Date: 2026-12-03 16:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_prep_translations"
down_revision = "0011_job_due_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prep_translations", sa.JSON(), server_default="{}", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder_plans", schema=None) as batch_op:
        batch_op.drop_column("prep_translations")
