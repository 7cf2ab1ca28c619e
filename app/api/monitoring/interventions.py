"""Interventions of a plan: the public list and each one's before/after comparison; the
equality unit records and edits them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from app.api.deps import CurrentUser, OptionalUser, PublicReadSession, SessionDep, SettingsDep
from app.schemas.common import PUBLIC_ERRORS, STAFF_ERRORS
from app.schemas.interventions import (
    InterventionCreate,
    InterventionDetail,
    InterventionFields,
    InterventionList,
    InterventionPublic,
)
from app.services.clock import LOCAL_TZ
from app.services.monitoring import access, effects, interventions

router = APIRouter(prefix="/api/v1", tags=["monitoring"])
PlanCode = Annotated[str, Path(max_length=64)]
InterventionCode = Annotated[str, Path(max_length=64)]
WindowMonths = Annotated[
    int, Query(ge=1, le=24, description="Months before and after (shorter if not yet passed).")
]


@router.get("/plans/{code}/interventions", response_model=InterventionList, responses=PUBLIC_ERRORS)
def list_interventions(code: PlanCode, db: PublicReadSession, viewer: OptionalUser) -> dict:
    """What the plan built on the ground, oldest first."""
    plan = access.plan_or_404(db, code, viewer)
    found = interventions.interventions_of(db, plan, viewer)
    return {
        "plan": plan.code,
        "interventions": [interventions.describe(db, plan, i) for i in found],
    }


@router.get(
    "/plans/{code}/interventions/{intervention}",
    response_model=InterventionDetail,
    responses=PUBLIC_ERRORS,
)
def get_intervention(
    code: PlanCode,
    intervention: InterventionCode,
    db: PublicReadSession,
    settings: SettingsDep,
    viewer: OptionalUser,
    window: WindowMonths = 6,
) -> dict:
    """One intervention with the difference in differences of report rates near it and in
    similar mahalle, before and after its completion (protected counts)."""
    plan = access.plan_or_404(db, code, viewer)
    found = interventions.intervention_or_404(db, plan, intervention, viewer)
    today = datetime.now(LOCAL_TZ).date()
    return {
        **interventions.describe(db, plan, found),
        "effect": effects.effect(db, settings, plan, found, today, window),
    }


@router.post(
    "/plans/{code}/interventions",
    status_code=status.HTTP_201_CREATED,
    response_model=InterventionPublic,
    responses=STAFF_ERRORS,
)
def create_intervention(
    code: PlanCode, body: InterventionCreate, db: SessionDep, user: CurrentUser
) -> dict:
    """Record an intervention (the plan's equality unit or an administrator)."""
    plan = access.plan_or_404(db, code, user)
    created = interventions.create_intervention(db, user, plan, body)
    return interventions.describe(db, plan, created)


@router.patch(
    "/plans/{code}/interventions/{intervention}",
    response_model=InterventionPublic,
    responses=STAFF_ERRORS,
)
def update_intervention(
    code: PlanCode,
    intervention: InterventionCode,
    body: InterventionFields,
    db: SessionDep,
    user: CurrentUser,
) -> dict:
    """Change an intervention; every change is in the audit log with before and after."""
    plan = access.plan_or_404(db, code, user)
    found = interventions.intervention_or_404(db, plan, intervention, user)
    interventions.update_intervention(db, user, plan, found, body)
    return interventions.describe(db, plan, found)
