"""Record keys for the cell key method (DESIGN.md §11) on reports and confirmations.

Each row gets one random byte (0..255) from PostgreSQL's CSPRNG, once: the column default
draws it for new rows; `ADD COLUMN ... DEFAULT <volatile>` evaluates the default per existing
row, which is the backfill. Downgrade drops the columns (the keys cannot be recovered, and
need not be: new ones protect as well, but published values would change).

Revision ID: 20261201_0009
Revises: 20261201_0008
Create Date: 2026-12-01 18:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0009"
down_revision: str | None = "20261201_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RANDOM_BYTE = sa.text("get_byte(uuid_send(gen_random_uuid()), 0)")


def upgrade() -> None:
    for table in ("report", "confirmation"):
        op.add_column(
            table,
            sa.Column("record_key", sa.SmallInteger(), server_default=RANDOM_BYTE, nullable=False),
        )


def downgrade() -> None:
    for table in ("confirmation", "report"):
        op.drop_column(table, "record_key")
