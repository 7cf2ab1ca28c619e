"""Interventions of an equality plan (issue 10 item 7): what it built, where and when, so its
page can compare report rates before and after against similar mahalle.

Revision ID: 20261201_0013
Revises: 20261201_0009
Create Date: 2026-12-01 19:18:06.016557+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision: str = "20261201_0013"
down_revision: str | None = "20261201_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_geospatial_table(
        "intervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "lighting",
                "underpass",
                "transport",
                "walkway",
                "green_space",
                "surveillance",
                "other",
                name="intervention_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title_tr", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("mahalle_id", sa.Integer(), nullable=True),
        sa.Column("radius_m", sa.SmallInteger(), server_default="400", nullable=False),
        sa.Column(
            "category_groups",
            postgresql.ARRAY(sa.String(length=32)),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("is_public", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "geom IS NOT NULL OR mahalle_id IS NOT NULL", name=op.f("ck_intervention_has_place")
        ),
        sa.CheckConstraint(
            "radius_m BETWEEN 300 AND 2000", name=op.f("ck_intervention_radius_range")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["plan_item.id"],
            name=op.f("fk_intervention_item_id_plan_item"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["mahalle_id"],
            ["mahalle.id"],
            name=op.f("fk_intervention_mahalle_id_mahalle"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_intervention_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["equality_plan.id"],
            name=op.f("fk_intervention_plan_id_equality_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervention")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_intervention_plan_id")),
    )
    op.create_geospatial_index(
        "idx_intervention_geom",
        "intervention",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_intervention_item_id"), "intervention", ["item_id"], unique=False)
    op.create_index(
        op.f("ix_intervention_municipality_id"), "intervention", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_intervention_plan_id"), "intervention", ["plan_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_intervention_plan_id"), table_name="intervention")
    op.drop_index(op.f("ix_intervention_municipality_id"), table_name="intervention")
    op.drop_index(op.f("ix_intervention_item_id"), table_name="intervention")
    op.drop_geospatial_index(
        "idx_intervention_geom",
        table_name="intervention",
        postgresql_using="gist",
        column_name="geom",
    )
    op.drop_geospatial_table("intervention")
