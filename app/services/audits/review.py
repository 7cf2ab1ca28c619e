"""Moderating walks: the list and detail staff see, approval and rejection (audit-logged)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.errors import NotPermitted
from app.models import (
    AuditParameter,
    AuditPhoto,
    AuditPoint,
    AuditWalk,
    Mahalle,
    Municipality,
    Role,
    User,
    WalkStatus,
)
from app.services import audit
from app.services.audits.walks import check_transition, walk_or_404
from app.services.moderation import hint_kinds
from app.services.visibility import visible_audit_walks

PHOTO_URL = "/api/v1/audits/photos/{id}"
LIST_LIMIT = 200  # walks in one list: a municipality's review queue, not an archive
PointMahalle = aliased(Mahalle, name="point_mahalle")


def _scores(row) -> dict[str, int]:
    return {p.value: getattr(row, p.value) for p in AuditParameter}


def _points(session: Session, walk_ids: list) -> dict:
    """Every point of these walks, in order of recording, exact and public location."""
    rows = session.execute(
        select(
            AuditPoint,
            func.ST_X(AuditPoint.location).label("x"),
            func.ST_Y(AuditPoint.location).label("y"),
            func.ST_X(AuditPoint.public_location).label("px"),
            func.ST_Y(AuditPoint.public_location).label("py"),
            PointMahalle.name.label("mahalle"),
            AuditPhoto.id.label("photo_id"),
        )
        .outerjoin(PointMahalle, PointMahalle.id == AuditPoint.mahalle_id)
        .outerjoin(AuditPhoto, AuditPhoto.point_id == AuditPoint.id)
        .where(AuditPoint.walk_id.in_(walk_ids))
        .order_by(AuditPoint.created_at, AuditPoint.id)
    )
    out: dict = {}
    for row in rows:
        point = row.AuditPoint
        out.setdefault(point.walk_id, []).append(
            {
                "id": point.id,
                "client_id": point.client_id,
                "location": {"lon": row.x, "lat": row.y},
                "public_location": {"lon": row.px, "lat": row.py},
                "mahalle": row.mahalle,
                "scores": _scores(point),
                "note": point.note,
                "note_hints": hint_kinds(point.note) if point.note else [],
                "photo": PHOTO_URL.format(id=row.photo_id) if row.photo_id else None,
            }
        )
    return out


def _summaries(session: Session, walks_stmt) -> list[dict]:
    walks = walks_stmt.subquery("w")
    recorder = aliased(User, name="recorder")
    rows = session.execute(
        select(walks, Mahalle.code.label("mahalle_code"), Mahalle.name.label("mahalle_name"))
        .add_columns(Municipality.code.label("municipality_code"), recorder.email)
        .join(Mahalle, Mahalle.id == walks.c.mahalle_id)
        .join(Municipality, Municipality.id == walks.c.municipality_id)
        .outerjoin(recorder, recorder.id == walks.c.recorded_by_id)
        .order_by(walks.c.created_at.desc())
        .limit(LIST_LIMIT)
    ).all()
    points = _points(session, [r.id for r in rows])
    out = []
    for r in rows:
        mine = points.get(r.id, [])
        out.append(
            {
                "id": r.id,
                "municipality": r.municipality_code,
                "mahalle_code": r.mahalle_code,
                "mahalle": r.mahalle_name,
                "walked_on": r.walked_on,
                "time_band": r.time_band,
                "group_size": r.group_size,
                "status": r.status,
                "recorded_by": r.email,
                "submitted_at": r.submitted_at,
                "reject_reason": r.reject_reason,
                "is_example": r.is_example,
                "points": len(mine),
                "note_hints": sorted({k for p in mine for k in p["note_hints"]}),
                "point_list": mine,
            }
        )
    return out


def walks_for_staff(session: Session, viewer: User, status: WalkStatus | None) -> list[dict]:
    """The walks of the viewer's municipalities (optionally of one status), newest first,
    at most LIST_LIMIT, each with its points."""
    if viewer.role not in (Role.moderator, Role.admin):
        raise NotPermitted("Audit walks are for moderators (Women's Assembly volunteers).")
    stmt = visible_audit_walks(viewer)
    if status is not None:
        stmt = stmt.where(AuditWalk.status == status)
    return _summaries(session, stmt)


def walk_detail(session: Session, viewer: User, walk_id: str) -> dict:
    """One walk with its points (exact locations, notes and their personal-data hints)."""
    walk = walk_or_404(session, viewer, walk_id)
    return _summaries(session, visible_audit_walks(viewer).where(AuditWalk.id == walk.id))[0]


def _decide(
    session: Session, viewer: User, walk_id: str, action: str, reason: str | None, note: str
) -> AuditWalk:
    walk = walk_or_404(session, viewer, walk_id)
    target = check_transition(walk, action)
    if walk.recorded_by_id == viewer.id and viewer.role is not Role.admin:
        raise NotPermitted("A walk is moderated by another volunteer than the one who recorded it.")
    before = {"status": walk.status.value}
    walk.status = target
    walk.moderated_at = datetime.now(UTC)
    walk.moderated_by_id = viewer.id
    walk.reject_reason = reason
    session.flush()
    audit.record(
        session,
        f"audit_walk.{action}",
        actor=viewer,
        municipality_id=walk.municipality_id,
        reason=reason,
        note=note or None,
        before={**before, "walk": str(walk.id)},
        after={"status": walk.status.value, "walk": str(walk.id)},
    )
    return walk


def approve_walk(session: Session, viewer: User, walk_id: str, note: str = "") -> dict:
    """Publish a submitted walk: its points then count in public aggregates and the map."""
    walk = _decide(session, viewer, walk_id, "approve", None, note)
    return walk_detail(session, viewer, str(walk.id))


def reject_walk(session: Session, viewer: User, walk_id: str, reason: str, note: str = "") -> dict:
    """Reject a submitted walk with a reason; its points never count anywhere public."""
    walk = _decide(session, viewer, walk_id, "reject", reason, note)
    return walk_detail(session, viewer, str(walk.id))
