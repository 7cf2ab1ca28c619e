"""Where a report is: its mahalle, its municipality and its displaced public point."""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Sequence
from dataclasses import dataclass

from geoalchemy2.shape import to_shape
from shapely import Point, prepared
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import OutsideDeploymentArea
from app.geo.displacement import donut_candidates
from app.models import Confirmation, Mahalle, Report, ReportNote, ReportPhoto
from app.services.reference import fallback_municipality, mahalle_at, mahalle_by_code

_system_rng = random.SystemRandom()


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


def _donut_inside(
    lon: float, lat: float, container: BaseGeometry, settings: Settings, rng: random.Random
) -> Point:
    inside = prepared.prep(container)
    candidates = donut_candidates(
        lon, lat, settings.displacement_min_m, settings.displacement_max_m, rng
    )
    chosen = next((Point(c) for c in candidates if inside.contains(Point(c))), None)
    return chosen if chosen is not None else container.representative_point()


def place_report(
    session: Session, settings: Settings, lon: float, lat: float, rng: random.Random | None = None
) -> Placement:
    """Check the point is inside the deployment area; pick its displaced public point once.

    The public point is kept inside the same mahalle (or the configured area) so that public
    counts per mahalle stay true; if no candidate lands inside (a sliver of a mahalle), the
    mahalle's point-on-surface is used, which reveals nothing finer than the mahalle.
    """
    mahalle, container, municipality_id = _container(session, settings, lon, lat)
    chosen = _donut_inside(lon, lat, container, settings, rng or _system_rng)
    return Placement(mahalle=mahalle, public_point=chosen, municipality_id=municipality_id)


def report_rng(settings: Settings, public_id: str) -> random.Random:
    """A random source fixed for one report, from the secret key: the same draws every time."""
    seed = hmac.new(
        settings.secret_key.encode(), b"displacement:" + public_id.encode(), hashlib.sha256
    ).digest()
    return random.Random(seed)


def move_placement(
    session: Session,
    settings: Settings,
    report: Report,
    lon: float,
    lat: float,
    *,
    keep_offset: bool = True,
) -> Placement:
    """Where a moved report is, without publishing a second sample around its true point.

    The public point moves by the same offset as the exact one (public - exact is kept), so
    any number of corrections shows one displacement. If that would leave the new mahalle,
    or when there is no offset to keep (`keep_offset` false: a report placed by its mahalle),
    the point is drawn again from a source fixed for the report (`report_rng`): every such
    draw for this report and mahalle gives the same offset, never a fresh one.
    """
    mahalle, container, municipality_id = _container(session, settings, lon, lat)
    if keep_offset:
        exact, public = to_shape(report.location), to_shape(report.public_location)
        moved = Point(public.x + (lon - exact.x), public.y + (lat - exact.y))
        if container.contains(moved):
            return Placement(mahalle, moved, municipality_id)
    chosen = _donut_inside(lon, lat, container, settings, report_rng(settings, report.public_id))
    return Placement(mahalle=mahalle, public_point=chosen, municipality_id=municipality_id)


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
    return inside, Placement(
        mahalle=mahalle, public_point=inside, municipality_id=mahalle.municipality_id
    )
