"""Support services schemas."""

from __future__ import annotations

from pydantic import BaseModel

from app.schemas.reports import NearbyService


class NearestServices(BaseModel):
    items: list[NearbyService]
