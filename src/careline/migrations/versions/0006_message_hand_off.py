"""Outbound messages and voice-reminder calls remember when they were handed to the
provider, so a send whose answer was lost (a crash, a timeout) asks the provider
before resending; messages keep a lookup hash of their number, so a reply from a
number several patients share finds the conversation it answers; a "which
patient?" task lists its candidates.

Revision ID: 0006_message_hand_off
Revises: 0005_task_urgency
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_message_hand_off"
down_revision = "0005_task_urgency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handed_off_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("to_index", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_outbound_messages_to_index", ["to_index"], unique=False)
    with op.batch_alter_table("front_desk_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("candidates", sa.String(length=400), nullable=True))
    with op.batch_alter_table("voice_calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identify", sa.JSON(), nullable=True))
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("call_sid", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("call_handed_off_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("voice_calls", schema=None) as batch_op:
        batch_op.drop_column("identify")
    with op.batch_alter_table("front_desk_tasks", schema=None) as batch_op:
        batch_op.drop_column("candidates")
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_column("call_handed_off_at")
        batch_op.drop_column("call_sid")
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbound_messages_to_index")
        batch_op.drop_column("to_index")
        batch_op.drop_column("handed_off_at")
