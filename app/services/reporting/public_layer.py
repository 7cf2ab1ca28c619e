"""The public report layer: published, non-sensitive reports at their displaced points.

A report's "me too" count is a published count like any other (DESIGN.md §11): perturbed by
the cell key of its confirmations' record keys, and withheld (null, with
`confirmations_suppressed`) while it, or its true count, is below the municipality's k.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ScalarSelect, func, select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.geo.bbox import BBox
from app.geo.geojson import feature, feature_collection, point
from app.models import (
    Category,
    Confirmation,
    Mahalle,
    Report,
    ReportSource,
)
from app.services.reference import area_for_code, municipality_k
from app.services.reporting import photos
from app.services.suppression import cell_key, perturbation_table, published_single
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


# For this transaction only: no JIT (PostGIS's costs make PostgreSQL compile these queries,
# which took 1.45 s of a 1.0 s count over the whole city at 50,000 reports), and a plan for
# the actual box each time (a generic plan, chosen after a few prepared executions, suits
# small boxes and is many times slower for the whole city).
PAGE_SETTINGS = text(
    "SELECT set_config('jit', 'off', true), "
    "set_config('plan_cache_mode', 'force_custom_plan', true)"
)


def confirmation_cell_key() -> ScalarSelect[int]:
    """The cell key of the report's confirmations in the enclosing query (sum mod 256)."""
    return (
        select(cell_key(Confirmation.record_key))
        .where(Confirmation.report_id == Report.id)
        .scalar_subquery()
    )


class ConfirmationCounts:
    """Publishes reports' "me too" counts: perturbed, and withheld below their area's k."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self._table = perturbation_table(settings.perturbation_table)
        self._floor = settings.k_threshold
        self._k = municipality_k(session, settings.k_threshold)

    def publish(self, count: int, ckey: int, municipality_id: int) -> dict:
        """`confirmations` (None when withheld) and `confirmations_suppressed`."""
        k = self._k.get(municipality_id, self._floor)
        shown = published_single(self._table, count, ckey, k)
        return {"confirmations": shown, "confirmations_suppressed": shown is None}


def published_points_page(
    session: Session, filters: ReportFilters, *, limit: int, offset: int
) -> tuple[int, list[dict]]:
    """Public report points (displaced, non-sensitive): (total matched, one page of rows),
    each with its true "me too" count and cell key (to be published through
    `ConfirmationCounts`, never as they are)."""
    area = area_for_code(session, filters.municipality)
    base = _apply_filters(public_point_reports(area), filters)
    session.execute(PAGE_SETTINGS)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        # A published report always has published_at: saying so lets the newest-first index
        # scan start at the first public row instead of walking every never-published (NULL)
        # one. Not in the count: there it adds a bitmap of 900,000 rows (1 s at 1M).
        base.where(Report.published_at.is_not(None))
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
            Report.municipality_id,
            confirmation_count().label("confirmations"),
            confirmation_cell_key().label("confirmations_ckey"),
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


def public_feature(row: dict, counts: ConfirmationCounts, photo_urls: Sequence[str] = ()) -> dict:
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
        **counts.publish(row["confirmations"], row["confirmations_ckey"], row["municipality_id"]),
        "demo": row["source"] is ReportSource.demo,
        "photos": list(photo_urls),
    }
    return feature(point(row["lon"], row["lat"]), props, id_=row["public_id"])


def public_report_collection(
    session: Session, settings: Settings, filters: ReportFilters, *, limit: int, offset: int
) -> dict:
    """A page of published, non-sensitive reports as a FeatureCollection (OGC-style paging)."""
    total, rows = published_points_page(session, filters, limit=limit, offset=offset)
    urls = photos.public_photo_urls(session, [r["id"] for r in rows])
    counts = ConfirmationCounts(session, settings)
    features = [public_feature(r, counts, urls.get(r["id"], [])) for r in rows]
    return feature_collection(
        features,
        numberMatched=total,
        numberReturned=len(features),
        next_offset=offset + len(features) if offset + len(features) < total else None,
    )
