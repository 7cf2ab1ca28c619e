from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models import (
    CategoryGroup,
    LocationPrecision,
    MunicipalStatus,
    RejectReason,
    ReportSource,
    ReportStatus,
    TimeBand,
)
from app.schemas.common import CleanStr, Labels, LonLat


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: RejectReason
    note: CleanStr | None = Field(default=None, max_length=2000)


class PersonalDataOverride(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: CleanStr = Field(
        min_length=1, max_length=2000, description="Why the flagged text may be published."
    )


class ApproveRequest(BaseModel):
    """Optional: an override of the personal-data hints, with the moderator's reason."""

    model_config = ConfigDict(extra="forbid")

    override_pii: PersonalDataOverride | None = None


class HideRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: CleanStr | None = Field(default=None, max_length=2000)


class RedactRequest(BaseModel):
    """The text to publish instead of the original; null publishes the original again."""

    model_config = ConfigDict(extra="forbid")

    redacted_text: CleanStr | None = Field(max_length=2000)


class CategoryChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: CleanStr = Field(min_length=1, max_length=64)


class LocationCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: LonLat


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into: CleanStr = Field(min_length=1, max_length=16, description="Public id of the original.")
    reason: CleanStr | None = Field(
        default=None,
        max_length=2000,
        description="Required when the reports are in different category groups or more "
        "than 500 m apart (audited).",
    )


class UnmergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: CleanStr | None = Field(default=None, max_length=2000)


class MergeCandidate(BaseModel):
    """A report a duplicate may be merged into (moderators only: exact location)."""

    public_id: str
    status: ReportStatus
    created_at: datetime
    text: str
    redacted_text: str | None
    perceived_safety: int
    category: str
    category_group: CategoryGroup
    category_labels: Labels
    mahalle: str | None
    confirmations: int
    distance_m: float = Field(description="Metres between the two exact points.")
    location: LonLat


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: CleanStr = Field(min_length=1, max_length=2000)


class BulkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["approve", "reject"]
    public_ids: list[CleanStr] = Field(min_length=1, max_length=200)
    reason: RejectReason | None = None
    note: CleanStr | None = Field(default=None, max_length=2000)


class BulkItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    public_id: str
    ok: bool
    status: ReportStatus | None
    message: str | None
    code: str | None = Field(default=None, description="Why it failed (an error code).")
    hint_kinds: list[str] = Field(
        default_factory=list, description="Kinds of personal data that made approval skip it."
    )


class BulkResult(BaseModel):
    items: list[BulkItem]
    succeeded: int
    failed: int
    personal_data: list[str] = Field(
        default_factory=list,
        description="Reports skipped by a bulk approval: their public text has personal-data "
        "hints (redact, or approve one by one with an override).",
    )


class Hint(BaseModel):
    kind: str
    start: int
    end: int
    text: str
    replacement: str


class Duty(BaseModel):
    """Who acts on a report (the responsibility table): a municipality and its department."""

    code: str
    name: str
    department: str | None = None
    contact_email: str | None = None


class ReportModeration(BaseModel):
    """A report as a moderator sees it: exact location and original text included."""

    public_id: str
    municipality: str = Field(description="Code of the municipality whose area holds it.")
    municipality_name: str
    status: ReportStatus
    created_at: datetime
    occurred_on: date
    time_band: TimeBand
    happening_now: bool
    perceived_safety: int
    text: str
    redacted_text: str | None
    category: str
    category_group: CategoryGroup
    category_labels: Labels
    sensitive: bool
    municipal_eligible: bool = Field(
        description="Whether the municipal workflow applies (published, non-sensitive, "
        "a municipal category group)."
    )
    mahalle_id: int | None
    mahalle: str | None
    location: LonLat | None
    location_precision: LocationPrecision
    place_description: str | None
    source: ReportSource
    municipal_status: MunicipalStatus
    responsible: Duty | None = Field(
        description="Who would act on it if forwarded (municipal reports only)."
    )
    confirmations: int
    photos: list[str] = Field(description="URLs of the report's photos (moderators only).")
    hints: list[Hint] = Field(description="Possible personal data in the original text.")
    locked_by: str | None
    locked_until: datetime | None


class MahalleCount(BaseModel):
    id: int
    name: str
    district: str
    reports: int


class ModerationQueue(BaseModel):
    items: list[ReportModeration]
    total: int


class ModerationResult(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    public_id: str
    status: ReportStatus


class LockResult(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    public_id: str
    locked_by: str
    locked_until: datetime


class NoteResult(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    body: str
    public: bool


class MunicipalUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["forwarded", "in_progress", "resolved", "declined"]
    note: CleanStr = Field(min_length=1, max_length=2000, description="The public note.")
    department: CleanStr | None = Field(default=None, max_length=200)


class MunicipalNote(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    created_at: datetime
    body: str
    municipal_status: MunicipalStatus | None


class MunicipalReport(BaseModel):
    public_id: str
    category: str
    category_labels: Labels
    published_at: datetime | None
    municipal_status: MunicipalStatus
    municipal_department: str | None
    forwarded_at: datetime | None
    resolved_at: datetime | None
    municipality: str = Field(description="Code of the municipality whose area holds it.")
    responsible: Duty = Field(
        description="Who acts: the municipality it was forwarded to, or would be."
    )


class MunicipalList(BaseModel):
    items: list[MunicipalReport]
    total: int
