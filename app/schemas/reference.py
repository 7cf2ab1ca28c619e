from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models import CategoryGroup, MunicipalityKind
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


class MapView(BaseModel):
    """A municipality's own initial map view (shown publicly, set by administrators)."""

    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90, le=90, description="Latitude of the centre, EPSG:4326 degrees.")
    lon: float = Field(ge=-180, le=180, description="Longitude of the centre, EPSG:4326.")
    zoom: int | None = Field(default=None, ge=1, le=19)


class MunicipalityContact(BaseModel):
    email: str | None
    phone: str | None
    web: str | None


class MunicipalityPublic(BaseModel):
    code: str = Field(description="The slug every public endpoint takes as `municipality=`.")
    name: str
    kind: MunicipalityKind
    parent: str | None = Field(
        description="Code of the municipality it lies in (a district's "
        "metropolitan municipality), or null at the top."
    )
    bbox: tuple[float, float, float, float] | None = Field(
        description="[west, south, east, north] of its area (its mahalle and those of its "
        "districts), EPSG:4326; null while it has no mahalle."
    )
    map_view: MapView | None = Field(description="Its own initial map view, if it has one.")
    languages: list[str] | None = Field(
        description='Interface languages it offers (e.g. ["tr"]); null: every language.'
    )
    contact: MunicipalityContact


class MunicipalityList(BaseModel):
    items: list[MunicipalityPublic]


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
    source: Literal["settings", "mahalle", "municipality"]
    municipality: str | None = Field(
        default=None, description="The municipality asked for (source municipality)."
    )
    tolerance_m: int
    note: str


class AreaFeature(BaseModel):
    """The deployment area's outline, simplified (null geometry before any import)."""

    type: Literal["Feature"]
    geometry: AreaGeometry | None
    properties: AreaProperties
