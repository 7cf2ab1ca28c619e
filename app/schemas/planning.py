"""The planners' layers and definitions as the API answers them (OpenAPI documents each).

Indicator properties are many and defined as data (docs/indicators.md, GET
/api/v1/indicators/definitions), so a feature's `properties` is a mapping of indicator code
to value (null where withheld, with `<code>_suppressed`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Value = Any  # numbers, strings, booleans, null; nested only where a value has parts


class LayerFeature(BaseModel):
    type: Literal["Feature"]
    id: str | int | None = None
    geometry: dict[str, Any] | None = Field(description="GeoJSON geometry (EPSG:4326).")
    properties: dict[str, Value]


class PlannerLayer(BaseModel):
    """A GeoJSON FeatureCollection with the metadata every planner output carries."""

    type: Literal["FeatureCollection"]
    metadata: dict[str, Any] = Field(
        description="Period, filters, definitions, k, perturbation and licence."
    )
    features: list[LayerFeature]


class ClassBreaks(BaseModel):
    indicator: str
    method: str
    method_name: dict[str, str] = Field(description="The method's name in tr and en.")
    bins: list[float] = Field(description="Upper bound of each class.")
    counts: list[int] = Field(description="Mahalle in each class.")


class MahalleDetail(BaseModel):
    code: str
    name: str
    district: str
    indicators: dict[str, Value]
    categories: list[dict[str, Value]]
    months: list[dict[str, Value]]
    response: dict[str, Value]
    metadata: dict[str, Any]


class IndicatorDefinitions(BaseModel):
    themes: dict[str, dict[str, str]]
    indicators: list[dict[str, Any]]
    method_notes: list[str]
