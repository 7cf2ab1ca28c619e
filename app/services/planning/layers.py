"""What the planners' dashboard shows: the indicator layer, the hotspot layer and one mahalle.

Every output here is treated as public (it leaves the building in exports): counts below k
are withheld and marked, and so is anything derived from them (see `suppression`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import i18n
from app.errors import InvalidInput, NotFound
from app.models import Category, Mahalle, Report
from app.services.planning import definitions, hotspots
from app.services.planning.indicators import planner_indicators
from app.services.reference import area_k, municipality_k
from app.services.scope import PlannerFilters, filtered_reports
from app.services.statistics import class_breaks
from app.services.suppression import PTable, cell_key, protect_partition

LICENCE = {
    "boundaries": "Mahalle boundaries © OpenStreetMap contributors, ODbL 1.0 "
    "(https://opendatacommons.org/licenses/odbl/)",
    "population": "Population: Kaynak: TÜİK (ADNKS); women residents estimated where marked",
    "reports": "Reports: Mor Harita contributors, published after moderation",
}


def metadata(filters: PlannerFilters, k: int, layer: str, **extra) -> dict:
    """The metadata every planner output carries (period, filters, definitions, k, licence)."""
    return {
        "layer": layer,
        **filters.as_metadata(),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "suppression_threshold_k": k,
        "perturbation": "Every count is perturbed with the cell key method before suppression "
        "(noise of at most ±2, mean zero, the same for the same cell on every request); rates "
        "and shares rest on the perturbed counts. The table: GET /api/v1/indicators/perturbation; "
        "see docs/privacy.md.",
        "suppression": "Counts from 1 to k-1 are withheld (null, <code>_suppressed = true), and "
        "so is every value derived from them; zero is shown.",
        "estimate_flags": "`estimate` / `women_is_estimate` = true: the women population is "
        "estimated (mahalle total × district female share), so rates per 1,000 women are "
        "estimates too.",
        "licence": LICENCE,
        "attribution": "© OpenStreetMap contributors (ODbL 1.0); Kaynak: TÜİK",
        "definitions": definitions.definitions(),
        **extra,
    }


def indicator_layer(session: Session, filters: PlannerFilters, k: int, ptable: PTable) -> dict:
    """Every indicator per mahalle as a FeatureCollection with its metadata."""
    return {
        "type": "FeatureCollection",
        "metadata": metadata(filters, k, "indicators"),
        "features": planner_indicators(session, filters, k, ptable),
    }


def hotspot_layer(
    session: Session,
    filters: PlannerFilters,
    size_m: int,
    k: int,
    ptable: PTable,
    allowed: tuple[int, ...] = hotspots.HEX_SIZES_M,
) -> dict:
    """The hexagon Gi* layer as a FeatureCollection with its metadata (hexagons cross
    municipal borders: the strictest k of the area holds)."""
    k = area_k(session, k, filters.municipalities)
    return {
        "type": "FeatureCollection",
        "metadata": metadata(
            filters,
            k,
            "hotspots",
            hexagon_size_m=size_m,
            method="Local Getis-Ord Gi* (esda), 999 permutations, seed 12345; "
            "see docs/indicators.md",
        ),
        "features": hotspots.hex_layer(session, filters, size_m, k, ptable, allowed),
    }


def _cells(rows, k: int, ptable: PTable) -> list[dict]:
    """Rows of (key, count, cell key) as cells, perturbed, with primary and secondary
    suppression."""
    counts = {str(key): ptable.protect(n, ckey, k) or 0 for key, n, ckey in rows}
    hidden = protect_partition(counts, True, k)
    return [
        {"key": key, "reports": None if key in hidden else n, "reports_suppressed": key in hidden}
        for key, n in counts.items()
    ]


def _month_cells(by_month, props: dict, k: int, ptable: PTable) -> list[dict]:
    """Reports per month (perturbed), withheld when small, or when their sensitive part could
    be worked out (public points show their month), with secondary suppression on both
    partitions."""
    totals = {m: ptable.protect(n, nk, k) or 0 for m, n, nk, _s, _sk in by_month}
    sensitive = {m: ptable.protect(s, sk, k) or 0 for m, _n, _nk, s, sk in by_month}
    hidden = protect_partition(totals, not props["reports_suppressed"], k)
    hidden |= protect_partition(sensitive, not props["sensitive_reports_suppressed"], k)
    shown = [(n, m) for m, n in totals.items() if m not in hidden and n > 0]
    if len(hidden) == 1 and shown and not props["reports_suppressed"]:
        hidden.add(min(shown)[1])
    return [
        {"key": m, "reports": None if m in hidden else n, "reports_suppressed": m in hidden}
        for m, n in totals.items()
    ]


def mahalle_detail(
    session: Session, code: str, filters: PlannerFilters, k: int, ptable: PTable
) -> dict:
    """One mahalle: its indicators, reports per category, per month, and response times."""
    mahalle = session.scalar(select(Mahalle).where(Mahalle.code == code))
    if mahalle is None or (
        filters.municipalities is not None and mahalle.municipality_id not in filters.municipalities
    ):
        raise NotFound(f"No mahalle with code {code!r}.")
    # The layer's own scope and k: this mahalle's Gi* class is the one the map shows (Gi*
    # depends on every neighbour in the layer, so a narrower scope would give another class).
    feature = next(
        (
            f
            for f in planner_indicators(session, filters, k, ptable, with_geometry=False)
            if f["properties"]["code"] == code
        ),
        None,
    )
    if feature is None:
        raise NotFound(f"The mahalle {code!r} is outside the chosen districts.")
    k = municipality_k(session, k).get(mahalle.municipality_id, k)
    base = filtered_reports(filters, filters.since, filters.until).where(
        Report.mahalle_id == mahalle.id
    )
    by_category = session.execute(
        base.with_only_columns(Category.code, func.count(Report.id), cell_key(Report.record_key))
        .group_by(Category.code, Category.sort_order)
        .order_by(Category.sort_order)
    ).all()
    labels = dict(session.execute(select(Category.code, Category.labels)).all())
    month = func.to_char(Report.occurred_on, "YYYY-MM")
    by_month = session.execute(
        base.with_only_columns(
            month,
            func.count(Report.id),
            cell_key(Report.record_key),
            func.count(Report.id).filter(Category.sensitive),
            cell_key(Report.record_key, Category.sensitive),
        )
        .group_by(month)
        .order_by(month)
    ).all()
    props = feature["properties"]
    # The category and month cells add up to `reports`: none may be shown when it is withheld.
    categories = _cells(by_category, k, ptable)
    locale = i18n.current_locale()
    for cell in categories:
        cell["label"] = (labels.get(cell["key"]) or {}).get(locale, cell["key"])
    months = _month_cells(by_month, props, k, ptable)
    if props["reports_suppressed"]:
        for cell in categories + months:
            if cell["reports"]:
                cell["reports"], cell["reports_suppressed"] = None, True
    return {
        "code": code,
        "name": mahalle.name,
        "district": mahalle.district,
        "indicators": props,
        "categories": categories,
        "months": months,
        "response": {
            key: props.get(key)
            for key in (
                "forwarded_reports",
                "share_forwarded",
                "resolved_reports",
                "share_resolved",
                "median_days_to_resolution",
                "median_days_to_resolution_suppressed",
            )
        },
        "metadata": metadata(filters, k, "mahalle"),
    }


def _no_reports(properties: dict) -> bool:
    """No published report in the period (zero is never perturbed, so this is not a secret)."""
    return properties.get("reports") == 0 and not properties.get("reports_suppressed")


def indicator_classes(
    session: Session,
    filters: PlannerFilters,
    k: int,
    ptable: PTable,
    code: str,
    method: str,
    classes: int,
) -> dict:
    """Classes of one indicator over the mahalle, computed on the values the map colours.

    A mahalle with no report in the period is drawn as "0 reports", never in a class, so it
    does not count in one either (with many such mahalle every class but the last was "≤ 0").
    """
    item = definitions.BY_CODE.get(code)
    if item is None or item.kind == "class":
        raise InvalidInput(f"{code!r} is not a numeric indicator.", field="indicator")
    values = [
        p.get(code)
        for f in planner_indicators(session, filters, k, ptable, with_geometry=False)
        if not _no_reports(p := f["properties"])
    ]
    return {"indicator": code, **class_breaks(values, method, classes)}
