"""The sending pace shared by every worker process (issue 9): when each sender, and
the whole account, may send next, so several workers together stay under the
provider's documented throughput.

Revision ID: 0018_send_pace
Revises: 0017_audit_reviews
Create Date: 2026-12-04 03:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_send_pace"
down_revision = "0017_audit_reviews"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_pace",
        sa.Column("sender", sa.String(length=80), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("sender", name=op.f("pk_send_pace")),
    )


def downgrade() -> None:
    op.drop_table("send_pace")
