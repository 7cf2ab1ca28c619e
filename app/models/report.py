"""Reports of unsafe places, and "me too" confirmations of them."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps, str_enum

# A record key for the cell key method (DESIGN.md §11): one random byte (0..255), drawn once
# at write time by PostgreSQL's CSPRNG (gen_random_uuid uses pg_strong_random; byte 0 of a
# version-4 UUID is fully random), whichever code path inserts the row.
RECORD_KEY_DEFAULT = sa.text("get_byte(uuid_send(gen_random_uuid()), 0)")
# What the median days to resolution read of a resolved report (planning.indicator_rows).
RESOLUTION_COLUMNS = [
    "mahalle_id",
    "category_id",
    "time_band",
    "municipality_id",
    "forwarded_at",
    "created_at",
    "resolved_at",
]


def record_key_column() -> Mapped[int]:
    return mapped_column(sa.SmallInteger, server_default=RECORD_KEY_DEFAULT, nullable=False)


class ReportStatus(enum.StrEnum):
    pending = "pending"
    published = "published"
    rejected = "rejected"
    merged = "merged"
    hidden = "hidden"
    deleted = "deleted"  # by the reporter; the row stays, soft-deleted


class MunicipalStatus(enum.StrEnum):
    none = "none"
    forwarded = "forwarded"
    in_progress = "in_progress"
    resolved = "resolved"
    declined = "declined"


class TimeBand(enum.StrEnum):
    day = "day"  # 06:00-18:00
    evening = "evening"  # 18:00-22:00
    night = "night"  # 22:00-06:00


class Gender(enum.StrEnum):
    woman = "woman"
    man = "man"
    other = "other"
    undisclosed = "undisclosed"


class AgeBand(enum.StrEnum):
    under_18 = "under_18"
    age_18_24 = "18_24"
    age_25_34 = "25_34"
    age_35_44 = "35_44"
    age_45_54 = "45_54"
    age_55_64 = "55_64"
    age_65_plus = "65_plus"
    undisclosed = "undisclosed"


class LocationPrecision(enum.StrEnum):
    point = "point"  # a pin on the map, or the phone's position
    mahalle = "mahalle"  # chosen from the list of mahalle, with the place described in words


class ReportSource(enum.StrEnum):
    web = "web"
    open311 = "open311"
    import_ = "import"
    demo = "demo"


class Report(Timestamps, Base):
    __tablename__ = "report"
    __table_args__ = (
        sa.CheckConstraint("perceived_safety BETWEEN 1 AND 5", name="perceived_safety_range"),
        sa.CheckConstraint("char_length(text) <= 2000", name="text_length"),
        sa.Index("ix_report_status_occurred_on", "status", "occurred_on"),
        # The public list pages newest first: a backward scan of this index, no sort.
        sa.Index("ix_report_published_at_public_id", "published_at", "public_id"),
        # The moderation queue pages a status oldest (or newest) first: no sort, no full scan.
        sa.Index("ix_report_status_created_at_public_id", "status", "created_at", "public_id"),
        # Every page asks whether demo data is loaded; without demo rows this index is empty,
        # so the answer costs nothing instead of a scan of every report.
        sa.Index("ix_report_demo", "id", postgresql_where=sa.text("source = 'demo'")),
        # Exactly the reports that may be public points (bar sensitive categories, which live
        # on the category): OGC API items and tiles search their displaced points by bbox.
        sa.Index(
            "ix_report_public_point_location",
            "public_location",
            postgresql_using="gist",
            postgresql_where=sa.text(
                "status = 'published' AND location_precision = 'point' AND published_at IS NOT NULL"
            ),
        ),
        # The planners' indicators read published reports of a period by index-only scan.
        sa.Index(
            "ix_report_indicators",
            "occurred_on",
            postgresql_include=[
                "mahalle_id",
                "category_id",
                "time_band",
                "perceived_safety",
                "reporter_gender",
                "reporter_age_band",
                "municipal_status",
                "forwarded_at",
                "municipality_id",
            ],
            postgresql_where=sa.text("status = 'published'"),
        ),
        # The median days to resolution read only the resolved reports (a tenth of them), by
        # index-only scan, instead of a second scan of every published report.
        sa.Index(
            "ix_report_resolutions",
            "occurred_on",
            postgresql_include=RESOLUTION_COLUMNS,
            postgresql_where=sa.text("status = 'published' AND municipal_status = 'resolved'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    public_id: Mapped[str] = mapped_column(sa.String(16), unique=True)
    record_key: Mapped[int] = record_key_column()
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), index=True)
    # The exact point: never leaves the server except to moderators and administrators.
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    # The displaced point, chosen once at write time, is the only location the public sees.
    public_location = mapped_column(
        Geometry("POINT", srid=4326, spatial_index=True), nullable=False
    )
    # "mahalle": no map was used; `location` is then a point inside the chosen mahalle, counts
    # in its indicators, but is never drawn as a point.
    location_precision: Mapped[LocationPrecision] = mapped_column(
        str_enum(LocationPrecision, "location_precision"),
        default=LocationPrecision.point,
        server_default=LocationPrecision.point.value,
    )
    place_description: Mapped[str | None] = mapped_column(sa.String(300))
    mahalle_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mahalle.id", ondelete="SET NULL"), index=True
    )
    # The municipality whose area holds it, assigned at write time; its parents count it too.
    # The distribution key of a national deployment (DESIGN.md §12).
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    happening_now: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    occurred_on: Mapped[date] = mapped_column(sa.Date)
    time_band: Mapped[TimeBand] = mapped_column(str_enum(TimeBand, "time_band"))
    perceived_safety: Mapped[int] = mapped_column(sa.SmallInteger)
    text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    redacted_text: Mapped[str | None] = mapped_column(sa.Text)
    reporter_gender: Mapped[Gender | None] = mapped_column(str_enum(Gender, "gender"))
    reporter_age_band: Mapped[AgeBand | None] = mapped_column(str_enum(AgeBand, "age_band"))
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, "report_status"), default=ReportStatus.pending, index=True
    )
    municipal_status: Mapped[MunicipalStatus] = mapped_column(
        str_enum(MunicipalStatus, "municipal_status"), default=MunicipalStatus.none
    )
    tracking_code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    source: Mapped[ReportSource] = mapped_column(
        str_enum(ReportSource, "report_source"), default=ReportSource.web
    )
    consent_version: Mapped[str] = mapped_column(sa.String(32))
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("report.id")
    )
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Municipal workflow: when it was forwarded, to which department, when it was closed
    # (resolved or declined); these feed the response-time indicators.
    forwarded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    municipal_department: Mapped[str | None] = mapped_column(sa.String(200))
    # Who was asked to act when it was forwarded (by the responsibility table).
    responsible_municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id"), index=True
    )
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Deleted by the reporter through her tracking code (status becomes deleted).
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Edit lock: one moderator works on a report at a time, until the lock expires.
    locked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    locked_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Confirmation(Base):
    """A "me too": someone else felt unsafe at the same place for the same reason."""

    __tablename__ = "confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("report.id"), index=True
    )
    # The municipality key (DESIGN.md §12): every row that grows with use carries it.
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    record_key: Mapped[int] = record_key_column()
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )
    reporter_gender: Mapped[Gender | None] = mapped_column(str_enum(Gender, "gender"))
    reporter_age_band: Mapped[AgeBand | None] = mapped_column(str_enum(AgeBand, "age_band"))


class NoteAuthor(enum.StrEnum):
    reporter = "reporter"  # through her tracking code
    moderator = "moderator"
    municipality = "municipality"  # recorded by a moderator or planner


class ReportNote(Base):
    """A note on a report's timeline: a reporter's comment, or a staff note.

    Reporter comments are never public. Staff notes marked public are shown to the reporter
    on her tracking page (and only there); a municipal update carries the new status.
    """

    __tablename__ = "report_note"
    __table_args__ = (sa.CheckConstraint("char_length(body) <= 2000", name="body_length"),)

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    report_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("report.id"), index=True
    )
    # The municipality key (DESIGN.md §12): every row that grows with use carries it.
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )
    author: Mapped[NoteAuthor] = mapped_column(str_enum(NoteAuthor, "note_author"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    body: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    municipal_status: Mapped[MunicipalStatus | None] = mapped_column(
        str_enum(MunicipalStatus, "municipal_status")
    )


class ReportPhoto(Base):
    """A photo, re-encoded on upload with every metadata field removed (DESIGN.md §2.4).

    Stored in the database so app servers stay stateless; served only once the report is
    published (or to moderators).
    """

    __tablename__ = "report_photo"
    __table_args__ = (sa.CheckConstraint("position BETWEEN 0 AND 2", name="position_range"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    report_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("report.id"), index=True
    )
    # The municipality key (DESIGN.md §12): every row that grows with use carries it.
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    position: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    media_type: Mapped[str] = mapped_column(sa.String(32))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )
