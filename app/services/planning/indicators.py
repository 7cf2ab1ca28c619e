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
from types import SimpleNamespace

import numpy as np
from sqlalchemy.orm import Session

from app.models import AgeBand, CategoryGroup, Gender
from app.services import audits
from app.services.planning import hotspots
from app.services.planning.definitions import COUNT_CODES, INDICATORS
from app.services.planning.indicator_rows import planner_rows
from app.services.reference import municipality_k
from app.services.scope import PlannerFilters
from app.services.statistics import NOT_SIGNIFICANT, GiResult, empirical_bayes
from app.services.suppression import PTable, protect_partition, small

__all__ = ["HOTSPOT_CODES", "SCOPE_WIDE", "planner_indicators", "planner_rows", "suppress_row"]

# Values of a mahalle that depend on the other mahalle in scope too, not only on its own
# reports: the empirical Bayes rate (pooled prior) and Gi* (its neighbours, permutations).
HOTSPOT_CODES = frozenset({"hotspot_z", "hotspot_class"})
SCOPE_WIDE = frozenset({"reports_per_1000_women_eb", *HOTSPOT_CODES})


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
