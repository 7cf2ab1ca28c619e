"""Moderation API: the queue, the actions of the state machine, edit locks, bulk decisions.

Moderators and administrators only (router-level dependency). The municipal response routes
are in app/api/moderation/municipal.py (moderators and planners).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.api.deps import Moderator, SessionDep, SettingsDep, require_role
from app.api.filters import MAX_AGE_HOURS, MunicipalityCode, PageDep
from app.models import ReportStatus, Role
from app.schemas.common import STAFF_ERRORS
from app.schemas.moderation import (
    ApproveRequest,
    BulkRequest,
    BulkResult,
    CategoryChange,
    HideRequest,
    LocationCorrection,
    LockResult,
    MahalleCount,
    MergeCandidate,
    MergeRequest,
    ModerationQueue,
    ModerationResult,
    NoteRequest,
    NoteResult,
    RedactRequest,
    RejectRequest,
    UnmergeRequest,
)
from app.services import reference
from app.services.moderation import actions as moderation
from app.services.moderation import bulk as moderation_bulk
from app.services.moderation import merges as moderation_merges
from app.services.moderation import queue as moderation_queue

# Authenticated by default: every route here needs a moderator (or admin).
router = APIRouter(
    prefix="/api/v1/moderation",
    tags=["moderation"],
    dependencies=[Depends(require_role(Role.moderator))],
    responses=STAFF_ERRORS,
)


@router.get("/reports", response_model=ModerationQueue)
def queue(
    db: SessionDep,
    user: Moderator,
    page: PageDep,
    status: Annotated[ReportStatus, Query()] = ReportStatus.pending,
    newest_first: bool = False,
    category: Annotated[str | None, Query(max_length=64)] = None,
    mahalle_id: int | None = None,
    min_age_hours: Annotated[float | None, Query(ge=0, le=MAX_AGE_HOURS)] = None,
    max_age_hours: Annotated[float | None, Query(ge=0, le=MAX_AGE_HOURS)] = None,
    municipality: MunicipalityCode = None,
):
    """Reports in a status (pending by default, oldest first) in the viewer's municipalities
    (or the one asked for, within them), with exact locations, photos, "me too" counts,
    personal-data hints, edit locks and who would act on it."""
    filters = moderation_queue.QueueFilters(
        status,
        category,
        mahalle_id,
        min_age_hours,
        max_age_hours,
        newest_first,
        reference.staff_area(db, user, municipality),
    )
    total, items = moderation_queue.moderation_queue(
        db, user, filters, limit=page.limit, offset=page.offset
    )
    return {"items": items, "total": total}


@router.get("/mahalle", response_model=list[MahalleCount])
def mahalle_in_queue(
    db: SessionDep,
    user: Moderator,
    status: Annotated[ReportStatus, Query()] = ReportStatus.pending,
    municipality: MunicipalityCode = None,
):
    """Mahalle with reports in a status, and how many (for the queue's filter)."""
    area = reference.staff_area(db, user, municipality)
    return moderation_queue.mahalle_in_queue(db, user, status, area)


@router.post("/reports/{public_id}/approve", response_model=ModerationResult)
def approve(public_id: str, db: SessionDep, user: Moderator, body: ApproveRequest | None = None):
    """Publish a report (its displaced location and its public text become public).

    409 `personal_data_hints` while the public text has personal-data hints, unless the body
    overrides them with a reason (audited with the hint kinds)."""
    override = body.override_pii.reason if body and body.override_pii else None
    return moderation.approve(db, user, public_id, override)


@router.post("/reports/{public_id}/reject", response_model=ModerationResult)
def reject(public_id: str, body: RejectRequest, db: SessionDep, user: Moderator):
    """Reject a pending report with a reason code (a note is required for "other")."""
    return moderation.reject(db, user, public_id, body.reason, body.note)


@router.post("/reports/{public_id}/hide", response_model=ModerationResult)
def hide(public_id: str, body: HideRequest, db: SessionDep, user: Moderator):
    """Take a published report off the public map."""
    return moderation.hide(db, user, public_id, body.note)


@router.post("/reports/{public_id}/redact", response_model=ModerationResult)
def redact(public_id: str, body: RedactRequest, db: SessionDep, user: Moderator):
    """Set the text the public reads; the original is kept for moderators and admins."""
    return moderation.redact(db, user, public_id, body.redacted_text)


@router.post("/reports/{public_id}/category", response_model=ModerationResult)
def change_category(public_id: str, body: CategoryChange, db: SessionDep, user: Moderator):
    """Move a report to another category."""
    return moderation.change_category(db, user, public_id, body.category)


@router.post("/reports/{public_id}/location", response_model=ModerationResult)
def correct_location(
    public_id: str,
    body: LocationCorrection,
    db: SessionDep,
    settings: SettingsDep,
    user: Moderator,
):
    """Move a report's point a short distance (see settings); mahalle and public point follow."""
    lon, lat = body.location.lon, body.location.lat
    return moderation.correct_location(db, settings, user, public_id, lon, lat)


@router.get("/reports/{public_id}/merge-candidates", response_model=list[MergeCandidate])
def merge_candidates(
    public_id: str,
    db: SessionDep,
    user: Moderator,
    radius_m: Annotated[float, Query(gt=0, le=moderation_merges.MAX_RADIUS_M)] = (
        moderation_merges.FAR_M
    ),
):
    """Reports this one may be merged into: same category group, within `radius_m` metres,
    pending or published, in the viewer's municipalities; nearest first."""
    return moderation_merges.merge_candidates(db, user, public_id, radius_m)


@router.post("/reports/{public_id}/merge", response_model=ModerationResult)
def merge(public_id: str, body: MergeRequest, db: SessionDep, user: Moderator):
    """Merge this duplicate into an original; confirmations move, the tracking code still works.

    409 without a `reason` when the two are in different category groups or over 500 m apart."""
    return moderation_merges.merge(db, user, public_id, body.into, body.reason)


@router.post("/reports/{public_id}/unmerge", response_model=ModerationResult)
def unmerge(public_id: str, db: SessionDep, user: Moderator, body: UnmergeRequest | None = None):
    """Undo a merge: the duplicate's status and confirmations come back (audited)."""
    return moderation_merges.unmerge(db, user, public_id, body.note if body else None)


@router.post("/reports/{public_id}/notes", response_model=NoteResult, status_code=201)
def add_note(public_id: str, body: NoteRequest, db: SessionDep, user: Moderator):
    """A public note the reporter reads through her tracking code."""
    return moderation.add_public_note(db, user, public_id, body.body)


@router.post("/reports/{public_id}/lock", response_model=LockResult)
def lock(public_id: str, db: SessionDep, settings: SettingsDep, user: Moderator):
    """Take or renew the edit lock (409 naming who holds it when someone else does)."""
    return moderation.acquire_lock(db, settings, user, public_id)


@router.delete("/reports/{public_id}/lock", status_code=204)
def unlock(public_id: str, db: SessionDep, user: Moderator) -> Response:
    """Give the edit lock back."""
    moderation.release_lock(db, user, public_id)
    return Response(status_code=204)


@router.post("/bulk", response_model=BulkResult)
def bulk(body: BulkRequest, db: SessionDep, user: Moderator):
    """Approve or reject a selection; each report succeeds or fails on its own."""
    items = moderation_bulk.bulk(db, user, body.action, body.public_ids, body.reason, body.note)
    ok = sum(1 for i in items if i.ok)
    flagged = [i.public_id for i in items if i.code == "personal_data_hints"]
    return {"items": items, "succeeded": ok, "failed": len(items) - ok, "personal_data": flagged}
