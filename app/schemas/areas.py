"""Area schemas: the mahalle list of the no-map path."""

from __future__ import annotations

from pydantic import BaseModel


class MahalleItem(BaseModel):
    code: str
    name: str
    district: str


class MahalleList(BaseModel):
    items: list[MahalleItem]
