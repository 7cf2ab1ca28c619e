"""Plan indicators (performans göstergeleri): create and edit, audited.

A target needs its baseline period; a computed indicator names one of the map's indicators.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, NotFound
from app.models import EqualityPlan, IndicatorSource, PlanIndicator, User
from app.schemas.monitoring import IndicatorCreate, IndicatorFields
from app.services import audit
from app.services.monitoring import access
from app.services.monitoring.changes import apply_changes, plain
from app.services.monitoring.plans import item_by_code
from app.services.monitoring.units import unit_by_code
from app.services.planning import BY_CODE


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
        if BY_CODE[code].kind == "class":
            raise InvalidInput(
                f"{code!r} is a class (a label per mahalle), not a number: a computed "
                "indicator names one of the map's numeric indicators.",
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
    before, after = apply_changes(indicator, changes)
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
