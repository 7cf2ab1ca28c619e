"""Tracking schemas: what the holder of a tracking code sends and sees."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.models import LocationPrecision, MunicipalStatus, ReportStatus
from app.schemas.common import CleanStr

CODE_FIELD = Field(min_length=4, max_length=40, description="The tracking code, as shown.")


class TrackingCode(BaseModel):
    """The code goes in the body, never in the URL (URLs end up in logs and history)."""

    model_config = ConfigDict(extra="forbid")

    code: CleanStr = CODE_FIELD


class TrackingComment(TrackingCode):
    body: CleanStr = Field(min_length=1, max_length=1000)

    @field_validator("body")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("write a comment (1 to 1000 characters)")
        return value


class TimelineEntry(BaseModel):
    at: str = Field(description="Local date and time (Europe/Istanbul), ISO 8601, to the minute.")
    kind: Literal["status", "note", "municipal", "comment"]
    text: str = Field(description="For kind=status, the new status code; else the note's text.")
    author: Literal["moderator", "municipality", "reporter"]
    municipal_status: MunicipalStatus | None = None


class TrackingView(BaseModel):
    public_id: str
    status: ReportStatus
    category: str
    created_at: date = Field(description="The day it was submitted (date only).")
    municipal_status: MunicipalStatus
    location_precision: LocationPrecision
    timeline: list[TimelineEntry]
    merged_into: str | None = Field(description="Public id of the report this was merged into.")
    can_comment: bool
    can_delete: bool


class CommentAdded(BaseModel):
    at: str
    kind: Literal["comment"] = "comment"


class Deleted(BaseModel):
    status: Literal["deleted"] = "deleted"
