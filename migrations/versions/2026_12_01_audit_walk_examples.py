"""Example audit walks: `audit_walk.is_example`, set on the demo's walks so every view of
them (moderation, the public layer's popups) can say they are examples.

Revision ID: 20261201_0015
Revises: 20261201_0014
Create Date: 2026-12-01 22:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0015"
down_revision: str | None = "20261201_0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "audit_walk",
        sa.Column("is_example", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("audit_walk", "is_example")
