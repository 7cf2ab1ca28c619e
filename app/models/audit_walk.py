"""Safety audit walks (SafetiPin's method): a group walks a mahalle and scores audit points."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps, str_enum
from app.models.report import TimeBand, record_key_column


class AuditParameter(enum.StrEnum):
    """SafetiPin's nine parameters, each scored 0 (worst) to 3 (best) at an audit point."""

    lighting = "lighting"
    openness = "openness"
    visibility = "visibility"
    people = "people"
    security = "security"
    walk_path = "walk_path"
    public_transport = "public_transport"
    gender_usage = "gender_usage"
    feeling = "feeling"


class WalkStatus(enum.StrEnum):
    recording = "recording"  # points are being added
    submitted = "submitted"  # waiting for a moderator
    published = "published"  # approved: its points count in public aggregates and the map
    rejected = "rejected"


class AuditWalk(Timestamps, Base):
    __tablename__ = "audit_walk"
    __table_args__ = (
        sa.CheckConstraint("group_size BETWEEN 1 AND 50", name="group_size_range"),
        sa.Index("ix_audit_walk_status_walked_on", "status", "walked_on"),
        # A start sent again from the same phone gives back the same walk.
        sa.Index(
            "uq_audit_walk_recorder_client",
            "recorded_by_id",
            "client_id",
            unique=True,
            postgresql_where=sa.text("client_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    # The municipality key (DESIGN.md §12): the walk's mahalle's municipality.
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    mahalle_id: Mapped[int] = mapped_column(sa.ForeignKey("mahalle.id"), index=True)
    walked_on: Mapped[date] = mapped_column(sa.Date)
    time_band: Mapped[TimeBand] = mapped_column(str_enum(TimeBand, "time_band"))
    group_size: Mapped[int] = mapped_column(sa.SmallInteger)
    status: Mapped[WalkStatus] = mapped_column(
        str_enum(WalkStatus, "walk_status"), default=WalkStatus.recording
    )
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    moderated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    moderated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    reject_reason: Mapped[str | None] = mapped_column(sa.String(64))
    # The phone's id for the walk (WalkCreate.client_id), when it sent one.
    client_id: Mapped[str | None] = mapped_column(sa.String(64))
    # `morharita demo`'s example walks: labelled "example" wherever a walk or its points show.
    is_example: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class AuditPoint(Base):
    """One stop of a walk: the nine scores, an optional note and photo, and where it was."""

    __tablename__ = "audit_point"
    __table_args__ = (
        # The phone's id for the point: a point sent twice (a retry after a lost answer) is
        # stored once.
        sa.UniqueConstraint("walk_id", "client_id"),
        sa.CheckConstraint("char_length(note) <= 1000", name="note_length"),
        *(
            sa.CheckConstraint(f"{p.value} BETWEEN 0 AND 3", name=f"{p.value}_range")
            for p in AuditParameter
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    walk_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("audit_walk.id"), index=True
    )
    client_id: Mapped[str] = mapped_column(sa.String(64))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    # The mahalle holding the point (a walk may cross into a neighbouring one).
    mahalle_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mahalle.id", ondelete="SET NULL"), index=True
    )
    record_key: Mapped[int] = record_key_column()
    # The exact point: moderators and administrators only, like a report's.
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    # Displaced once at write time (the reporting placement, from a per-point HMAC source).
    public_location = mapped_column(
        Geometry("POINT", srid=4326, spatial_index=True), nullable=False
    )
    lighting: Mapped[int] = mapped_column(sa.SmallInteger)
    openness: Mapped[int] = mapped_column(sa.SmallInteger)
    visibility: Mapped[int] = mapped_column(sa.SmallInteger)
    people: Mapped[int] = mapped_column(sa.SmallInteger)
    security: Mapped[int] = mapped_column(sa.SmallInteger)
    walk_path: Mapped[int] = mapped_column(sa.SmallInteger)
    public_transport: Mapped[int] = mapped_column(sa.SmallInteger)
    gender_usage: Mapped[int] = mapped_column(sa.SmallInteger)
    feeling: Mapped[int] = mapped_column(sa.SmallInteger)
    # Never public (docs/audits.md): moderators see it with its personal-data hints.
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    recorded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


class AuditPhoto(Base):
    """An audit point's photo, re-encoded without metadata like a report's; staff only."""

    __tablename__ = "audit_photo"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    point_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("audit_point.id"), unique=True
    )
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    media_type: Mapped[str] = mapped_column(sa.String(32))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )
