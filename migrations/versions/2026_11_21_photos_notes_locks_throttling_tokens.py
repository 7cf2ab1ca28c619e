"""Photos, report notes (comments and public staff notes), municipal workflow and deletion
timestamps, edit locks, login throttling and personal API tokens.

Revision ID: 20261121_0002
Revises: 20261121_0001
Create Date: 2026-11-21 06:03:24.688021+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261121_0002"
down_revision: str | None = "20261121_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "login_failure",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    op.create_index(
        op.f("ix_login_failure_created_at"), "login_failure", ["created_at"], unique=False
    )
    op.create_index(op.f("ix_login_failure_key_hash"), "login_failure", ["key_hash"], unique=False)
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_api_token_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"], unique=False)
    op.create_table(
        "report_note",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("report_id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "author",
            sa.Enum(
                "reporter",
                "moderator",
                "municipality",
                name="note_author",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), server_default="", nullable=False),
        sa.Column("public", sa.Boolean(), server_default=sa.text("false"), nullable=False),
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
            nullable=True,
        ),
        sa.CheckConstraint("char_length(body) <= 2000", name=op.f("ck_report_note_body_length")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_report_note_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_note_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_note")),
    )
    op.create_index(op.f("ix_report_note_report_id"), "report_note", ["report_id"], unique=False)
    op.create_table(
        "report_photo",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("report_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
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
        sa.CheckConstraint("position BETWEEN 0 AND 2", name=op.f("ck_report_photo_position_range")),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_photo_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_photo")),
    )
    op.create_index(op.f("ix_report_photo_report_id"), "report_photo", ["report_id"], unique=False)
    op.add_column(
        "app_user", sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("report", sa.Column("forwarded_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("report", sa.Column("municipal_department", sa.String(length=200), nullable=True))
    op.add_column("report", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("report", sa.Column("locked_by_id", sa.Integer(), nullable=True))
    op.add_column("report", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.create_foreign_key(
        op.f("fk_report_locked_by_id_app_user"),
        "report",
        "app_user",
        ["locked_by_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.add_column(
        "report",
        sa.Column(
            "location_precision",
            sa.Enum(
                "point",
                "mahalle",
                name="location_precision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="point",
            nullable=False,
        ),
    )
    op.add_column("report", sa.Column("place_description", sa.String(length=300), nullable=True))


def downgrade() -> None:
    op.drop_column("report", "place_description")
    op.drop_column("report", "location_precision")

    op.drop_constraint(op.f("fk_report_locked_by_id_app_user"), "report", type_="foreignkey")
    op.drop_column("report", "locked_until")
    op.drop_column("report", "locked_by_id")
    op.drop_column("report", "deleted_at")
    op.drop_column("report", "municipal_department")
    op.drop_column("report", "forwarded_at")
    op.drop_column("app_user", "password_changed_at")
    op.drop_index(op.f("ix_report_photo_report_id"), table_name="report_photo")
    op.drop_table("report_photo")
    op.drop_index(op.f("ix_report_note_report_id"), table_name="report_note")
    op.drop_table("report_note")
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_index(op.f("ix_login_failure_key_hash"), table_name="login_failure")
    op.drop_index(op.f("ix_login_failure_created_at"), table_name="login_failure")
    op.drop_table("login_failure")
