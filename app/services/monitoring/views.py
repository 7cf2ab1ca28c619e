"""What a plan looks like to a viewer: the tree with progress, indicators with their
on-track status, updates, the board's assessments and the municipality's responses (the
open data exports are `exports`).

The public sees final observations of published periods only, with small counts withheld
(a people count from 1 to k-1 in a disaggregated cell is suppressed, as every public count).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import (
    EqualityPlan,
    Mahalle,
    Municipality,
    MunicipalUnit,
    ObservationState,
    PeriodState,
    PlanIndicator,
    PlanItem,
    ReportingPeriod,
    User,
)
from app.services.monitoring import access, board, updates
from app.services.monitoring.changes import plain
from app.services.monitoring.indicators import indicators_of
from app.services.monitoring.periods import observations_of, periods_of
from app.services.monitoring.plans import items_of, plans_of
from app.services.monitoring.rules import Node, decimal_year, progress_status, roll_up
from app.services.reference import municipality_k
from app.services.suppression import small, withhold_complements

PEOPLE_UNITS = frozenset({"count", "people", "kişi", "adet"})


def _progress(items: list[PlanItem]) -> dict[int | None, float | None]:
    return roll_up(
        Node(
            i.id,
            i.parent_id,
            i.status,
            float(i.progress) if i.progress is not None else None,
            float(i.weight) if i.weight is not None else None,
        )
        for i in items
    )


def plan_summary(session: Session, plan: EqualityPlan, progress: float | None = None) -> dict:
    municipality = session.get_one(Municipality, plan.municipality_id)
    if progress is None:
        progress = _progress(items_of(session, plan.id)).get(None)
    return {
        "code": plan.code,
        "municipality": municipality.code,
        "municipality_name": municipality.name,
        "title": {"tr": plan.title_tr, "en": plan.title_en},
        "summary": plan.summary,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "state": plan.state.value,
        "council_decision_no": plan.council_decision_no,
        "council_decision_date": plain(plan.council_decision_date),
        "document_url": plan.document_url,
        "is_example": plan.is_example,
        "progress": progress,
        "url": f"/plans/{plan.code}",
    }


def plan_list(session: Session, plans: list[EqualityPlan]) -> dict:
    return {"plans": [plan_summary(session, p) for p in plans]}


@dataclass(frozen=True)
class Shown:
    """An observation as a viewer may see it (a plain copy: small people counts withheld)."""

    indicator_id: int
    value: float | None
    numerator: float | None
    denominator: float | None
    disaggregation: dict
    state: ObservationState
    suppressed: bool
    source_snapshot: dict | None


def visible_observations(
    session: Session, plan: EqualityPlan, inside: bool, k: int
) -> list[tuple[Shown, ReportingPeriod]]:
    """Every observation for staff; for the public, those of published periods, with a
    people count from 1 to k-1 in a disaggregated cell withheld, and with it whatever would
    give it back by subtraction (`withhold_complements`)."""
    visible = []
    people: list[int | None] = []
    for obs, period in observations_of(session, plan.id):
        if not inside and period.state is not PeriodState.published:
            continue
        shown = Shown(
            obs.indicator_id,
            obs.value,
            obs.numerator,
            obs.denominator,
            obs.disaggregation or {},
            obs.state,
            obs.suppressed,
            obs.source_snapshot,
        )
        count = _people(obs.numerator if obs.numerator is not None else obs.value)
        if not inside and obs.disaggregation and count is not None and small(count, k):
            shown = replace(shown, value=None, numerator=None, suppressed=True)
        visible.append((shown, period))
        people.append(count)
    if inside:
        return visible
    cells = [
        ((o.indicator_id, p.id), o.disaggregation, n)
        for (o, p), n in zip(visible, people, strict=True)
    ]
    for i in withhold_complements(cells, {i for i, (o, _) in enumerate(visible) if o.suppressed}):
        shown, period = visible[i]
        visible[i] = (replace(shown, value=None, numerator=None, suppressed=True), period)
    return visible


def _people(value: float | None) -> int | None:
    """The value as a count of people (or things), or None when it is not a whole number."""
    return int(value) if value is not None and float(value).is_integer() else None


def plan_k(session: Session, settings: Settings, plan: EqualityPlan) -> int:
    return municipality_k(session, settings.k_threshold).get(
        plan.municipality_id, settings.k_threshold
    )


def _observation(obs: Shown, period: ReportingPeriod) -> dict:
    return {
        "period": period.label,
        "period_start": period.starts_on.isoformat(),
        "period_end": period.ends_on.isoformat(),
        "value": obs.value,
        "numerator": obs.numerator,
        "denominator": obs.denominator,
        "disaggregation": obs.disaggregation,
        "state": obs.state.value,
        "suppressed": obs.suppressed,
        "source_snapshot": obs.source_snapshot,
    }


def indicator_view(
    indicator: PlanIndicator,
    item_code: str,
    observed: list[tuple[Shown, ReportingPeriod]],
    units: dict[int, str],
) -> dict:
    headline = [(o, p) for o, p in observed if not o.disaggregation and o.value is not None]
    latest = headline[-1] if headline else None
    trend = progress_status(
        baseline_value=indicator.baseline_value,
        baseline_year=indicator.baseline_period,
        latest_value=latest[0].value if latest else None,
        latest_year=decimal_year(latest[1].ends_on) if latest else None,
        target_value=indicator.target_value,
        target_year=indicator.target_period,
        direction=indicator.direction,
    )
    realised = {str(p.ends_on.year): o.value for o, p in headline if p.ends_on.month == 12}
    yearly = [
        {"year": year, "target": target, "realised": realised.get(year)}
        for year, target in sorted((indicator.yearly_targets or {}).items())
    ]
    return {
        "code": indicator.code,
        "item": item_code,
        "name": {"tr": indicator.name_tr, "en": indicator.name_en},
        "definition": indicator.definition,
        "unit": indicator.unit,
        "level": indicator.level.value,
        "source": indicator.source.value,
        "computed_code": indicator.computed_code,
        "computed_filters": indicator.computed_filters,
        "data_owner_unit": units.get(indicator.data_owner_unit_id or 0),
        "baseline": {
            "value": indicator.baseline_value,
            "period": indicator.baseline_period,
            "source": indicator.baseline_source,
        },
        "target": {
            "value": indicator.target_value,
            "period": indicator.target_period,
            "direction": indicator.direction.value,
            "limit": indicator.limit_value,
        },
        "yearly_targets": yearly,
        "expected_disaggregations": indicator.expected_disaggregations,
        "progress_status": trend.status,
        "observed_rate": trend.observed_rate,
        "required_rate": trend.required_rate,
        "ratio": trend.ratio,
        "observations": [_observation(o, p) for o, p in observed],
    }


def _item_view(
    item: PlanItem, progress: float | None, units: dict[int, str], mahalle: dict[int, str]
) -> dict:
    return {
        "code": item.code,
        "kind": item.kind.value,
        "title": {"tr": item.title_tr, "en": item.title_en},
        "description": item.description,
        "theme_key": item.theme_key,
        "status": item.status.value,
        "progress": progress,
        "weight": plain(item.weight),
        "responsible_unit": units.get(item.responsible_unit_id or 0),
        "partner_units": [units[u] for u in item.partner_unit_ids or [] if u in units],
        "partner_orgs": item.partner_orgs,
        "planned_start": plain(item.planned_start),
        "planned_end": plain(item.planned_end),
        "budget_planned_try": plain(item.budget_planned_try),
        "budget_spent_try": plain(item.budget_spent_try),
        "budget_line_code": item.budget_line_code,
        "risks": item.risks,
        "findings": item.findings,
        "needs": item.needs,
        "mahalle": [mahalle[m] for m in item.mahalle_ids or [] if m in mahalle],
        "report_category_groups": item.report_category_groups,
        "cemr_articles": item.cemr_articles,
        "sdg_targets": item.sdg_targets,
        "indicators": [],
        "children": [],
    }


def plan_detail(
    session: Session, settings: Settings, plan: EqualityPlan, viewer: User | None
) -> dict:
    """The plan as `viewer` may see it (see the module docstring and `access`)."""
    inside = access.is_inside(session, viewer, plan.municipality_id)
    items = items_of(session, plan.id)
    progress = _progress(items)
    shown = [i for i in items if inside or i.is_public]
    shown_ids = {i.id for i in shown}
    units = dict(
        session.execute(
            select(MunicipalUnit.id, MunicipalUnit.code).where(
                MunicipalUnit.municipality_id == plan.municipality_id
            )
        ).all()
    )
    mahalle_ids = {m for i in shown for m in i.mahalle_ids or []}
    mahalle = dict(
        session.execute(select(Mahalle.id, Mahalle.code).where(Mahalle.id.in_(mahalle_ids))).all()
    )
    nodes = {i.id: _item_view(i, progress.get(i.id), units, mahalle) for i in shown}
    codes = {i.id: i.code for i in items}
    roots = []
    for item in shown:
        parent = item.parent_id
        if parent is not None and parent in shown_ids:
            nodes[parent]["children"].append(nodes[item.id])
        elif parent is None:
            roots.append(nodes[item.id])
    k = plan_k(session, settings, plan)
    by_indicator: dict[int, list] = defaultdict(list)
    for obs, period in visible_observations(session, plan, inside, k):
        by_indicator[obs.indicator_id].append((obs, period))
    indicators = []
    every_indicator = indicators_of(session, plan.id)
    for indicator in every_indicator:
        if indicator.plan_item_id not in shown_ids:
            continue
        view = indicator_view(
            indicator, codes[indicator.plan_item_id], by_indicator[indicator.id], units
        )
        nodes[indicator.plan_item_id]["indicators"].append(view)
        indicators.append(view)
    indicator_codes = {i.id: i.code for i in every_indicator}
    periods = periods_of(session, plan.id)
    labels = {p.id: p.label for p in periods}
    visible_updates = [
        u for u in updates.updates_of(session, plan.id, viewer) if u.plan_item_id in shown_ids
    ]
    return {
        **plan_summary(session, plan, progress.get(None)),
        "items": roots,
        "periods": [
            {
                "label": p.label,
                "kind": p.kind.value,
                "starts_on": p.starts_on.isoformat(),
                "ends_on": p.ends_on.isoformat(),
                "state": p.state.value,
            }
            for p in periods
        ],
        "updates": _updates(session, visible_updates, codes, labels, inside, k),
        "assessments": [
            _assessment(a, codes, indicator_codes, labels)
            for a in board.assessments_of(session, plan.id, include_drafts=inside)
        ],
        "board": board.board_of(session, plan),
    }


def _updates(session, rows, codes, labels, inside, k: int) -> list[dict]:
    evidence: dict[int, list] = defaultdict(list)
    for e in updates.evidence_of(session, [u.id for u in rows], inside):
        evidence[e.progress_update_id].append(
            {
                "kind": e.kind.value,
                "title": e.title,
                "url": e.url or f"/api/v1/evidence/{e.id}",
                "sha256": e.sha256,
                "is_private": e.is_private,
            }
        )

    def people(n: int) -> int | None:
        return n if inside or not small(n, k) else None

    return [
        {
            "id": u.id,
            "item": codes[u.plan_item_id],
            "period": labels[u.reporting_period_id],
            "status": u.status.value,
            "progress": plain(u.progress),
            "narrative": u.narrative,
            "deviation_reason": u.deviation_reason,
            "corrective_action": u.corrective_action,
            "budget_spent_try": plain(u.budget_spent_try),
            "beneficiaries": {
                "women": people(u.beneficiaries_women),
                "men": people(u.beneficiaries_men),
                "other": people(u.beneficiaries_other),
            },
            "review_state": u.review_state.value,
            "review_note": u.review_note if inside else None,
            "evidence": evidence[u.id],
        }
        for u in rows
    ]


def _assessment(a, codes, indicator_codes, labels) -> dict:
    return {
        "id": a.id,
        "period": labels[a.reporting_period_id],
        "item": codes.get(a.plan_item_id) if a.plan_item_id else None,
        "indicator": indicator_codes.get(a.indicator_id) if a.indicator_id else None,
        "rating": a.rating.value,
        "rights_based_note": a.rights_based_note,
        "recommendation": a.recommendation,
        "response_due": plain(a.response_due),
        "dissent": a.dissent,
        "published_at": plain(a.published_at),
        "municipal_response": a.municipal_response,
        "responded_at": plain(a.responded_at),
    }


def plan_index(session: Session, viewer: User | None) -> dict:
    """Every plan the viewer may see, for the plans page."""
    return plan_list(session, plans_of(session, viewer, None))
