"""What leaves moderators' hands: per-mahalle aggregates and the public layer of points.

Only points of published walks count (`visibility.visible_audit_points(None, ...)`). The
count of points carries its cell key (record keys, DESIGN.md §11) so the planners' indicators
perturb it like every count; means rest on that count and are withheld with it below k.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from app.models import AuditParameter, AuditPoint, AuditWalk, Mahalle
from app.services.reference import area_for_code, strictest_k
from app.services.scope import PlannerFilters
from app.services.suppression import cell_key
from app.services.visibility import visible_audit_points

PARAMETERS = tuple(p.value for p in AuditParameter)


def composite_score():
    """A point's composite score: the mean of its nine scores (0–3)."""
    total = getattr(AuditPoint, PARAMETERS[0])
    for name in PARAMETERS[1:]:
        total = total + getattr(AuditPoint, name)
    return total / float(len(PARAMETERS))


def published_points(filters: PlannerFilters) -> Select:
    """Points of published walks walked in the period, in the time bands asked for."""
    stmt = visible_audit_points(None, filters.municipalities).where(
        AuditWalk.walked_on.between(filters.since, filters.until)
    )
    if filters.time_bands:
        stmt = stmt.where(AuditWalk.time_band.in_(filters.time_bands))
    return stmt


def audit_aggregates(filters: PlannerFilters):
    """Per mahalle: `audit_points` with its cell key, the mean of each parameter
    (`audit_<parameter>`) and the composite `audit_score` (the mean of the nine means, which
    equals the mean of the points' own composites: every point scores all nine)."""
    columns: list[Any] = [
        AuditPoint.mahalle_id.label("mahalle_id"),
        func.count().label("audit_points"),
        cell_key(AuditPoint.record_key).label("audit_points_ckey"),
        *[func.avg(getattr(AuditPoint, p)).label(f"audit_{p}") for p in PARAMETERS],
        func.avg(composite_score()).label("audit_score"),
    ]
    return (
        published_points(filters)
        .with_only_columns(*columns)
        .group_by(AuditPoint.mahalle_id)
        .subquery("aud")
    )


AGGREGATE_VALUES = (*[f"audit_{p}" for p in PARAMETERS], "audit_score")


def audit_values(row) -> dict[str, float | None]:
    """The mean values of one indicator row, rounded for output (null without points)."""
    return {
        code: None if getattr(row, code, None) is None else round(float(getattr(row, code)), 2)
        for code in AGGREGATE_VALUES
    }


def public_layer_points(
    session: Session,
    deployment_k: int,
    municipality: str | None,
    inside: Callable[[Any], ColumnElement[bool]] | None = None,
) -> Select:
    """The points of the public layer (rows of AuditPoint joined with its walk): approved
    ones, only in mahalle with at least k approved points (the k of the mahalle's
    municipality): fewer would let anyone count what the indicators withhold below k.

    `inside(point_entity)`, when given, keeps only the points it holds (a tile), and counts
    only the mahalle those points are in, so a tile does not count the whole layer's."""
    area = area_for_code(session, municipality)
    ks = strictest_k(deployment_k)
    dense = (
        visible_audit_points(None, area)
        .join(ks, ks.c.municipality_id == AuditPoint.municipality_id)
        .with_only_columns(AuditPoint.mahalle_id)
        .group_by(AuditPoint.mahalle_id, ks.c.k)
        .having(func.count() >= ks.c.k)
    )
    stmt = visible_audit_points(None, area)
    if inside is not None:
        near = aliased(AuditPoint, name="near")
        here = select(near.mahalle_id).where(inside(near))
        dense = dense.where(AuditPoint.mahalle_id.in_(here))
        stmt = stmt.where(inside(AuditPoint))
    return stmt.where(AuditPoint.mahalle_id.in_(dense))


def public_properties(row) -> dict:
    """What the public sees of a point (its popup): mahalle, the walk's month and time band,
    the nine scores and their mean, whether it is an example; never a note, photo or day."""
    scores = {p: getattr(row, p) for p in PARAMETERS}
    return {
        "mahalle": row.mahalle,
        "walked_month": row.walked_on.isoformat()[:7],
        "time_band": row.time_band,
        "scores": scores,
        "score": round(sum(scores.values()) / len(scores), 2),
        "example": row.is_example,
    }


def public_columns() -> list[Any]:
    """The columns `public_properties` reads (the select must outer-join Mahalle)."""
    return [
        Mahalle.name.label("mahalle"),
        AuditWalk.walked_on,
        AuditWalk.time_band,
        AuditWalk.is_example,
        *[getattr(AuditPoint, p) for p in PARAMETERS],
    ]


def public_points(
    session: Session,
    deployment_k: int,
    municipality: str | None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict]:
    """The points of the public layer as GeoJSON features at their displaced points, a page
    of `limit` from `offset` (all with None; the map reads them by tile, standards.audit_tile)."""
    lon = func.ST_X(AuditPoint.public_location).label("lon")
    lat = func.ST_Y(AuditPoint.public_location).label("lat")
    rows = session.execute(
        public_layer_points(session, deployment_k, municipality)
        .outerjoin(Mahalle, Mahalle.id == AuditPoint.mahalle_id)
        .with_only_columns(lon, lat, *public_columns())
        # No order that follows the walk (that would retrace the route): ids are random UUIDs.
        .order_by(AuditPoint.id)
        .limit(limit)
        .offset(offset)
    )
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(row.lon, 6), round(row.lat, 6)]},
            "properties": public_properties(row),
        }
        for row in rows
    ]
