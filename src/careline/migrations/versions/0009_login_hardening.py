"""Sign-in hardening (issue 11): failed sign-ins under usernames no account has are
counted and locked like real accounts', so a lockout answer reveals no username; API
tokens remember the token that made them, so revoking one revokes its descendants.

Revision ID: 0009_login_hardening
Revises: 0008_totp_issued_at
Create Date: 2026-12-03 13:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_login_hardening"
down_revision = "0008_totp_issued_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.String(length=36), nullable=True))
        batch_op.create_index("ix_api_tokens_parent_id", ["parent_id"], unique=False)
    op.create_table(
        "unknown_logins",
        sa.Column("username_hash", sa.String(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username_hash"),
    )


def downgrade() -> None:
    op.drop_table("unknown_logins")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_api_tokens_parent_id")
        batch_op.drop_column("parent_id")
