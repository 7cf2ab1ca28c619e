"""The equality unit's editing pages: her plans in every state, the import form and the plan
section of the work page (state, details, new items, indicators and periods).

Like `work_pages`, these only offer choices; every action goes through the JSON API, whose
services decide again (`access`, `plans`, `indicators`, `periods`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotPermitted
from app.models import (
    CategoryGroup,
    Direction,
    EqualityPlan,
    IndicatorLevel,
    IndicatorSource,
    ItemKind,
    Mahalle,
    Municipality,
    MunicipalUnit,
    PeriodKind,
    PlanItem,
    PlanState,
    TimeBand,
    User,
)
from app.services.monitoring import access
from app.services.monitoring.indicators import indicators_of
from app.services.monitoring.plans import items_of
from app.services.monitoring.rules import PLAN_TRANSITIONS
from app.services.monitoring.views import plan_index
from app.services.planning import GROUP_NAMES, INDICATORS
from app.services.reference import covered_ids, staff_scope, turkish_sort_key


def is_manager(user: User | None) -> bool:
    return user is not None and user.active and user.role in access.MANAGERS


def plans_page(session: Session, viewer: User | None) -> dict:
    """The plans list; for the equality unit also her municipalities' plans in every state."""
    data = plan_index(session, viewer)
    if not is_manager(viewer):
        return {**data, "managed": [], "can_import": False}
    assert viewer is not None
    codes = {m["code"] for m in manageable_municipalities(session, viewer)}
    managed = [
        {**p, "work_url": f"/plans/{p['code']}/work"}
        for p in data["plans"]
        if p["municipality"] in codes
    ]
    return {**data, "managed": managed, "can_import": True}


def manageable_municipalities(session: Session, user: User) -> list[dict]:
    """The municipalities whose plans this planner (or administrator) may create and edit."""
    scope = staff_scope(session, user)
    stmt = select(Municipality.code, Municipality.name)
    if scope is not None:
        stmt = stmt.where(Municipality.id.in_(scope))
    rows = sorted(session.execute(stmt).all(), key=lambda r: turkish_sort_key(r.name))
    return [{"code": code, "name": name} for code, name in rows]


def import_page(session: Session, user: User) -> dict:
    """The import form's choices: only her municipalities."""
    if not is_manager(user):
        raise NotPermitted("Only the equality unit (planner) or an administrator imports plans.")
    return {"municipalities": manageable_municipalities(session, user)}


def _tree(items: list[PlanItem]) -> list[dict]:
    """Items in tree order (parents before children) with their depth, for a parent list."""
    children: dict[int | None, list[PlanItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[dict] = []

    def walk(parent: int | None, depth: int) -> None:
        for item in children.get(parent, []):
            ordered.append(
                {"code": item.code, "title": item.title_tr, "kind": item.kind.value, "depth": depth}
            )
            walk(item.id, depth + 1)

    walk(None, 0)
    return ordered


def plan_section(session: Session, plan: EqualityPlan) -> dict:
    """What the equality unit's plan section offers: next states, units, the tree, mahalle,
    report groups and the map's numeric indicators to link a target to."""
    units = session.execute(
        select(MunicipalUnit.id, MunicipalUnit.code, MunicipalUnit.name)
        .where(MunicipalUnit.municipality_id == plan.municipality_id)
        .order_by(MunicipalUnit.code)
    ).all()
    unit_code = {u.id: u.code for u in units}
    mahalle = sorted(
        session.execute(
            select(Mahalle.code, Mahalle.name, Mahalle.district).where(
                Mahalle.municipality_id.in_(covered_ids(session, [plan.municipality_id]))
            )
        ).all(),
        key=lambda m: (turkish_sort_key(m.district), turkish_sort_key(m.name)),
    )
    items = items_of(session, plan.id)
    by_id = {i.id: i.code for i in items}
    allowed = PLAN_TRANSITIONS[plan.state]
    return {
        "state": plan.state.value,
        "next_states": [s.value for s in PlanState if s in allowed],
        "council_decision_no": plan.council_decision_no or "",
        "council_decision_date": plan.council_decision_date.isoformat()
        if plan.council_decision_date
        else "",
        "coordinating_unit": unit_code.get(plan.coordinating_unit_id or 0, ""),
        "units": [{"code": u.code, "name": u.name} for u in units],
        "tree": _tree(items),
        "targets": [
            {"code": i.code, "title": i.title_tr} for i in items if i.kind is ItemKind.target
        ],
        "kinds": [k.value for k in ItemKind],
        "mahalle": [{"code": m.code, "name": m.name, "district": m.district} for m in mahalle],
        "groups": [
            {"code": g.value, "tr": GROUP_NAMES[g][0], "en": GROUP_NAMES[g][1]}
            for g in CategoryGroup
            if g in GROUP_NAMES
        ],
        "time_bands": [b.value for b in TimeBand],
        "computed": [
            {"code": d.code, "tr": d.name_tr, "en": d.name_en, "unit": d.unit}
            for d in INDICATORS
            if d.kind != "class"
        ],
        "levels": [v.value for v in IndicatorLevel],
        "sources": [v.value for v in IndicatorSource],
        "directions": [v.value for v in Direction],
        "period_kinds": [v.value for v in PeriodKind],
        "indicators": [
            {
                "code": ind.code,
                "name": ind.name_tr,
                "item": by_id.get(ind.plan_item_id, ""),
                "source": ind.source.value,
                "computed_code": ind.computed_code,
                "groups": list(ind.computed_filters.get("groups", [])),
            }
            for ind in indicators_of(session, plan.id)
        ],
    }
