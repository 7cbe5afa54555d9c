"""Users remember when their one-time-code secret was issued, so a new user can set up
their authenticator from the sign-in page (with their password) for a limited time,
instead of an administrator reading the secret out to them; appointments remember
how they were confirmed (a reminder reply or someone at the clinic); the inbox keeps
who read and who is answering each conversation.

Revision ID: 0008_totp_issued_at
Revises: 0007_task_claims
Create Date: 2026-12-03 12:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_totp_issued_at"
down_revision = "0007_task_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing users get NULL: self-service set-up stays closed for them (an
    # administrator's MFA reset opens it), never silently opened by an upgrade.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_issued_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_via", sa.String(length=20), nullable=True))
    op.create_table(
        "conversation_reads",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("conversation_key", sa.String(length=48), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "conversation_key"),
    )
    op.create_table(
        "conversation_assignments",
        sa.Column("conversation_key", sa.String(length=48), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("assigned_by", sa.String(length=36), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("conversation_key"),
    )
    op.create_index("ix_conversation_assignments_user_id", "conversation_assignments", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_conversation_assignments_user_id", table_name="conversation_assignments")
    op.drop_table("conversation_assignments")
    op.drop_table("conversation_reads")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_column("confirmed_via")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_issued_at")
