from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models import CategoryGroup
from app.schemas.common import Labels
from app.schemas.geojson import PointGeometry
from app.schemas.reporting import NearbyService


class CategoryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    group: CategoryGroup
    sensitive: bool
    labels: Labels
    icon: str


class MahalleItem(BaseModel):
    code: str
    name: str
    district: str


class MahalleList(BaseModel):
    items: list[MahalleItem]


class NearestServices(BaseModel):
    items: list[NearbyService]


class ServiceProperties(BaseModel):
    kind: str
    kind_label: Labels
    name: str
    address: str
    phone: str
    hours: str
    is_sample: bool


class ServiceFeature(BaseModel):
    type: Literal["Feature"]
    id: int
    geometry: PointGeometry = Field(description="The service's real place (an institution).")
    properties: ServiceProperties


class ServiceCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: list[ServiceFeature]


class AreaGeometry(BaseModel):
    type: Literal["Polygon", "MultiPolygon"]
    coordinates: list[Any]


class AreaProperties(BaseModel):
    source: Literal["settings", "mahalle"]
    tolerance_m: int
    note: str


class AreaFeature(BaseModel):
    """The deployment area's outline, simplified (null geometry before any import)."""

    type: Literal["Feature"]
    geometry: AreaGeometry | None
    properties: AreaProperties
