"""Safety audit walks: walks, their scored points (exact and displaced) and photos.

Revision ID: 20261201_0012
Revises: 20261201_0013
Create Date: 2026-12-01 19:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision: str = "20261201_0012"
down_revision: str | None = "20261201_0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_walk",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("mahalle_id", sa.Integer(), nullable=False),
        sa.Column("walked_on", sa.Date(), nullable=False),
        sa.Column(
            "time_band",
            sa.Enum(
                "day",
                "evening",
                "night",
                name="time_band",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("group_size", sa.SmallInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "recording",
                "submitted",
                "published",
                "rejected",
                name="walk_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        sa.Column("reject_reason", sa.String(length=64), nullable=True),
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
            "group_size BETWEEN 1 AND 50", name=op.f("ck_audit_walk_group_size_range")
        ),
        sa.ForeignKeyConstraint(
            ["mahalle_id"], ["mahalle.id"], name=op.f("fk_audit_walk_mahalle_id_mahalle")
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by_id"],
            ["app_user.id"],
            name=op.f("fk_audit_walk_moderated_by_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_audit_walk_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["app_user.id"],
            name=op.f("fk_audit_walk_recorded_by_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_walk")),
    )
    op.create_index(op.f("ix_audit_walk_mahalle_id"), "audit_walk", ["mahalle_id"], unique=False)
    op.create_index(
        op.f("ix_audit_walk_municipality_id"), "audit_walk", ["municipality_id"], unique=False
    )
    op.create_index(
        op.f("ix_audit_walk_recorded_by_id"), "audit_walk", ["recorded_by_id"], unique=False
    )
    op.create_index(
        "ix_audit_walk_status_walked_on", "audit_walk", ["status", "walked_on"], unique=False
    )
    op.create_geospatial_table(
        "audit_point",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("walk_id", sa.UUID(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("mahalle_id", sa.Integer(), nullable=True),
        sa.Column(
            "record_key",
            sa.SmallInteger(),
            server_default=sa.text("get_byte(uuid_send(gen_random_uuid()), 0)"),
            nullable=False,
        ),
        sa.Column(
            "location",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column(
            "public_location",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("lighting", sa.SmallInteger(), nullable=False),
        sa.Column("openness", sa.SmallInteger(), nullable=False),
        sa.Column("visibility", sa.SmallInteger(), nullable=False),
        sa.Column("people", sa.SmallInteger(), nullable=False),
        sa.Column("security", sa.SmallInteger(), nullable=False),
        sa.Column("walk_path", sa.SmallInteger(), nullable=False),
        sa.Column("public_transport", sa.SmallInteger(), nullable=False),
        sa.Column("gender_usage", sa.SmallInteger(), nullable=False),
        sa.Column("feeling", sa.SmallInteger(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("char_length(note) <= 1000", name=op.f("ck_audit_point_note_length")),
        sa.CheckConstraint("feeling BETWEEN 0 AND 3", name=op.f("ck_audit_point_feeling_range")),
        sa.CheckConstraint(
            "gender_usage BETWEEN 0 AND 3", name=op.f("ck_audit_point_gender_usage_range")
        ),
        sa.CheckConstraint("lighting BETWEEN 0 AND 3", name=op.f("ck_audit_point_lighting_range")),
        sa.CheckConstraint("openness BETWEEN 0 AND 3", name=op.f("ck_audit_point_openness_range")),
        sa.CheckConstraint("people BETWEEN 0 AND 3", name=op.f("ck_audit_point_people_range")),
        sa.CheckConstraint(
            "public_transport BETWEEN 0 AND 3", name=op.f("ck_audit_point_public_transport_range")
        ),
        sa.CheckConstraint("security BETWEEN 0 AND 3", name=op.f("ck_audit_point_security_range")),
        sa.CheckConstraint(
            "visibility BETWEEN 0 AND 3", name=op.f("ck_audit_point_visibility_range")
        ),
        sa.CheckConstraint(
            "walk_path BETWEEN 0 AND 3", name=op.f("ck_audit_point_walk_path_range")
        ),
        sa.ForeignKeyConstraint(
            ["mahalle_id"],
            ["mahalle.id"],
            name=op.f("fk_audit_point_mahalle_id_mahalle"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_audit_point_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["walk_id"], ["audit_walk.id"], name=op.f("fk_audit_point_walk_id_audit_walk")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_point")),
        sa.UniqueConstraint("walk_id", "client_id", name=op.f("uq_audit_point_walk_id")),
    )
    op.create_geospatial_index(
        "idx_audit_point_location",
        "audit_point",
        ["location"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_index(
        "idx_audit_point_public_location",
        "audit_point",
        ["public_location"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_audit_point_mahalle_id"), "audit_point", ["mahalle_id"], unique=False)
    op.create_index(
        op.f("ix_audit_point_municipality_id"), "audit_point", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_audit_point_walk_id"), "audit_point", ["walk_id"], unique=False)
    op.create_table(
        "audit_photo",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("point_id", sa.UUID(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_audit_photo_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["point_id"], ["audit_point.id"], name=op.f("fk_audit_photo_point_id_audit_point")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_photo")),
        sa.UniqueConstraint("point_id", name=op.f("uq_audit_photo_point_id")),
    )
    op.create_index(
        op.f("ix_audit_photo_municipality_id"), "audit_photo", ["municipality_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_photo_municipality_id"), table_name="audit_photo")
    op.drop_table("audit_photo")
    op.drop_index(op.f("ix_audit_point_walk_id"), table_name="audit_point")
    op.drop_index(op.f("ix_audit_point_municipality_id"), table_name="audit_point")
    op.drop_index(op.f("ix_audit_point_mahalle_id"), table_name="audit_point")
    op.drop_geospatial_index(
        "idx_audit_point_public_location",
        table_name="audit_point",
        postgresql_using="gist",
        column_name="public_location",
    )
    op.drop_geospatial_index(
        "idx_audit_point_location",
        table_name="audit_point",
        postgresql_using="gist",
        column_name="location",
    )
    op.drop_geospatial_table("audit_point")
    op.drop_index("ix_audit_walk_status_walked_on", table_name="audit_walk")
    op.drop_index(op.f("ix_audit_walk_recorded_by_id"), table_name="audit_walk")
    op.drop_index(op.f("ix_audit_walk_municipality_id"), table_name="audit_walk")
    op.drop_index(op.f("ix_audit_walk_mahalle_id"), table_name="audit_walk")
    op.drop_table("audit_walk")
