"""The plan detail (the public plan API and the report snapshot) loads in a fixed number of
statements: a plan of 60 items issues as many as one of 10, for the public and for staff."""

from __future__ import annotations

from sqlalchemy import event

from app.models import PeriodState
from app.schemas.monitoring import (
    EvidenceLink,
    IndicatorCreate,
    ItemCreate,
    ObservationCreate,
    UpdateCreate,
)
from app.services.monitoring import access, indicators, periods, plans, updates, views
from tests.monitoring.support import YEAR, build_plan


def _grow(db, world, start: int, stop: int) -> None:
    """Activities under target 1.1.T, each with an accepted update with evidence, and an
    entered indicator with a value (the period is open)."""
    label = str(YEAR)
    for n in range(start, stop):
        item = plans.create_item(
            db,
            world.planner,
            world.plan,
            ItemCreate(
                code=f"1.1.{n}",
                kind="activity",
                parent="1.1.T",
                title_tr=f"Faaliyet {n}",
                responsible_unit="fen-isleri",
                mahalle=[world.mahalle_code],
            ),
        )
        update = updates.create_update(
            db,
            world.reporter,
            world.plan,
            item,
            UpdateCreate(period=label, status="in_progress", progress=n % 100),
        )
        updates.add_evidence_link(
            db,
            world.reporter,
            update,
            EvidenceLink(title="Meclis kararı", url="https://example.org/karar"),
        )
        updates.submit_update(db, world.reporter, update)
        updates.review_update(db, world.planner, update, True, None)
        found = indicators.create_indicator(
            db,
            world.planner,
            world.plan,
            IndicatorCreate(
                code=f"M{n}",
                item="1.1.T",
                name_tr=f"Girilen {n}",
                unit="count",
                level="output",
                source="manual",
                data_owner_unit="fen-isleri",
            ),
        )
        periods.enter_observation(
            db, world.planner, world.plan, found, ObservationCreate(period=label, value=10 + n)
        )


def _statements(db, settings, world, viewer) -> tuple[int, dict]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        db.expire_all()  # nothing from the identity map: every row is read again
        plan = access.plan_or_404(db, world.plan.code, viewer)
        detail = views.plan_detail(db, settings, plan, viewer)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen), detail


def _count_items(detail) -> int:
    def walk(nodes) -> int:
        return sum(1 + walk(n["children"]) for n in nodes)

    return walk(detail["items"])


def test_the_plan_detail_does_not_grow_with_the_plan(db, settings):
    world = build_plan(db, settings)
    period = periods.period_by_label(db, world.plan, str(YEAR))
    periods.change_period_state(
        db, settings, world.planner, world.plan, period, PeriodState.collecting
    )
    _grow(db, world, 3, 8)  # build_plan's 5 items and 5 more
    small_public = _statements(db, settings, world, None)
    small_staff = _statements(db, settings, world, world.planner)
    assert _count_items(small_staff[1]) == 10
    assert len(small_staff[1]["updates"]) == 5

    _grow(db, world, 8, 58)
    large_public = _statements(db, settings, world, None)
    large_staff = _statements(db, settings, world, world.planner)
    assert _count_items(large_staff[1]) == 60
    assert len(large_staff[1]["updates"]) == 55
    assert sum(len(u["evidence"]) for u in large_staff[1]["updates"]) == 55
    assert large_public[0] == small_public[0]
    assert large_staff[0] == small_staff[0]
    assert small_staff[0] <= 20

    # Published, the public sees the accepted updates and the entered values.
    for state in (PeriodState.under_review, PeriodState.published):
        periods.change_period_state(db, settings, world.planner, world.plan, period, state)
    published = _statements(db, settings, world, None)
    assert published[0] == large_public[0]
    (target,) = published[1]["items"][0]["children"][0]["children"]
    values = [
        o["value"]
        for i in target["indicators"]
        if i["code"].startswith("M")
        for o in i["observations"]
    ]
    assert sorted(values) == [float(10 + n) for n in range(3, 58)]
    assert len(published[1]["updates"]) == 55
