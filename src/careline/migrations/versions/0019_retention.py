"""Retention rules and legal holds (issue 13): the rules per record type (a clinic may
have its own), the holds that keep records whatever the rules say, and a mark on
stripped interactions and messages (their content is gone, the fact stays).

Revision ID: 0019_retention
Revises: 0018_send_pace
Create Date: 2026-12-04 03:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_retention"
down_revision = "0018_send_pace"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retention_rules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("keep_days", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_rules")),
    )
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=True),
        sa.Column("interaction_id", sa.String(length=36), nullable=True),
        sa.Column("starts", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("placed_by", sa.String(length=120), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(length=120), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    with op.batch_alter_table("legal_holds") as batch:
        batch.create_index(batch.f("ix_legal_holds_patient_id"), ["patient_id"], unique=False)
        batch.create_index(
            batch.f("ix_legal_holds_interaction_id"), ["interaction_id"], unique=False
        )
    with op.batch_alter_table("interactions") as batch:
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbound_messages") as batch:
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch rebuild of `interactions`
    # would cascade-delete every timeline event (foreign keys are on).
    op.execute("ALTER TABLE outbound_messages DROP COLUMN purged_at")
    op.execute("ALTER TABLE interactions DROP COLUMN purged_at")
    op.drop_table("legal_holds")
    op.drop_table("retention_rules")
