"""Reminder plans may carry the manager's own wording per language (issue 12): the
reminder text was hard-coded, so a clinic could not write its Spanish reminder.

Revision ID: 0013_reminder_templates
Revises: 0012_prep_translations
Create Date: 2026-12-03 16:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_reminder_templates"
down_revision = "0012_prep_translations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("templates", sa.JSON(), server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("reminder_plans", schema=None) as batch_op:
        batch_op.drop_column("templates")
