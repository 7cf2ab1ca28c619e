"""Placing a new report in one round trip: its category, mahalle, municipality and public point.

The intake path's own version of `placement.place_report`: the category check, the
point-in-mahalle look-up and the choice of the displaced point among the candidates happen in
one statement. The candidates are the report's own offsets (`displacement_offsets`, from the
secret key and its public id), the same `place_report` and every later correction use, so
the choice is the same function of (report, true point, mahalle) on every path. Points
outside every mahalle (the configured deployment area) fall back to `place_report`.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely import Point
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput
from app.geo.displacement import donut_candidates
from app.services.reference import (
    NEAREST_SERVICES_JSON,
    municipality_code,
    nearest_services,
    services_from_json,
)
from app.services.reporting.placement import displacement_offsets, place_report

_LOCATE = text(
    """
    SELECT c.id AS category_id, m.id AS mahalle_id, m.name, m.municipality_id, mu.code,
           """
    + NEAREST_SERVICES_JSON
    + """ AS services,
           (SELECT p.i FROM unnest(CAST(:xs AS float8[]), CAST(:ys AS float8[]))
                WITH ORDINALITY AS p(x, y, i)
            WHERE ST_Contains(m.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))
            ORDER BY p.i LIMIT 1) AS chosen
    FROM (SELECT 1) AS one
    LEFT JOIN category AS c ON c.code = :code AND c.active
    LEFT JOIN LATERAL (
        SELECT id, name, municipality_id, geom FROM mahalle
        WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))
        ORDER BY id LIMIT 1
    ) AS m ON true
    LEFT JOIN municipality AS mu ON mu.id = m.municipality_id
    """
)
_SURFACE = text(
    "SELECT ST_X(s), ST_Y(s) FROM (SELECT ST_PointOnSurface(geom) AS s FROM mahalle"
    " WHERE id = :id) AS q"
)


@dataclass(frozen=True)
class Located:
    category_id: int
    mahalle_id: int | None
    municipality_id: int
    public_point: Point
    mahalle_name: str | None
    municipality_code: str | None
    nearest_services: list[dict]  # the 3 nearest support services, as nearest_services gives


def _unknown_category(code: str) -> InvalidInput:
    return InvalidInput(
        f"Unknown or inactive category '{code}'; see GET /api/v1/categories for the list.",
        field="category",
    )


def locate_report(
    session: Session, settings: Settings, category: str, lon: float, lat: float, public_id: str
) -> Located:
    """The category's id and the placement of the report `public_id` (not stored yet); 422
    for an unknown category or place."""
    candidates = donut_candidates(lon, lat, displacement_offsets(settings, public_id))
    row = session.execute(
        _LOCATE,
        {
            "code": category,
            "lon": lon,
            "lat": lat,
            "xs": [c[0] for c in candidates],
            "ys": [c[1] for c in candidates],
        },
    ).one()
    if row.category_id is None:
        raise _unknown_category(category)
    if row.mahalle_id is None:  # outside every mahalle: the deployment area, or refused
        placement = place_report(session, settings, lon, lat, public_id)
        code = municipality_code(session, placement.municipality_id)
        return Located(
            row.category_id,
            None,
            placement.municipality_id,
            placement.public_point,
            None,
            code,
            nearest_services(session, lon, lat),
        )
    if row.chosen is not None:
        public = Point(candidates[row.chosen - 1])
    else:  # a sliver of a mahalle: its point-on-surface reveals nothing finer than it
        public = Point(session.execute(_SURFACE, {"id": row.mahalle_id}).one())
    return Located(
        row.category_id,
        row.mahalle_id,
        row.municipality_id,
        public,
        row.name,
        row.code,
        services_from_json(row.services),
    )
