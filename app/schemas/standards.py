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
