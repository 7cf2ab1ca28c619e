"""Requests of the monitoring API (equality plans, items, indicators, periods, board)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.models import (
    CategoryGroup,
    Direction,
    EvidenceKind,
    IndicatorLevel,
    IndicatorSource,
    ItemKind,
    ItemStatus,
    ObservationState,
    PeriodKind,
    PeriodState,
    PlanState,
    Rating,
    TimeBand,
)
from app.schemas.common import CleanStr

Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Text = Annotated[CleanStr, Field(max_length=5000)]
Title = Annotated[CleanStr, Field(min_length=1, max_length=500)]
Percent = Annotated[float, Field(ge=0, le=100)]
Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitCreate(_Strict):
    municipality: Code
    code: Code
    name: Title
    parent_code: Code | None = None
    contact_email: CleanStr | None = Field(default=None, max_length=254)


class PlanFields(_Strict):
    title_tr: Title | None = None
    title_en: Title | None = None
    summary: Text | None = None
    period_start: date | None = None
    period_end: date | None = None
    council_decision_no: CleanStr | None = Field(default=None, max_length=64)
    council_decision_date: date | None = None
    document_url: CleanStr | None = Field(default=None, max_length=500)
    coordinating_unit: Code | None = None
    predecessor: Code | None = None
    cemr_signed_on: date | None = None
    strategic_plan_ref: CleanStr | None = Field(default=None, max_length=200)


class PlanCreate(PlanFields):
    municipality: Code
    code: Code
    title_tr: Title
    period_start: date
    period_end: date
    is_example: bool = False


class PlanStateChange(_Strict):
    state: PlanState


class ItemFields(_Strict):
    parent: Code | None = None
    kind: ItemKind | None = None
    sort: int | None = None
    title_tr: Title | None = None
    title_en: Title | None = None
    description: Text | None = None
    theme_key: CleanStr | None = Field(default=None, max_length=64)
    cemr_articles: list[Annotated[int, Field(ge=1, le=30)]] | None = None
    sdg_targets: list[Annotated[str, Field(pattern=r"^\d{1,2}(\.[0-9a-z]{1,2}){0,2}$")]] | None = (
        None
    )
    responsible_unit: Code | None = None
    partner_units: list[Code] | None = None
    partner_orgs: list[Annotated[CleanStr, Field(max_length=200)]] | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    budget_planned_try: Money | None = None
    budget_spent_try: Money | None = None
    budget_line_code: CleanStr | None = Field(default=None, max_length=64)
    budget_year: int | None = Field(default=None, ge=1990, le=2100)
    risks: Text | None = None
    findings: Text | None = None
    needs: Text | None = None
    weight: float | None = Field(default=None, gt=0, le=1000)
    status: ItemStatus | None = None
    progress: float | None = None  # 0–100, checked by the service (activities only)
    mahalle: list[Annotated[str, Field(max_length=64)]] | None = None  # mahalle codes
    report_category_groups: list[CategoryGroup] | None = None
    is_public: bool | None = None


class ItemCreate(ItemFields):
    code: Code
    kind: ItemKind
    title_tr: Title


class IndicatorFields(_Strict):
    item: Code | None = None
    name_tr: Title | None = None
    name_en: Title | None = None
    definition: Text | None = None
    unit: CleanStr | None = Field(default=None, max_length=64)
    level: IndicatorLevel | None = None
    source: IndicatorSource | None = None
    computed_code: CleanStr | None = Field(default=None, max_length=64)
    computed_groups: list[CategoryGroup] | None = None
    computed_time_bands: list[TimeBand] | None = None
    data_owner_unit: Code | None = None
    baseline_value: float | None = None
    baseline_period: int | None = Field(default=None, ge=1990, le=2100)
    baseline_source: CleanStr | None = Field(default=None, max_length=300)
    target_value: float | None = None
    target_period: int | None = Field(default=None, ge=1990, le=2100)
    direction: Direction | None = None
    limit_value: float | None = None
    yearly_targets: dict[Annotated[str, Field(pattern=r"^\d{4}$")], float] | None = None
    weight: float | None = Field(default=None, gt=0, le=1000)
    expected_disaggregations: list[Annotated[str, Field(max_length=32)]] | None = None
    methodology_note: Text | None = None


class IndicatorCreate(IndicatorFields):
    code: Code
    item: Code
    name_tr: Title
    unit: CleanStr = Field(max_length=64)
    level: IndicatorLevel
    source: IndicatorSource


class PeriodCreate(_Strict):
    label: Code
    kind: PeriodKind
    starts_on: date
    ends_on: date
    due_date: date | None = None


class PeriodStateChange(_Strict):
    state: PeriodState


class ObservationCreate(_Strict):
    period: Code
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    disaggregation: dict[
        Annotated[str, Field(max_length=32)], Annotated[str, Field(max_length=64)]
    ] = {}
    state: ObservationState = ObservationState.provisional
    note: Text | None = None


class UpdateCreate(_Strict):
    period: Code
    status: ItemStatus
    progress: float | None = None  # 0–100, checked by the service
    narrative: Text = ""
    deviation_reason: Text | None = None
    corrective_action: Text | None = None
    budget_spent_try: Money | None = None
    beneficiaries_women: int = Field(default=0, ge=0)
    beneficiaries_men: int = Field(default=0, ge=0)
    beneficiaries_other: int = Field(default=0, ge=0)
    publish_on: date | None = None


class ReviewDecision(_Strict):
    note: Text | None = None


class EvidenceLink(_Strict):
    kind: EvidenceKind = EvidenceKind.link
    title: Title
    url: CleanStr = Field(max_length=500, pattern=r"^https?://")
    evidence_date: date | None = None
    is_private: bool = False


class BoardMemberCreate(_Strict):
    email: CleanStr = Field(max_length=254)
    municipality: Code
    plan: Code | None = None
    organisation: Title
    role_in_board: CleanStr | None = Field(default=None, max_length=100)
    term_start: date
    term_end: date
    conflict_of_interest_note: Text | None = None


class UnitReporterAttach(_Strict):
    email: CleanStr = Field(max_length=254)
    unit: Code
    municipality: Code


class AssessmentFields(_Strict):
    rating: Rating | None = None
    rights_based_note: Text | None = None
    recommendation: Text | None = None
    response_due: date | None = None
    dissent: Text | None = None


class AssessmentCreate(AssessmentFields):
    period: Code
    item: Code | None = None
    indicator: Code | None = None
    rating: Rating


class ResponseWrite(_Strict):
    municipal_response: Annotated[CleanStr, Field(min_length=1, max_length=5000)]


__all__ = [
    "AssessmentCreate",
    "AssessmentFields",
    "BoardMemberCreate",
    "EvidenceLink",
    "IndicatorCreate",
    "IndicatorFields",
    "ItemCreate",
    "ItemFields",
    "ObservationCreate",
    "PeriodCreate",
    "PeriodStateChange",
    "PlanCreate",
    "PlanFields",
    "PlanStateChange",
    "ResponseWrite",
    "ReviewDecision",
    "UnitCreate",
    "UnitReporterAttach",
    "UpdateCreate",
]
