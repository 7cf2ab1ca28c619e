"""GeoJSON response models, so the public layers are documented in OpenAPI and nothing but
the declared fields can leave the server (response models drop anything undeclared)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.models import CategoryGroup, MunicipalStatus, TimeBand
from app.schemas.common import Labels


class PointGeometry(BaseModel):
    type: Literal["Point"]
    coordinates: tuple[float, float] = Field(description="[lon, lat] of the displaced point.")


class ReportProperties(BaseModel):
    public_id: str
    category: str
    category_group: CategoryGroup
    category_labels: Labels
    time_band: TimeBand
    occurred_month: str = Field(description="YYYY-MM: a month, not a day, to protect reporters.")
    perceived_safety: int = Field(ge=1, le=5)
    text: str = Field(description="The moderated (redacted where needed) text.")
    municipal_status: MunicipalStatus
    mahalle: str | None
    confirmations: int | None = Field(
        description='"Me too" confirmations, perturbed (cell key method); null when withheld '
        '(fewer than k, or published below k): show "a few people".'
    )
    confirmations_suppressed: bool = Field(description="True when `confirmations` is withheld.")
    demo: bool = Field(description="Generated demo data, not a real report.")
    photos: list[str] = Field(
        default=[], description="URLs of the report's photos (re-encoded, no metadata)."
    )


class ReportFeature(BaseModel):
    type: Literal["Feature"]
    id: str
    geometry: PointGeometry
    properties: ReportProperties


class ReportCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: list[ReportFeature]
    numberMatched: int = Field(description="Reports matching the filters, over all pages.")
    numberReturned: int
    next_offset: int | None = Field(description="Offset of the next page, or null at the end.")


class IndicatorProperties(BaseModel):
    code: str
    name: str
    district: str
    area_km2: float
    population_total: int | None
    population_year: int | None
    women_residents: int | None
    women_is_estimate: bool
    reports: int | None = Field(description="Null when suppressed (1 to k-1).")
    reports_suppressed: bool
    sensitive_reports: int | None = Field(description="Null when suppressed (1 to k-1).")
    sensitive_reports_suppressed: bool
    reports_per_1000_women: float | None
    rate_is_estimate: bool
    suppression_threshold_k: int = Field(
        description="Counts from 1 to k-1 are withheld in this mahalle: the strictest k of its "
        "municipalities (district, metropolitan), never below the deployment's."
    )


class IndicatorFeature(BaseModel):
    type: Literal["Feature"]
    id: str
    geometry: dict[str, Any] = Field(description="Simplified (Multi)Polygon, EPSG:4326.")
    properties: IndicatorProperties


class Period(BaseModel):
    since: date | None
    until: date | None


class IndicatorMetadata(BaseModel):
    municipality: str | None = Field(description="The area asked for; null: the deployment.")
    period: Period
    groups: list[CategoryGroup]
    suppression_threshold_k: int = Field(
        description="The area's threshold; a municipality inside it may set a higher one for "
        "its mahalle (each feature's `suppression_threshold_k`)."
    )
    perturbation: str = Field(
        description="How counts are perturbed before suppression (cell key method)."
    )
    definitions: dict[str, dict[str, Any]]
    attribution: str


class IndicatorCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: list[IndicatorFeature]
    metadata: IndicatorMetadata


class PerturbationNoise(BaseModel):
    pcv: int | str = Field(description="The true count (the last row holds for all above it).")
    probabilities: dict[str, float] = Field(description="Noise added -> its probability.")
    mean: float
    variance: float


class PerturbationTable(BaseModel):
    """The cell key perturbation table every published count goes through."""

    method: str
    key_range: int = Field(description="Record keys and cell keys are 0..key_range-1.")
    max_pcv: int
    noise: list[PerturbationNoise]
    columns: list[str] = Field(description='["pcv", "ckey", "pvalue"], the ONS format.')
    rows: list[list[int]]
