"""Per-mahalle indicators, computed in PostGIS from the publicly visible reports.

Every count is computed next to its cell key and perturbed with the cell key method
(`suppression.PTable`, DESIGN.md §11); rates and shares rest on the perturbed counts. Any
published count between 1 and k-1 is then suppressed (null and marked), never shown as zero.

Sensitive reports (harassment, following, assault) are public only as counts, while the other
reports are public as points. A total is therefore withheld whenever its sensitive part is
between 1 and k-1 too (secondary suppression): otherwise the total minus the visible points
would give the small sensitive count away.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

import numpy as np
from sqlalchemy import Select, func, select, text
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
from app.services.planning import hotspots
from app.services.planning.definitions import COUNT_CODES, INDICATORS
from app.services.reference import municipality_k
from app.services.scope import PlannerFilters, filtered_reports, mahalle_scope
from app.services.statistics import NOT_SIGNIFICANT, GiResult, empirical_bayes
from app.services.suppression import PTable, cell_key, protect_partition, small

# Simplification tolerance for display polygons, in degrees (~10 m).
DISPLAY_TOLERANCE_DEG = 0.0001


# --- The full indicator set for planners (DESIGN.md §4) -------------------------------------

EVENING_NIGHT = (TimeBand.evening, TimeBand.night)
# Values of a mahalle that depend on the other mahalle in scope too, not only on its own
# reports: the empirical Bayes rate (pooled prior) and Gi* (its neighbours, permutations).
HOTSPOT_CODES = frozenset({"hotspot_z", "hotspot_class"})
SCOPE_WIDE = frozenset({"reports_per_1000_women_eb", *HOTSPOT_CODES})
COUNSELLING_KINDS = (ServiceKind.counselling, ServiceKind.sonim)


def _of_mahalle(stmt: Select, ids: list[int] | None) -> Select:
    """Only the reports placed in the given mahalle (all of them with None)."""
    return stmt if ids is None else stmt.where(Report.mahalle_id.in_(ids))


def _report_aggregates(filters: PlannerFilters, ids: list[int] | None = None):
    """Per-mahalle counts of the period and of the previous one, in one (parallel) scan.

    The row flags are computed once in an inner select, so each FILTER tests booleans and
    enums; no ordered-set aggregate here (it would rule out a parallel plan): the median is
    `_resolution_medians`.
    """
    prev_since, _ = filters.previous
    row = (
        _of_mahalle(filtered_reports(filters, prev_since, filters.until), ids)
        .with_only_columns(
            Report.mahalle_id.label("mahalle_id"),
            Report.record_key.label("rk"),
            (Report.occurred_on >= filters.since).label("cur"),
            Category.sensitive.label("sens"),
            Category.group.label("grp"),
            Report.time_band.in_(EVENING_NIGHT).label("en"),
            Report.forwarded_at.is_not(None).label("fwd"),
            (Report.municipal_status == MunicipalStatus.resolved).label("res"),
            Report.perceived_safety.label("ps"),
            Report.reporter_gender.label("gen"),
            Report.reporter_age_band.label("age"),
        )
        .subquery("r")
    )
    cur, sens, rk = row.c.cur, row.c.sens, row.c.rk
    count = func.count()

    def cell(name: str, where) -> list[Any]:
        # Each count with its cell key (sum of the record keys it counts, mod 256).
        return [count.filter(where).label(name), cell_key(rk, where).label(f"{name}_ckey")]

    columns: list[Any] = [
        row.c.mahalle_id.label("mahalle_id"),
        *cell("reports", cur),
        *cell("sensitive_reports", cur & sens),
        *cell("reports_evening_night", cur & row.c.en),
        # Sensitive parts of cells whose dimension public points also show (time of day,
        # municipal status, month): see `_sensitive_hidden`.
        *cell("sensitive_evening_night", cur & sens & row.c.en),
        *cell("sensitive_forwarded", cur & sens & row.c.fwd),
        *cell("sensitive_resolved", cur & sens & row.c.res),
        *cell("sensitive_previous", ~cur & sens),
        func.avg(row.c.ps).filter(cur).label("mean_perceived_safety"),
        *cell("forwarded_reports", cur & row.c.fwd),
        *cell("resolved_reports", cur & row.c.res),
        *cell("reports_previous", ~cur),
    ]
    for group in CategoryGroup:
        columns += cell(f"reports_{group.value}", cur & (row.c.grp == group))
    for g in Gender:
        match = row.c.gen == g
        if g is Gender.undisclosed:
            match = match | row.c.gen.is_(None)
        columns += cell(f"reports_gender_{g.value}", cur & match)
    for b in AgeBand:
        match = row.c.age == b
        if b is AgeBand.undisclosed:
            match = match | row.c.age.is_(None)
        columns += cell(f"reports_age_{b.value}", cur & match)
    return select(*columns).group_by(row.c.mahalle_id).subquery("agg")


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
        Mahalle.code,
        Mahalle.name,
        Mahalle.district,
        Mahalle.area_km2,
        Mahalle.population_total,
        Mahalle.women_residents,
        Mahalle.women_is_estimate,
        Mahalle.population_year,
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


def _round(value, digits: int = 3):
    return (
        None
        if value is None or (isinstance(value, float) and np.isnan(value))
        else round(float(value), digits)
    )


def _share(part: int, whole: int):
    # Perturbed counts: a part may exceed its whole by the noise; a share stays within 0..1.
    return round(min(max(part, 0), whole) / whole, 4) if whole > 0 else None


def protected_row(row, ptable: PTable, k: int) -> SimpleNamespace:
    """The row with every count that has a cell key replaced by its published (perturbed)
    value; `reports_and_confirmations` is a cell of its own (keys of both kinds of record)."""
    values = dict(row._mapping)
    values["reports_and_confirmations"] = ptable.protect(
        values["reports"] + values["confirmations"],
        values["reports_ckey"] + values["confirmations_ckey"],
        k,
    )
    for name in [n for n in values if f"{n}_ckey" in values]:
        values[name] = ptable.protect(values[name], values[f"{name}_ckey"], k)
    return SimpleNamespace(**values)


def planner_indicators(
    session: Session,
    filters: PlannerFilters,
    k: int,
    ptable: PTable,
    *,
    with_geometry: bool = True,
    mahalle_ids: Collection[int] | None = None,
    with_hotspots: bool = True,
) -> list[dict]:
    """Every indicator per mahalle (perturbed, then suppressed for output), with geometry as
    GeoJSON unless the caller reads only the values (class breaks, one mahalle's detail).

    With `mahalle_ids`, only those mahalle of the scope, for a caller that needs only the
    values that depend on a mahalle's own reports (`SCOPE_WIDE` ones are left out: the
    empirical Bayes rate pools, and Gi* compares, every mahalle in scope). Without
    `with_hotspots`, no Gi* (999 permutations) and no `HOTSPOT_CODES` in the output.
    """
    # Each mahalle's cells are withheld below the k of its municipality (a stricter one).
    ks = municipality_k(session, k)
    rows = [
        protected_row(r, ptable, ks.get(r.municipality_id, k))
        for r in planner_rows(session, filters, with_geometry, mahalle_ids)
    ]
    eb = np.full(len(rows), np.nan)
    gi = [NOT_SIGNIFICANT] * len(rows)
    if mahalle_ids is None:
        women = np.array([r.women_residents or 0 for r in rows], dtype=float)
        known = women > 0
        if known.any():
            observed = np.array([r.reports for r in rows], dtype=float)
            eb[known] = empirical_bayes(observed[known], women[known]) * 1000
        if with_hotspots:
            density = [r.reports / r.area_km2 if r.area_km2 else 0.0 for r in rows]
            gi = hotspots.mahalle_hotspots(session, [r.id for r in rows], density)
    left_out = SCOPE_WIDE if mahalle_ids is not None else frozenset()
    if not with_hotspots:
        left_out |= HOTSPOT_CODES
    features = []
    for i, row in enumerate(rows):
        feature = _feature(row, ks.get(row.municipality_id, k), eb[i], gi[i])
        for code in left_out:
            feature["properties"].pop(code, None)
            feature["properties"].pop(f"{code}_suppressed", None)
        features.append(feature)
    return features


def _sensitive_hidden(row, k: int) -> set[str]:
    """Cells to withhold because their sensitive part could be worked out from public points.

    Public points (non-sensitive only) show time of day, municipal status, month and their
    confirmations, so a mixed cell minus the points of that kind is its sensitive part: when
    that part is small, or is the one small part of a partition of the shown sensitive total,
    the cell goes.
    """
    sensitive = row.sensitive_reports
    shown = not small(sensitive, k)
    hidden: set[str] = set()
    for code, part in (
        ("reports_evening_night", row.sensitive_evening_night),
        ("forwarded_reports", row.sensitive_forwarded),
        ("resolved_reports", row.sensitive_resolved),
    ):
        hidden |= protect_partition({code: part, "_rest": sensitive - part}, shown, k)
    if small(row.sensitive_previous, k):
        hidden.add("reports_previous")
    if small(row.sensitive_confirmations, k):
        # The total minus the reports would give the confirmations back, and so their
        # sensitive part: both go.
        hidden |= {"confirmations", "reports_and_confirmations"}
    return hidden - {"_rest"}


def _feature(row, k: int, eb: float, gi: GiResult) -> dict:
    counts: dict[str, int | None] = {code: getattr(row, code, None) for code in COUNT_CODES}
    counts["confirmations"] = row.confirmations
    counts["reports_and_confirmations"] = row.reports_and_confirmations
    reports = row.reports
    values: dict[str, object] = {
        "reports_per_km2": _round(reports / row.area_km2) if row.area_km2 else None,
        "reports_per_1000_women": _round(reports * 1000 / row.women_residents)
        if row.women_residents
        else None,
        "reports_per_1000_women_eb": _round(eb),
        "share_evening_night": _share(row.reports_evening_night, reports),
        "mean_perceived_safety": _round(row.mean_perceived_safety, 2),
        "share_forwarded": _share(row.forwarded_reports, reports),
        "share_resolved": _share(row.resolved_reports, reports),
        "median_days_to_resolution": _round(row.median_days_to_resolution, 1),
        "change_reports": reports - row.reports_previous,
        "change_reports_pct": _round(
            100 * (reports - row.reports_previous) / row.reports_previous, 1
        )
        if row.reports_previous
        else None,
        "distance_counselling_m": _round(row.distance_counselling_m, 0),
        "distance_police_m": _round(row.distance_police_m, 0),
        "distance_health_m": _round(row.distance_health_m, 0),
        "hotspot_z": _round(gi.z, 3),
        "hotspot_class": gi.label,
        **audits.audit_values(row),
    }
    for g in CategoryGroup:
        values[f"share_{g.value}"] = _share(counts[f"reports_{g.value}"] or 0, reports)
    partitions = [
        {f"reports_{g.value}": counts[f"reports_{g.value}"] or 0 for g in CategoryGroup},
        {f"reports_gender_{g.value}": counts[f"reports_gender_{g.value}"] or 0 for g in Gender},
        {f"reports_age_{b.value}": counts[f"reports_age_{b.value}"] or 0 for b in AgeBand},
        {
            "reports_evening_night": row.reports_evening_night,
            "_day": reports - row.reports_evening_night,
        },
        {"forwarded_reports": row.forwarded_reports, "_nf": reports - row.forwarded_reports},
        {"resolved_reports": row.resolved_reports, "_nr": reports - row.resolved_reports},
    ]
    props: dict[str, object] = {
        "code": row.code,
        "name": row.name,
        "district": row.district,
        "area_km2": _round(row.area_km2),
        "population_total": row.population_total,
        "population_year": row.population_year,
        "women_residents": row.women_residents,
        "women_is_estimate": row.women_is_estimate,
    }
    props.update(suppress_row(counts, values, partitions, k, _sensitive_hidden(row, k)))
    props["estimate"] = bool(row.women_is_estimate)
    return {
        "type": "Feature",
        "id": row.code,
        "geometry": json.loads(row.geometry) if getattr(row, "geometry", None) else None,
        "properties": props,
    }


def suppress_row(
    counts: dict[str, int | None],
    values: dict[str, object],
    partitions: Iterable[Mapping[str, int]],
    k: int,
    also_hidden: Iterable[str] = (),
) -> dict[str, object]:
    """The public form of one row: counts and values, with withheld ones null and marked.

    `counts` are the count cells, `values` the derived ones; `partitions` are dicts of cells
    (codes -> count, including complement cells not shown, e.g. "not forwarded") that add up
    to `reports`; `also_hidden` are codes withheld for reasons the caller knows.
    """
    hidden = {code for code, value in counts.items() if small(value, k)} | set(also_hidden)
    # `reports` is withheld with its sensitive part: the rest of it is public as points.
    if "sensitive_reports" in hidden:
        hidden.add("reports")
    # The total is a protected cell of its own (cell key): it stays when only a small number
    # of confirmations is withheld (that difference is perturbed noise, and their count is
    # on the public points anyway); it goes with a withheld `reports`.
    if "reports" in hidden:
        hidden.add("reports_and_confirmations")
    for cells in partitions:
        hidden |= protect_partition(cells, "reports" not in hidden, k)
    out: dict[str, object] = {}
    for code, value in counts.items():
        out[code] = None if code in hidden else value
        out[f"{code}_suppressed"] = code in hidden
    for item in INDICATORS:
        if item.code not in values:
            continue
        withheld = any(dep in hidden for dep in item.rests_on)
        out[item.code] = None if withheld else values[item.code]
        if item.rests_on:
            out[f"{item.code}_suppressed"] = withheld
    return out
