"""Where a report is: its mahalle, its municipality and its displaced public point."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from geoalchemy2.shape import to_shape
from shapely import Point, prepared
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import OutsideDeploymentArea
from app.geo.displacement import donut_candidates, ring_offsets
from app.models import Confirmation, Mahalle, Report, ReportNote, ReportPhoto
from app.services.reference import fallback_municipality, mahalle_at, mahalle_by_code


@dataclass(frozen=True)
class Placement:
    mahalle: Mahalle | None
    public_point: Point
    municipality_id: int  # the municipality whose area holds the point


def _outside() -> OutsideDeploymentArea:
    return OutsideDeploymentArea(
        "This location is outside the area this map covers. Choose a place inside the "
        "municipality's neighbourhoods.",
        field="location",
    )


def move_children(session: Session, report_ids: Sequence) -> None:
    """After reports changed municipality: their confirmations, notes and photos follow.

    (Audit events keep the municipality they were recorded in: the log is append-only.)
    """
    for table in (Confirmation, ReportNote, ReportPhoto):
        session.execute(
            update(table)
            .where(
                table.report_id == Report.id,
                Report.id.in_(report_ids),
                table.municipality_id != Report.municipality_id,
            )
            .values(municipality_id=Report.municipality_id)
            .execution_options(synchronize_session=False)
        )


def _container(
    session: Session, settings: Settings, lon: float, lat: float
) -> tuple[Mahalle | None, BaseGeometry, int]:
    """The mahalle at the point (or the deployment area), its geometry and its municipality."""
    mahalle = mahalle_at(session, lon, lat)
    if mahalle is not None:
        return mahalle, to_shape(mahalle.geom), mahalle.municipality_id
    if settings.deployment_area is not None and settings.deployment_area.intersects(
        Point(lon, lat)
    ):
        # Inside the deployment area but outside every imported mahalle: the deployment's
        # municipality takes it; with none to take it, the point is inside no municipality.
        fallback = fallback_municipality(session, settings)
        if fallback is None:
            raise _outside()
        return None, settings.deployment_area, fallback.id
    raise _outside()


def displacement_offsets(settings: Settings, public_id: str) -> list[tuple[float, float]]:
    """The report's own displacement offsets (distance, bearing), from the secret key and its
    public id: every placement of the report draws from these, never from fresh randomness."""
    seed = hmac.new(
        settings.secret_key.encode(), b"displacement:" + public_id.encode(), hashlib.sha256
    ).digest()
    return ring_offsets(seed, settings.displacement_min_m, settings.displacement_max_m)


def _surface(session: Session, mahalle: Mahalle) -> Point:
    surface = func.ST_PointOnSurface(Mahalle.geom)
    x, y = session.execute(
        select(func.ST_X(surface), func.ST_Y(surface)).where(Mahalle.id == mahalle.id)
    ).one()
    return Point(x, y)


def place_report(
    session: Session, settings: Settings, lon: float, lat: float, public_id: str
) -> Placement:
    """Check the point is inside the deployment area; pick the report's displaced point.

    The point is the first of the report's own offsets (`displacement_offsets`) that stays
    inside the mahalle (or the configured area), so public counts per mahalle stay true; if
    none does (a sliver of a mahalle), the mahalle's point-on-surface (PostGIS, as the intake
    path takes it), which reveals nothing finer than the mahalle. So the public point is a
    function of (secret key, report, true point, mahalle) alone: placing the report again,
    after any number of corrections back and forth, gives the same point for the same place.
    """
    mahalle, container, municipality_id = _container(session, settings, lon, lat)
    inside = prepared.prep(container)
    candidates = donut_candidates(lon, lat, displacement_offsets(settings, public_id))
    chosen = next((Point(c) for c in candidates if inside.contains(Point(c))), None)
    if chosen is None:
        chosen = _surface(session, mahalle) if mahalle else container.representative_point()
    return Placement(mahalle=mahalle, public_point=chosen, municipality_id=municipality_id)


def move_placement(
    session: Session, settings: Settings, report: Report, lon: float, lat: float
) -> Placement:
    """Where a corrected report is: placed as at submission (`place_report`), from its own
    offsets, so no sequence of corrections publishes a second sample around one true point.

    Moved within its mahalle, it keeps its offset while that stays inside; across a border,
    the first of its offsets that fits the new mahalle; moved back, the offset it had there.
    """
    return place_report(session, settings, lon, lat, report.public_id)


def place_in_mahalle(session: Session, mahalle_code: str) -> tuple[Point, Placement]:
    """A report made without the map: both its points are the mahalle's point-on-surface.

    That point says nothing finer than the mahalle, and such reports are never drawn as points
    (visibility.public_point_reports); they count in the mahalle's indicators.
    """
    mahalle = mahalle_by_code(session, mahalle_code)
    inside = _surface(session, mahalle)
    return inside, Placement(
        mahalle=mahalle, public_point=inside, municipality_id=mahalle.municipality_id
    )
