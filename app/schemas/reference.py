from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from app.models import CategoryGroup
from app.schemas.common import Labels
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
