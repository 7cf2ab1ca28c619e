"""Reports: creating one, the public layer, and the reporter's own view by tracking code."""

from __future__ import annotations

import random
from dataclasses import dataclass

from geoalchemy2.shape import to_shape
from shapely import Point, prepared
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import OutsideDeploymentArea
from app.geo.displacement import donut_candidates
from app.models import (
    Mahalle,
)
from app.services.reference import mahalle_at, mahalle_by_code

_system_rng = random.SystemRandom()


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
