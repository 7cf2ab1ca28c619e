"""Index for the moderation queue: reports of a status in submission order.

Revision ID: 20261121_0004
Revises: 20261121_0003
Create Date: 2026-11-21 06:40:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261121_0004"
down_revision: str | None = "20261121_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_report_status_created_at_public_id",
        "report",
        ["status", "created_at", "public_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_report_status_created_at_public_id", table_name="report")
