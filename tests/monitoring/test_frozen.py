"""Computed observations: equal to the map's own indicators for the same mahalle and period,
frozen when the period moves to review (later reports do not change them), and k-protected."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import CategoryGroup, PeriodState, ReportStatus
from app.services.monitoring import indicators, periods, views
from app.services.planning import planner_indicators
from app.services.reference import covered_ids, municipality_by_code
from app.services.scope import PlannerFilters
from app.services.suppression import perturbation_table
from tests.monitoring.support import YEAR, build_plan
from tests.support.factories import make_report


def _engine_value(db, settings, mahalle_code: str):
    cankaya = municipality_by_code(db, "cankaya")
    filters = PlannerFilters(
        date(YEAR, 1, 1),
        date(YEAR, 12, 31),
        (CategoryGroup.lighting,),
        (),
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
    (props,) = [f["properties"] for f in rows if f["properties"]["code"] == mahalle_code]
    return props["reports_per_1000_women"], props["reports_per_1000_women_suppressed"]


def _freeze(db, settings, world):
    period = periods.period_by_label(db, world.plan, str(YEAR))
    for state in (PeriodState.collecting, PeriodState.under_review):
        periods.change_period_state(db, settings, world.planner, world.plan, period, state)
    return period


def _g1(db, world):
    g1 = indicators.indicator_by_code(db, world.plan, "G1")
    return {
        tuple(sorted(o.disaggregation.items())): o
        for o, _ in periods.observations_of(db, world.plan.id)
        if o.indicator_id == g1.id
    }


def test_frozen_values_equal_the_engine_and_do_not_move(db, settings):
    world = build_plan(db, settings)
    for _ in range(6):
        make_report(db, settings, status=ReportStatus.published)  # dark_street: lighting
    make_report(db, settings, status=ReportStatus.published, category="verbal_harassment")
    expected, suppressed = _engine_value(db, settings, world.mahalle_code)
    assert not suppressed and expected is not None
    _freeze(db, settings, world)
    observed = _g1(db, world)
    headline = observed[()]
    by_mahalle = observed[(("mahalle", world.mahalle_code),)]
    assert headline.value == by_mahalle.value == expected
    snapshot = headline.source_snapshot
    assert snapshot["indicator"] == "reports_per_1000_women"
    assert len(snapshot["definition_version"]) == 16 and len(snapshot["query_hash"]) == 64
    assert snapshot["filters"]["groups"] == ["lighting"]

    for _ in range(4):  # reports approved after the freeze
        make_report(db, settings, status=ReportStatus.published)
    later, _ = _engine_value(db, settings, world.mahalle_code)
    assert later != expected
    assert _g1(db, world)[()].value == expected
    staff_view = views.plan_detail(db, settings, world.plan, world.planner)
    (g1,) = [i for i in _all_indicators(staff_view) if i["code"] == "G1"]
    assert [o["value"] for o in g1["observations"] if not o["disaggregation"]] == [expected]


def test_small_counts_are_frozen_suppressed(db, settings):
    world = build_plan(db, settings)
    for _ in range(2):  # 2 < k
        make_report(db, settings, status=ReportStatus.published)
    value, suppressed = _engine_value(db, settings, world.mahalle_code)
    assert suppressed and value is None
    _freeze(db, settings, world)
    headline = _g1(db, world)[()]
    assert headline.suppressed and headline.value is None


def test_the_public_sees_values_once_the_period_is_published(db, settings):
    world = build_plan(db, settings)
    for _ in range(6):
        make_report(db, settings, status=ReportStatus.published)
    period = _freeze(db, settings, world)
    public = views.plan_detail(db, settings, world.plan, None)
    assert all(not i["observations"] for i in _all_indicators(public))
    periods.change_period_state(
        db, settings, world.planner, world.plan, period, PeriodState.published
    )
    public = views.plan_detail(db, settings, world.plan, None)
    (g1,) = [i for i in _all_indicators(public) if i["code"] == "G1"]
    assert {o["state"] for o in g1["observations"]} == {"final"}
    # Baseline 4.1 (previous year) to a target 2.0: some status is computed from the value.
    assert g1["progress_status"] in {
        "target_achieved",
        "substantial_progress",
        "moderate_progress",
        "limited_progress",
        "deterioration",
    }


def _all_indicators(detail) -> list[dict]:
    found = []

    def walk(nodes):
        for node in nodes:
            found.extend(node["indicators"])
            walk(node["children"])

    walk(detail["items"])
    return found


@pytest.fixture(autouse=True)
def _no_demo_reports(db):
    """The base data holds no reports; these tests count every one they make."""
    from sqlalchemy import func, select

    from app.models import Report

    assert db.scalar(select(func.count()).select_from(Report)) == 0
