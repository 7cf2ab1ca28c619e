"""The staff work page of a plan: what this user may do on it, and the forms' choices.

The page only offers; every action goes through the JSON API, whose services decide again
(`access`), so a form shown by mistake could still not do more than its user may.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import NotFound
from app.models import (
    IndicatorSource,
    ItemKind,
    ItemStatus,
    MunicipalUnit,
    PeriodState,
    PlanIndicator,
    PlanItem,
    Rating,
    Role,
    User,
)
from app.services.monitoring import access
from app.services.monitoring.edit_pages import plan_section
from app.services.monitoring.indicators import indicators_of
from app.services.monitoring.periods import periods_of
from app.services.monitoring.plans import items_of
from app.services.monitoring.views import plan_detail

UPDATABLE = (PeriodState.open, PeriodState.collecting)


def work_page(session: Session, settings: Settings, code: str, user: User) -> dict:
    """The plan as its staff see it, with the sections this user may act in."""
    plan = access.plan_or_404(session, code, user)
    if not access.is_inside(session, user, plan.municipality_id):
        raise NotFound(f"No equality plan {code!r} to work on.")
    detail = plan_detail(session, settings, plan, user)
    manages = user.role in access.MANAGERS
    own_units = access.reporter_units(session, user) if user.role is Role.unit_reporter else set()
    reports_on = manages or bool(own_units)
    unit_codes = dict(
        session.execute(
            select(MunicipalUnit.id, MunicipalUnit.code).where(
                MunicipalUnit.municipality_id == plan.municipality_id
            )
        ).all()
    )

    def mine(item: PlanItem) -> bool:
        return manages or item.responsible_unit_id in own_units

    items = [
        {"code": i.code, "title": i.title_tr, "kind": i.kind.value}
        for i in items_of(session, plan.id)
        if i.kind in (ItemKind.activity, ItemKind.target) and mine(i)
    ]
    own_items = {i["code"] for i in items}
    by_id = {i.id: i for i in items_of(session, plan.id)}
    indicators = [
        {"code": ind.code, "name": ind.name_tr, "unit": ind.unit}
        for ind in indicators_of(session, plan.id)
        if ind.source is not IndicatorSource.computed and _owns(ind, by_id, own_units, manages)
    ]
    periods = periods_of(session, plan.id)
    board = access.board_membership(session, user, plan) is not None
    updates = detail["updates"]
    return {
        **detail,
        "user_role": user.role.value,
        "can_manage": manages,
        "edit": plan_section(session, plan) if manages else None,
        "can_report": reports_on,
        "is_board": board,
        "answers_board": user.role in access.MUNICIPALITY_SIDE,
        "own_units": sorted(unit_codes[u] for u in own_units if u in unit_codes),
        "update_items": items if reports_on else [],
        "observation_indicators": indicators if reports_on else [],
        "open_periods": [p.label for p in periods if p.state in UPDATABLE],
        "all_periods": [{"label": p.label, "state": p.state.value} for p in periods],
        "statuses": [s.value for s in ItemStatus],
        "ratings": [r.value for r in Rating],
        "to_review": [u for u in updates if u["review_state"] == "submitted"] if manages else [],
        "drafts": [
            u
            for u in updates
            if u["review_state"] in ("draft", "returned") and u["item"] in own_items
        ],
        "to_answer": [
            a for a in detail["assessments"] if a["published_at"] and not a["municipal_response"]
        ]
        if user.role in access.MUNICIPALITY_SIDE
        else [],
        "board_drafts": [a for a in detail["assessments"] if not a["published_at"]]
        if board
        else [],
    }


def _owns(indicator: PlanIndicator, items: dict, own_units: set[int], manages: bool) -> bool:
    if manages:
        return True
    item = items.get(indicator.plan_item_id)
    return bool(
        {indicator.data_owner_unit_id, item.responsible_unit_id if item else None} & own_units
    )
