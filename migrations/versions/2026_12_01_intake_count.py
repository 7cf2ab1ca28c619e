"""Intake ceilings: counters per client hash, mahalle and deployment in fixed windows.

Revision ID: 20261201_0008
Revises: 20261201_0007
Create Date: 2026-12-01 17:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0008"
down_revision: str | None = "20261201_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_count",
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "key", name=op.f("pk_intake_count")),
    )


def downgrade() -> None:
    op.drop_table("intake_count")
