"""Front-desk tasks (now the worklist capability) get a due time, a holder (who
claimed it, by name, and when) and who resolved it.

Tasks made before this revision keep no due time (NULL); the worklist treats them
as due from their urgency and creation time.

Revision ID: 0007_task_claims
Revises: 0006_message_hand_off
Create Date: 2026-12-03 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_task_claims"
down_revision = "0006_message_hand_off"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("front_desk_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_by_user_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("claimed_by_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("done_by_user_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("done_by_name", sa.String(length=200), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_front_desk_tasks_claimed_by_user_id"),
            ["claimed_by_user_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("front_desk_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_front_desk_tasks_claimed_by_user_id"))
        batch_op.drop_column("done_by_name")
        batch_op.drop_column("done_by_user_id")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("claimed_by_name")
        batch_op.drop_column("claimed_by_user_id")
        batch_op.drop_column("due_at")
