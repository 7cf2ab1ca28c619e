"""Walks started once: `audit_walk.client_id`, the phone's id for a walk, unique per
volunteer, so a start sent again (its answer lost on a bad connection) gives back the same
walk instead of a second, empty one.

Revision ID: 20261202_0018
Revises: 20261202_0016
Create Date: 2026-12-02 02:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_0018"
down_revision: str | None = "20261202_0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_walk", sa.Column("client_id", sa.String(64), nullable=True))
    op.create_index(
        "uq_audit_walk_recorder_client",
        "audit_walk",
        ["recorded_by_id", "client_id"],
        unique=True,
        postgresql_where=sa.text("client_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_audit_walk_recorder_client", table_name="audit_walk")
    op.drop_column("audit_walk", "client_id")
