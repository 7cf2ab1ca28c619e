"""Freezing runs the engine once per distinct filter set, over only the mahalle it needs, and
still stores exactly what the map's own indicators (`planner_indicators` over the whole
municipality) give for each mahalle: per filter set, per indicator, per mahalle."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select

from app.errors import InvalidInput
from app.models import CategoryGroup, Mahalle, PeriodState, ReportStatus, TimeBand
from app.schemas.monitoring import IndicatorCreate, ItemCreate
from app.services.monitoring import indicators, periods, plans
from app.services.planning import planner_indicators
from app.services.reference import covered_ids, municipality_by_code
from app.services.scope import PlannerFilters
from app.services.suppression import perturbation_table
from tests.monitoring.support import YEAR, build_plan
from tests.support.factories import make_report

# (indicator code, map indicator, groups, time bands): five distinct filter sets; G4 shares
# G1's (lighting) while needing the whole scope (empirical Bayes pools every mahalle), and G7
# needs Gi* over the whole scope.
EXTRA = [
    ("G3", "share_evening_night", [], []),
    ("G4", "reports_per_1000_women_eb", ["lighting"], []),
    ("G5", "reports_per_km2", ["harassment"], []),
    ("G6", "reports", ["lighting", "transport"], ["evening", "night"]),
    ("G7", "hotspot_z", ["transport"], []),
]


def _three_mahalle(db) -> list[tuple[str, float, float]]:
    """Three Çankaya mahalle with a point inside each."""
    cankaya = municipality_by_code(db, "cankaya")
    point = func.ST_PointOnSurface(Mahalle.geom)
    rows = db.execute(
        select(Mahalle.code, func.ST_X(point), func.ST_Y(point))
        .where(Mahalle.municipality_id == cankaya.id)
        .order_by(Mahalle.code)
        .limit(3)
    ).all()
    assert len(rows) == 3
    return [(r[0], float(r[1]), float(r[2])) for r in rows]


def _map_values(db, settings, code: str, groups, bands) -> dict[str, tuple]:
    """What the map's planner indicators give, per mahalle: (value, suppressed)."""
    cankaya = municipality_by_code(db, "cankaya")
    filters = PlannerFilters(
        date(YEAR, 1, 1),
        date(YEAR, 12, 31),
        tuple(CategoryGroup(g) for g in groups),
        tuple(TimeBand(b) for b in bands),
        (),
        covered_ids(db, [cankaya.id]),
        "cankaya",
    )
    rows = planner_indicators(
        db,
        filters,
        settings.k_threshold,
        perturbation_table(settings.perturbation_table),
        with_geometry=False,
    )
    return {
        f["properties"]["code"]: (
            f["properties"][code],
            bool(f["properties"].get(f"{code}_suppressed", False)),
        )
        for f in rows
    }


def test_frozen_values_equal_the_map_for_every_filter_set(db, settings):
    world = build_plan(db, settings)
    places = _three_mahalle(db)
    codes = [c for c, _, _ in places]
    plans.create_item(
        db,
        world.planner,
        world.plan,
        ItemCreate(code="1.2", kind="objective", parent="1", title_tr="Güvenli duraklar"),
    )
    plans.create_item(
        db,
        world.planner,
        world.plan,
        ItemCreate(code="1.2.T", kind="target", parent="1.2", title_tr="Hedef", mahalle=codes),
    )
    for code, computed, groups, bands in EXTRA:
        indicators.create_indicator(
            db,
            world.planner,
            world.plan,
            IndicatorCreate(
                code=code,
                item="1.2.T",
                name_tr=code,
                unit="value",
                level="outcome",
                source="computed",
                computed_code=computed,
                computed_groups=groups,
                computed_time_bands=bands,
            ),
        )
    # Uneven counts per mahalle, group and time of day; the first mahalle's harassment
    # count stays below k (withheld, and its total with it).
    plan_of_reports = [
        (0, "dark_street", "night", 7),
        (0, "verbal_harassment", "evening", 2),
        (1, "dark_street", "day", 6),
        (1, "unsafe_stop", "evening", 5),
        (1, "verbal_harassment", "night", 6),
        (2, "unsafe_stop", "night", 8),
    ]
    for index, category, band, n in plan_of_reports:
        _, lon, lat = places[index]
        for _ in range(n):
            make_report(
                db,
                settings,
                lon=lon,
                lat=lat,
                status=ReportStatus.published,
                category=category,
                time_band=band,
            )
    for _ in range(6):  # G1's own mahalle (Kızılay)
        make_report(db, settings, status=ReportStatus.published)

    expected = {
        code: _map_values(db, settings, computed, groups, bands)
        for code, computed, groups, bands in EXTRA
    }
    expected["G1"] = _map_values(db, settings, "reports_per_1000_women", ["lighting"], [])

    period = periods.period_by_label(db, world.plan, str(YEAR))
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        for state in (PeriodState.collecting, PeriodState.under_review):
            periods.change_period_state(db, settings, world.planner, world.plan, period, state)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    by_code = {i.id: i.code for i in indicators.indicators_of(db, world.plan.id)}
    frozen: dict[str, dict[str, tuple]] = {}
    for obs, _ in periods.observations_of(db, world.plan.id):
        mahalle = (obs.disaggregation or {}).get("mahalle")
        if by_code[obs.indicator_id] in expected and mahalle:
            frozen.setdefault(by_code[obs.indicator_id], {})[mahalle] = (
                obs.value,
                obs.suppressed,
            )
    for code in ("G3", "G4", "G5", "G6", "G7"):
        assert frozen[code] == {c: expected[code][c] for c in codes}, code
    assert frozen["G1"] == {world.mahalle_code: expected["G1"][world.mahalle_code]}
    # The data is varied enough for the comparison to mean something.
    # (tests run with the identity perturbation table: counts are exact)
    assert [frozen["G6"][c] for c in codes] == [(7.0, False), (5.0, False), (8.0, False)]
    assert frozen["G5"][codes[0]] == (None, True)
    assert frozen["G5"][codes[1]][0] is not None
    assert len({v for v, _ in frozen["G4"].values()}) > 1
    assert any(v not in (None, 0.0) for v, _ in frozen["G7"].values())
    # One engine run per distinct filter set (G1 and G4 share one): five, not seven.
    engine_runs = [s for s in statements if "percentile_cont" in s]
    assert len(engine_runs) == 5


def test_a_class_indicator_cannot_be_a_computed_indicator(db, settings):
    world = build_plan(db, settings)
    with pytest.raises(InvalidInput) as refused:
        indicators.create_indicator(
            db,
            world.planner,
            world.plan,
            IndicatorCreate(
                code="G9",
                item="1.1.T",
                name_tr="Sıcak nokta",
                unit="class",
                level="outcome",
                source="computed",
                computed_code="hotspot_class",
            ),
        )
    assert refused.value.field == "computed_code"
    assert "hotspot_class" in str(refused.value)
