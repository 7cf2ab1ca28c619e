"""Equality-plan (YEEP) monitoring (DESIGN.md §9): plans, item tree, indicators, observations,
reporting periods, progress updates, evidence, the Monitoring Board and its assessments,
published monitoring reports.

Adds the roles `monitor` (an NGO member of a Monitoring Board) and `unit_reporter` (a
municipal unit's reporter) to the role CHECK constraint, and a trigger that keeps a published
board assessment as the board wrote it: only the municipal response may change, and it can
never be deleted.

Revision ID: 20261201_0007
Revises: 20261201_0006
Create Date: 2026-12-01 17:16:10.639596+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261201_0007"
down_revision: str | None = "20261201_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_ROLES = ("moderator", "planner", "admin")
NEW_ROLES = (*OLD_ROLES, "monitor", "unit_reporter")

# The board's independence, held by the database itself (every path: API, service, SQL).
ASSESSMENT_GUARD = """
CREATE FUNCTION board_assessment_published_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.published_at IS NOT NULL THEN
            RAISE EXCEPTION 'a published board assessment cannot be deleted';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.published_at IS NOT NULL AND (
        NEW.rating IS DISTINCT FROM OLD.rating
        OR NEW.rights_based_note IS DISTINCT FROM OLD.rights_based_note
        OR NEW.recommendation IS DISTINCT FROM OLD.recommendation
        OR NEW.response_due IS DISTINCT FROM OLD.response_due
        OR NEW.dissent IS DISTINCT FROM OLD.dissent
        OR NEW.author_id IS DISTINCT FROM OLD.author_id
        OR NEW.published_at IS DISTINCT FROM OLD.published_at
        OR NEW.plan_id IS DISTINCT FROM OLD.plan_id
        OR NEW.reporting_period_id IS DISTINCT FROM OLD.reporting_period_id
        OR NEW.plan_item_id IS DISTINCT FROM OLD.plan_item_id
        OR NEW.indicator_id IS DISTINCT FROM OLD.indicator_id
        OR NEW.municipality_id IS DISTINCT FROM OLD.municipality_id
    ) THEN
        RAISE EXCEPTION 'a published board assessment cannot be changed (only answered)';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER board_assessment_published_guard
BEFORE UPDATE OR DELETE ON board_assessment
FOR EACH ROW EXECUTE FUNCTION board_assessment_published_guard();
"""


def _role_check(roles: tuple[str, ...]) -> None:
    op.drop_constraint(op.f("ck_app_user_role"), "app_user", type_="check")
    listed = ", ".join(f"'{r}'" for r in roles)
    op.create_check_constraint(op.f("ck_app_user_role"), "app_user", f"role IN ({listed})")


def upgrade() -> None:
    _role_check(NEW_ROLES)
    op.create_table(
        "municipal_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_unit_id", sa.Integer(), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_municipal_unit_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_unit_id"],
            ["municipal_unit.id"],
            name=op.f("fk_municipal_unit_parent_unit_id_municipal_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipal_unit")),
        sa.UniqueConstraint(
            "municipality_id", "code", name=op.f("uq_municipal_unit_municipality_id")
        ),
    )
    op.create_index(
        op.f("ix_municipal_unit_municipality_id"),
        "municipal_unit",
        ["municipality_id"],
        unique=False,
    )
    op.create_table(
        "equality_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title_tr", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "consultation",
                "approved",
                "in_force",
                "closed",
                "superseded",
                name="plan_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("council_decision_no", sa.String(length=64), nullable=True),
        sa.Column("council_decision_date", sa.Date(), nullable=True),
        sa.Column("document_url", sa.String(length=500), nullable=True),
        sa.Column("coordinating_unit_id", sa.Integer(), nullable=True),
        sa.Column("predecessor_id", sa.Integer(), nullable=True),
        sa.Column("cemr_signed_on", sa.Date(), nullable=True),
        sa.Column("strategic_plan_ref", sa.String(length=200), nullable=True),
        sa.Column("is_example", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
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
            "period_end >= period_start", name=op.f("ck_equality_plan_period_order")
        ),
        sa.CheckConstraint(
            "predecessor_id IS DISTINCT FROM id", name=op.f("ck_equality_plan_not_own_predecessor")
        ),
        sa.ForeignKeyConstraint(
            ["coordinating_unit_id"],
            ["municipal_unit.id"],
            name=op.f("fk_equality_plan_coordinating_unit_id_municipal_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_equality_plan_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["equality_plan.id"],
            name=op.f("fk_equality_plan_predecessor_id_equality_plan"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equality_plan")),
        sa.UniqueConstraint("code", name=op.f("uq_equality_plan_code")),
    )
    op.create_index(
        op.f("ix_equality_plan_municipality_id"), "equality_plan", ["municipality_id"], unique=False
    )
    op.create_table(
        "unit_reporter",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_unit_reporter_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["municipal_unit.id"],
            name=op.f("fk_unit_reporter_unit_id_municipal_unit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_unit_reporter_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "unit_id", name=op.f("pk_unit_reporter")),
    )
    op.create_index(
        op.f("ix_unit_reporter_municipality_id"), "unit_reporter", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_unit_reporter_unit_id"), "unit_reporter", ["unit_id"], unique=False)
    op.create_table(
        "board_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("role_in_board", sa.String(length=100), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("conflict_of_interest_note", sa.Text(), nullable=True),
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
        sa.CheckConstraint("term_end >= term_start", name=op.f("ck_board_member_term_order")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_board_member_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["equality_plan.id"],
            name=op.f("fk_board_member_plan_id_equality_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_board_member_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_member")),
    )
    op.create_index(
        op.f("ix_board_member_municipality_id"), "board_member", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_board_member_plan_id"), "board_member", ["plan_id"], unique=False)
    op.create_index(op.f("ix_board_member_user_id"), "board_member", ["user_id"], unique=False)
    op.create_table(
        "plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "theme",
                "objective",
                "target",
                "activity",
                name="item_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("sort", sa.Integer(), server_default="0", nullable=False),
        sa.Column("title_tr", sa.String(length=500), nullable=False),
        sa.Column("title_en", sa.String(length=500), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("theme_key", sa.String(length=64), nullable=True),
        sa.Column(
            "cemr_articles",
            postgresql.ARRAY(sa.SmallInteger()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "sdg_targets",
            postgresql.ARRAY(sa.String(length=16)),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("responsible_unit_id", sa.Integer(), nullable=True),
        sa.Column(
            "partner_unit_ids", postgresql.ARRAY(sa.Integer()), server_default="{}", nullable=False
        ),
        sa.Column(
            "partner_orgs",
            postgresql.ARRAY(sa.String(length=200)),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("budget_planned_try", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("budget_spent_try", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("budget_line_code", sa.String(length=64), nullable=True),
        sa.Column("budget_year", sa.SmallInteger(), nullable=True),
        sa.Column("risks", sa.Text(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("needs", sa.Text(), nullable=True),
        sa.Column("weight", sa.Numeric(precision=8, scale=3), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "not_started",
                "in_progress",
                "partly_done",
                "done",
                "postponed",
                "cancelled",
                "no_data",
                name="item_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("progress", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column(
            "mahalle_ids", postgresql.ARRAY(sa.Integer()), server_default="{}", nullable=False
        ),
        sa.Column(
            "report_category_groups",
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
            "parent_id IS DISTINCT FROM id", name=op.f("ck_plan_item_not_own_parent")
        ),
        sa.CheckConstraint(
            "planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start",
            name=op.f("ck_plan_item_date_order"),
        ),
        sa.CheckConstraint(
            "progress IS NULL OR progress BETWEEN 0 AND 100", name=op.f("ck_plan_item_progress")
        ),
        sa.CheckConstraint("weight IS NULL OR weight > 0", name=op.f("ck_plan_item_weight")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_plan_item_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["plan_item.id"],
            name=op.f("fk_plan_item_parent_id_plan_item"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["equality_plan.id"],
            name=op.f("fk_plan_item_plan_id_equality_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["responsible_unit_id"],
            ["municipal_unit.id"],
            name=op.f("fk_plan_item_responsible_unit_id_municipal_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_item")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_plan_item_plan_id")),
    )
    op.create_index(
        op.f("ix_plan_item_municipality_id"), "plan_item", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_plan_item_parent_id"), "plan_item", ["parent_id"], unique=False)
    op.create_index(op.f("ix_plan_item_plan_id"), "plan_item", ["plan_id"], unique=False)
    op.create_index(
        op.f("ix_plan_item_responsible_unit_id"), "plan_item", ["responsible_unit_id"], unique=False
    )
    op.create_table(
        "reporting_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "semiannual",
                "annual",
                "final",
                name="period_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "collecting",
                "under_review",
                "published",
                name="period_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_reporting_period_date_order")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_reporting_period_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["equality_plan.id"],
            name=op.f("fk_reporting_period_plan_id_equality_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_period")),
        sa.UniqueConstraint("plan_id", "label", name=op.f("uq_reporting_period_plan_id")),
    )
    op.create_index(
        op.f("ix_reporting_period_municipality_id"),
        "reporting_period",
        ["municipality_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_reporting_period_plan_id"), "reporting_period", ["plan_id"], unique=False
    )
    op.create_table(
        "plan_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("plan_item_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_tr", sa.String(length=500), nullable=False),
        sa.Column("name_en", sa.String(length=500), nullable=True),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "structural",
                "process",
                "output",
                "outcome",
                name="indicator_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "computed",
                "manual",
                "survey",
                name="indicator_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("computed_code", sa.String(length=64), nullable=True),
        sa.Column(
            "computed_filters",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("data_owner_unit_id", sa.Integer(), nullable=True),
        sa.Column("baseline_value", sa.Double(), nullable=True),
        sa.Column("baseline_period", sa.SmallInteger(), nullable=True),
        sa.Column("baseline_source", sa.String(length=300), nullable=True),
        sa.Column("target_value", sa.Double(), nullable=True),
        sa.Column("target_period", sa.SmallInteger(), nullable=True),
        sa.Column(
            "direction",
            sa.Enum(
                "increase",
                "decrease",
                "maintain",
                name="indicator_direction",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("limit_value", sa.Double(), nullable=True),
        sa.Column(
            "yearly_targets",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("weight", sa.Numeric(precision=8, scale=3), nullable=True),
        sa.Column(
            "expected_disaggregations",
            postgresql.ARRAY(sa.String(length=32)),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("methodology_note", sa.Text(), nullable=True),
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
            "source <> 'computed' OR computed_code IS NOT NULL",
            name=op.f("ck_plan_indicator_computed_has_code"),
        ),
        sa.CheckConstraint(
            "target_value IS NULL OR baseline_period IS NOT NULL",
            name=op.f("ck_plan_indicator_target_needs_baseline"),
        ),
        sa.ForeignKeyConstraint(
            ["data_owner_unit_id"],
            ["municipal_unit.id"],
            name=op.f("fk_plan_indicator_data_owner_unit_id_municipal_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_plan_indicator_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["equality_plan.id"],
            name=op.f("fk_plan_indicator_plan_id_equality_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["plan_item.id"],
            name=op.f("fk_plan_indicator_plan_item_id_plan_item"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_indicator")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_plan_indicator_plan_id")),
    )
    op.create_index(
        op.f("ix_plan_indicator_municipality_id"),
        "plan_indicator",
        ["municipality_id"],
        unique=False,
    )
    op.create_index(op.f("ix_plan_indicator_plan_id"), "plan_indicator", ["plan_id"], unique=False)
    op.create_index(
        op.f("ix_plan_indicator_plan_item_id"), "plan_indicator", ["plan_item_id"], unique=False
    )
    op.create_table(
        "progress_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("plan_item_id", sa.Integer(), nullable=False),
        sa.Column("reporting_period_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "not_started",
                "in_progress",
                "partly_done",
                "done",
                "postponed",
                "cancelled",
                "no_data",
                name="update_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("progress", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("narrative", sa.Text(), server_default="", nullable=False),
        sa.Column("deviation_reason", sa.Text(), nullable=True),
        sa.Column("corrective_action", sa.Text(), nullable=True),
        sa.Column("budget_spent_try", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("beneficiaries_women", sa.Integer(), server_default="0", nullable=False),
        sa.Column("beneficiaries_men", sa.Integer(), server_default="0", nullable=False),
        sa.Column("beneficiaries_other", sa.Integer(), server_default="0", nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "review_state",
            sa.Enum(
                "draft",
                "submitted",
                "accepted",
                "returned",
                name="review_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("publish_on", sa.Date(), nullable=True),
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
            "beneficiaries_women >= 0 AND beneficiaries_men >= 0 AND beneficiaries_other >= 0",
            name=op.f("ck_progress_update_beneficiaries"),
        ),
        sa.CheckConstraint(
            "progress IS NULL OR progress BETWEEN 0 AND 100",
            name=op.f("ck_progress_update_progress"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["app_user.id"],
            name=op.f("fk_progress_update_author_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_progress_update_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["plan_item.id"],
            name=op.f("fk_progress_update_plan_item_id_plan_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporting_period_id"],
            ["reporting_period.id"],
            name=op.f("fk_progress_update_reporting_period_id_reporting_period"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"],
            ["app_user.id"],
            name=op.f("fk_progress_update_reviewed_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_update")),
    )
    op.create_index(
        op.f("ix_progress_update_municipality_id"),
        "progress_update",
        ["municipality_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_progress_update_plan_item_id"), "progress_update", ["plan_item_id"], unique=False
    )
    op.create_index(
        op.f("ix_progress_update_reporting_period_id"),
        "progress_update",
        ["reporting_period_id"],
        unique=False,
    )
    op.create_table(
        "board_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("reporting_period_id", sa.Integer(), nullable=False),
        sa.Column("plan_item_id", sa.Integer(), nullable=True),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column(
            "rating",
            sa.Enum(
                "compliant",
                "partly_compliant",
                "non_compliant",
                "insufficient_data",
                name="assessment_rating",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rights_based_note", sa.Text(), server_default="", nullable=False),
        sa.Column("recommendation", sa.Text(), nullable=True),
        sa.Column("response_due", sa.Date(), nullable=True),
        sa.Column("dissent", sa.Text(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("municipal_response", sa.Text(), nullable=True),
        sa.Column("response_by", sa.Integer(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
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
            "(plan_item_id IS NULL) <> (indicator_id IS NULL)",
            name=op.f("ck_board_assessment_item_or_indicator"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["app_user.id"],
            name=op.f("fk_board_assessment_author_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["plan_indicator.id"],
            name=op.f("fk_board_assessment_indicator_id_plan_indicator"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_board_assessment_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["equality_plan.id"],
            name=op.f("fk_board_assessment_plan_id_equality_plan"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["plan_item.id"],
            name=op.f("fk_board_assessment_plan_item_id_plan_item"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reporting_period_id"],
            ["reporting_period.id"],
            name=op.f("fk_board_assessment_reporting_period_id_reporting_period"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["response_by"],
            ["app_user.id"],
            name=op.f("fk_board_assessment_response_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_assessment")),
    )
    op.create_index(
        op.f("ix_board_assessment_municipality_id"),
        "board_assessment",
        ["municipality_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_board_assessment_plan_id"), "board_assessment", ["plan_id"], unique=False
    )
    op.create_index(
        op.f("ix_board_assessment_reporting_period_id"),
        "board_assessment",
        ["reporting_period_id"],
        unique=False,
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("progress_update_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "document",
                "photo",
                "council_decision",
                "tender",
                "link",
                "dataset",
                name="evidence_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("evidence_date", sa.Date(), nullable=True),
        sa.Column("is_private", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
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
            "(content IS NULL) <> (url IS NULL)", name=op.f("ck_evidence_file_or_url")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_evidence_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["progress_update_id"],
            ["progress_update.id"],
            name=op.f("fk_evidence_progress_update_id_progress_update"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["app_user.id"],
            name=op.f("fk_evidence_uploaded_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index(
        op.f("ix_evidence_municipality_id"), "evidence", ["municipality_id"], unique=False
    )
    op.create_index(
        op.f("ix_evidence_progress_update_id"), "evidence", ["progress_update_id"], unique=False
    )
    op.create_table(
        "indicator_observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("reporting_period_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("numerator", sa.Double(), nullable=True),
        sa.Column("denominator", sa.Double(), nullable=True),
        sa.Column(
            "disaggregation",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "provisional",
                "final",
                name="observation_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("suppressed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("source_snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["app_user.id"],
            name=op.f("fk_indicator_observation_entered_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["plan_indicator.id"],
            name=op.f("fk_indicator_observation_indicator_id_plan_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_indicator_observation_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reporting_period_id"],
            ["reporting_period.id"],
            name=op.f("fk_indicator_observation_reporting_period_id_reporting_period"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_observation")),
        sa.UniqueConstraint(
            "indicator_id",
            "reporting_period_id",
            "disaggregation",
            name=op.f("uq_indicator_observation_indicator_id"),
        ),
    )
    op.create_index(
        op.f("ix_indicator_observation_indicator_id"),
        "indicator_observation",
        ["indicator_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_indicator_observation_municipality_id"),
        "indicator_observation",
        ["municipality_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_indicator_observation_reporting_period_id"),
        "indicator_observation",
        ["reporting_period_id"],
        unique=False,
    )

    op.create_table(
        "monitoring_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("reporting_period_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "progress",
                "final",
                name="monitoring_report_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_monitoring_report_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["equality_plan.id"],
            name=op.f("fk_monitoring_report_plan_id_equality_plan"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reporting_period_id"],
            ["reporting_period.id"],
            name=op.f("fk_monitoring_report_reporting_period_id_reporting_period"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_report")),
        sa.UniqueConstraint(
            "reporting_period_id", name=op.f("uq_monitoring_report_reporting_period_id")
        ),
    )
    op.create_index(
        op.f("ix_monitoring_report_municipality_id"),
        "monitoring_report",
        ["municipality_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_monitoring_report_plan_id"), "monitoring_report", ["plan_id"], unique=False
    )
    op.execute(ASSESSMENT_GUARD)


def downgrade() -> None:
    op.execute("DROP TRIGGER board_assessment_published_guard ON board_assessment")
    op.execute("DROP FUNCTION board_assessment_published_guard()")
    op.drop_index(op.f("ix_monitoring_report_plan_id"), table_name="monitoring_report")
    op.drop_index(op.f("ix_monitoring_report_municipality_id"), table_name="monitoring_report")
    op.drop_table("monitoring_report")
    op.drop_index(
        op.f("ix_indicator_observation_reporting_period_id"), table_name="indicator_observation"
    )
    op.drop_index(
        op.f("ix_indicator_observation_municipality_id"), table_name="indicator_observation"
    )
    op.drop_index(op.f("ix_indicator_observation_indicator_id"), table_name="indicator_observation")
    op.drop_table("indicator_observation")
    op.drop_index(op.f("ix_evidence_progress_update_id"), table_name="evidence")
    op.drop_index(op.f("ix_evidence_municipality_id"), table_name="evidence")
    op.drop_table("evidence")
    op.drop_index(op.f("ix_board_assessment_reporting_period_id"), table_name="board_assessment")
    op.drop_index(op.f("ix_board_assessment_plan_id"), table_name="board_assessment")
    op.drop_index(op.f("ix_board_assessment_municipality_id"), table_name="board_assessment")
    op.drop_table("board_assessment")
    op.drop_index(op.f("ix_progress_update_reporting_period_id"), table_name="progress_update")
    op.drop_index(op.f("ix_progress_update_plan_item_id"), table_name="progress_update")
    op.drop_index(op.f("ix_progress_update_municipality_id"), table_name="progress_update")
    op.drop_table("progress_update")
    op.drop_index(op.f("ix_plan_indicator_plan_item_id"), table_name="plan_indicator")
    op.drop_index(op.f("ix_plan_indicator_plan_id"), table_name="plan_indicator")
    op.drop_index(op.f("ix_plan_indicator_municipality_id"), table_name="plan_indicator")
    op.drop_table("plan_indicator")
    op.drop_index(op.f("ix_reporting_period_plan_id"), table_name="reporting_period")
    op.drop_index(op.f("ix_reporting_period_municipality_id"), table_name="reporting_period")
    op.drop_table("reporting_period")
    op.drop_index(op.f("ix_plan_item_responsible_unit_id"), table_name="plan_item")
    op.drop_index(op.f("ix_plan_item_plan_id"), table_name="plan_item")
    op.drop_index(op.f("ix_plan_item_parent_id"), table_name="plan_item")
    op.drop_index(op.f("ix_plan_item_municipality_id"), table_name="plan_item")
    op.drop_table("plan_item")
    op.drop_index(op.f("ix_board_member_user_id"), table_name="board_member")
    op.drop_index(op.f("ix_board_member_plan_id"), table_name="board_member")
    op.drop_index(op.f("ix_board_member_municipality_id"), table_name="board_member")
    op.drop_table("board_member")
    op.drop_index(op.f("ix_unit_reporter_unit_id"), table_name="unit_reporter")
    op.drop_index(op.f("ix_unit_reporter_municipality_id"), table_name="unit_reporter")
    op.drop_table("unit_reporter")
    op.drop_index(op.f("ix_equality_plan_municipality_id"), table_name="equality_plan")
    op.drop_table("equality_plan")
    op.drop_index(op.f("ix_municipal_unit_municipality_id"), table_name="municipal_unit")
    op.drop_table("municipal_unit")
    op.execute("DELETE FROM app_user WHERE role IN ('monitor', 'unit_reporter')")
    _role_check(OLD_ROLES)
