"""Audit walk API: volunteers record walks and their points; moderators approve or reject.

Moderators and administrators only (router-level dependency); every walk is scoped to the
municipalities the viewer's role covers (another municipality's walk is 404).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from app.api.audits.upload import POINT_BODY, PointUpload, point_upload
from app.api.deps import Moderator, SessionDep, SettingsDep, require_role
from app.models import Role, WalkStatus
from app.schemas.audits import (
    PointStaff,
    WalkApproval,
    WalkCreate,
    WalkDetail,
    WalkList,
    WalkRejection,
)
from app.schemas.common import STAFF_ERRORS, errors, file_answer
from app.services import audits

router = APIRouter(
    prefix="/api/v1/audits",
    tags=["audits"],
    dependencies=[Depends(require_role(Role.moderator))],
    responses=STAFF_ERRORS,
)
WalkId = Annotated[str, Path(max_length=36)]


@router.post("/walks", response_model=WalkDetail, status_code=201)
def create_walk(body: WalkCreate, response: Response, db: SessionDep, user: Moderator):
    """Start a walk in a mahalle of a municipality the volunteer holds (201); the same
    `client_id` again gives back the walk it started (200)."""
    walk, created = audits.create_walk(db, user, body)
    if not created:
        response.status_code = 200
    return audits.walk_detail(db, user, str(walk.id))


@router.get("/walks", response_model=WalkList)
def list_walks(
    db: SessionDep, user: Moderator, status: Annotated[WalkStatus | None, Query()] = None
):
    """Walks of the viewer's municipalities, newest first (optionally of one status)."""
    return {"walks": audits.walks_for_staff(db, user, status)}


@router.get("/walks/{walk_id}", response_model=WalkDetail)
def get_walk(walk_id: WalkId, db: SessionDep, user: Moderator):
    """One walk with its points: exact locations, notes and their personal-data hints."""
    return audits.walk_detail(db, user, walk_id)


@router.post(
    "/walks/{walk_id}/points",
    response_model=PointStaff,
    status_code=201,
    openapi_extra=POINT_BODY,
    responses=errors(413),
)
def add_point(
    walk_id: WalkId,
    upload: Annotated[PointUpload, Depends(point_upload)],
    db: SessionDep,
    settings: SettingsDep,
    user: Moderator,
    response: Response,
):
    """Add a scored point (JSON, or a form with `point` and an optional `photo`); sending the
    same `client_id` again stores nothing new and answers 200."""
    point, created = audits.add_point(db, settings, user, walk_id, upload.data, upload.photo)
    if not created:
        response.status_code = 200
    detail = audits.walk_detail(db, user, walk_id)
    return next(p for p in detail["point_list"] if p["id"] == point.id)


@router.post("/walks/{walk_id}/submit", response_model=WalkDetail)
def submit_walk(walk_id: WalkId, db: SessionDep, user: Moderator):
    """Hand the recorded walk to moderation."""
    audits.submit_walk(db, user, walk_id)
    return audits.walk_detail(db, user, walk_id)


@router.post("/walks/{walk_id}/approve", response_model=WalkDetail)
def approve_walk(walk_id: WalkId, body: WalkApproval, db: SessionDep, user: Moderator):
    """Publish a submitted walk (another volunteer than its recorder)."""
    return audits.approve_walk(db, user, walk_id, body.note)


@router.post("/walks/{walk_id}/reject", response_model=WalkDetail)
def reject_walk(walk_id: WalkId, body: WalkRejection, db: SessionDep, user: Moderator):
    """Reject a submitted walk with a reason."""
    return audits.reject_walk(db, user, walk_id, body.reason, body.note)


@router.get(
    "/photos/{photo_id}",
    response_class=Response,
    responses=file_answer("The photo, re-encoded without metadata.", "image/jpeg"),
)
def get_photo(photo_id: Annotated[str, Path(max_length=36)], db: SessionDep, user: Moderator):
    """An audit point's photo (JPEG, no metadata): staff of its municipality only."""
    content = audits.photo_for_staff(db, user, photo_id)
    return Response(
        content,
        media_type="image/jpeg",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )
