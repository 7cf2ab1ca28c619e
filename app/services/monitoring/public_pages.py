"""What the public plan pages show: a plan with its charts, published reports and
interventions; one intervention with its before/after comparison."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.config import Settings
from app.models import User
from app.services.monitoring import access, effects, interventions
from app.services.monitoring.charts import indicator_chart
from app.services.monitoring.reports import reports_of
from app.services.monitoring.views import plan_detail


def _with_charts(nodes: list[dict]) -> None:
    for node in nodes:
        for indicator in node["indicators"]:
            indicator["chart"] = indicator_chart(indicator)
        _with_charts(node["children"])


def plan_page(session: Session, settings: Settings, code: str, viewer: User | None) -> dict:
    """The public plan page: `GET /api/v1/plans/{code}` plus charts, reports, interventions."""
    plan = access.plan_or_404(session, code, viewer)
    detail = plan_detail(session, settings, plan, viewer)
    _with_charts(detail["items"])
    detail["published_reports"] = reports_of(session, plan)
    detail["can_work"] = access.is_inside(session, viewer, plan.municipality_id)
    detail["interventions"] = [
        interventions.describe(session, plan, i)
        for i in interventions.interventions_of(session, plan, viewer)
    ]
    return detail


def intervention_page(
    session: Session,
    settings: Settings,
    code: str,
    intervention_code: str,
    viewer: User | None,
    today: date,
) -> dict:
    """One intervention of a plan with its difference-in-differences comparison."""
    plan = access.plan_or_404(session, code, viewer)
    found = interventions.intervention_or_404(session, plan, intervention_code, viewer)
    return {
        **interventions.describe(session, plan, found),
        "plan_title": {"tr": plan.title_tr, "en": plan.title_en or plan.title_tr},
        "effect": effects.effect(session, settings, plan, found, today),
        "near_area": effects.near_area_geojson(session, found),
    }
