"""Schemas of the standards' administration: Open311 client keys and webhooks."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.models import WebhookEventKind
from app.schemas.common import CleanStr


class Open311KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    municipality: CleanStr = Field(max_length=64, description="The municipality it posts for.")
    name: CleanStr = Field(min_length=1, max_length=100, description="The client system.")


class Open311KeyPublic(BaseModel):
    id: int
    municipality: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


class Open311KeyCreated(Open311KeyPublic):
    api_key: str = Field(description="Shown once; only its hash is stored.")


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    municipality: CleanStr = Field(max_length=64)
    url: CleanStr = Field(max_length=500, description="http(s) address that receives POSTs.")
    events: list[WebhookEventKind] = Field(min_length=1, max_length=3)


class WebhookPublic(BaseModel):
    id: int
    municipality: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str = Field(description="The HMAC-SHA256 key; shown once.")


class WebhookDeliveryPublic(BaseModel):
    id: int
    webhook_id: int
    url: str
    event: str
    state: str = Field(description="pending, delivered or failed (after the last attempt).")
    attempts: int
    last_status: int | None
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None


class GeoReportError(BaseModel):
    """One error in GeoReport v2's format; answers are a list of these (or `<errors>`)."""

    code: int = Field(description="The HTTP status code.")
    description: str


# --- Open311 GeoReport v2 answers (JSON; the same fields as XML elements) ------------------


class GeoReportEndpoint(BaseModel):
    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


class GeoReportDiscovery(BaseModel):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[GeoReportEndpoint]


class GeoReportService(BaseModel):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class GeoReportValue(BaseModel):
    key: str
    name: str


class GeoReportAttribute(BaseModel):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str
    order: int
    description: str
    values: list[GeoReportValue] = []


class GeoReportDefinition(BaseModel):
    service_code: str
    attributes: list[GeoReportAttribute]


class GeoReportRequest(BaseModel):
    """A published request: its displaced point, its month, the municipal loop's status."""

    service_request_id: str
    jurisdiction_id: str
    status: str = Field(description="open or closed")
    status_notes: str
    service_name: str
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str
    requested_datetime: str
    updated_datetime: str
    expected_datetime: None
    address: str | None
    address_id: None
    zipcode: None
    lat: float
    long: float
    media_url: str | None = Field(
        default=None,
        description="The first published photo (re-encoded, without metadata); absent "
        "without photos.",
    )


class GeoReportPosted(BaseModel):
    token: str
    service_notice: str


class GeoReportToken(BaseModel):
    token: str
    service_request_id: str


# --- OGC API – Tiles documents (the named members; the rest passes through as written) ----


class _OgcDocument(BaseModel):
    model_config = ConfigDict(extra="allow")


class TileMatrixSetRef(_OgcDocument):
    id: str
    title: str
    uri: str
    links: list[dict]


class TileMatrixSetList(_OgcDocument):
    tileMatrixSets: list[TileMatrixSetRef]


class TileMatrixSetDocument(_OgcDocument):
    """OGC 17-083r4 TileMatrixSet (JSON encoding)."""

    id: str
    title: str
    uri: str
    crs: str
    tileMatrices: list[dict]


class TilesetList(_OgcDocument):
    links: list[dict]
    tilesets: list[dict]


class TilesetDocument(_OgcDocument):
    """An OGC tileset with TileJSON 3.0 members (`tiles`, `minzoom`, `maxzoom`, `bounds`)."""

    title: str
    dataType: str
    crs: str
    tileMatrixSetURI: str
    links: list[dict]
    tiles: list[str]
    minzoom: int
    maxzoom: int
