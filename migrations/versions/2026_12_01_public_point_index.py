"""A partial GiST index on exactly the public report points (OGC API items, tiles).

Published, placed on the map, with a publication time: the bbox search of the public layer
reads this index instead of the one over every report (pending, rejected and exact points'
rows included). Sensitive categories are excluded by the query (they live on the category).

Revision ID: 20261201_0010
Revises: 20261201_0011
Create Date: 2026-12-01 19:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0010"
down_revision: str | None = "20261201_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLIC_POINTS = "status = 'published' AND location_precision = 'point' AND published_at IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_report_public_point_location",
        "report",
        ["public_location"],
        postgresql_using="gist",
        postgresql_where=sa.text(PUBLIC_POINTS),
    )


def downgrade() -> None:
    op.drop_index("ix_report_public_point_location", table_name="report")
