"""Report schemas: what a reporter sends, and what the public and the reporter get back."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.models import AgeBand, Gender, MunicipalStatus, ReportStatus, TimeBand
from app.schemas.common import CleanStr, Labels, LonLat

CONSENT_VERSION = "2026-11-v1"


class ReportCreate(BaseModel):
    """A new report. Demographics are optional; consent is not."""

    model_config = ConfigDict(extra="forbid")

    category: CleanStr = Field(min_length=1, max_length=64, description="Category code.")
    location: LonLat
    happening_now: bool = Field(
        default=False,
        description="True: it is happening here and now (date and band are set "
        "from the server clock). False: give occurred_on and time_band.",
    )
    occurred_on: date | None = None
    time_band: TimeBand | None = None
    perceived_safety: int = Field(ge=1, le=5, description="1 = very unsafe ... 5 = safe.")
    text: CleanStr = Field(default="", max_length=2000)
    reporter_gender: Gender | None = None
    reporter_age_band: AgeBand | None = None
    consent: bool = Field(description="Explicit consent to store this report (KVKK).")

    @field_validator("text")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("consent")
    @classmethod
    def _consent_given(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError(
                "consent is required: agree that this report is stored and, once a volunteer "
                "approves it, shown on the map without your exact location"
            )
        return value


class ReportCreated(BaseModel):
    public_id: str
    tracking_code: str = Field(description="Shown once; only its hash is stored.")
    status: ReportStatus
    mahalle: str | None


class TrackedReport(BaseModel):
    """What the holder of a tracking code sees of her own report."""

    public_id: str
    status: ReportStatus
    municipal_status: MunicipalStatus
    category: str
    category_labels: Labels
    mahalle: str | None
    submitted_on: date
    published_on: date | None
    merged_into: str | None = None
