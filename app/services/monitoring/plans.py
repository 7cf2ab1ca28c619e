"""Plans, municipal units, the item tree and indicators: create and edit, audited.

Every change is one `audit.record` with the before and after values of what changed. Checks
run before any write, so a refused request leaves nothing half-saved (and the request's
transaction rolls back whatever came before the refusal).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, NotFound, NotPermitted
from app.models import (
    EqualityPlan,
    IndicatorSource,
    ItemKind,
    Mahalle,
    MunicipalUnit,
    PlanIndicator,
    PlanItem,
    PlanState,
    Role,
    UnitReporter,
    User,
)
from app.schemas.monitoring import (
    IndicatorCreate,
    IndicatorFields,
    ItemCreate,
    ItemFields,
    PlanCreate,
    PlanFields,
    UnitCreate,
)
from app.services import audit
from app.services.monitoring import access
from app.services.monitoring.rules import (
    DEFAULT_PROGRESS,
    KIND_RANK,
    PLAN_TRANSITIONS,
    check_progress,
    check_transition,
)
from app.services.planning import BY_CODE
from app.services.reference import covered_ids, municipality_by_code

MAX_TREE_DEPTH = 16


def plain(value: Any) -> Any:
    """A value as JSON for the audit log."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _apply(obj: Any, changes: dict[str, Any]) -> tuple[dict, dict]:
    """Set the changed attributes; return (before, after) of those that changed."""
    before, after = {}, {}
    for name, value in changes.items():
        old = getattr(obj, name)
        if plain(old) != plain(value):
            before[name], after[name] = plain(old), plain(value)
            setattr(obj, name, value)
    return before, after


# --- Units -----------------------------------------------------------------------------------


def unit_by_code(session: Session, municipality_id: int, code: str, field: str) -> MunicipalUnit:
    unit = session.scalar(
        select(MunicipalUnit).where(
            MunicipalUnit.municipality_id == municipality_id, MunicipalUnit.code == code
        )
    )
    if unit is None:
        raise InvalidInput(
            f"Unknown municipal unit {code!r} in this municipality (create it first: POST "
            "/api/v1/monitoring/units).",
            field=field,
        )
    return unit


def create_unit(session: Session, user: User, data: UnitCreate) -> MunicipalUnit:
    municipality = municipality_by_code(session, data.municipality, field="municipality")
    access.require_manager(session, user, municipality.id)
    parent = (
        unit_by_code(session, municipality.id, data.parent_code, "parent_code")
        if data.parent_code
        else None
    )
    if session.scalar(
        select(MunicipalUnit.id).where(
            MunicipalUnit.municipality_id == municipality.id, MunicipalUnit.code == data.code
        )
    ):
        raise Conflict(f"The unit {data.code!r} exists already.", field="code")
    unit = MunicipalUnit(
        municipality_id=municipality.id,
        code=data.code,
        name=data.name,
        parent_unit_id=parent.id if parent else None,
        contact_email=data.contact_email,
    )
    session.add(unit)
    session.flush()
    audit.record(
        session,
        "monitoring.unit.create",
        actor=user,
        municipality_id=municipality.id,
        after={"code": unit.code, "name": unit.name},
    )
    return unit


def units_of(session: Session, municipality_id: int) -> list[MunicipalUnit]:
    return list(
        session.scalars(
            select(MunicipalUnit)
            .where(MunicipalUnit.municipality_id == municipality_id)
            .order_by(MunicipalUnit.code)
        )
    )


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
    before, after = _apply(plan, changes)
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
    before, after = _apply(item, changes)
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


# --- Indicators ------------------------------------------------------------------------------


def indicator_by_code(
    session: Session, plan: EqualityPlan, code: str, field: str = "indicator"
) -> PlanIndicator:
    found = session.scalar(
        select(PlanIndicator).where(PlanIndicator.plan_id == plan.id, PlanIndicator.code == code)
    )
    if found is None:
        if field == "indicator":
            raise NotFound(f"No indicator {code!r} in plan {plan.code}.")
        raise InvalidInput(f"No indicator {code!r} in plan {plan.code}.", field=field)
    return found


def indicators_of(session: Session, plan_id: int) -> list[PlanIndicator]:
    return list(
        session.scalars(
            select(PlanIndicator)
            .where(PlanIndicator.plan_id == plan_id)
            .order_by(PlanIndicator.code)
        )
    )


def _indicator_changes(
    session: Session, plan: EqualityPlan, current: PlanIndicator | None, data: IndicatorFields
) -> dict[str, Any]:
    fields = data.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    filters = dict(current.computed_filters) if current else {}
    for name, value in fields.items():
        if name == "code":
            continue
        if name == "item":
            changes["plan_item_id"] = item_by_code(session, plan, value, field="item").id
        elif name == "data_owner_unit":
            changes["data_owner_unit_id"] = (
                unit_by_code(session, plan.municipality_id, value, name).id if value else None
            )
        elif name == "computed_groups":
            filters["groups"] = [g.value for g in value or []]
        elif name == "computed_time_bands":
            filters["time_bands"] = [b.value for b in value or []]
        elif name == "weight":
            changes[name] = Decimal(str(value)) if value is not None else None
        elif name == "yearly_targets":
            changes[name] = dict(value or {})
        else:
            changes[name] = value
    changes["computed_filters"] = filters

    def final(name: str):
        return changes[name] if name in changes else getattr(current, name, None)

    if final("target_value") is not None and final("baseline_period") is None:
        raise InvalidInput(
            "An indicator with a target needs its baseline period (the year of the baseline "
            "value): give baseline_period.",
            field="baseline_period",
        )
    if final("target_value") is not None and final("target_period") is None:
        raise InvalidInput("A target needs its target_period (a year).", field="target_period")
    if (
        final("target_period") is not None
        and final("baseline_period") is not None
        and final("target_period") <= final("baseline_period")
    ):
        raise InvalidInput("target_period must come after baseline_period.", field="target_period")
    if final("source") is IndicatorSource.computed:
        code = final("computed_code")
        if code is None or code not in BY_CODE:
            raise InvalidInput(
                f"A computed indicator names one of the map's indicators (GET "
                f"/api/v1/indicators/definitions); {code!r} is not one.",
                field="computed_code",
            )
    return changes


def create_indicator(
    session: Session, user: User, plan: EqualityPlan, data: IndicatorCreate
) -> PlanIndicator:
    access.require_manager(session, user, plan.municipality_id)
    if session.scalar(
        select(PlanIndicator.id).where(
            PlanIndicator.plan_id == plan.id, PlanIndicator.code == data.code
        )
    ):
        raise Conflict(f"Plan {plan.code} has an indicator {data.code!r} already.", field="code")
    changes = _indicator_changes(session, plan, None, data)
    indicator = PlanIndicator(
        municipality_id=plan.municipality_id, plan_id=plan.id, code=data.code, **changes
    )
    session.add(indicator)
    session.flush()
    audit.record(
        session,
        "monitoring.indicator.create",
        actor=user,
        municipality_id=plan.municipality_id,
        note=f"{plan.code} {indicator.code}",
        after={"code": indicator.code, **{k: plain(v) for k, v in changes.items()}},
    )
    return indicator


def update_indicator(
    session: Session,
    user: User,
    plan: EqualityPlan,
    indicator: PlanIndicator,
    data: IndicatorFields,
) -> None:
    access.require_manager(session, user, plan.municipality_id)
    changes = _indicator_changes(session, plan, indicator, data)
    before, after = _apply(indicator, changes)
    if after:
        session.flush()
        audit.record(
            session,
            "monitoring.indicator.update",
            actor=user,
            municipality_id=plan.municipality_id,
            note=f"{plan.code} {indicator.code}",
            before=before,
            after=after,
        )


def attach_unit_reporter(
    session: Session, user: User, municipality_code: str, unit_code: str, email: str
) -> UnitReporter:
    """Attach a unit reporter's account to a unit (the equality unit does it; audited)."""
    municipality = municipality_by_code(session, municipality_code, field="municipality")
    access.require_manager(session, user, municipality.id)
    unit = unit_by_code(session, municipality.id, unit_code, "unit")
    reporter = session.scalar(select(User).where(User.email == email.strip().lower()))
    if reporter is None or reporter.role is not Role.unit_reporter:
        raise InvalidInput(
            f"No unit reporter account {email!r} (its role must be unit_reporter).",
            field="email",
        )
    if not access.covers(session, reporter, municipality.id):
        raise InvalidInput(
            "The account's role is not held in this municipality (set its municipalities).",
            field="email",
        )
    link = session.get(UnitReporter, (reporter.id, unit.id))
    if link is None:
        link = UnitReporter(user_id=reporter.id, unit_id=unit.id, municipality_id=municipality.id)
        session.add(link)
        session.flush()
        audit.record(
            session,
            "monitoring.unit.reporter",
            actor=user,
            target_user_id=reporter.id,
            municipality_id=municipality.id,
            after={"unit": unit.code},
        )
    return link


def unit_list(session: Session, user: User, municipality_code: str | None) -> list[dict]:
    """A municipality's units for its monitoring staff (a code is needed but for one scope)."""
    if municipality_code is None:
        raise InvalidInput("Give municipality= (a code).", field="municipality")
    municipality = municipality_by_code(session, municipality_code, field="municipality")
    if not access.is_inside(session, user, municipality.id):
        raise NotPermitted(f"Your role does not cover the municipality {municipality_code!r}.")
    return [
        {"code": u.code, "name": u.name, "contact_email": u.contact_email}
        for u in units_of(session, municipality.id)
    ]
