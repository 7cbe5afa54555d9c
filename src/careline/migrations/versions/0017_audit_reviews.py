"""Auditors mark audit entries reviewed (issue 12, the auditor's console). The marks
live in their own table, keyed by the entry's sequence number, so the hash-chained
`audit_entries` rows are never touched and `audit verify` keeps holding.

Revision ID: 0017_audit_reviews
Revises: 0016_location_sms_number
Create Date: 2026-12-04 03:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_audit_reviews"
down_revision = "0016_location_sms_number"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_reviews",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("reviewed_by", sa.String(length=36), nullable=False),
        sa.Column("reviewed_by_name", sa.String(length=120), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )


def downgrade() -> None:
    op.drop_table("audit_reviews")
