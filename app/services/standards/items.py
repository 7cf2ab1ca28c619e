"""The features of a collection: the same services as the JSON API and the exports.

Report points come from the public layer's one query (`reporting.public_points_json`),
assembled as GeoJSON by PostgreSQL. The aggregates (indicators, hotspots, the planners'
layers) are the public indicator layer and the dashboard's layers, already perturbed and
suppressed; a bbox selects among their features (a subset of protected cells reveals nothing
new: each cell is protected on its own) and paging slices them.

Time: public figures never resolve a report below its month (DESIGN.md §2), so `datetime`
selects whole months in local time: a report matches when the month it happened in meets the
interval; an aggregate covers the whole months the interval touches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import shapely
from shapely.geometry import box, shape
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput, NotFound
from app.geo.bbox import BBox
from app.models import User
from app.services import planning, reference, reporting
from app.services.clock import LOCAL_TZ
from app.services.scope import PlannerFilters, default_period
from app.services.standards import cql2, layer_cache
from app.services.standards.collections import Collection
from app.services.suppression import PTable

# The first day any period may start on (the JSON API's bound: app.api.filters.FIRST_DATE).
OPEN_START = date(1900, 1, 1)


class FeatureNotFound(NotFound):
    code = "feature_not_found"


@dataclass(frozen=True)
class Interval:
    """An RFC 3339 instant or interval; None: an open end."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class ItemQuery:
    bbox: BBox | None = None
    interval: Interval | None = None
    limit: int = 10
    offset: int = 0
    filter: str | None = None  # CQL2 text (OGC API – Features Part 3), on report collections


@dataclass(frozen=True)
class ItemsPage:
    """One page: the features as JSON text, how many, how many match (None: not counted, it
    would cost a scan of every match), whether more follow, and the aggregate's period."""

    features: str
    returned: int
    matched: int | None
    more: bool
    period: tuple[date | None, date | None] | None = None


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def months(interval: Interval | None) -> tuple[date | None, date | None]:
    """The whole local months an interval touches: (first day, last day); None: open."""
    if interval is None:
        return None, None
    since = interval.start.astimezone(LOCAL_TZ).date().replace(day=1) if interval.start else None
    until = _month_end(interval.end.astimezone(LOCAL_TZ).date()) if interval.end else None
    return since, until


def items_page(
    session: Session,
    settings: Settings,
    ptable: PTable,
    collection: Collection,
    query: ItemQuery,
    viewer: User | None,
) -> ItemsPage:
    """One page of the collection's features matching the query."""
    since, until = months(query.interval) if collection.temporal else (None, None)
    where = None
    if query.filter is not None:
        if collection.kind != "reports":
            raise InvalidInput(
                f"The collection {collection.id!r} has no queryables: filters are taken by the "
                "report collections (see their /queryables).",
                field="filter",
            )
        where = cql2.report_filter(query.filter)
    if collection.kind == "reports":
        filters = reporting.ReportFilters(
            query.bbox, (), since, until, collection.municipality, where
        )
        features, returned, more = reporting.public_points_json(
            session, settings, filters, limit=query.limit, offset=query.offset
        )
        # Exact only when this page reaches the end; counting every match costs a full scan.
        matched = None if more else query.offset + returned
        return ItemsPage(features, returned, matched, more)
    found, period = _aggregate_features(session, settings, ptable, collection, since, until, viewer)
    found = in_bbox(found, query.bbox)
    page = found[query.offset : query.offset + query.limit]
    more = query.offset + len(page) < len(found)
    text = json.dumps(page, ensure_ascii=False, separators=(",", ":"))
    return ItemsPage(text, len(page), len(found), more, period)


def item(
    session: Session,
    settings: Settings,
    ptable: PTable,
    collection: Collection,
    feature_id: str,
    viewer: User | None,
) -> str:
    """One feature as GeoJSON text, or FeatureNotFound (also for what is not public)."""
    if collection.kind == "reports":
        found = reporting.public_point_json(session, settings, feature_id, collection.municipality)
    else:
        features, _period = _aggregate_features(
            session, settings, ptable, collection, None, None, viewer
        )
        match = next((f for f in features if str(f.get("id")) == feature_id), None)
        found = None if match is None else json.dumps(match, ensure_ascii=False)
    if found is None:
        raise FeatureNotFound(
            f"The collection {collection.id!r} has no feature {feature_id!r} (or it is not public)."
        )
    return found


def _aggregate_features(
    session: Session,
    settings: Settings,
    ptable: PTable,
    collection: Collection,
    since: date | None,
    until: date | None,
    viewer: User | None,
) -> tuple[list[dict], tuple[date | None, date | None] | None]:
    """The features of a non-point collection (or of services), and the period they cover;
    public aggregates kept per public data version (`layer_cache`), the rest always read."""
    if collection.kind == "services":
        return reference.service_collection(session, collection.municipality)["features"], None
    area = _area(session, collection, viewer) if collection.kind != "indicators" else None
    if collection.for_planners:
        # Planners' layers read what the public data version does not follow (confirmations,
        # the municipal loop's dates, audits, service points): always computed.
        return _computed_aggregate(session, settings, ptable, collection, since, until, area)
    key = ("items", collection.id, since, until, area, settings.k_threshold, ptable.source)
    return layer_cache.LAYERS.get_or_compute(
        session,
        key,
        lambda: _computed_aggregate(session, settings, ptable, collection, since, until, area),
    )


def _computed_aggregate(
    session: Session,
    settings: Settings,
    ptable: PTable,
    collection: Collection,
    since: date | None,
    until: date | None,
    area: tuple[int, ...] | None,
) -> tuple[list[dict], tuple[date | None, date | None] | None]:
    """`_aggregate_features` of an aggregate collection, computed."""
    k = settings.k_threshold
    code = collection.municipality
    if collection.kind == "indicators":
        filters = planning.IndicatorFilters(since, until, (), code)
        return planning.indicator_features(session, filters, k, ptable), (since, until)
    # The dashboard's layers: its default period (the last twelve months) unless asked.
    default_since, default_until = default_period()
    if since is None and until is not None:
        since = OPEN_START
    planner_filters = PlannerFilters(
        since or default_since,
        until or default_until,
        municipalities=area,
        municipality=code,
    )
    layer = collection.kind.removeprefix("planner-")
    features = planning.layer_collection(
        session,
        layer,
        planner_filters,
        k,
        ptable,
        settings.hex_sizes_m[0],
        settings.hex_sizes_m,
    )["features"]
    return features, (planner_filters.since, planner_filters.until)


def _area(session: Session, collection: Collection, viewer: User | None):
    """The municipalities a layer covers: the collection's; a planner's within her role's."""
    if collection.for_planners:
        assert viewer is not None  # collection_for has admitted her
        return reference.staff_area(session, viewer, collection.municipality)
    return reference.area_for_code(session, collection.municipality)


def in_bbox(features: list[dict], bbox: BBox | None) -> list[dict]:
    """The features whose geometry meets the bbox (all of them without one)."""
    if bbox is None or not features:
        return features
    geometries = [shape(f["geometry"]) if f.get("geometry") else None for f in features]
    hits = shapely.intersects(geometries, box(*bbox))
    return [f for f, hit in zip(features, hits, strict=True) if hit]
