"""The municipal response: moderators and planners record forwarded / in progress / resolved /
declined, each with a public note."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.deps import CurrentUser, SessionDep, require_role
from app.api.filters import MunicipalityCode, PageDep
from app.models import MunicipalStatus, Role
from app.schemas.common import STAFF_ERRORS
from app.schemas.moderation import MunicipalList, MunicipalNote, MunicipalUpdate
from app.services import reference
from app.services.moderation import municipal

router = APIRouter(
    prefix="/api/v1/municipal",
    tags=["municipal"],
    dependencies=[Depends(require_role(Role.moderator, Role.planner))],
    responses=STAFF_ERRORS,
)


@router.get("/reports", response_model=MunicipalList)
def list_reports(
    db: SessionDep,
    user: CurrentUser,
    page: PageDep,
    municipal_status: Annotated[MunicipalStatus | None, Query()] = None,
    municipality: MunicipalityCode = None,
    forwarded_to_me: Annotated[
        bool, Query(description="Only reports forwarded to your municipalities.")
    ] = False,
):
    """Published reports the municipality can act on, oldest first, with their response and
    who acts on each (the responsibility table)."""
    total, items = municipal.municipal_reports(
        db,
        user,
        municipal_status,
        limit=page.limit,
        offset=page.offset,
        area=reference.staff_area(db, user, municipality),
        forwarded_to_me=forwarded_to_me,
    )
    return {"items": items, "total": total}


@router.post("/reports/{public_id}/status", response_model=MunicipalNote, status_code=201)
def update_status(public_id: str, body: MunicipalUpdate, db: SessionDep, user: CurrentUser):
    """Record a step: forwarded (with the department), in_progress, resolved or declined."""
    status = MunicipalStatus(body.status)
    return municipal.record_update(db, user, public_id, status, body.note, body.department)
