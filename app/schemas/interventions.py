"""Interventions of an equality plan: requests and the documented answers of their API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models import CategoryGroup, InterventionKind
from app.schemas.common import Labels
from app.schemas.monitoring import Code, Text, Title

Coordinate = tuple[Annotated[float, Field(ge=-180, le=180)], Annotated[float, Field(ge=-90, le=90)]]


class PlaceGeometry(BaseModel):
    """Where it was built, as GeoJSON in WGS 84: a point or a line (up to 500 vertices)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["Point", "LineString"]
    coordinates: Coordinate | Annotated[list[Coordinate], Field(min_length=2, max_length=500)]


class InterventionFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: InterventionKind | None = None
    title_tr: Title | None = None
    title_en: Title | None = None
    description: Text | None = None
    completed_on: date | None = None
    item: Code | None = Field(default=None, description="The plan activity it serves.")
    geometry: PlaceGeometry | None = None
    mahalle: Annotated[str, Field(max_length=64)] | None = Field(
        default=None, description="A mahalle code, for an intervention over a whole mahalle."
    )
    radius_m: int | None = Field(
        default=None, ge=300, le=2000, description="Reports within this distance count as near."
    )
    category_groups: list[CategoryGroup] | None = Field(
        default=None, description="Report groups it should change; empty: every group."
    )
    is_public: bool | None = None


class InterventionCreate(InterventionFields):
    code: Code
    kind: InterventionKind
    title_tr: Title
    completed_on: date


class RateCell(BaseModel):
    reports: int | None = Field(description="Protected count (cell key); null when withheld.")
    suppressed: bool
    per_km2_month: float | None = Field(description="Reports per km² per month.")


class AreaWindows(BaseModel):
    area_km2: float
    before: RateCell
    after: RateCell
    change: float | None = Field(description="After minus before, per km² per month.")


class ComparisonArea(AreaWindows):
    mahalle: list[str] = Field(description="Names of the comparison mahalle.")
    matched_on: Literal["women_density", "report_density"]


class Effect(BaseModel):
    """Difference in differences of report rates: near the intervention vs similar mahalle."""

    state: Literal["ok", "too_early", "withheld", "no_comparison"]
    window_months: int
    before: tuple[date, date] | None = Field(description="[start, end) of the before window.")
    after: tuple[date, date] | None = Field(description="[start, end) of the after window.")
    near: AreaWindows | None
    comparison: ComparisonArea | None
    difference_in_differences: float | None = Field(
        description="(near after − near before) − (comparison after − comparison before), "
        "reports per km² per month; negative: fewer reports near it than expected."
    )


class InterventionPublic(BaseModel):
    code: str
    plan: str
    kind: InterventionKind
    title: Labels
    description: str | None
    completed_on: date
    item: str | None
    mahalle: str | None
    radius_m: int
    category_groups: list[CategoryGroup]
    geometry: PlaceGeometry | None = Field(description="The place (null: the whole mahalle).")
    is_public: bool
    page_url: str


class InterventionDetail(InterventionPublic):
    effect: Effect


class InterventionList(BaseModel):
    plan: str
    interventions: list[InterventionPublic]
