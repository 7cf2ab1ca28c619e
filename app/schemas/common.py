"""Shared schema pieces."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


# Text that PostgreSQL can store: every free-text field of a request uses it.
CleanStr = Annotated[str, AfterValidator(_no_nul)]


class Labels(BaseModel):
    """A name per interface language; Arabic and Kurdish where a translation exists."""

    tr: str
    en: str
    ar: str | None = None
    ku: str | None = None


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


class ReplicaHealth(BaseModel):
    """Where public reads go: the streaming replica, when one is configured and usable."""

    configured: bool = Field(description="Whether DATABASE_REPLICA_URL is set.")
    in_use: bool = Field(description="Whether public reads go to the replica right now.")
    lag_s: float | None = Field(description="Replay lag in seconds, when known.")
    reason: str = Field(description="Why it is (not) in use: streaming, lagging, unreachable…")


class HealthStatus(BaseModel):
    """GET /health: 200 when the database and PostGIS answer, else 503.

    A replica that is down does not make the app unhealthy: public reads then come from the
    primary, and `replica` says so.
    """

    status: Literal["ok", "unavailable"]
    database: bool
    postgis: str | None = Field(description="PostGIS library version, or null.")
    replica: ReplicaHealth


# The error answers of the public routers (OpenAPI): invalid input, not found.
PUBLIC_ERRORS: dict[int | str, dict] = {code: {"model": ErrorResponse} for code in (404, 422)}

# The error answers every staff router documents (OpenAPI): not logged in, wrong role,
# not found, refused transition or lock, invalid input.
STAFF_ERRORS: dict[int | str, dict] = {
    code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 422)
}


def errors(*codes: int) -> dict[int | str, dict]:
    """OpenAPI `responses` for these error status codes, all answered as ErrorResponse."""
    return {code: {"model": ErrorResponse} for code in codes}


def file_answer(description: str, *media_types: str) -> dict[int | str, dict]:
    """OpenAPI `responses` for a 200 that is a file of one of these media types."""
    body = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": dict.fromkeys(media_types, body)}}
