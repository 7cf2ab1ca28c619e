"""Safety audit walks: what volunteers send, what moderators and the public get back."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.models import AuditParameter, TimeBand, WalkStatus
from app.schemas.common import CleanStr, LonLat
from app.schemas.geojson import PointGeometry

MAX_NOTE_LENGTH = 1000


class WalkCreate(BaseModel):
    mahalle_code: CleanStr = Field(max_length=64, description="The mahalle walked (its code).")
    walked_on: date = Field(description="The day of the walk.")
    time_band: TimeBand
    group_size: int = Field(ge=1, le=50, description="How many walked together.")
    client_id: CleanStr | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="The phone's id for this walk: sending the start again gives the same walk.",
    )


class Scores(BaseModel):
    """SafetiPin's nine parameters, each 0 (worst) to 3 (best)."""

    lighting: int = Field(ge=0, le=3)
    openness: int = Field(ge=0, le=3)
    visibility: int = Field(ge=0, le=3)
    people: int = Field(ge=0, le=3)
    security: int = Field(ge=0, le=3)
    walk_path: int = Field(ge=0, le=3)
    public_transport: int = Field(ge=0, le=3)
    gender_usage: int = Field(ge=0, le=3)
    feeling: int = Field(ge=0, le=3)


class PointCreate(BaseModel):
    client_id: CleanStr = Field(
        min_length=1,
        max_length=64,
        description="The phone's id for this point: sending it again stores it once.",
    )
    location: LonLat
    scores: Scores
    note: CleanStr = Field(default="", max_length=MAX_NOTE_LENGTH)
    recorded_at: datetime | None = None


class PointStaff(BaseModel):
    id: uuid.UUID
    client_id: str
    location: LonLat = Field(description="The exact point (moderators and administrators).")
    public_location: LonLat
    mahalle: str | None
    scores: Scores
    note: str
    note_hints: list[str] = Field(description="Kinds of personal data found in the note.")
    photo: str | None = Field(description="URL of the photo (staff only), or null.")


class WalkStaff(BaseModel):
    id: uuid.UUID
    municipality: str
    mahalle_code: str
    mahalle: str
    walked_on: date
    time_band: TimeBand
    group_size: int
    status: WalkStatus
    recorded_by: str | None
    submitted_at: datetime | None
    reject_reason: str | None
    is_example: bool = Field(default=False, description="One of the demo's example walks.")
    points: int
    note_hints: list[str] = Field(description="Kinds of personal data in any of its notes.")


class WalkDetail(WalkStaff):
    point_list: list[PointStaff]


class WalkList(BaseModel):
    walks: list[WalkDetail] = Field(description="At most 200, newest first, with their points.")


class WalkRejection(BaseModel):
    reason: Literal["not_a_walk", "duplicate", "personal_data", "incomplete", "other"]
    note: CleanStr = Field(default="", max_length=500)


class WalkApproval(BaseModel):
    note: CleanStr = Field(default="", max_length=500)


class AuditPointProperties(BaseModel):
    mahalle: str | None
    walked_month: str = Field(description="YYYY-MM of the walk, not its day.")
    time_band: TimeBand
    scores: Scores
    score: float = Field(description="The point's composite: mean of its nine scores (0–3).")
    example: bool = Field(default=False, description="A point of the demo's example walks.")


class AuditPointFeature(BaseModel):
    type: Literal["Feature"]
    geometry: PointGeometry
    properties: AuditPointProperties


class AuditPointCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: list[AuditPointFeature]
    parameters: list[AuditParameter]
    next: str | None = Field(
        default=None, description="The next page's URL; null on the last page."
    )


class AuditClusterProperties(BaseModel):
    suppressed: bool = Field(description="True when the published count is below k.")
    k: int = Field(description="The threshold the tile's counts are withheld below.")
    count: int | None = Field(default=None, description="Published (perturbed) point count.")
    score: float | None = Field(
        default=None, description="Mean composite score of the cell's points (0–3)."
    )


class AuditTileFeature(BaseModel):
    type: Literal["Feature"]
    geometry: PointGeometry
    properties: AuditPointProperties | AuditClusterProperties


class AuditTile(BaseModel):
    type: Literal["FeatureCollection"]
    layer: Literal["audit_clusters", "audit_points"] = Field(
        description="audit_clusters below zoom 15 (counts per cell), audit_points from it."
    )
    features: list[AuditTileFeature]
