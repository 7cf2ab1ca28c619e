"""The public report layer: published, non-sensitive reports at their displaced points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from app.geo.bbox import BBox
from app.geo.geojson import feature, feature_collection, point
from app.models import (
    Category,
    Confirmation,
    Mahalle,
    Report,
    ReportSource,
)
from app.services.reference import area_for_code
from app.services.reporting import photos
from app.services.visibility import (
    public_point_reports,
    public_text_expr,
)


@dataclass(frozen=True)
class ReportFilters:
    bbox: BBox | None = None
    categories: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    municipality: str | None = None  # a code: only its area (its districts' included)


def _apply_filters(stmt, filters: ReportFilters):
    if filters.categories:
        stmt = stmt.where(Category.code.in_(filters.categories))
    if filters.since:
        stmt = stmt.where(Report.occurred_on >= filters.since)
    if filters.until:
        stmt = stmt.where(Report.occurred_on <= filters.until)
    if filters.bbox:
        envelope = func.ST_MakeEnvelope(*filters.bbox, 4326)
        stmt = stmt.where(func.ST_Intersects(Report.public_location, envelope))
    return stmt


def confirmation_count() -> ScalarSelect[int]:
    """The number of "me too" confirmations of the report in the enclosing query."""
    return (
        select(func.count(Confirmation.id))
        .where(Confirmation.report_id == Report.id)
        .scalar_subquery()
    )


def published_points_page(
    session: Session, filters: ReportFilters, *, limit: int, offset: int
) -> tuple[int, list[dict]]:
    """Public report points (displaced, non-sensitive): (total matched, one page of rows)."""
    confirmations = confirmation_count()
    area = area_for_code(session, filters.municipality)
    base = _apply_filters(public_point_reports(area), filters)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .with_only_columns(
            Report.id,
            Report.public_id,
            func.ST_X(Report.public_location).label("lon"),
            func.ST_Y(Report.public_location).label("lat"),
            Category.code.label("category"),
            Category.group.label("category_group"),
            Category.labels.label("category_labels"),
            Report.time_band,
            Report.occurred_on,
            Report.perceived_safety,
            public_text_expr().label("text"),
            Report.municipal_status,
            Report.source,
            Mahalle.name.label("mahalle"),
            confirmations.label("confirmations"),
        )
        .order_by(Report.published_at.desc(), Report.public_id.desc())
        .limit(limit)
        .offset(offset)
    ).mappings()
    return total, [dict(r) for r in rows]


def public_id_of(session: Session, report_id) -> str | None:
    """The public id of a report given its internal id (None for None)."""
    if report_id is None:
        return None
    return session.scalar(select(Report.public_id).where(Report.id == report_id))


def category_code(session: Session, category_id: int) -> str:
    """The code of a category given its id."""
    return session.scalar(select(Category.code).where(Category.id == category_id)) or ""


def public_feature(row: dict, photo_urls: Sequence[str] = ()) -> dict:
    """One published report as a GeoJSON feature: displaced point, no personal data."""
    props = {
        "public_id": row["public_id"],
        "category": row["category"],
        "category_group": row["category_group"].value,
        "category_labels": row["category_labels"],
        "time_band": row["time_band"].value,
        # Month, not day: a day and a place together can point at a person.
        "occurred_month": row["occurred_on"].strftime("%Y-%m"),
        "perceived_safety": row["perceived_safety"],
        "text": row["text"],
        "municipal_status": row["municipal_status"].value,
        "mahalle": row["mahalle"],
        "confirmations": row["confirmations"],
        "demo": row["source"] is ReportSource.demo,
        "photos": list(photo_urls),
    }
    return feature(point(row["lon"], row["lat"]), props, id_=row["public_id"])


def public_report_collection(
    session: Session, filters: ReportFilters, *, limit: int, offset: int
) -> dict:
    """A page of published, non-sensitive reports as a FeatureCollection (OGC-style paging)."""
    total, rows = published_points_page(session, filters, limit=limit, offset=offset)
    urls = photos.public_photo_urls(session, [r["id"] for r in rows])
    features = [public_feature(r, urls.get(r["id"], [])) for r in rows]
    return feature_collection(
        features,
        numberMatched=total,
        numberReturned=len(features),
        next_offset=offset + len(features) if offset + len(features) < total else None,
    )


def public_details(session: Session, public_ids: Sequence[str]) -> dict[str, dict]:
    """{public id: the properties of its public feature} of these published, non-sensitive
    reports (the popups of a map drawn from tiles); others are left out."""
    if not public_ids:
        return {}
    rows = session.execute(
        public_point_reports()
        .where(Report.public_id.in_(list(public_ids)))
        .outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .with_only_columns(
            Report.id,
            Report.public_id,
            func.ST_X(Report.public_location).label("lon"),
            func.ST_Y(Report.public_location).label("lat"),
            Category.code.label("category"),
            Category.group.label("category_group"),
            Category.labels.label("category_labels"),
            Report.time_band,
            Report.occurred_on,
            Report.perceived_safety,
            public_text_expr().label("text"),
            Report.municipal_status,
            Report.source,
            Mahalle.name.label("mahalle"),
            confirmation_count().label("confirmations"),
        )
    ).mappings()
    found = [dict(r) for r in rows]
    urls = photos.public_photo_urls(session, [r["id"] for r in found])
    return {r["public_id"]: public_feature(r, urls.get(r["id"], []))["properties"] for r in found}
