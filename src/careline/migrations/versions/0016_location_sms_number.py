"""A clinic's own texting number (issue 9): texts to its patients come from it, so a
patient sees the clinic they know and replies reach it; without one, the network's
Messaging Service or default sender is used as before.

Revision ID: 0016_location_sms_number
Revises: 0015_job_keys_released_on_cancel
Create Date: 2026-12-04 02:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_location_sms_number"
down_revision = "0015_job_keys_released_on_cancel"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("locations") as batch:
        batch.add_column(sa.Column("sms_number", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("locations") as batch:
        batch.drop_column("sms_number")
