"""The reporter's tracking endpoints: the code travels in the body, failures are throttled."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from app.api.deps import SessionDep, SettingsDep
from app.schemas.common import ErrorResponse
from app.schemas.reporting import CommentAdded, Deleted, TrackingCode, TrackingComment, TrackingView
from app.services.reporting import tracking

router = APIRouter(prefix="/api/v1", tags=["tracking"])
ERRORS: dict[int | str, dict] = {
    404: {"model": ErrorResponse},
    409: {"model": ErrorResponse},
    422: {"model": ErrorResponse},
    429: {"model": ErrorResponse, "description": "Too many wrong codes; see Retry-After."},
}


def client_key(request: Request, settings: SettingsDep) -> str:
    """The salted, daily-changing hash that stands for this client in the throttle."""
    host = request.client.host if request.client else "unknown"
    return tracking.client_key(settings, host)


ClientKey = Annotated[str, Depends(client_key)]


@router.post("/track", response_model=TrackingView, responses=ERRORS)
def track(body: TrackingCode, db: SessionDep, key: ClientKey) -> TrackingView:
    """Status and timeline of the report whose tracking code is given (in the body)."""
    return tracking.tracking_view(db, key, body.code)


@router.post(
    "/track/comments",
    status_code=status.HTTP_201_CREATED,
    response_model=CommentAdded,
    responses=ERRORS,
)
def comment(body: TrackingComment, db: SessionDep, key: ClientKey) -> CommentAdded:
    """Add information to her report (seen by moderators only). 409 on a deleted report."""
    note = tracking.add_comment(db, key, body.code, body.body)
    return CommentAdded(at=tracking.local_time(note.created_at))


@router.post("/track/delete", response_model=Deleted, responses=ERRORS)
def delete(body: TrackingCode, db: SessionDep, key: ClientKey) -> Deleted:
    """Delete her report: it leaves the map, lists and indicators; the deletion is logged."""
    tracking.delete_report(db, key, body.code)
    return Deleted()
