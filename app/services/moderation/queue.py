"""The moderation queue: reports in a status, with what a moderator needs to decide.

Exact locations (moderators and administrators only), photos, "me too" counts, personal-data
hints and edit locks, filtered by category, mahalle and age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, cast, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from app.models import (
    Category,
    CategoryGroup,
    Confirmation,
    Mahalle,
    Municipality,
    Report,
    ReportPhoto,
    ReportStatus,
    User,
)
from app.services.moderation.municipal import forwardable
from app.services.moderation.pii import personal_data_hints
from app.services.reference import responsible_for
from app.services.visibility import sees_exact_location, visible_reports


@dataclass(frozen=True)
class QueueFilters:
    status: ReportStatus = ReportStatus.pending
    category: str | None = None
    mahalle_id: int | None = None
    min_age_hours: float | None = None  # submitted at least this long ago
    max_age_hours: float | None = None  # submitted at most this long ago
    newest_first: bool = False
    area: tuple[int, ...] | None = None  # municipalities asked for (within the viewer's)


def moderation_queue(
    session: Session, viewer: User, filters: QueueFilters, *, limit: int, offset: int
) -> tuple[int, list[dict]]:
    """Reports in a status with their exact location, photos, confirmations and data hints."""
    base = (
        visible_reports(viewer, filters.area)
        .join(Category, Category.id == Report.category_id)
        .where(Report.status == filters.status)
    )
    if filters.category:
        base = base.where(Category.code == filters.category)
    if filters.mahalle_id is not None:
        base = base.where(Report.mahalle_id == filters.mahalle_id)
    now = datetime.now(UTC)
    if filters.min_age_hours is not None:
        base = base.where(Report.created_at <= now - timedelta(hours=filters.min_age_hours))
    if filters.max_age_hours is not None:
        base = base.where(Report.created_at >= now - timedelta(hours=filters.max_age_hours))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    order = Report.created_at.desc() if filters.newest_first else Report.created_at.asc()
    exact = sees_exact_location(viewer)
    confirmations = (
        select(func.count(Confirmation.id))
        .where(Confirmation.report_id == Report.id)
        .scalar_subquery()
    )
    photos = (
        select(
            func.array_agg(aggregate_order_by(cast(ReportPhoto.id, String), ReportPhoto.position))
        )
        .where(ReportPhoto.report_id == Report.id)
        .scalar_subquery()
    )
    locker = select(User.email).where(User.id == Report.locked_by_id).scalar_subquery()
    rows = session.execute(
        base.outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .join(Municipality, Municipality.id == Report.municipality_id)
        .with_only_columns(
            Report.municipality_id,
            Municipality.code.label("municipality"),
            Municipality.name.label("municipality_name"),
            Report.public_id,
            Report.status,
            Report.created_at,
            Report.occurred_on,
            Report.time_band,
            Report.perceived_safety,
            Report.text,
            Report.redacted_text,
            Report.happening_now,
            Report.source,
            Report.location_precision,
            Report.place_description,
            Report.municipal_status,
            Report.locked_until,
            locker.label("locked_by"),
            Category.code.label("category"),
            Category.group.label("category_group"),
            Category.labels.label("category_labels"),
            Category.sensitive.label("sensitive"),
            forwardable().label("municipal_eligible"),
            Report.mahalle_id,
            Mahalle.name.label("mahalle"),
            confirmations.label("confirmations"),
            photos.label("photos"),
            func.ST_X(Report.location).label("lon"),
            func.ST_Y(Report.location).label("lat"),
        )
        .order_by(order, Report.public_id)
        .limit(limit)
        .offset(offset)
    ).mappings()
    items = []
    duties: dict[tuple[int, CategoryGroup], dict] = {}
    for r in rows:
        item = dict(r)
        key = (item.pop("municipality_id"), item["category_group"])
        if item["municipal_eligible"] and key not in duties:
            duties[key] = responsible_for(session, *key).as_dict()
        # Who would act on it if forwarded (the responsibility table), shown to the volunteer.
        item["responsible"] = duties.get(key) if item["municipal_eligible"] else None
        lon, lat = item.pop("lon"), item.pop("lat")
        item["location"] = {"lon": lon, "lat": lat} if exact else None
        item["photos"] = [f"/api/v1/photos/{p}" for p in item["photos"] or []]
        if item["locked_until"] is None or item["locked_until"] <= now:
            item["locked_by"], item["locked_until"] = None, None
        item["hints"] = [hint.__dict__ for hint in personal_data_hints(item["text"] or "")]
        items.append(item)
    return total, items


def mahalle_in_queue(
    session: Session, viewer: User, status: ReportStatus, area: tuple[int, ...] | None = None
) -> list[dict]:
    """The mahalle that have reports in `status`, with how many (for the queue's filter)."""
    counted = (
        visible_reports(viewer, area)
        .where(Report.status == status, Report.mahalle_id.is_not(None))
        .with_only_columns(Report.mahalle_id, func.count().label("reports"))
        .group_by(Report.mahalle_id)
        .subquery()
    )
    rows = session.execute(
        select(Mahalle.id, Mahalle.name, Mahalle.district, counted.c.reports)
        .join(counted, counted.c.mahalle_id == Mahalle.id)
        .order_by(Mahalle.district, Mahalle.name_key)
    ).mappings()
    return [dict(r) for r in rows]
