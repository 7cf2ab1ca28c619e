from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from app.models import CategoryGroup
from app.schemas.common import Labels


class CategoryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    group: CategoryGroup
    sensitive: bool
    labels: Labels
    icon: str
