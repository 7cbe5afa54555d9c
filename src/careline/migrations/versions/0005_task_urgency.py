"""Front-desk tasks carry an urgency (worklists sort emergencies first) and the timeline
interaction they came from (an inbound text triaged clinical).

Revision ID: 0005_task_urgency
Revises: 0004_agent_desk
Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_task_urgency"
down_revision = "0004_agent_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing tasks become routine, except urgent voicemails (their kind said so).
    with op.batch_alter_table("front_desk_tasks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("urgency", sa.String(length=16), server_default="routine", nullable=False)
        )
        batch_op.add_column(sa.Column("interaction_id", sa.String(length=36), nullable=True))
    op.execute("UPDATE front_desk_tasks SET urgency = 'urgent' WHERE kind = 'urgent_voicemail'")


def downgrade() -> None:
    with op.batch_alter_table("front_desk_tasks", schema=None) as batch_op:
        batch_op.drop_column("interaction_id")
        batch_op.drop_column("urgency")
