"""The raw per-mahalle counts behind the planners' indicators, in PostGIS (before protection).

Every count comes with its cell key (`<code>_ckey`, `suppression.cell_key`'s sum of record keys
mod 256). The report cells are counted in two levels: the reports of both periods are grouped
once into small cells (mahalle, period, evening/night, forwarded, resolved, category) with a
count and a record-key sum, in one parallel scan; every indicator cell is then a sum of those
small cells, so each report row feeds three aggregates instead of one per indicator cell
(issue 11, item 8). Gender and age bands are not in that grouping (they would multiply the
small cells by 32, and FILTERed counts of them cost more than a second scan): the period's
reports are grouped by (mahalle, gender, age band) in a second parallel scan.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Numeric, Select, cast, func, select, text, type_coerce
from sqlalchemy.orm import Session

from app.models import (
    AgeBand,
    Category,
    CategoryGroup,
    Confirmation,
    Gender,
    Mahalle,
    MunicipalStatus,
    Report,
    ServiceKind,
    ServicePoint,
    TimeBand,
)
from app.services import audits
from app.services.scope import PlannerFilters, filtered_reports, mahalle_scope
from app.services.suppression import KEY_RANGE, cell_key

# Simplification tolerance for display polygons, in degrees (~10 m).
DISPLAY_TOLERANCE_DEG = 0.0001
# What every indicator row says of its mahalle (the public set leaves out the id and the
# municipality, which only the planners' rows carry).
MAHALLE_FACTS = (
    Mahalle.code,
    Mahalle.name,
    Mahalle.district,
    Mahalle.area_km2,
    Mahalle.population_total,
    Mahalle.women_residents,
    Mahalle.women_is_estimate,
    Mahalle.population_year,
)

EVENING_NIGHT = (TimeBand.evening, TimeBand.night)
COUNSELLING_KINDS = (ServiceKind.counselling, ServiceKind.sonim)


def _of_mahalle(stmt: Select, ids: list[int] | None) -> Select:
    """Only the reports placed in the given mahalle (all of them with None)."""
    return stmt if ids is None else stmt.where(Report.mahalle_id.in_(ids))


def _total(column, where) -> Any:
    # A sum of bigint is numeric in PostgreSQL: back to bigint, as count() gives.
    return cast(func.coalesce(func.sum(column).filter(where), 0), BigInteger)


def _cell(name: str, where, n, rk) -> list[Any]:
    """A count (a sum of small cells' counts) with its cell key (their record keys, mod 256)."""
    return [_total(n, where).label(name), (_total(rk, where) % KEY_RANGE).label(f"{name}_ckey")]


def _small_cells(filters: PlannerFilters, ids: list[int] | None):
    """Per (mahalle, current period, evening/night, forwarded, resolved, category): the count,
    record-key sum and perceived-safety sum of the reports of the period and the previous one."""
    prev_since, _ = filters.previous
    row = (
        _of_mahalle(filtered_reports(filters, prev_since, filters.until, with_category=False), ids)
        .with_only_columns(
            Report.mahalle_id.label("mahalle_id"),
            (Report.occurred_on >= filters.since).label("cur"),
            Report.time_band.in_(EVENING_NIGHT).label("en"),
            Report.forwarded_at.is_not(None).label("fwd"),
            (Report.municipal_status == MunicipalStatus.resolved).label("res"),
            Report.category_id.label("category_id"),
            Report.record_key.label("rk"),
            Report.perceived_safety.label("ps"),
        )
        .subquery("r")
    )
    keys = [row.c.mahalle_id, row.c.cur, row.c.en, row.c.fwd, row.c.res, row.c.category_id]
    return (
        select(
            *keys,
            func.count().label("n"),
            func.sum(row.c.rk).label("rk"),
            func.sum(row.c.ps).label("ps"),
        )
        .group_by(*keys)
        .subquery("cells")
    )


def _reporter_cells(filters: PlannerFilters, ids: list[int] | None):
    """Per mahalle, the period's counts by the reporter's gender and by age band, from small
    cells of (mahalle, gender, age band)."""
    g, a = Report.reporter_gender, Report.reporter_age_band
    c = (
        _of_mahalle(
            filtered_reports(filters, filters.since, filters.until, with_category=False), ids
        )
        .with_only_columns(
            Report.mahalle_id.label("mahalle_id"),
            g.label("gen"),
            a.label("age"),
            func.count().label("n"),
            func.sum(Report.record_key).label("rk"),
        )
        .group_by(Report.mahalle_id, g, a)
        .subquery("people")
    )
    columns: list[Any] = [c.c.mahalle_id.label("mahalle_id")]
    for gender in Gender:
        match = c.c.gen == gender
        if gender is Gender.undisclosed:
            match = match | c.c.gen.is_(None)
        columns += _cell(f"reports_gender_{gender.value}", match, c.c.n, c.c.rk)
    for band in AgeBand:
        match = c.c.age == band
        if band is AgeBand.undisclosed:
            match = match | c.c.age.is_(None)
        columns += _cell(f"reports_age_{band.value}", match, c.c.n, c.c.rk)
    return select(*columns).group_by(c.c.mahalle_id).subquery("by_reporter")


def _report_aggregates(filters: PlannerFilters, ids: list[int] | None = None):
    """Per-mahalle counts of the period and of the previous one: sums of small cells.

    No ordered-set aggregate here (it would rule out a parallel plan): the median is
    `_resolution_medians`.
    """
    c = _small_cells(filters, ids)
    cur, sens = c.c.cur, Category.sensitive

    def cell(name: str, where) -> list[Any]:
        return _cell(name, where, c.c.n, c.c.rk)

    columns: list[Any] = [
        c.c.mahalle_id.label("mahalle_id"),
        *cell("reports", cur),
        *cell("sensitive_reports", cur & sens),
        *cell("reports_evening_night", cur & c.c.en),
        # Sensitive parts of cells whose dimension public points also show (time of day,
        # municipal status, month): see `indicators._sensitive_hidden`.
        *cell("sensitive_evening_night", cur & sens & c.c.en),
        *cell("sensitive_forwarded", cur & sens & c.c.fwd),
        *cell("sensitive_resolved", cur & sens & c.c.res),
        *cell("sensitive_previous", ~cur & sens),
        # avg() of the reports themselves is sum / count in numeric: the same value here.
        type_coerce(
            func.sum(c.c.ps).filter(cur) / func.nullif(func.sum(c.c.n).filter(cur), 0), Numeric
        ).label("mean_perceived_safety"),
        *cell("forwarded_reports", cur & c.c.fwd),
        *cell("resolved_reports", cur & c.c.res),
        *cell("reports_previous", ~cur),
    ]
    for group in CategoryGroup:
        columns += cell(f"reports_{group.value}", cur & (Category.group == group))
    main = (
        select(*columns)
        .join_from(c, Category, Category.id == c.c.category_id)
        .group_by(c.c.mahalle_id)
        .subquery("by_cell")
    )
    people = _reporter_cells(filters, ids)
    return (
        select(
            *main.c,
            # A mahalle with reports of the previous period only has none by reporter.
            *[
                func.coalesce(col, 0).label(col.name)
                for col in people.c
                if col.name != "mahalle_id"
            ],
        )
        .outerjoin(people, people.c.mahalle_id == main.c.mahalle_id)
        .subquery("agg")
    )


def _resolution_medians(filters: PlannerFilters, ids: list[int] | None = None):
    """Median days from forwarding (or submission) to resolution, per mahalle."""
    days = (
        func.extract(
            "epoch", Report.resolved_at - func.coalesce(Report.forwarded_at, Report.created_at)
        )
        / 86400.0
    )
    return (
        _of_mahalle(filtered_reports(filters, filters.since, filters.until), ids)
        .where(Report.municipal_status == MunicipalStatus.resolved, Report.resolved_at.is_not(None))
        .with_only_columns(
            Report.mahalle_id.label("mahalle_id"),
            func.percentile_cont(0.5).within_group(days).label("median_days_to_resolution"),
        )
        .group_by(Report.mahalle_id)
        .subquery("med")
    )


def _confirmation_aggregates(filters: PlannerFilters, ids: list[int] | None = None):
    """Confirmations given in the period to published reports matching the filters."""
    reports = _of_mahalle(filtered_reports(filters, date.min, date.max), ids)
    given = func.date(Confirmation.created_at)
    return (
        reports.join(Confirmation, Confirmation.report_id == Report.id)
        .where(given.between(filters.since, filters.until))
        .with_only_columns(
            Report.mahalle_id.label("mahalle_id"),
            func.count(Confirmation.id).label("n"),
            # Public points show their confirmations: the rest would be the sensitive part.
            func.count(Confirmation.id).filter(Category.sensitive).label("sensitive_n"),
            cell_key(Confirmation.record_key).label("n_ckey"),
            cell_key(Confirmation.record_key, Category.sensitive).label("sensitive_n_ckey"),
        )
        .group_by(Report.mahalle_id)
        .subquery("conf")
    )


def _nearest(kinds: tuple[ServiceKind, ...]):
    point = func.Geography(func.ST_PointOnSurface(Mahalle.geom))
    return (
        select(func.min(func.ST_Distance(point, func.Geography(ServicePoint.location))))
        .where(ServicePoint.kind.in_(kinds))
        .scalar_subquery()
    )


def planner_rows(
    session: Session,
    filters: PlannerFilters,
    with_geometry: bool = True,
    mahalle_ids: Collection[int] | None = None,
):
    """One row per mahalle in scope (or of `mahalle_ids` in it) with every raw count, its cell
    key (`<code>_ckey`) and value (before perturbation and suppression)."""
    ids = None if mahalle_ids is None else sorted(set(mahalle_ids))
    agg = _report_aggregates(filters, ids)
    conf = _confirmation_aggregates(filters, ids)
    med = _resolution_medians(filters, ids)
    aud = audits.audit_aggregates(filters)
    count_columns = [c for c in agg.c if c.name != "mahalle_id"]
    columns = [
        Mahalle.id,
        *MAHALLE_FACTS,
        Mahalle.municipality_id,
        *[
            c if c.name == "mean_perceived_safety" else func.coalesce(c, 0).label(c.name)
            for c in count_columns
        ],
        med.c.median_days_to_resolution,
        func.coalesce(conf.c.n, 0).label("confirmations"),
        func.coalesce(conf.c.sensitive_n, 0).label("sensitive_confirmations"),
        func.coalesce(conf.c.n_ckey, 0).label("confirmations_ckey"),
        func.coalesce(conf.c.sensitive_n_ckey, 0).label("sensitive_confirmations_ckey"),
        *[
            func.coalesce(c, 0).label(c.name) if c.name.startswith("audit_points") else c
            for c in aud.c
            if c.name != "mahalle_id"
        ],
        _nearest(COUNSELLING_KINDS).label("distance_counselling_m"),
        _nearest((ServiceKind.police,)).label("distance_police_m"),
        _nearest((ServiceKind.health,)).label("distance_health_m"),
    ]
    if with_geometry:
        columns.append(
            func.ST_AsGeoJSON(
                func.ST_SimplifyPreserveTopology(Mahalle.geom, DISPLAY_TOLERANCE_DEG), 6
            ).label("geometry")
        )
    stmt = (
        select(*columns)
        .outerjoin(agg, agg.c.mahalle_id == Mahalle.id)
        .outerjoin(conf, conf.c.mahalle_id == Mahalle.id)
        .outerjoin(med, med.c.mahalle_id == Mahalle.id)
        .outerjoin(aud, aud.c.mahalle_id == Mahalle.id)
        .order_by(Mahalle.district, Mahalle.name)
    )
    if ids is not None:
        stmt = stmt.where(Mahalle.id.in_(ids))
    # JIT compilation costs more than it saves on these wide FILTER aggregates (measured).
    session.execute(text("SET LOCAL jit = off"))
    return session.execute(mahalle_scope(stmt, filters)).all()
