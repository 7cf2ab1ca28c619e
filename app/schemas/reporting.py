"""Report schemas: what a reporter sends, and what the public and the reporter get back."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.models import (
    AgeBand,
    Gender,
    LocationPrecision,
    MunicipalStatus,
    RejectReason,
    ReportStatus,
    TimeBand,
)
from app.schemas.common import CleanStr, Labels, LonLat

CONSENT_VERSION = "2026-11-v1"
MAX_TEXT_LENGTH = 2000  # also the CHECK constraint on report.text
MAX_PLACE_DESCRIPTION = 300


class ReportCreate(BaseModel):
    """A new report. Demographics are optional; consent is not."""

    model_config = ConfigDict(extra="forbid")

    category: CleanStr = Field(min_length=1, max_length=64, description="Category code.")
    location: LonLat | None = Field(
        default=None, description="The place on the map. Give this, or mahalle_code."
    )
    mahalle_code: CleanStr | None = Field(
        default=None,
        max_length=64,
        description="Without the map: the mahalle's code (GET /api/v1/mahalle); then "
        "place_description is required. Such a report counts in the mahalle's indicators "
        "but is never shown as a point.",
    )
    place_description: CleanStr | None = Field(
        default=None,
        max_length=MAX_PLACE_DESCRIPTION,
        description="The place in words (no-map reports).",
    )
    happening_now: bool = Field(
        default=False,
        description="True: it is happening here and now (date and band are set "
        "from the server clock). False: give occurred_on and time_band.",
    )
    occurred_on: date | None = None
    time_band: TimeBand | None = None
    perceived_safety: int = Field(ge=1, le=5, description="1 = very unsafe ... 5 = safe.")
    text: CleanStr = Field(default="", max_length=MAX_TEXT_LENGTH)
    reporter_gender: Gender | None = None
    reporter_age_band: AgeBand | None = None
    consent: bool = Field(description="Explicit consent to store this report (KVKK).")
    website: str = Field(
        default="",
        max_length=200,
        description="Leave empty. A trap for scripts that fill every field: a report with a "
        "value here is refused (422) and nothing is stored.",
    )

    @field_validator("text")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("place_description")
    @classmethod
    def _strip_place(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None

    @model_validator(mode="after")
    def _one_way_to_locate(self) -> ReportCreate:
        if (self.location is None) == (self.mahalle_code is None):
            raise ValueError(
                "give either location {lat, lon} (a place on the map) or mahalle_code with "
                "place_description (no map), not both and not neither"
            )
        if self.mahalle_code is not None and not self.place_description:
            raise ValueError(
                "place_description is required with mahalle_code: describe the place in "
                "words (a street, a landmark), 1 to 300 characters"
            )
        return self

    @field_validator("consent")
    @classmethod
    def _consent_given(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError(
                "consent is required: agree that this report is stored and, once a volunteer "
                "approves it, shown on the map without your exact location"
            )
        return value


class NearbyService(BaseModel):
    """A support service near the report's place (its location is public: an institution)."""

    kind: str
    kind_label: Labels
    name: str
    address: str
    phone: str
    hours: str
    is_sample: bool
    distance_m: int = Field(description="Rounded to 10 m.")


class ReportCreated(BaseModel):
    public_id: str
    tracking_code: str = Field(description="Shown once; only its hash is stored.")
    status: ReportStatus
    mahalle: str | None
    municipality: str = Field(description="Code of the municipality whose area holds it.")
    location_precision: LocationPrecision
    photos: int = Field(description="How many photos were stored (re-encoded, no metadata).")
    nearest_services: list[NearbyService] = Field(
        description="The 3 nearest support services, from the place given."
    )


CONFIRMATIONS = (
    '"Me too" confirmations as published: perturbed (cell key method, as every public count); '
    "null when withheld (fewer than k people, or published below k)."
)


class NearbyReport(BaseModel):
    public_id: str
    category: str
    distance_m: int = Field(description="From the report's public (displaced) point, to 10 m.")
    period: str = Field(description="YYYY-MM")
    confirmations: int | None = Field(description=CONFIRMATIONS)
    confirmations_suppressed: bool
    text: str = Field(description="The published (redacted where needed) text.")


class NearbyReports(BaseModel):
    items: list[NearbyReport]
    sensitive: bool = Field(
        default=False,
        description="True: the category is sensitive; its reports are public only as counts "
        "per mahalle, so none are listed.",
    )


class ConfirmationCreate(BaseModel):
    """A "me too". Demographics are optional; consent is not."""

    model_config = ConfigDict(extra="forbid")

    consent: bool
    consent_version: CleanStr = Field(min_length=1, max_length=32)
    reporter_gender: Gender | None = None
    reporter_age_band: AgeBand | None = None

    @field_validator("consent")
    @classmethod
    def _consent_given(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError(
                "consent is required: agree that your confirmation (and the optional gender "
                "and age band) is stored and counted"
            )
        return value


class ConfirmationCreated(BaseModel):
    public_id: str
    confirmations: int | None = Field(description=CONFIRMATIONS)
    confirmations_suppressed: bool


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
    rejection_reason: RejectReason | None = Field(
        default=None,
        description="Why it was not published (the reason code only, never the note).",
    )
    can_comment: bool
    can_delete: bool


class CommentAdded(BaseModel):
    at: str
    kind: Literal["comment"] = "comment"


class Deleted(BaseModel):
    status: Literal["deleted"] = "deleted"
