"""A covering index for the planners' indicators: one index-only scan of published reports.

Revision ID: 20261121_0003
Revises: 20261121_0002
Create Date: 2026-11-21 06:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261121_0003"
down_revision: str | None = "20261121_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INCLUDED = [
    "mahalle_id",
    "category_id",
    "time_band",
    "perceived_safety",
    "reporter_gender",
    "reporter_age_band",
    "municipal_status",
    "forwarded_at",
]


def upgrade() -> None:
    op.create_index(
        "ix_report_indicators",
        "report",
        ["occurred_on"],
        unique=False,
        postgresql_include=INCLUDED,
        postgresql_where=sa.text("status = 'published'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_report_indicators",
        table_name="report",
        postgresql_include=INCLUDED,
        postgresql_where=sa.text("status = 'published'"),
    )
