"""A partial index for the pages' "demo data loaded?" question (no scan of every report).

Revision ID: 20261121_0005
Revises: 20261121_0004
Create Date: 2026-11-21 07:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261121_0005"
down_revision: str | None = "20261121_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_report_demo",
        "report",
        ["id"],
        unique=False,
        postgresql_where=sa.text("source = 'demo'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_report_demo", table_name="report", postgresql_where=sa.text("source = 'demo'")
    )
