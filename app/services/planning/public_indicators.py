"""The public indicator layer per mahalle: published reports, sensitive counts, rates; small cells withheld.

A count below the k of the mahalle's own municipality is withheld: the strictest k on its chain
of municipalities, never below the deployment's (`reference.strictest_k`), whatever area the
query asks about, so a stricter district is not undone by a query for the whole deployment.
A mahalle's total is withheld too when its sensitive count is (secondary suppression: the
total minus the non-sensitive points on the map would give the sensitive count away).
Every count is first perturbed with the cell key method (`suppression.PTable`); suppression
and the rate work on the published counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import BigInteger, cast, func, select, text
from sqlalchemy.orm import Session

from app.geo.geojson import feature_collection
from app.models import (
    Category,
    CategoryGroup,
    Mahalle,
    Report,
)
from app.services.planning.definitions import BY_CODE
from app.services.planning.indicator_rows import DISPLAY_TOLERANCE_DEG, MAHALLE_FACTS
from app.services.reference import area_for_code, public_k, strictest_k
from app.services.suppression import KEY_RANGE, PTable, small
from app.services.visibility import visible_reports


@dataclass(frozen=True)
class IndicatorFilters:
    since: date | None = None
    until: date | None = None
    groups: tuple[CategoryGroup, ...] = ()
    municipality: str | None = None  # a code: only its area (its districts' included)


def suppress(count: int | None, k: int) -> tuple[int | None, bool]:
    """(value, suppressed): counts 1..k-1 are withheld; zero and >= k are shown."""
    return (None, True) if small(count, k) else (count, False)


# JIT compiled this aggregate over every published report for longer than it ran.
NO_JIT = text("SELECT set_config('jit', 'off', true)")


def mahalle_report_counts(session: Session, filters: IndicatorFilters, k: int):
    """Rows of (mahalle columns..., reports, sensitive reports, their cell keys, k of its
    municipality, geometry GeoJSON) for every mahalle of the area (`k`: the deployment's threshold, raised by municipalities' own)."""
    area = area_for_code(session, filters.municipality)
    visible = visible_reports(None, area)
    if filters.since:
        visible = visible.where(Report.occurred_on >= filters.since)
    if filters.until:
        visible = visible.where(Report.occurred_on <= filters.until)
    if filters.groups:
        of_groups = select(Category.id).where(Category.group.in_(filters.groups))
        visible = visible.where(Report.category_id.in_(of_groups))
    # Counted per (mahalle, category) first, then per mahalle from those few rows: the
    # sensitive part is a sum over sensitive categories, so no report row meets a FILTER or
    # a join (a join of every report row to its mahalle, or category, before grouping cost
    # as much again as the counting: issue 11, item 8).
    per_category = (
        visible.with_only_columns(
            Report.mahalle_id.label("mahalle_id"),
            Report.category_id.label("category_id"),
            func.count().label("n"),
            func.sum(Report.record_key).label("rk"),
        )
        .group_by(Report.mahalle_id, Report.category_id)
        .subquery("per_category")
    )
    sensitive = Category.sensitive
    c = per_category.c
    per_mahalle = (
        select(
            c.mahalle_id,
            cast(func.sum(c.n), BigInteger).label("n"),
            cast(func.coalesce(func.sum(c.n).filter(sensitive), 0), BigInteger).label("sensitive"),
            (cast(func.sum(c.rk), BigInteger) % KEY_RANGE).label("ckey"),
            (
                cast(func.coalesce(func.sum(c.rk).filter(sensitive), 0), BigInteger) % KEY_RANGE
            ).label("sensitive_ckey"),
        )
        .join_from(per_category, Category, Category.id == c.category_id)
        .group_by(c.mahalle_id)
        .subquery("per_mahalle")
    )
    ks = strictest_k(k)
    session.execute(NO_JIT)
    stmt = (
        select(
            *MAHALLE_FACTS,
            func.coalesce(per_mahalle.c.n, 0).label("reports"),
            func.coalesce(per_mahalle.c.sensitive, 0).label("sensitive_reports"),
            func.coalesce(per_mahalle.c.ckey, 0).label("reports_ckey"),
            func.coalesce(per_mahalle.c.sensitive_ckey, 0).label("sensitive_reports_ckey"),
            ks.c.k,
            func.ST_AsGeoJSON(
                func.ST_SimplifyPreserveTopology(Mahalle.geom, DISPLAY_TOLERANCE_DEG), 6
            ).label("geometry"),
        )
        .join(ks, ks.c.municipality_id == Mahalle.municipality_id)
        .outerjoin(per_mahalle, per_mahalle.c.mahalle_id == Mahalle.id)
        .order_by(Mahalle.district, Mahalle.name)
    )
    if area is not None:
        stmt = stmt.where(Mahalle.municipality_id.in_(area))
    return session.execute(stmt).all()


def indicator_features(
    session: Session, filters: IndicatorFilters, k: int, ptable: PTable
) -> list[dict]:
    """GeoJSON features of the indicators per mahalle: counts perturbed with `ptable`, then
    small cells suppressed below the k of each mahalle's municipality (at least `k`)."""
    features = []
    for row in mahalle_report_counts(session, filters, k):
        sensitive, sensitive_suppressed = suppress(
            ptable.protect(row.sensitive_reports, row.sensitive_reports_ckey, row.k), row.k
        )
        reports, suppressed = suppress(ptable.protect(row.reports, row.reports_ckey, row.k), row.k)
        if sensitive_suppressed:  # secondary suppression, see the module docstring
            reports, suppressed = None, True
        rate = (
            None
            if suppressed or reports is None or not row.women_residents
            else round(reports * 1000.0 / row.women_residents, 3)
        )
        features.append(
            {
                "type": "Feature",
                "id": row.code,
                "geometry": json.loads(row.geometry),
                "properties": {
                    "code": row.code,
                    "name": row.name,
                    "district": row.district,
                    "area_km2": round(row.area_km2, 3),
                    "population_total": row.population_total,
                    "population_year": row.population_year,
                    "women_residents": row.women_residents,
                    "women_is_estimate": row.women_is_estimate,
                    "reports": reports,
                    "reports_suppressed": suppressed,
                    "sensitive_reports": sensitive,
                    "sensitive_reports_suppressed": sensitive_suppressed,
                    "reports_per_1000_women": rate,
                    "rate_is_estimate": bool(row.women_is_estimate and rate is not None),
                    "suppression_threshold_k": row.k,
                },
            }
        )
    return features


PERTURBATION_NOTE = (
    "Counts are perturbed with the cell key method (noise of at most ±2, mean zero, the same "
    "for the same cell on every request), then counts from 1 to k-1 are withheld; rates rest "
    "on the published counts. The table: GET /api/v1/indicators/perturbation."
)

# The public layer's indicators, described by the one source of definitions.
PUBLIC_CODES = ("reports", "sensitive_reports", "reports_per_1000_women")


DEFINITIONS = {code: BY_CODE[code].as_dict() for code in PUBLIC_CODES}


def indicator_collection(
    session: Session, filters: IndicatorFilters, k: int, ptable: PTable
) -> dict:
    """The indicators as a FeatureCollection with the metadata a reader needs (`k`: the
    deployment's threshold; the area's own, or a mahalle's, may be higher)."""
    features = indicator_features(session, filters, k, ptable)
    return feature_collection(
        features,
        metadata={
            "municipality": filters.municipality,
            "period": {
                "since": filters.since.isoformat() if filters.since else None,
                "until": filters.until.isoformat() if filters.until else None,
            },
            "groups": [g.value for g in filters.groups],
            "suppression_threshold_k": public_k(session, k, filters.municipality),
            "perturbation": PERTURBATION_NOTE,
            "definitions": DEFINITIONS,
            "attribution": "Boundaries © OpenStreetMap contributors (ODbL 1.0); "
            "population: Kaynak: TÜİK",
        },
    )


def perturbation_description(ptable: PTable) -> dict:
    """The perturbation table as published: method, parameters, noise per count, rows."""
    return {
        "method": "cell key perturbation (UK ONS): record keys 0..255 drawn once per report "
        "and confirmation; cell key = sum of the cell's record keys mod 256; published = "
        "count + pvalue(pcv, ckey), pcv = min(count, max_pcv); zero is never perturbed; "
        "then counts from 1 to k-1 are withheld.",
        "key_range": 256,
        "max_pcv": ptable.max_pcv,
        "noise": ptable.summary(),
        "columns": ["pcv", "ckey", "pvalue"],
        "rows": [[r["pcv"], r["ckey"], r["pvalue"]] for r in ptable.as_records()],
    }
