"""Did an intervention change what women report? Difference in differences (issue 10 item 7).

Near the intervention (within its radius of a point or line, or over its mahalle) and in a
comparison area of similar mahalle elsewhere in the plan's municipality, published reports of
the groups it addresses are counted in two windows of equal length, before and after its
completion date; rates are reports per km² per month. The estimate is

    (near after − near before) − (comparison after − comparison before)

so a general change (a campaign, a season, more people using the app) that moves both
areas alike cancels out. Reports near it are counted at their displaced public point (so
nothing here is finer than the public map, and the radius is at least 300 m); reports
made without the map have no point and count only in the comparison mahalle.

Comparison mahalle are those not within the radius plus the largest displacement of the
place, matched to the intervention's own mahalle: on women residents per km² where the
population is known for it and at least `MATCHES` candidates, else on their published
report density before (a weaker match: areas picked for a similar past drift towards the
mean). Every count is a cell protected like any public count (cell key perturbation, then
withheld below k); the estimate is withheld when any count it rests on is.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

from geoalchemy2 import Geography, Geometry
from sqlalchemy import and_, cast, func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import Category, EqualityPlan, Intervention, Mahalle, Report
from app.services.reference import area_k, covered_ids
from app.services.suppression import perturbation_table, small
from app.services.visibility import has_map_point, visible_reports

DAYS_PER_MONTH = 30.4375
MIN_DAYS = 28  # less than about a month after completion: too early to say
MATCHES = 8  # comparison mahalle


def _windows(completed: date, today: date, months: int) -> tuple[int, date, date, date] | None:
    days = min(round(months * DAYS_PER_MONTH), (today - completed).days)
    if days < MIN_DAYS:
        return None
    return days, completed - timedelta(days=days), completed, completed + timedelta(days=days)


def _place(intervention: Intervention):
    return select(Intervention.geom).where(Intervention.id == intervention.id).scalar_subquery()


def _near_area(session: Session, intervention: Intervention, extra_m: float = 0.0):
    if intervention.geom is not None:
        radius = intervention.radius_m + extra_m
        return cast(
            func.ST_Buffer(cast(_place(intervention), Geography), radius), Geometry(srid=4326)
        )
    own = select(Mahalle.geom).where(Mahalle.id == intervention.mahalle_id).scalar_subquery()
    if not extra_m:
        return own
    return cast(func.ST_Buffer(cast(own, Geography), extra_m), Geometry(srid=4326))


def _reports(intervention: Intervention, area: tuple[int, ...], start: date, end: date):
    stmt = visible_reports(None, area).where(Report.occurred_on >= start, Report.occurred_on < end)
    if intervention.category_groups:
        stmt = stmt.join(Category, Category.id == Report.category_id).where(
            Category.group.in_(intervention.category_groups)
        )
    return stmt


def _cells(session: Session, stmt, middle: date) -> tuple[int, int, int, int]:
    inner = stmt.with_only_columns(Report.occurred_on, Report.record_key).subquery()
    before = inner.c.occurred_on < middle
    after = inner.c.occurred_on >= middle
    row = session.execute(
        select(
            func.count().filter(before),
            func.coalesce(func.sum(inner.c.record_key).filter(before), 0) % 256,
            func.count().filter(after),
            func.coalesce(func.sum(inner.c.record_key).filter(after), 0) % 256,
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _rate_cell(count: int | None, area_km2: float, days: int, k: int) -> dict:
    if count is None or small(count, k) or not area_km2:
        return {"reports": None, "suppressed": count is not None, "per_km2_month": None}
    return {
        "reports": count,
        "suppressed": False,
        "per_km2_month": round(count / area_km2 / (days / DAYS_PER_MONTH), 4),
    }


def _windows_of(cells, area_km2: float, days: int, k: int, ptable) -> dict:
    nb, kb, na, ka = cells
    before = _rate_cell(ptable.protect(nb, kb, k), area_km2, days, k)
    after = _rate_cell(ptable.protect(na, ka, k), area_km2, days, k)
    change = (
        round(after["per_km2_month"] - before["per_km2_month"], 4)
        if before["per_km2_month"] is not None and after["per_km2_month"] is not None
        else None
    )
    return {"area_km2": round(area_km2, 3), "before": before, "after": after, "change": change}


def _own_mahalle(session: Session, intervention: Intervention, area: tuple[int, ...]):
    if intervention.mahalle_id is not None:
        return session.get(Mahalle, intervention.mahalle_id)
    point = func.ST_PointOnSurface(_place(intervention))
    return session.scalar(
        select(Mahalle)
        .where(Mahalle.municipality_id.in_(area), func.ST_Intersects(Mahalle.geom, point))
        .limit(1)
    )


def _comparison(
    session: Session,
    settings: Settings,
    intervention: Intervention,
    area: tuple[int, ...],
    window: tuple[date, date],
    k: int,
) -> tuple[list[Mahalle], str]:
    excluded = _near_area(session, intervention, settings.displacement_max_m)
    candidates = list(
        session.scalars(
            select(Mahalle).where(
                Mahalle.municipality_id.in_(area),
                Mahalle.area_km2 > 0,
                func.not_(func.ST_Intersects(Mahalle.geom, excluded)),
            )
        )
    )
    own = _own_mahalle(session, intervention, area)
    with_women = [m for m in candidates if m.women_residents]
    if own is not None and own.women_residents and len(with_women) >= MATCHES:
        target = math.log1p(own.women_residents / own.area_km2)
        ranked = sorted(
            with_women,
            key=lambda m: (abs(math.log1p((m.women_residents or 0) / m.area_km2) - target), m.code),
        )
        return ranked[:MATCHES], "women_density"
    return _by_report_density(session, settings, intervention, area, window, k, candidates, own)


def _by_report_density(session, settings, intervention, area, window, k, candidates, own):
    start, end = window
    rows = session.execute(
        _reports(intervention, area, start, end)
        .with_only_columns(
            Report.mahalle_id, func.count(), func.coalesce(func.sum(Report.record_key), 0) % 256
        )
        .group_by(Report.mahalle_id)
    ).all()
    per = {m: (int(n), int(key)) for m, n, key in rows}
    ptable = perturbation_table(settings.perturbation_table)

    def density(m: Mahalle) -> float:
        n, key = per.get(m.id, (0, 0))
        shown = ptable.protect(n, key, k)
        value = (k - 1) / 2 if small(shown, k) else (shown or 0)
        return value / m.area_km2

    target = density(own) if own is not None else 0.0
    ranked = sorted(candidates, key=lambda m: (abs(density(m) - target), m.code))
    return ranked[:MATCHES], "report_density"


def effect(
    session: Session,
    settings: Settings,
    plan: EqualityPlan,
    intervention: Intervention,
    today: date,
    months: int = 6,
) -> dict:
    """The difference-in-differences estimate of an intervention, protected (see module)."""
    windows = _windows(intervention.completed_on, today, months)
    empty = {
        "window_months": months,
        "before": None,
        "after": None,
        "near": None,
        "comparison": None,
        "difference_in_differences": None,
    }
    if windows is None:
        return {**empty, "state": "too_early"}
    days, start, middle, end = windows
    area = covered_ids(session, [plan.municipality_id])
    k = area_k(session, settings.k_threshold, area)
    ptable = perturbation_table(settings.perturbation_table)
    near_geom = _near_area(session, intervention)
    reports = _reports(intervention, area, start, end)
    if intervention.geom is not None:
        near_stmt = reports.where(
            has_map_point(), func.ST_Intersects(Report.public_location, near_geom)
        )
    else:
        near_stmt = reports.where(Report.mahalle_id == intervention.mahalle_id)
    near_km2 = session.scalar(select(func.ST_Area(cast(near_geom, Geography)) / 1e6)) or 0.0
    near = _windows_of(_cells(session, near_stmt, middle), near_km2, days, k, ptable)
    result = {
        **empty,
        "before": (start, middle),
        "after": (middle, end),
        "near": near,
    }
    chosen, matched_on = _comparison(session, settings, intervention, area, (start, middle), k)
    if not chosen:
        return {**result, "state": "no_comparison"}
    ids = [m.id for m in chosen]
    comparison_stmt = reports.where(and_(Report.mahalle_id.in_(ids)))
    comparison_km2 = sum(m.area_km2 for m in chosen)
    comparison = {
        **_windows_of(_cells(session, comparison_stmt, middle), comparison_km2, days, k, ptable),
        "mahalle": sorted(m.name for m in chosen),
        "matched_on": matched_on,
    }
    result["comparison"] = comparison
    if near["change"] is None or comparison["change"] is None:
        return {**result, "state": "withheld"}
    did = round(near["change"] - comparison["change"], 4)
    return {**result, "state": "ok", "difference_in_differences": did}


def near_area_geojson(session: Session, intervention: Intervention) -> dict:
    """The area counted as near it, as GeoJSON (simplified to about a metre), for its map."""
    area = _near_area(session, intervention)
    text = session.scalar(
        select(func.ST_AsGeoJSON(func.ST_SimplifyPreserveTopology(area, 1e-5), 6))
    )
    return json.loads(text) if text else {}
