"""Where a report is: its mahalle, its municipality and its displaced public point."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from geoalchemy2.shape import to_shape
from shapely import Point, prepared
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
        municipality_id = mahalle.municipality_id
    elif settings.deployment_area is not None and settings.deployment_area.intersects(
        Point(lon, lat)
    ):
        # Inside the deployment area but outside every imported mahalle: the deployment's
        # municipality takes it; with none to take it, the point is inside no municipality.
        fallback = fallback_municipality(session, settings)
        if fallback is None:
            raise _outside()
        container = settings.deployment_area
        municipality_id = fallback.id
    else:
        raise _outside()
    inside = prepared.prep(container)
    candidates = donut_candidates(
        lon, lat, settings.displacement_min_m, settings.displacement_max_m, rng
    )
    chosen = next((Point(c) for c in candidates if inside.contains(Point(c))), None)
    if chosen is None:
        chosen = container.representative_point()
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
