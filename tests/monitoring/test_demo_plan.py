"""The demo's example plan for Çankaya: labelled an example, built on the demo reports."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo.load import load_demo
from app.demo.plan import CODE, load_demo_plan
from app.models import EqualityPlan, IndicatorObservation


def test_the_example_plan_loads_once_and_shows_as_an_example(client, db, settings):
    load_demo(db, settings)
    lines = load_demo_plan(db, settings)
    assert "EXAMPLE" in lines[0] and f"/plans/{CODE}" in lines[0]
    again = load_demo_plan(db, settings)
    assert "already loaded" in again[0]
    assert db.scalar(select(func.count()).select_from(EqualityPlan)) == 1
    frozen = db.scalars(
        select(IndicatorObservation).where(IndicatorObservation.source_snapshot.is_not(None))
    ).all()
    assert frozen and all(o.source_snapshot["query_hash"] for o in frozen)
    detail = client.get(f"/api/v1/plans/{CODE}").json()
    assert detail["is_example"] is True and detail["state"] == "in_force"
    assert [p["state"] for p in detail["periods"]] == ["published", "collecting"]
    (assessment,) = detail["assessments"]
    assert assessment["rating"] == "partly_compliant" and assessment["municipal_response"]
    assert [u["review_state"] for u in detail["updates"]] == ["accepted"]  # the public's view
    page = client.get(f"/plans/{CODE}").text
    assert "Örnek plan, belediyenin gerçek planı değil" in page
    (intervention,) = client.get(f"/api/v1/plans/{CODE}/interventions").json()["interventions"]
    assert intervention["item"] == "6.1.1.1" and intervention["kind"] == "lighting"
    assert intervention["page_url"] in page
    effect = client.get(intervention["page_url"].replace("/plans", "/api/v1/plans", 1))
    assert effect.status_code == 200
    assert effect.json()["effect"]["state"] in ("ok", "withheld")  # 120 days: comparable
    assert effect.json()["effect"]["near"]["area_km2"] > 0.5  # a 500 m band along 800 m
    assert client.get(intervention["page_url"]).status_code == 200
