"""Interventions of a plan: record and edit them (the equality unit, audited), read them.

An intervention is public infrastructure (a lamp, an underpass, a bus line), so its place is
shown as recorded; what is protected is what the reports near it say (`effects`).
"""

from __future__ import annotations

from typing import Any

from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import mapping, shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, NotFound
from app.models import EqualityPlan, Intervention, ItemKind, Mahalle, PlanItem, User
from app.schemas.interventions import InterventionCreate, InterventionFields
from app.services import audit
from app.services.monitoring import access
from app.services.monitoring.changes import apply_changes, plain
from app.services.reference import covered_ids


def _place_checks(session: Session, plan: EqualityPlan, geometry: dict) -> Any:
    geom = shape(geometry)
    if not geom.is_valid or geom.is_empty or (geom.length == 0 and geom.geom_type != "Point"):
        raise InvalidInput("The place is not a valid point or line.", field="geometry")
    inside = session.scalar(
        select(func.count(Mahalle.id)).where(
            Mahalle.municipality_id.in_(covered_ids(session, [plan.municipality_id])),
            func.ST_Intersects(Mahalle.geom, from_shape(geom, srid=4326)),
        )
    )
    if not inside:
        raise InvalidInput(
            "The place is outside the plan's municipality: draw it on one of its mahalle.",
            field="geometry",
        )
    return from_shape(geom, srid=4326)


def _mahalle_id(session: Session, plan: EqualityPlan, code: str) -> int:
    found = session.scalar(
        select(Mahalle.id).where(
            Mahalle.code == code,
            Mahalle.municipality_id.in_(covered_ids(session, [plan.municipality_id])),
        )
    )
    if found is None:
        raise InvalidInput(f"Unknown mahalle in this municipality: {code}.", field="mahalle")
    return found


def _served_item(session: Session, plan: EqualityPlan, code: str) -> PlanItem:
    item = session.scalar(
        select(PlanItem).where(PlanItem.plan_id == plan.id, PlanItem.code == code)
    )
    if item is None:
        raise InvalidInput(f"No item {code!r} in plan {plan.code}.", field="item")
    return item


def _changes(session: Session, plan: EqualityPlan, data: InterventionFields) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, value in data.model_dump(exclude_unset=True).items():
        if name == "code":
            continue
        if name == "item":
            item = _served_item(session, plan, value) if value else None
            if item is not None and item.kind not in (ItemKind.activity, ItemKind.target):
                raise InvalidInput(
                    f"An intervention serves an activity or a target, not a {item.kind.value}.",
                    field="item",
                )
            changes["item_id"] = item.id if item else None
        elif name == "geometry":
            changes["geom"] = _place_checks(session, plan, value) if value else None
        elif name == "mahalle":
            changes["mahalle_id"] = _mahalle_id(session, plan, value) if value else None
        elif name == "category_groups":
            changes[name] = [str(g) for g in value or []]
        elif value is None and name in ("kind", "title_tr", "completed_on", "radius_m"):
            raise InvalidInput(f"{name} cannot be emptied.", field=name)
        else:
            changes[name] = value
    return changes


def _check_place(geom: Any, mahalle_id: int | None) -> None:
    if geom is None and mahalle_id is None:
        raise InvalidInput("Give the place: a point or line, or a mahalle.", field="geometry")


def _audit_values(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (mapping(to_shape(v)) if k == "geom" and v is not None else plain(v))
        for k, v in changes.items()
    }


def create_intervention(
    session: Session, user: User, plan: EqualityPlan, data: InterventionCreate
) -> Intervention:
    access.require_manager(session, user, plan.municipality_id)
    taken = select(Intervention.id).where(
        Intervention.plan_id == plan.id, Intervention.code == data.code
    )
    if session.scalar(taken):
        raise Conflict(f"The plan has an intervention {data.code!r} already.", field="code")
    changes = _changes(session, plan, data)
    _check_place(changes.get("geom"), changes.get("mahalle_id"))
    intervention = Intervention(
        municipality_id=plan.municipality_id, plan_id=plan.id, code=data.code, **changes
    )
    session.add(intervention)
    session.flush()
    audit.record(
        session,
        "monitoring.intervention.create",
        actor=user,
        municipality_id=plan.municipality_id,
        after={"plan": plan.code, "code": data.code, **_audit_values(changes)},
    )
    return intervention


def update_intervention(
    session: Session,
    user: User,
    plan: EqualityPlan,
    intervention: Intervention,
    data: InterventionFields,
) -> None:
    access.require_manager(session, user, plan.municipality_id)
    changes = _changes(session, plan, data)
    _check_place(
        changes.get("geom", intervention.geom), changes.get("mahalle_id", intervention.mahalle_id)
    )
    geom_changed = "geom" in changes
    new_geom = changes.pop("geom", None)
    before, after = apply_changes(intervention, changes)
    if geom_changed:
        old = intervention.geom
        before["geom"] = mapping(to_shape(old)) if old is not None else None
        after["geom"] = mapping(to_shape(new_geom)) if new_geom is not None else None
        intervention.geom = new_geom
    if after:
        session.flush()
        audit.record(
            session,
            "monitoring.intervention.update",
            actor=user,
            municipality_id=plan.municipality_id,
            note=f"{plan.code}/{intervention.code}",
            before=before,
            after=after,
        )


def interventions_of(
    session: Session, plan: EqualityPlan, viewer: User | None
) -> list[Intervention]:
    """The plan's interventions the viewer may see (hidden ones only to its staff)."""
    stmt = select(Intervention).where(Intervention.plan_id == plan.id)
    if not access.is_inside(session, viewer, plan.municipality_id):
        stmt = stmt.where(Intervention.is_public.is_(True))
    return list(session.scalars(stmt.order_by(Intervention.completed_on, Intervention.code)))


def intervention_or_404(
    session: Session, plan: EqualityPlan, code: str, viewer: User | None
) -> Intervention:
    for intervention in interventions_of(session, plan, viewer):
        if intervention.code == code:
            return intervention
    raise NotFound(f"No intervention {code!r} in plan {plan.code}.")


def describe(session: Session, plan: EqualityPlan, intervention: Intervention) -> dict:
    """An intervention as the API and the pages show it."""
    item_code = (
        session.scalar(select(PlanItem.code).where(PlanItem.id == intervention.item_id))
        if intervention.item_id
        else None
    )
    mahalle = (
        session.scalar(select(Mahalle.name).where(Mahalle.id == intervention.mahalle_id))
        if intervention.mahalle_id
        else None
    )
    geom = intervention.geom
    return {
        "code": intervention.code,
        "plan": plan.code,
        "kind": intervention.kind,
        "title": {
            "tr": intervention.title_tr,
            "en": intervention.title_en or intervention.title_tr,
        },
        "description": intervention.description,
        "completed_on": intervention.completed_on,
        "item": item_code,
        "mahalle": mahalle,
        "radius_m": intervention.radius_m,
        "category_groups": list(intervention.category_groups),
        "geometry": mapping(to_shape(geom)) if geom is not None else None,
        "is_public": intervention.is_public,
        "page_url": f"/plans/{plan.code}/interventions/{intervention.code}",
    }
