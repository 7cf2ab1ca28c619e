"""The same computed indicator across municipalities' plans, side by side."""

from __future__ import annotations

from pydantic import BaseModel, Field


class OptionalLabels(BaseModel):
    tr: str
    en: str | None


class CompareRow(BaseModel):
    municipality: str
    plan: str
    plan_title: OptionalLabels
    indicator: str
    name: OptionalLabels
    unit: str
    mahalle: list[str] = Field(description="Codes of the target's mahalle (its scope).")
    value: float | None
    suppressed: bool
    state: str
    baseline: float | None
    target: float | None
    progress_status: str
    plan_url: str


class CompareOption(BaseModel):
    key: str = Field(description="Computed indicator code and its stored filters.")
    name: OptionalLabels
    unit: str
    periods: list[str]


class Comparison(BaseModel):
    indicator: str | None
    period: str | None
    rows: list[CompareRow]
    options: list[CompareOption]


class MahalleTarget(BaseModel):
    plan: str
    plan_title: OptionalLabels
    municipality: str
    item: str
    kind: str
    title: OptionalLabels
    status: str
    progress: float | None
    url: str


class MahalleTargets(BaseModel):
    """Plan items (usually targets) that name a mahalle among those they target."""

    mahalle: str
    name: str
    targets: list[MahalleTarget]
