"""An index of exactly the resolved published reports, for the median days to resolution.

Revision ID: 20261202_0016
Revises: 20261201_0015
Create Date: 2026-12-02 02:15:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_0016"
down_revision: str | None = "20261201_0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out (not imported from the models): a migration keeps the columns of its day.
INCLUDED = [
    "mahalle_id",
    "category_id",
    "time_band",
    "municipality_id",
    "forwarded_at",
    "created_at",
    "resolved_at",
]


def upgrade() -> None:
    op.create_index(
        "ix_report_resolutions",
        "report",
        ["occurred_on"],
        unique=False,
        postgresql_include=INCLUDED,
        postgresql_where=sa.text("status = 'published' AND municipal_status = 'resolved'"),
    )


def downgrade() -> None:
    op.drop_index("ix_report_resolutions", table_name="report")
