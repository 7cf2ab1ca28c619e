"""The plan items that name a mahalle, for its public panel on the map."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import NotFound
from app.models import Mahalle, PlanItem, User
from app.services.monitoring import access
from app.services.monitoring.compare import walk_items
from app.services.monitoring.plans import plans_of
from app.services.monitoring.views import plan_detail


def targets_naming(
    session: Session, settings: Settings, mahalle_code: str, viewer: User | None
) -> dict:
    """Items of the plans the viewer may see whose targeted mahalle include this one."""
    mahalle = session.scalar(select(Mahalle).where(Mahalle.code == mahalle_code))
    if mahalle is None:
        raise NotFound(f"No mahalle {mahalle_code!r}.")
    plan_ids = set(
        session.scalars(
            select(PlanItem.plan_id).where(PlanItem.mahalle_ids.contains([mahalle.id])).distinct()
        )
    )
    found = []
    for plan in plans_of(session, viewer, None):
        if plan.id not in plan_ids or not access.can_see_plan(session, viewer, plan):
            continue
        detail = plan_detail(session, settings, plan, viewer)
        for node in walk_items(detail["items"]):
            if mahalle.code in node["mahalle"]:
                found.append(
                    {
                        "plan": plan.code,
                        "plan_title": detail["title"],
                        "municipality": detail["municipality_name"],
                        "item": node["code"],
                        "kind": node["kind"],
                        "title": node["title"],
                        "status": node["status"],
                        "progress": node["progress"],
                        "url": f"/plans/{plan.code}",
                    }
                )
    return {"mahalle": mahalle.code, "name": mahalle.name, "targets": found}
