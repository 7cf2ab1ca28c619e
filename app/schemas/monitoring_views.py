"""Answers of the monitoring API: plans as a viewer sees them, and the edits' confirmations.

They mirror what `app.services.monitoring.views` (and the routes of `app.api.monitoring`)
build; dates and times are ISO 8601 strings as the services write them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models import (
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
    ReportKind,
    ReviewState,
)

IsoDate = Annotated[str, Field(json_schema_extra={"format": "date"})]
IsoDateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Number = float | int
OnTrack = Literal[
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "not_available",
]


class Titles(BaseModel):
    tr: str
    en: str | None


class PlanSummary(BaseModel):
    code: str
    municipality: str = Field(description="Code of the municipality the plan belongs to.")
    municipality_name: str
    title: Titles
    summary: str | None
    period_start: IsoDate
    period_end: IsoDate
    state: PlanState
    council_decision_no: str | None
    council_decision_date: IsoDate | None
    document_url: str | None
    is_example: bool
    progress: Number | None = Field(description="Weighted progress of the whole plan, 0–100.")
    url: str = Field(description="The plan's public page.")


class PlanList(BaseModel):
    plans: list[PlanSummary]


class Observation(BaseModel):
    period: str
    period_start: IsoDate
    period_end: IsoDate
    value: Number | None = Field(description="Null when withheld (a small people count).")
    numerator: Number | None
    denominator: Number | None
    disaggregation: dict[str, str]
    state: ObservationState
    suppressed: bool
    source_snapshot: dict[str, Any] | None = Field(
        description="For computed indicators: the filters and counts it was frozen from."
    )


class Baseline(BaseModel):
    value: Number | None
    period: int | None = Field(description="A year.")
    source: str | None


class Target(BaseModel):
    value: Number | None
    period: int | None = Field(description="A year.")
    direction: Direction
    limit: Number | None


class YearlyTarget(BaseModel):
    year: str
    target: Number
    realised: Number | None


class IndicatorView(BaseModel):
    code: str
    item: str = Field(description="Code of the item the indicator measures.")
    name: Titles
    definition: str | None
    unit: str
    level: IndicatorLevel
    source: IndicatorSource
    computed_code: str | None
    computed_filters: dict[str, Any]
    data_owner_unit: str | None
    baseline: Baseline
    target: Target
    yearly_targets: list[YearlyTarget]
    expected_disaggregations: list[str]
    progress_status: OnTrack = Field(description="open-sdg's on-track status.")
    observed_rate: Number | None
    required_rate: Number | None
    ratio: Number | None
    observations: list[Observation]


class ItemView(BaseModel):
    code: str
    kind: ItemKind
    title: Titles
    description: str | None
    theme_key: str | None
    status: ItemStatus
    progress: Number | None
    weight: Number | None
    responsible_unit: str | None
    partner_units: list[str]
    partner_orgs: list[str]
    planned_start: IsoDate | None
    planned_end: IsoDate | None
    budget_planned_try: Number | None
    budget_spent_try: Number | None
    budget_line_code: str | None
    risks: str | None
    findings: str | None
    needs: str | None
    mahalle: list[str] = Field(description="Mahalle codes.")
    report_category_groups: list[str]
    cemr_articles: list[int]
    sdg_targets: list[str]
    indicators: list[IndicatorView]
    children: list[ItemView]


class PeriodView(BaseModel):
    label: str
    kind: PeriodKind
    starts_on: IsoDate
    ends_on: IsoDate
    state: PeriodState


class Beneficiaries(BaseModel):
    women: int | None = Field(description="Null when withheld (1..k-1) from the public.")
    men: int | None
    other: int | None


class EvidenceView(BaseModel):
    kind: EvidenceKind
    title: str
    url: str
    sha256: str | None
    is_private: bool


class UpdateView(BaseModel):
    id: int
    item: str
    period: str
    status: ItemStatus
    progress: Number | None
    narrative: str
    deviation_reason: str | None
    corrective_action: str | None
    budget_spent_try: Number | None
    beneficiaries: Beneficiaries
    review_state: ReviewState
    review_note: str | None = Field(description="To the municipality's staff only.")
    evidence: list[EvidenceView]


class AssessmentView(BaseModel):
    id: int
    period: str
    item: str | None
    indicator: str | None
    rating: Rating
    rights_based_note: str | None
    recommendation: str | None
    response_due: IsoDate | None
    dissent: str | None
    published_at: IsoDateTime | None
    municipal_response: str | None
    responded_at: IsoDateTime | None


class BoardMemberView(BaseModel):
    organisation: str
    role_in_board: str | None
    term_start: IsoDate
    term_end: IsoDate
    conflict_of_interest_note: str | None


class PlanDetail(PlanSummary):
    """The plan as the viewer may see it: the public sees published periods' final values."""

    items: list[ItemView] = Field(description="The tree: themes, then their children.")
    periods: list[PeriodView]
    updates: list[UpdateView]
    assessments: list[AssessmentView]
    board: list[BoardMemberView]


class ObservationRow(BaseModel):
    """One value in open-sdg's long format; each disaggregation is a further column (its key
    capitalised, e.g. `Gender`), blank meaning all."""

    model_config = ConfigDict(extra="allow")

    Indicator: str
    Year: str = Field(description="The period's label.")
    PeriodStart: IsoDate
    PeriodEnd: IsoDate
    Units: str
    GeoCode: str = Field(description="The mahalle code, or blank for the whole area.")
    Value: Number | None
    State: ObservationState
    Suppressed: bool


class PlanData(BaseModel):
    plan: str
    data: list[ObservationRow]


class ObservationFeature(BaseModel):
    type: Literal["Feature"]
    geometry: dict[str, Any] = Field(
        description="The mahalle's simplified outline, (Multi)Polygon, EPSG:4326."
    )
    properties: ObservationRow = Field(
        description="The long-format row (`GeoCode` is the mahalle), and `MahalleName`."
    )


class ObservationCollection(BaseModel):
    """Values by mahalle, as GeoJSON: what `data.json` holds for a mahalle, on its outline."""

    type: Literal["FeatureCollection"]
    features: list[ObservationFeature]
    plan: str


class ItemRef(BaseModel):
    plan: str
    code: str
    kind: ItemKind


class IndicatorRef(BaseModel):
    plan: str
    code: str


class UnitView(BaseModel):
    code: str
    name: str
    contact_email: str | None


class UnitList(BaseModel):
    units: list[UnitView]


class UnitRef(BaseModel):
    code: str
    name: str


class UnitReporterAttached(BaseModel):
    email: str
    unit: str


class PeriodRef(BaseModel):
    label: str
    kind: PeriodKind
    state: PeriodState


class ObservationEntered(BaseModel):
    indicator: str
    period: str
    value: Number | None


class UpdateRef(BaseModel):
    id: int
    review_state: ReviewState
    status: ItemStatus


class EvidenceFileRef(BaseModel):
    id: int
    kind: EvidenceKind
    sha256: str


class EvidenceLinkRef(BaseModel):
    id: int
    kind: EvidenceKind
    url: str


class BoardMemberRef(BaseModel):
    id: int
    organisation: str


class AssessmentRef(BaseModel):
    id: int
    rating: Rating
    published_at: IsoDateTime | None
    municipal_response: str | None


class MonitoringReportView(BaseModel):
    id: int
    period: str
    kind: ReportKind
    title: str
    published_at: IsoDateTime
    html_url: str
    pdf_url: str


class MonitoringReportList(BaseModel):
    reports: list[MonitoringReportView]
