"""A plan's observations as open data: open-sdg's long format, as CSV and as JSON records,
and the values by mahalle as GeoJSON on the mahalle outlines.

What a viewer sees is what the plan page shows them (`views.visible_observations`): the
public, final values of published periods with small people counts withheld.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.geo.geojson import feature, feature_collection
from app.models import EqualityPlan, Mahalle, User
from app.services.monitoring import access
from app.services.monitoring.indicators import indicators_of
from app.services.monitoring.plans import items_of
from app.services.monitoring.views import plan_k, visible_observations


def long_rows(
    session: Session, settings: Settings, plan: EqualityPlan, viewer: User | None
) -> list[dict[str, Any]]:
    """Observations in open-sdg's long format: one row per value, blank category = all."""
    inside = access.is_inside(session, viewer, plan.municipality_id)
    indicators = {i.id: i for i in indicators_of(session, plan.id)}
    items = {i.id: i for i in items_of(session, plan.id)}
    rows = []
    for obs, period in visible_observations(session, plan, inside, plan_k(session, settings, plan)):
        indicator = indicators[obs.indicator_id]
        if not inside and not items[indicator.plan_item_id].is_public:
            continue
        dis = obs.disaggregation
        rows.append(
            {
                "Indicator": indicator.code,
                "Year": period.label,
                "PeriodStart": period.starts_on.isoformat(),
                "PeriodEnd": period.ends_on.isoformat(),
                "Units": indicator.unit,
                **{k.capitalize(): v for k, v in dis.items()},
                "GeoCode": dis.get("mahalle", ""),
                "Value": obs.value,
                "State": obs.state.value,
                "Suppressed": obs.suppressed,
            }
        )
    return rows


def long_csv(rows: list[dict[str, Any]]) -> str:
    head = ["Indicator", "Year", "PeriodStart", "PeriodEnd", "Units"]
    categories = sorted(
        {k for r in rows for k in r} - set(head) - {"GeoCode", "Value", "State", "Suppressed"}
    )
    columns = [*head, *categories, "GeoCode", "Value", "State", "Suppressed"]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        cells = {c: row.get(c, "") for c in columns}
        cells["Value"] = "" if row["Value"] is None else row["Value"]
        cells["Suppressed"] = "true" if row["Suppressed"] else "false"
        writer.writerow(cells)
    return out.getvalue()


# The tolerance of the map's display polygons (degrees, ~10 m): outlines, not survey lines.
OUTLINE_TOLERANCE_DEG = 0.0001


def observation_features(
    session: Session, settings: Settings, plan: EqualityPlan, viewer: User | None
) -> dict[str, Any]:
    """The values disaggregated by mahalle as a FeatureCollection: one feature per value
    (the long rows' properties), on the mahalle's simplified outline; the same values, and
    the same withholding, as `long_rows`."""
    rows = [r for r in long_rows(session, settings, plan, viewer) if r["GeoCode"]]
    outline = func.ST_AsGeoJSON(
        func.ST_SimplifyPreserveTopology(Mahalle.geom, OUTLINE_TOLERANCE_DEG), 6
    )
    shapes = {
        r.code: (r.name, json.loads(r.outline))
        for r in session.execute(
            select(Mahalle.code, Mahalle.name, outline.label("outline")).where(
                Mahalle.code.in_({r["GeoCode"] for r in rows})
            )
        )
    }
    features = [
        feature(shapes[r["GeoCode"]][1], {**r, "MahalleName": shapes[r["GeoCode"]][0]})
        for r in rows
        if r["GeoCode"] in shapes
    ]
    return feature_collection(features, plan=plan.code)
