"""Equality-plan (YEEP) monitoring (DESIGN.md §9, MONITORING.md §3): plans, their item tree,
indicators and observations, reporting periods, progress updates, evidence, the independent
Monitoring Board and its assessments.

Every table carries its municipality key (DESIGN.md §12). No ORM relationships: services load
what they need explicitly.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps, str_enum


class PlanState(enum.StrEnum):
    draft = "draft"
    consultation = "consultation"  # opened to NGOs and the public
    approved = "approved"  # by the municipal council
    in_force = "in_force"
    closed = "closed"
    superseded = "superseded"


class ItemKind(enum.StrEnum):
    theme = "theme"
    objective = "objective"  # amaç
    target = "target"  # hedef
    activity = "activity"  # faaliyet / eylem


class ItemStatus(enum.StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    partly_done = "partly_done"
    done = "done"
    postponed = "postponed"
    cancelled = "cancelled"  # excluded from the roll-up
    no_data = "no_data"


class IndicatorLevel(enum.StrEnum):
    structural = "structural"
    process = "process"
    output = "output"
    outcome = "outcome"


class IndicatorSource(enum.StrEnum):
    computed = "computed"  # from the map's own indicator engine
    manual = "manual"  # entered by a municipal unit
    survey = "survey"


class Direction(enum.StrEnum):
    increase = "increase"
    decrease = "decrease"
    maintain = "maintain"


class ObservationState(enum.StrEnum):
    provisional = "provisional"
    final = "final"


class PeriodKind(enum.StrEnum):
    semiannual = "semiannual"
    annual = "annual"
    final = "final"


class PeriodState(enum.StrEnum):
    open = "open"
    collecting = "collecting"
    under_review = "under_review"  # computed observations frozen
    published = "published"


class ReviewState(enum.StrEnum):
    draft = "draft"
    submitted = "submitted"
    accepted = "accepted"
    returned = "returned"


class EvidenceKind(enum.StrEnum):
    document = "document"
    photo = "photo"
    council_decision = "council_decision"
    tender = "tender"
    link = "link"
    dataset = "dataset"


class Rating(enum.StrEnum):
    compliant = "compliant"
    partly_compliant = "partly_compliant"
    non_compliant = "non_compliant"
    insufficient_data = "insufficient_data"


def _municipality_key() -> Mapped[int]:
    return mapped_column(sa.ForeignKey("municipality.id", ondelete="RESTRICT"), index=True)


class MunicipalUnit(Timestamps, Base):
    """A municipal unit (müdürlük, daire): responsible for plan items, reports progress."""

    __tablename__ = "municipal_unit"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    parent_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipal_unit.id", ondelete="RESTRICT")
    )
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))


class UnitReporter(Base):
    """A `unit_reporter` account is attached to the units it reports for."""

    __tablename__ = "unit_reporter"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipal_unit.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    municipality_id: Mapped[int] = _municipality_key()


class EqualityPlan(Timestamps, Base):
    """A Local Equality Action Plan (YEEP) of one municipality."""

    __tablename__ = "equality_plan"
    __table_args__ = (
        sa.CheckConstraint("period_end >= period_start", name="period_order"),
        sa.CheckConstraint("predecessor_id IS DISTINCT FROM id", name="not_own_predecessor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title_tr: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str | None] = mapped_column(sa.String(300))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    period_start: Mapped[date]
    period_end: Mapped[date]
    state: Mapped[PlanState] = mapped_column(
        str_enum(PlanState, "plan_state"), default=PlanState.draft
    )
    council_decision_no: Mapped[str | None] = mapped_column(sa.String(64))
    council_decision_date: Mapped[date | None]
    document_url: Mapped[str | None] = mapped_column(sa.String(500))
    coordinating_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipal_unit.id", ondelete="RESTRICT")
    )
    predecessor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("equality_plan.id", ondelete="RESTRICT")
    )
    cemr_signed_on: Mapped[date | None]
    strategic_plan_ref: Mapped[str | None] = mapped_column(sa.String(200))
    is_example: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class PlanItem(Timestamps, Base):
    """One node of a plan's tree: theme → objective → target → activity."""

    __tablename__ = "plan_item"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "code"),
        sa.CheckConstraint("progress IS NULL OR progress BETWEEN 0 AND 100", name="progress"),
        sa.CheckConstraint("weight IS NULL OR weight > 0", name="weight"),
        sa.CheckConstraint("parent_id IS DISTINCT FROM id", name="not_own_parent"),
        sa.CheckConstraint(
            "planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start",
            name="date_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("equality_plan.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_item.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, "item_kind"))
    code: Mapped[str] = mapped_column(sa.String(64))
    sort: Mapped[int] = mapped_column(default=0, server_default="0")
    title_tr: Mapped[str] = mapped_column(sa.String(500))
    title_en: Mapped[str | None] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)
    theme_key: Mapped[str | None] = mapped_column(sa.String(64))
    cemr_articles: Mapped[list[int]] = mapped_column(
        ARRAY(sa.SmallInteger), default=list, server_default="{}"
    )
    sdg_targets: Mapped[list[str]] = mapped_column(
        ARRAY(sa.String(16)), default=list, server_default="{}"
    )
    responsible_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipal_unit.id", ondelete="RESTRICT"), index=True
    )
    partner_unit_ids: Mapped[list[int]] = mapped_column(
        ARRAY(sa.Integer), default=list, server_default="{}"
    )
    partner_orgs: Mapped[list[str]] = mapped_column(
        ARRAY(sa.String(200)), default=list, server_default="{}"
    )
    planned_start: Mapped[date | None]
    planned_end: Mapped[date | None]
    budget_planned_try: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    budget_spent_try: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    budget_line_code: Mapped[str | None] = mapped_column(sa.String(64))
    budget_year: Mapped[int | None] = mapped_column(sa.SmallInteger)
    risks: Mapped[str | None] = mapped_column(sa.Text)
    findings: Mapped[str | None] = mapped_column(sa.Text)  # tespitler
    needs: Mapped[str | None] = mapped_column(sa.Text)  # ihtiyaçlar
    weight: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 3))  # hedefe etkisi
    status: Mapped[ItemStatus] = mapped_column(
        str_enum(ItemStatus, "item_status"), default=ItemStatus.not_started
    )
    progress: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))  # manual on activities
    mahalle_ids: Mapped[list[int]] = mapped_column(
        ARRAY(sa.Integer), default=list, server_default="{}"
    )
    report_category_groups: Mapped[list[str]] = mapped_column(
        ARRAY(sa.String(32)), default=list, server_default="{}"
    )
    is_public: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class PlanIndicator(Timestamps, Base):
    """A performance indicator (performans göstergesi), usually on a target."""

    __tablename__ = "plan_indicator"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "code"),
        sa.CheckConstraint(
            "target_value IS NULL OR baseline_period IS NOT NULL", name="target_needs_baseline"
        ),
        sa.CheckConstraint(
            "source <> 'computed' OR computed_code IS NOT NULL", name="computed_has_code"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("equality_plan.id", ondelete="CASCADE"), index=True
    )
    plan_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plan_item.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(64))
    name_tr: Mapped[str] = mapped_column(sa.String(500))
    name_en: Mapped[str | None] = mapped_column(sa.String(500))
    definition: Mapped[str | None] = mapped_column(sa.Text)
    unit: Mapped[str] = mapped_column(sa.String(64))
    level: Mapped[IndicatorLevel] = mapped_column(str_enum(IndicatorLevel, "indicator_level"))
    source: Mapped[IndicatorSource] = mapped_column(str_enum(IndicatorSource, "indicator_source"))
    computed_code: Mapped[str | None] = mapped_column(sa.String(64))
    computed_filters: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default="{}"
    )
    data_owner_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipal_unit.id", ondelete="RESTRICT")
    )
    baseline_value: Mapped[float | None]
    baseline_period: Mapped[int | None] = mapped_column(sa.SmallInteger)  # a year
    baseline_source: Mapped[str | None] = mapped_column(sa.String(300))
    target_value: Mapped[float | None]
    target_period: Mapped[int | None] = mapped_column(sa.SmallInteger)  # a year
    direction: Mapped[Direction] = mapped_column(
        str_enum(Direction, "indicator_direction"), default=Direction.increase
    )
    limit_value: Mapped[float | None]  # a natural ceiling or floor (open-sdg `limit`)
    yearly_targets: Mapped[dict[str, float]] = mapped_column(
        JSONB, default=dict, server_default="{}"
    )
    weight: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 3))
    expected_disaggregations: Mapped[list[str]] = mapped_column(
        ARRAY(sa.String(32)), default=list, server_default="{}"
    )
    methodology_note: Mapped[str | None] = mapped_column(sa.Text)


class ReportingPeriod(Timestamps, Base):
    """A monitoring period (izleme dönemi) of a plan."""

    __tablename__ = "reporting_period"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "label"),
        sa.CheckConstraint("ends_on >= starts_on", name="date_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("equality_plan.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(32))  # 2025-H1, 2025, final
    kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind, "period_kind"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    due_date: Mapped[date | None]
    state: Mapped[PeriodState] = mapped_column(
        str_enum(PeriodState, "period_state"), default=PeriodState.open
    )
    frozen_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class IndicatorObservation(Timestamps, Base):
    """A realised value (gerçekleşen) of an indicator in a period."""

    __tablename__ = "indicator_observation"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "reporting_period_id", "disaggregation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plan_indicator.id", ondelete="CASCADE"), index=True
    )
    reporting_period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reporting_period.id", ondelete="RESTRICT"), index=True
    )
    value: Mapped[float | None]  # None when suppressed
    numerator: Mapped[float | None]
    denominator: Mapped[float | None]
    disaggregation: Mapped[dict[str, str]] = mapped_column(
        JSONB, default=dict, server_default="{}"
    )  # blank = all (open-sdg)
    state: Mapped[ObservationState] = mapped_column(
        str_enum(ObservationState, "observation_state"), default=ObservationState.provisional
    )
    suppressed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Computed values: definition version, query hash, run time, filters (frozen at review).
    source_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    entered_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(sa.Text)


class ProgressUpdate(Timestamps, Base):
    """A unit's progress report (izleme kaydı) on an item for a period, reviewed by the
    equality unit."""

    __tablename__ = "progress_update"
    __table_args__ = (
        sa.CheckConstraint("progress IS NULL OR progress BETWEEN 0 AND 100", name="progress"),
        sa.CheckConstraint(
            "beneficiaries_women >= 0 AND beneficiaries_men >= 0 AND beneficiaries_other >= 0",
            name="beneficiaries",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    plan_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plan_item.id", ondelete="CASCADE"), index=True
    )
    reporting_period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reporting_period.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[ItemStatus] = mapped_column(str_enum(ItemStatus, "update_status"))
    progress: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    narrative: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    deviation_reason: Mapped[str | None] = mapped_column(sa.Text)
    corrective_action: Mapped[str | None] = mapped_column(sa.Text)
    budget_spent_try: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    beneficiaries_women: Mapped[int] = mapped_column(default=0, server_default="0")
    beneficiaries_men: Mapped[int] = mapped_column(default=0, server_default="0")
    beneficiaries_other: Mapped[int] = mapped_column(default=0, server_default="0")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    review_state: Mapped[ReviewState] = mapped_column(
        str_enum(ReviewState, "review_state"), default=ReviewState.draft
    )
    review_note: Mapped[str | None] = mapped_column(sa.Text)
    reviewed_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    publish_on: Mapped[date | None]


class Evidence(Timestamps, Base):
    """Evidence (kanıt) for a progress update: a file (photos re-encoded) or a link."""

    __tablename__ = "evidence"
    __table_args__ = (sa.CheckConstraint("(content IS NULL) <> (url IS NULL)", name="file_or_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    progress_update_id: Mapped[int] = mapped_column(
        sa.ForeignKey("progress_update.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(str_enum(EvidenceKind, "evidence_kind"))
    title: Mapped[str] = mapped_column(sa.String(300))
    url: Mapped[str | None] = mapped_column(sa.String(500))
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    media_type: Mapped[str | None] = mapped_column(sa.String(100))
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    evidence_date: Mapped[date | None]
    is_private: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    uploaded_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )


class BoardMember(Timestamps, Base):
    """A member of the Monitoring Board (İzleme Heyeti): per municipality, or per plan."""

    __tablename__ = "board_member"
    __table_args__ = (sa.CheckConstraint("term_end >= term_start", name="term_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("equality_plan.id", ondelete="CASCADE"), index=True
    )  # None: every plan of the municipality
    organisation: Mapped[str] = mapped_column(sa.String(200))
    role_in_board: Mapped[str | None] = mapped_column(sa.String(100))
    term_start: Mapped[date]
    term_end: Mapped[date]
    conflict_of_interest_note: Mapped[str | None] = mapped_column(sa.Text)


class BoardAssessment(Timestamps, Base):
    """The board's rating of an item or an indicator for a period.

    Once published it is immutable (a trigger refuses any change but the municipal response,
    and any deletion): the municipality may answer, never edit or hide it.
    """

    __tablename__ = "board_assessment"
    __table_args__ = (
        sa.CheckConstraint(
            "(plan_item_id IS NULL) <> (indicator_id IS NULL)", name="item_or_indicator"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("equality_plan.id", ondelete="RESTRICT"), index=True
    )
    reporting_period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reporting_period.id", ondelete="RESTRICT"), index=True
    )
    plan_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_item.id", ondelete="RESTRICT")
    )
    indicator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_indicator.id", ondelete="RESTRICT")
    )
    rating: Mapped[Rating] = mapped_column(str_enum(Rating, "assessment_rating"))
    rights_based_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    recommendation: Mapped[str | None] = mapped_column(sa.Text)
    response_due: Mapped[date | None]
    dissent: Mapped[str | None] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    municipal_response: Mapped[str | None] = mapped_column(sa.Text)
    response_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    responded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ReportKind(enum.StrEnum):
    progress = "progress"
    final = "final"


class MonitoringReport(Timestamps, Base):
    """A published monitoring report (ilerleme / final raporu): a frozen snapshot of the plan
    as the public saw it when its period was published, rendered once as HTML and PDF."""

    __tablename__ = "monitoring_report"
    __table_args__ = (sa.UniqueConstraint("reporting_period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = _municipality_key()
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("equality_plan.id", ondelete="RESTRICT"), index=True
    )
    reporting_period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reporting_period.id", ondelete="RESTRICT")
    )
    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind, "monitoring_report_kind"))
    title: Mapped[str] = mapped_column(sa.String(500))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    html: Mapped[str] = mapped_column(sa.Text, deferred=True)
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
