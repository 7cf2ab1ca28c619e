"""Reports: creating one, the public layer, and the reporter's own view by tracking code."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from geoalchemy2.shape import from_shape, to_shape
from shapely import Point, prepared
from sqlalchemy import ScalarSelect, func, select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput, OutsideDeploymentArea
from app.geo.bbox import BBox
from app.geo.displacement import donut_candidates
from app.geo.geojson import feature, feature_collection, point
from app.models import (
    Category,
    Confirmation,
    LocationPrecision,
    Mahalle,
    Report,
    ReportSource,
    TimeBand,
)
from app.schemas.reports import (
    CONSENT_VERSION,
    NearbyService,
    ReportCreate,
    ReportCreated,
)
from app.services import photos, service_points
from app.services.areas import mahalle_by_code
from app.services.categories import active_category_by_code
from app.services.codes import hash_tracking_code, new_public_id, new_tracking_code
from app.services.visibility import (
    public_point_reports,
    public_text_expr,
)

LOCAL_TZ = ZoneInfo("Europe/Istanbul")
MAX_PAST_DAYS = 730  # "it happened earlier" reaches back two years at most
_system_rng = random.SystemRandom()


def time_band_at(moment: datetime) -> TimeBand:
    """day 06-18, evening 18-22, night 22-06 (local time)."""
    hour = moment.astimezone(LOCAL_TZ).hour
    if 6 <= hour < 18:
        return TimeBand.day
    if 18 <= hour < 22:
        return TimeBand.evening
    return TimeBand.night


def mahalle_at(session: Session, lon: float, lat: float) -> Mahalle | None:
    """The mahalle containing the point (boundary points count), by the GiST index."""
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    return session.scalar(
        select(Mahalle).where(func.ST_Intersects(Mahalle.geom, point)).order_by(Mahalle.id).limit(1)
    )


def indexes_inside_mahalle(
    session: Session, lons: Sequence[float | None], lats: Sequence[float | None]
) -> set[int]:
    """1-based positions of the points that lie in some mahalle, in one set-based query.

    A point with a missing coordinate lies in none.
    """
    if not lons:
        return set()
    return set(
        session.scalars(
            text(
                "SELECT i FROM unnest(CAST(:xs AS float8[]), CAST(:ys AS float8[]))"
                " WITH ORDINALITY AS p(x, y, i) WHERE EXISTS (SELECT 1 FROM mahalle AS m"
                " WHERE ST_Intersects(m.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)))"
            ),
            {"xs": lons, "ys": lats},
        )
    )


@dataclass(frozen=True)
class Placement:
    mahalle: Mahalle | None
    public_point: Point
    area_key: str


def area_key_for(mahalle: Mahalle | None) -> str:
    """The municipality/area key a report carries: "province/district", lower-cased."""
    if mahalle is None:
        return "deployment-area"
    return f"{mahalle.province}/{mahalle.district}".casefold()


def place_report(
    session: Session, settings: Settings, lon: float, lat: float, rng: random.Random | None = None
) -> Placement:
    """Check the point is inside the deployment area; pick its displaced public point once.

    The public point is kept inside the same mahalle (or the configured area) so that public
    counts per mahalle stay true; if no candidate lands inside (a sliver of a mahalle), the
    mahalle's point-on-surface is used, which reveals nothing finer than the mahalle.
    """
    rng = rng or _system_rng
    mahalle = mahalle_at(session, lon, lat)
    if mahalle is not None:
        container = to_shape(mahalle.geom)
    elif settings.deployment_area is not None and settings.deployment_area.intersects(
        Point(lon, lat)
    ):
        container = settings.deployment_area
    else:
        raise OutsideDeploymentArea(
            "This location is outside the area this map covers. Choose a place inside the "
            "municipality's neighbourhoods.",
            field="location",
        )
    inside = prepared.prep(container)
    candidates = donut_candidates(
        lon, lat, settings.displacement_min_m, settings.displacement_max_m, rng
    )
    chosen = next((Point(c) for c in candidates if inside.contains(Point(c))), None)
    if chosen is None:
        chosen = container.representative_point()
    return Placement(mahalle=mahalle, public_point=chosen, area_key=area_key_for(mahalle))


def _when(data: ReportCreate, now: datetime) -> tuple[date, TimeBand]:
    today = now.astimezone(LOCAL_TZ).date()
    if data.happening_now:
        return today, time_band_at(now)
    if data.occurred_on is None:
        raise InvalidInput(
            "Say when it happened (occurred_on), or that it is happening now.", field="occurred_on"
        )
    if data.time_band is None:
        raise InvalidInput(
            "Choose the time of day it happened (day, evening or night).", field="time_band"
        )
    if data.occurred_on > today:
        raise InvalidInput("The date cannot be in the future.", field="occurred_on")
    if data.occurred_on < today - timedelta(days=MAX_PAST_DAYS):
        raise InvalidInput("The date can be at most two years ago.", field="occurred_on")
    return data.occurred_on, data.time_band


def place_in_mahalle(session: Session, mahalle_code: str) -> tuple[Point, Placement]:
    """A report made without the map: both its points are the mahalle's point-on-surface.

    That point says nothing finer than the mahalle, and such reports are never drawn as points
    (visibility.public_point_reports); they count in the mahalle's indicators.
    """
    mahalle = mahalle_by_code(session, mahalle_code)
    surface = func.ST_PointOnSurface(Mahalle.geom)
    x, y = session.execute(
        select(func.ST_X(surface), func.ST_Y(surface)).where(Mahalle.id == mahalle.id)
    ).one()
    inside = Point(x, y)
    return inside, Placement(mahalle=mahalle, public_point=inside, area_key=area_key_for(mahalle))


def create_report(
    session: Session, settings: Settings, data: ReportCreate, *, now: datetime | None = None
) -> tuple[Report, str]:
    """Store a new pending report; return it with its tracking code (shown once, never stored)."""
    now = now or datetime.now(LOCAL_TZ)
    category = active_category_by_code(session, data.category)
    occurred_on, band = _when(data, now)
    if data.location is not None:
        exact = Point(data.location.lon, data.location.lat)
        placement = place_report(session, settings, exact.x, exact.y)
        precision = LocationPrecision.point
    else:
        assert data.mahalle_code is not None  # the schema demands one of the two
        exact, placement = place_in_mahalle(session, data.mahalle_code)
        precision = LocationPrecision.mahalle
    code = new_tracking_code()
    report = Report(
        public_id=new_public_id(),
        category_id=category.id,
        location=from_shape(exact, srid=4326),
        public_location=from_shape(placement.public_point, srid=4326),
        location_precision=precision,
        place_description=data.place_description or None,
        mahalle_id=placement.mahalle.id if placement.mahalle else None,
        area_key=placement.area_key,
        happening_now=data.happening_now,
        occurred_on=occurred_on,
        time_band=band,
        perceived_safety=data.perceived_safety,
        text=data.text,
        reporter_gender=data.reporter_gender,
        reporter_age_band=data.reporter_age_band,
        tracking_code_hash=hash_tracking_code(code),
        source=ReportSource.web,
        consent_version=CONSENT_VERSION,
    )
    session.add(report)
    session.flush()
    return report, code


def submit_report(
    session: Session, settings: Settings, data: ReportCreate, uploads: Sequence[bytes] = ()
) -> ReportCreated:
    """A reporter's submission with 0-3 photos, stored together or not at all.

    Answers with the public id, the tracking code (shown once) and the nearest support
    services, measured from the place she gave (that place itself is not echoed).
    """
    cleaned = photos.clean_photos(uploads, settings)  # every photo checked before any write
    report, code = create_report(session, settings, data)
    photos.store_photos(session, report, cleaned)
    exact = to_shape(report.location)
    return ReportCreated(
        public_id=report.public_id,
        tracking_code=code,
        status=report.status,
        mahalle=mahalle_name(session, report.mahalle_id),
        location_precision=report.location_precision,
        photos=len(cleaned),
        nearest_services=[
            NearbyService(**s) for s in service_points.nearest_services(session, exact.x, exact.y)
        ],
    )


@dataclass(frozen=True)
class ReportFilters:
    bbox: BBox | None = None
    categories: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None


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
    base = _apply_filters(public_point_reports(), filters)
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


def mahalle_name(session: Session, mahalle_id: int | None) -> str | None:
    """The mahalle's name, or None."""
    if mahalle_id is None:
        return None
    return session.scalar(select(Mahalle.name).where(Mahalle.id == mahalle_id))
