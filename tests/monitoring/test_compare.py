"""The same computed indicator in the same period, side by side across municipalities."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.models import Mahalle, PeriodState, PlanState, ReportStatus, Role
from app.schemas.monitoring import IndicatorCreate, ItemCreate, PlanCreate
from app.services.monitoring import indicators, periods, plans, views
from app.services.reference import municipality_by_code
from tests.monitoring.support import YEAR, build_plan, this_year_period
from tests.support.factories import login, make_report, make_user

KEY = "reports_per_1000_women:groups=lighting"


def _yenimahalle_plan(db, settings, publish: bool = True):
    planner = make_user(db, settings, Role.planner, ["yenimahalle"])
    plan = plans.create_plan(
        db,
        planner,
        PlanCreate(
            municipality="yenimahalle",
            code="YEEP-YENI",
            title_tr="Yenimahalle planı",
            period_start=date(YEAR - 1, 1, 1),
            period_end=date(YEAR + 2, 12, 31),
        ),
    )
    yenimahalle = municipality_by_code(db, "yenimahalle")
    mahalle = db.scalar(
        select(Mahalle.code).where(Mahalle.municipality_id == yenimahalle.id).limit(1)
    )
    for body in (
        ItemCreate(code="1", kind="theme", title_tr="Güvenli kent"),
        ItemCreate(code="1.1", kind="objective", parent="1", title_tr="Aydınlık"),
        ItemCreate(code="1.1.T", kind="target", parent="1.1", title_tr="Az", mahalle=[mahalle]),
    ):
        plans.create_item(db, planner, plan, body)
    indicators.create_indicator(
        db,
        planner,
        plan,
        IndicatorCreate(
            code="Y1",
            item="1.1.T",
            name_tr="Aydınlatma bildirimleri",
            unit="per 1,000 women",
            level="outcome",
            source="computed",
            computed_code="reports_per_1000_women",
            computed_groups=["lighting"],
        ),
    )
    for state in (PlanState.consultation, PlanState.approved, PlanState.in_force):
        plans.change_plan_state(db, planner, plan, state)
    periods.create_period(db, planner, plan, this_year_period())
    _publish(db, settings, planner, plan, publish)
    return plan


def _publish(db, settings, planner, plan, publish=True):
    period = periods.period_by_label(db, plan, str(YEAR))
    states = [PeriodState.collecting, PeriodState.under_review]
    if publish:
        states.append(PeriodState.published)
    for state in states:
        periods.change_period_state(db, settings, planner, plan, period, state)


def _headline(db, settings, plan, code):
    detail = views.plan_detail(db, settings, plan, None)
    stack, found = list(detail["items"]), None
    while stack:
        node = stack.pop()
        stack.extend(node["children"])
        for ind in node["indicators"]:
            if ind["code"] == code:
                found = [o for o in ind["observations"] if not o["disaggregation"]]
    return found


def test_two_municipalities_side_by_side(client, db, settings):
    world = build_plan(db, settings)
    for _ in range(6):
        make_report(db, settings, status=ReportStatus.published)
    _publish(db, settings, world.planner, world.plan)
    other = _yenimahalle_plan(db, settings)
    answer = client.get("/api/v1/plans/compare", params={"indicator": KEY, "period": str(YEAR)})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert [(r["municipality"], r["plan"], r["indicator"]) for r in data["rows"]] == [
        ("Çankaya Belediyesi", "YEEP-TEST", "G1"),
        ("Yenimahalle Belediyesi", "YEEP-YENI", "Y1"),
    ]
    cankaya_value = _headline(db, settings, world.plan, "G1")[0]["value"]
    assert cankaya_value is not None and cankaya_value > 0
    assert data["rows"][0]["value"] == cankaya_value
    assert data["rows"][1]["value"] == _headline(db, settings, other, "Y1")[0]["value"]
    assert data["rows"][0]["baseline"] == 4.1 and data["rows"][0]["target"] == 2.0
    (option,) = [o for o in data["options"] if o["key"] == KEY]
    assert option["periods"] == [str(YEAR)]
    page = client.get("/plans/compare", params={"indicator": KEY, "period": str(YEAR)})
    assert page.status_code == 200
    assert "Belediyeleri karşılaştır" in page.text and "Yenimahalle planı" in page.text
    narrowed = client.get(
        "/api/v1/plans/compare",
        params={"indicator": KEY, "period": str(YEAR), "municipality": "yenimahalle"},
    )
    assert [r["plan"] for r in narrowed.json()["rows"]] == ["YEEP-YENI"]


def test_unpublished_values_are_compared_only_by_the_municipality(client, db, settings):
    world = build_plan(db, settings)
    _publish(db, settings, world.planner, world.plan, publish=False)  # under review
    params = {"indicator": KEY, "period": str(YEAR)}
    assert client.get("/api/v1/plans/compare", params=params).json()["rows"] == []
    login(client, world.planner)
    rows = client.get("/api/v1/plans/compare", params=params).json()["rows"]
    assert [r["plan"] for r in rows] == ["YEEP-TEST"]


def test_an_unknown_indicator_is_refused(client, db, settings):
    build_plan(db, settings)
    refused = client.get("/api/v1/plans/compare", params={"indicator": "nope", "period": "x"})
    assert refused.status_code == 422 and "indicator" in refused.text
    options = client.get("/api/v1/plans/compare").json()
    assert options["rows"] == [] and KEY in [o["key"] for o in options["options"]]


def test_a_mahalle_lists_the_plan_targets_that_name_it(client, db, settings):
    world = build_plan(db, settings)  # target 1.1.T names the Kızılay mahalle
    answer = client.get("/api/v1/plans/targets", params={"mahalle": world.mahalle_code})
    assert answer.status_code == 200, answer.text
    targets = answer.json()["targets"]
    assert [(t["plan"], t["item"], t["kind"]) for t in targets] == [
        ("YEEP-TEST", "1.1.T", "target")
    ]
    assert targets[0]["url"] == "/plans/YEEP-TEST" and targets[0]["progress"] == 0
    other = db.scalar(select(Mahalle.code).where(Mahalle.code != world.mahalle_code).limit(1))
    assert client.get("/api/v1/plans/targets", params={"mahalle": other}).json()["targets"] == []
    missing = client.get("/api/v1/plans/targets", params={"mahalle": "no-such"})
    assert missing.status_code == 404
    item = plans.item_by_code(db, world.plan, "1.1.T")
    item.is_public = False
    db.flush()
    assert (
        client.get("/api/v1/plans/targets", params={"mahalle": world.mahalle_code}).json()[
            "targets"
        ]
        == []
    )


def test_a_draft_plan_s_targets_stay_inside(client, db, settings):
    world = build_plan(db, settings, state="draft")
    params = {"mahalle": world.mahalle_code}
    assert client.get("/api/v1/plans/targets", params=params).json()["targets"] == []
    login(client, world.planner)
    assert len(client.get("/api/v1/plans/targets", params=params).json()["targets"]) == 1
