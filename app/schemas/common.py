"""Shared schema pieces."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Labels(BaseModel):
    tr: str
    en: str


class LonLat(BaseModel):
    lon: float = Field(ge=-180, le=180, description="Longitude, EPSG:4326 degrees.")
    lat: float = Field(ge=-90, le=90, description="Latitude, EPSG:4326 degrees.")


class ErrorField(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[ErrorField] = []


class ErrorResponse(BaseModel):
    error: ErrorDetail
