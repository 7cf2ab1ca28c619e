"""Plans and the item tree: create and edit, audited (units: `units`; indicators:
`indicators`).

Every change is one `audit.record` with the before and after values of what changed. Checks
run before any write, so a refused request leaves nothing half-saved (and the request's
transaction rolls back whatever came before the refusal).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, NotFound
from app.models import (
    EqualityPlan,
    ItemKind,
    Mahalle,
    PlanItem,
    PlanState,
    User,
)
from app.schemas.monitoring import (
    ItemCreate,
    ItemFields,
    PlanCreate,
    PlanFields,
)
from app.services import audit
from app.services.monitoring import access
from app.services.monitoring.changes import apply_changes, plain
from app.services.monitoring.rules import (
    DEFAULT_PROGRESS,
    KIND_RANK,
    PLAN_TRANSITIONS,
    check_progress,
    check_transition,
)
from app.services.monitoring.units import unit_by_code
from app.services.reference import covered_ids, municipality_by_code

MAX_TREE_DEPTH = 16
# Codes the plan pages and API use as paths of their own (/plans/import, /plans/compare, ...):
# a plan with one of them would be unreachable at /plans/{code}.
RESERVED_CODES = frozenset({"compare", "import", "targets"})

# --- Plans -----------------------------------------------------------------------------------


def _plan_changes(session: Session, plan_municipality: int, data: PlanFields) -> dict[str, Any]:
    fields = data.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("municipality", "code", "is_example"):
            continue
        if name == "coordinating_unit":
            changes["coordinating_unit_id"] = (
                unit_by_code(session, plan_municipality, value, name).id if value else None
            )
        elif name == "predecessor":
            changes["predecessor_id"] = _predecessor(session, plan_municipality, value)
        else:
            changes[name] = value
    return changes


def _predecessor(session: Session, municipality_id: int, code: str | None) -> int | None:
    if code is None:
        return None
    found = session.scalar(select(EqualityPlan).where(EqualityPlan.code == code))
    if found is None or found.municipality_id != municipality_id:
        raise InvalidInput(
            f"No plan {code!r} of this municipality to succeed.", field="predecessor"
        )
    return found.id


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput("period_end must not be before period_start.", field="period_end")


def create_plan(session: Session, user: User, data: PlanCreate) -> EqualityPlan:
    municipality = municipality_by_code(session, data.municipality, field="municipality")
    access.require_manager(session, user, municipality.id)
    if data.code.lower() in RESERVED_CODES:
        raise InvalidInput(
            f"{data.code!r} is a word the plan pages use; choose another plan code.", field="code"
        )
    if session.scalar(select(EqualityPlan.id).where(EqualityPlan.code == data.code)):
        raise Conflict(f"A plan with the code {data.code!r} exists already.", field="code")
    _check_period(data.period_start, data.period_end)
    changes = _plan_changes(session, municipality.id, data)
    plan = EqualityPlan(
        municipality_id=municipality.id,
        code=data.code,
        state=PlanState.draft,
        is_example=data.is_example,
        **changes,
    )
    session.add(plan)
    session.flush()
    audit.record(
        session,
        "monitoring.plan.create",
        actor=user,
        municipality_id=municipality.id,
        after={"code": plan.code, **{k: plain(v) for k, v in changes.items()}},
    )
    return plan


def update_plan(session: Session, user: User, plan: EqualityPlan, data: PlanFields) -> None:
    access.require_manager(session, user, plan.municipality_id)
    changes = _plan_changes(session, plan.municipality_id, data)
    _check_period(
        changes.get("period_start", plan.period_start), changes.get("period_end", plan.period_end)
    )
    if changes.get("predecessor_id") == plan.id:
        raise InvalidInput("A plan cannot succeed itself.", field="predecessor")
    before, after = apply_changes(plan, changes)
    if after:
        session.flush()
        audit.record(
            session,
            "monitoring.plan.update",
            actor=user,
            municipality_id=plan.municipality_id,
            note=plan.code,
            before=before,
            after=after,
        )


def change_plan_state(session: Session, user: User, plan: EqualityPlan, state: PlanState) -> None:
    access.require_manager(session, user, plan.municipality_id)
    check_transition(PLAN_TRANSITIONS, plan.state, state, "plan")
    before = plan.state
    plan.state = state
    if state is not PlanState.draft and plan.published_at is None:
        plan.published_at = datetime.now(UTC)
    session.flush()
    audit.record(
        session,
        "monitoring.plan.state",
        actor=user,
        municipality_id=plan.municipality_id,
        note=plan.code,
        before={"state": before.value},
        after={"state": state.value},
    )


def plans_of(session: Session, viewer: User | None, area: tuple[int, ...] | None):
    """Plans the viewer may see, optionally within an area (municipality ids)."""
    stmt = select(EqualityPlan).order_by(EqualityPlan.period_start.desc(), EqualityPlan.code)
    if area is not None:
        stmt = stmt.where(EqualityPlan.municipality_id.in_(area))
    return [p for p in session.scalars(stmt) if access.can_see_plan(session, viewer, p)]


# --- Items -----------------------------------------------------------------------------------


def item_by_code(session: Session, plan: EqualityPlan, code: str, field: str = "item") -> PlanItem:
    item = session.scalar(
        select(PlanItem).where(PlanItem.plan_id == plan.id, PlanItem.code == code)
    )
    if item is None:
        if field == "item":
            raise NotFound(f"No item {code!r} in plan {plan.code}.")
        raise InvalidInput(f"No item {code!r} in plan {plan.code}.", field=field)
    return item


def items_of(session: Session, plan_id: int) -> list[PlanItem]:
    return list(
        session.scalars(
            select(PlanItem)
            .where(PlanItem.plan_id == plan_id)
            .order_by(PlanItem.sort, PlanItem.code)
        )
    )


def _check_parent(session: Session, item_id: int | None, kind: ItemKind, parent: PlanItem) -> None:
    """Refuse a cycle (the parent is the item or below it) and a parent of a lower level."""
    node: PlanItem | None = parent
    for _ in range(MAX_TREE_DEPTH):
        if node is None:
            break
        if item_id is not None and node.id == item_id:
            raise InvalidInput(
                f"Item {parent.code} is the item itself or one of its descendants: the tree "
                "would have a cycle.",
                field="parent",
            )
        node = session.get(PlanItem, node.parent_id) if node.parent_id else None
    else:
        raise InvalidInput(f"The tree is deeper than {MAX_TREE_DEPTH} levels.", field="parent")
    if KIND_RANK[parent.kind] >= KIND_RANK[kind]:
        raise InvalidInput(
            f"A {kind.value} cannot sit under a {parent.kind.value} (theme > objective > "
            "target > activity).",
            field="parent",
        )


def _mahalle_ids(session: Session, plan: EqualityPlan, codes: list[str]) -> list[int]:
    found = dict(
        session.execute(
            select(Mahalle.code, Mahalle.id).where(
                Mahalle.code.in_(codes), Mahalle.municipality_id.in_(_plan_area(session, plan))
            )
        ).all()
    )
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(
            f"Unknown mahalle in this municipality: {', '.join(missing)}.", field="mahalle"
        )
    return [found[c] for c in codes]


def _plan_area(session: Session, plan: EqualityPlan) -> tuple[int, ...]:
    return covered_ids(session, [plan.municipality_id])


def _item_changes(
    session: Session, plan: EqualityPlan, item: PlanItem | None, data: ItemFields
) -> dict[str, Any]:
    fields = data.model_dump(exclude_unset=True)
    kind: ItemKind = fields.get("kind") or (item.kind if item else ItemKind.activity)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "code":
            continue
        if name == "parent":
            if value is None:
                changes["parent_id"] = None
            else:
                parent = item_by_code(session, plan, value, field="parent")
                _check_parent(session, item.id if item else None, kind, parent)
                changes["parent_id"] = parent.id
        elif name == "responsible_unit":
            changes["responsible_unit_id"] = (
                unit_by_code(session, plan.municipality_id, value, name).id if value else None
            )
        elif name == "partner_units":
            changes["partner_unit_ids"] = [
                unit_by_code(session, plan.municipality_id, c, name).id for c in value or []
            ]
        elif name == "mahalle":
            changes["mahalle_ids"] = _mahalle_ids(session, plan, value or [])
        elif name == "report_category_groups":
            changes[name] = [g.value for g in value or []]
        elif name == "weight":
            changes[name] = Decimal(str(value)) if value is not None else None
        elif name in ("cemr_articles", "sdg_targets", "partner_orgs"):
            changes[name] = list(value or [])
        else:
            changes[name] = value
    if "kind" in fields and "parent" not in fields and item and item.parent_id:
        _check_parent(session, item.id, kind, session.get_one(PlanItem, item.parent_id))
    progress = fields.get("progress")
    check_progress(progress)
    if progress is not None and kind is not ItemKind.activity:
        raise InvalidInput(
            "progress is entered on activities only; a theme's, objective's or target's "
            "progress is rolled up from its children.",
            field="progress",
        )
    if "status" in fields and "progress" not in fields and kind is ItemKind.activity:
        # Choosing a status fills in its default progress (Decidim); none keeps the value.
        default = DEFAULT_PROGRESS[fields["status"]]
        if default is not None:
            changes["progress"] = default
    if "progress" in changes and changes["progress"] is not None:
        changes["progress"] = Decimal(str(changes["progress"]))
    if changes.get("kind") not in (None, ItemKind.activity) and item and item.progress is not None:
        changes["progress"] = None
    return changes


def create_item(session: Session, user: User, plan: EqualityPlan, data: ItemCreate) -> PlanItem:
    access.require_manager(session, user, plan.municipality_id)
    if session.scalar(
        select(PlanItem.id).where(PlanItem.plan_id == plan.id, PlanItem.code == data.code)
    ):
        raise Conflict(f"Plan {plan.code} has an item {data.code!r} already.", field="code")
    changes = _item_changes(session, plan, None, data)
    item = PlanItem(
        municipality_id=plan.municipality_id, plan_id=plan.id, code=data.code, **changes
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        "monitoring.item.create",
        actor=user,
        municipality_id=plan.municipality_id,
        note=f"{plan.code} {item.code}",
        after={"code": item.code, **{k: plain(v) for k, v in changes.items()}},
    )
    return item


def update_item(
    session: Session, user: User, plan: EqualityPlan, item: PlanItem, data: ItemFields
) -> None:
    access.require_manager(session, user, plan.municipality_id)
    changes = _item_changes(session, plan, item, data)
    before, after = apply_changes(item, changes)
    if after:
        session.flush()
        audit.record(
            session,
            "monitoring.item.update",
            actor=user,
            municipality_id=plan.municipality_id,
            note=f"{plan.code} {item.code}",
            before=before,
            after=after,
        )
