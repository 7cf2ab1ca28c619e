"""Moderation API: the queue and approve/reject. Moderators and administrators only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.deps import Moderator, SessionDep, require_role
from app.api.filters import PageDep
from app.models import ReportStatus, Role
from app.schemas.common import ErrorResponse
from app.schemas.moderation import ModerationQueue, ModerationResult, RejectRequest
from app.services import moderation

# Authenticated by default: every route here needs a moderator (or admin).
router = APIRouter(
    prefix="/api/v1/moderation",
    tags=["moderation"],
    dependencies=[Depends(require_role(Role.moderator))],
    responses={
        401: {"model": ErrorResponse},
        403: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
        409: {"model": ErrorResponse},
    },
)


@router.get("/reports", response_model=ModerationQueue)
def queue(
    db: SessionDep,
    user: Moderator,
    page: PageDep,
    status: Annotated[ReportStatus, Query()] = ReportStatus.pending,
    newest_first: bool = False,
):
    """Reports waiting for a decision (oldest first by default), with exact locations."""
    total, items = moderation.moderation_queue(
        db, user, status, limit=page.limit, offset=page.offset, newest_first=newest_first
    )
    return {"items": items, "total": total}


@router.post("/reports/{public_id}/approve", response_model=ModerationResult)
def approve(public_id: str, db: SessionDep, user: Moderator):
    """Publish a report (its displaced location and its text become public)."""
    return moderation.approve(db, user, public_id)


@router.post("/reports/{public_id}/reject", response_model=ModerationResult)
def reject(public_id: str, body: RejectRequest, db: SessionDep, user: Moderator):
    """Reject a report with a reason code."""
    return moderation.reject(db, user, public_id, body.reason, body.note)
