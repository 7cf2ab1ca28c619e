from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.models import RejectReason, ReportSource, ReportStatus, TimeBand
from app.schemas.common import CleanStr, Labels, LonLat


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: RejectReason
    note: CleanStr | None = Field(default=None, max_length=2000)


class ReportModeration(BaseModel):
    """A report as a moderator sees it: exact location and original text included."""

    public_id: str
    status: ReportStatus
    created_at: datetime
    occurred_on: date
    time_band: TimeBand
    happening_now: bool
    perceived_safety: int
    text: str
    redacted_text: str | None
    category: str
    category_labels: Labels
    sensitive: bool
    mahalle: str | None
    location: LonLat | None
    source: ReportSource


class ModerationQueue(BaseModel):
    items: list[ReportModeration]
    total: int


class ModerationResult(BaseModel):
    public_id: str
    status: ReportStatus
