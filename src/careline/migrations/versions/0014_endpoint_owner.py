"""Staff endpoints say who governs the device, organisation or personal (issue 13):
patient calls that reach a personal phone are flagged in the PHI channel report.

Revision ID: 0014_endpoint_owner
Revises: 0013_reminder_templates
Create Date: 2026-12-03 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_endpoint_owner"
down_revision = "0013_reminder_templates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_endpoints", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "managed_by", sa.String(length=12), server_default="organisation", nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_endpoints", schema=None) as batch_op:
        batch_op.drop_column("managed_by")
