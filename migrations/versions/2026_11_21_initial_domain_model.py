"""initial domain model: categories, reports, confirmations, moderation events, mahalle,
service points, users. The moderation log is append-only, enforced by a trigger.

Revision ID: 20261121_0001
Revises:
Create Date: 2026-11-21 05:13:51.727528+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision: str = "20261121_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


APPEND_ONLY_FUNCTION = """
CREATE FUNCTION moderation_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'moderation_event is append-only (% refused)', TG_OP;
END;
$$
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "moderator",
                "planner",
                "admin",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("email", name=op.f("uq_app_user_email")),
    )
    op.create_table(
        "category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column(
            "group",
            sa.Enum(
                "lighting",
                "transport",
                "harassment",
                "environment",
                "infrastructure",
                "other",
                name="category_group",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sensitive", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("labels", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("icon", sa.String(length=64), server_default="", nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category")),
        sa.UniqueConstraint("code", name=op.f("uq_category_code")),
    )
    op.create_geospatial_table(
        "mahalle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=False),
        sa.Column("province", sa.String(length=100), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("area_km2", sa.Float(), nullable=False),
        sa.Column("population_total", sa.Integer(), nullable=True),
        sa.Column("women_residents", sa.Integer(), nullable=True),
        sa.Column(
            "women_is_estimate", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("population_year", sa.Integer(), nullable=True),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mahalle")),
        sa.UniqueConstraint("code", name=op.f("uq_mahalle_code")),
    )
    op.create_geospatial_index(
        "idx_mahalle_geom",
        "mahalle",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_mahalle_district"), "mahalle", ["district"], unique=False)
    op.create_index(op.f("ix_mahalle_name_key"), "mahalle", ["name_key"], unique=False)
    op.create_geospatial_table(
        "service_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "counselling",
                "sonim",
                "police",
                "health",
                "nursery",
                "womens_centre",
                name="service_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=50), server_default="", nullable=False),
        sa.Column("hours", sa.String(length=200), server_default="", nullable=False),
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
        sa.Column("is_sample", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_point")),
    )
    op.create_geospatial_index(
        "idx_service_point_location",
        "service_point",
        ["location"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_service_point_kind"), "service_point", ["kind"], unique=False)
    op.create_geospatial_table(
        "report",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("public_id", sa.String(length=16), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
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
        sa.Column("mahalle_id", sa.Integer(), nullable=True),
        sa.Column("area_key", sa.String(length=120), nullable=False),
        sa.Column("happening_now", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
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
        sa.Column("perceived_safety", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("redacted_text", sa.Text(), nullable=True),
        sa.Column(
            "reporter_gender",
            sa.Enum(
                "woman",
                "man",
                "other",
                "undisclosed",
                name="gender",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "reporter_age_band",
            sa.Enum(
                "under_18",
                "18_24",
                "25_34",
                "35_44",
                "45_54",
                "55_64",
                "65_plus",
                "undisclosed",
                name="age_band",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "published",
                "rejected",
                "merged",
                "hidden",
                "deleted",
                name="report_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "municipal_status",
            sa.Enum(
                "none",
                "forwarded",
                "in_progress",
                "resolved",
                "declined",
                name="municipal_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("tracking_code_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "web",
                "open311",
                "import",
                "demo",
                name="report_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("consent_version", sa.String(length=32), nullable=False),
        sa.Column("merged_into_id", sa.UUID(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.CheckConstraint("char_length(text) <= 2000", name=op.f("ck_report_text_length")),
        sa.CheckConstraint(
            "perceived_safety BETWEEN 1 AND 5", name=op.f("ck_report_perceived_safety_range")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_report_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["mahalle_id"],
            ["mahalle.id"],
            name=op.f("fk_report_mahalle_id_mahalle"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["report.id"], name=op.f("fk_report_merged_into_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("public_id", name=op.f("uq_report_public_id")),
        sa.UniqueConstraint("tracking_code_hash", name=op.f("uq_report_tracking_code_hash")),
    )
    op.create_geospatial_index(
        "idx_report_location",
        "report",
        ["location"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_index(
        "idx_report_public_location",
        "report",
        ["public_location"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_report_area_key"), "report", ["area_key"], unique=False)
    op.create_index(op.f("ix_report_category_id"), "report", ["category_id"], unique=False)
    op.create_index(op.f("ix_report_mahalle_id"), "report", ["mahalle_id"], unique=False)
    op.create_index(op.f("ix_report_status"), "report", ["status"], unique=False)
    op.create_index(
        "ix_report_status_occurred_on", "report", ["status", "occurred_on"], unique=False
    )
    op.create_index(
        "ix_report_published_at_public_id", "report", ["published_at", "public_id"], unique=False
    )
    op.create_table(
        "user_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_user_session_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_user_session")),
    )
    op.create_index(op.f("ix_user_session_user_id"), "user_session", ["user_id"], unique=False)
    op.create_table(
        "confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "reporter_gender",
            sa.Enum(
                "woman",
                "man",
                "other",
                "undisclosed",
                name="gender",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "reporter_age_band",
            sa.Enum(
                "under_18",
                "18_24",
                "25_34",
                "35_44",
                "45_54",
                "55_64",
                "65_plus",
                "undisclosed",
                name="age_band",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_confirmation_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confirmation")),
    )
    op.create_index(op.f("ix_confirmation_report_id"), "confirmation", ["report_id"], unique=False)
    op.create_table(
        "moderation_event",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.UUID(), nullable=True),
        sa.Column("target_user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_moderation_event_actor_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_moderation_event_report_id_report")
        ),
        sa.ForeignKeyConstraint(
            ["target_user_id"],
            ["app_user.id"],
            name=op.f("fk_moderation_event_target_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_event")),
    )
    op.create_index(
        op.f("ix_moderation_event_actor_id"), "moderation_event", ["actor_id"], unique=False
    )
    op.create_index(
        op.f("ix_moderation_event_created_at"), "moderation_event", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_moderation_event_report_id"), "moderation_event", ["report_id"], unique=False
    )
    op.execute(APPEND_ONLY_FUNCTION)
    op.execute(
        "CREATE TRIGGER moderation_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
        "ON moderation_event FOR EACH STATEMENT EXECUTE FUNCTION moderation_event_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS moderation_event_append_only ON moderation_event")
    op.execute("DROP FUNCTION IF EXISTS moderation_event_append_only()")
    op.drop_index(op.f("ix_moderation_event_report_id"), table_name="moderation_event")
    op.drop_index(op.f("ix_moderation_event_created_at"), table_name="moderation_event")
    op.drop_index(op.f("ix_moderation_event_actor_id"), table_name="moderation_event")
    op.drop_table("moderation_event")
    op.drop_index(op.f("ix_confirmation_report_id"), table_name="confirmation")
    op.drop_table("confirmation")
    op.drop_index(op.f("ix_user_session_user_id"), table_name="user_session")
    op.drop_table("user_session")
    op.drop_index("ix_report_published_at_public_id", table_name="report")
    op.drop_index("ix_report_status_occurred_on", table_name="report")
    op.drop_index(op.f("ix_report_status"), table_name="report")
    op.drop_index(op.f("ix_report_mahalle_id"), table_name="report")
    op.drop_index(op.f("ix_report_category_id"), table_name="report")
    op.drop_index(op.f("ix_report_area_key"), table_name="report")
    op.drop_geospatial_index(
        "idx_report_public_location",
        table_name="report",
        postgresql_using="gist",
        column_name="public_location",
    )
    op.drop_geospatial_index(
        "idx_report_location", table_name="report", postgresql_using="gist", column_name="location"
    )
    op.drop_geospatial_table("report")
    op.drop_index(op.f("ix_service_point_kind"), table_name="service_point")
    op.drop_geospatial_index(
        "idx_service_point_location",
        table_name="service_point",
        postgresql_using="gist",
        column_name="location",
    )
    op.drop_geospatial_table("service_point")
    op.drop_index(op.f("ix_mahalle_name_key"), table_name="mahalle")
    op.drop_index(op.f("ix_mahalle_district"), table_name="mahalle")
    op.drop_geospatial_index(
        "idx_mahalle_geom", table_name="mahalle", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("mahalle")
    op.drop_table("category")
    op.drop_table("app_user")
