"""The monitoring API's answers go through their response models without losing or changing
anything the services put in them: the example plan, as the public and as its planner."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.demo.load import load_demo
from app.demo.plan import CODE, load_demo_plan
from app.models import EqualityPlan, Role
from app.services.monitoring import exports, reports, views
from tests.support.factories import login, make_user


def as_json(value) -> object:
    return json.loads(json.dumps(value))


def test_plan_answers_carry_everything_the_services_built(client, db, settings):
    load_demo(db, settings)
    load_demo_plan(db, settings)
    plan = db.scalar(select(EqualityPlan).where(EqualityPlan.code == CODE))
    assert plan is not None
    planner = make_user(db, settings, Role.planner, ["cankaya"])
    for viewer in (None, planner):
        if viewer is not None:
            login(client, viewer)
        detail = client.get(f"/api/v1/plans/{CODE}")
        assert detail.status_code == 200
        expected = as_json(views.plan_detail(db, settings, plan, viewer))
        assert detail.json() == expected
        assert expected["items"] and expected["updates"] and expected["assessments"]
        assert any(i["observations"] for i in _indicators(expected["items"]))
        data = client.get(f"/api/v1/plans/{CODE}/data.json").json()
        assert data == as_json(
            {"plan": CODE, "data": exports.long_rows(db, settings, plan, viewer)}
        )
        assert data["data"]
        listed = client.get("/api/v1/plans").json()
        assert listed == as_json(views.plan_list(db, [plan]))
        assert client.get(f"/api/v1/plans/{CODE}/reports").json() == as_json(
            {"reports": reports.reports_of(db, plan)}
        )


def _indicators(items: list[dict]) -> list[dict]:
    found = []
    for item in items:
        found += item["indicators"] + _indicators(item["children"])
    return found
