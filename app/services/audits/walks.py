"""Recording a walk: create it, add its points (with an optional photo), submit it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from app.models import (
    AuditParameter,
    AuditPhoto,
    AuditPoint,
    AuditWalk,
    Role,
    User,
    WalkStatus,
)
from app.schemas.audits import PointCreate, WalkCreate
from app.services.reference import mahalle_by_code
from app.services.reporting import clean_photo, place_report
from app.services.visibility import staff_municipalities, visible_audit_walks

RECORDERS = frozenset({Role.moderator, Role.admin})
MEDIA_TYPE = "image/jpeg"


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[WalkStatus]
    to: WalkStatus
    verb: str


# Every change of a walk's status, in one place (a test writes them out by hand).
TRANSITIONS = {
    "submit": Transition(frozenset({WalkStatus.recording}), WalkStatus.submitted, "submit"),
    "approve": Transition(frozenset({WalkStatus.submitted}), WalkStatus.published, "approve"),
    "reject": Transition(frozenset({WalkStatus.submitted}), WalkStatus.rejected, "reject"),
}


def check_transition(walk: AuditWalk, action: str) -> WalkStatus:
    """The status `action` moves the walk to, or InvalidTransition naming why not."""
    rule = TRANSITIONS[action]
    if walk.status not in rule.allowed_from:
        allowed = ", ".join(sorted(s.value for s in rule.allowed_from))
        raise InvalidTransition(
            f"Cannot {rule.verb} a walk that is {walk.status.value}; only walks that are "
            f"{allowed} can be."
        )
    return rule.to


def _holds(session: Session, viewer: User, municipality_id: int) -> bool:
    scope = staff_municipalities(viewer)
    if scope is None:
        return True
    held = scope.subquery("held")
    found = session.scalar(
        select(func.count()).select_from(held).where(held.c.id == municipality_id)
    )
    return bool(found)


def _must_record(viewer: User) -> None:
    if viewer.role not in RECORDERS:
        raise NotPermitted("Audit walks are recorded by moderators (Women's Assembly volunteers).")


def create_walk(session: Session, viewer: User, data: WalkCreate) -> tuple[AuditWalk, bool]:
    """A new walk in a mahalle of a municipality the volunteer holds, and True; or the walk
    she already started with this `client_id` (a start sent again), and False."""
    _must_record(viewer)
    mahalle = mahalle_by_code(session, data.mahalle_code)
    if not _holds(session, viewer, mahalle.municipality_id):
        raise NotPermitted(
            "This mahalle belongs to a municipality you do not hold a role in; record walks "
            "only in your own municipalities.",
            field="mahalle_code",
        )
    started = _started(session, viewer, data.client_id)
    if started is not None:
        return started, False
    walk = AuditWalk(
        municipality_id=mahalle.municipality_id,
        mahalle_id=mahalle.id,
        walked_on=data.walked_on,
        time_band=data.time_band,
        group_size=data.group_size,
        status=WalkStatus.recording,
        recorded_by_id=viewer.id,
        client_id=data.client_id,
    )
    try:
        with session.begin_nested():  # the same start, sent twice at once: one of them wins
            session.add(walk)
    except IntegrityError:
        started = _started(session, viewer, data.client_id)
        if started is None:
            raise
        return started, False
    return walk, True


def _started(session: Session, viewer: User, client_id: str | None) -> AuditWalk | None:
    if client_id is None:
        return None
    return session.scalar(
        select(AuditWalk).where(
            AuditWalk.recorded_by_id == viewer.id, AuditWalk.client_id == client_id
        )
    )


def walk_or_404(session: Session, viewer: User, walk_id: str) -> AuditWalk:
    """The walk if the viewer's municipalities hold it; else NotFound (existence hidden)."""
    missing = NotFound("No audit walk here. It may belong to another municipality.")
    if viewer.role not in RECORDERS:
        raise NotPermitted("Audit walks are for moderators (Women's Assembly volunteers).")
    try:
        key = uuid.UUID(walk_id)
    except ValueError:
        raise missing from None
    walk = session.scalar(visible_audit_walks(viewer).where(AuditWalk.id == key))
    if walk is None:
        raise missing
    return walk


def add_point(
    session: Session,
    settings: Settings,
    viewer: User,
    walk_id: str,
    data: PointCreate,
    photo: bytes | None = None,
) -> tuple[AuditPoint, bool]:
    """Store one point of a walk being recorded (once per client id); (point, created)."""
    _must_record(viewer)
    walk = walk_or_404(session, viewer, walk_id)
    if walk.status is not WalkStatus.recording:
        raise InvalidTransition(
            f"This walk is {walk.status.value}: points are added only while it is recorded."
        )
    existing = session.scalar(
        select(AuditPoint).where(
            AuditPoint.walk_id == walk.id, AuditPoint.client_id == data.client_id
        )
    )
    if existing is not None:
        return existing, False
    cleaned = clean_photo(0, photo, settings) if photo else None
    point_id = uuid.uuid4()
    lon, lat = data.location.lon, data.location.lat
    # The displacement comes from the secret key and the point's own id, like a report's.
    placement = place_report(session, settings, lon, lat, f"audit:{point_id}")
    if not _holds(session, viewer, placement.municipality_id):
        raise InvalidInput(
            "This point is in a municipality you do not hold a role in. Record points inside "
            "your own municipalities.",
            field="location",
        )
    point = AuditPoint(
        id=point_id,
        walk_id=walk.id,
        client_id=data.client_id,
        municipality_id=placement.municipality_id,
        mahalle_id=placement.mahalle.id if placement.mahalle else None,
        location=from_shape(Point(lon, lat), srid=4326),
        public_location=from_shape(placement.public_point, srid=4326),
        note=data.note.strip(),
        recorded_at=data.recorded_at,
        **{p.value: getattr(data.scores, p.value) for p in AuditParameter},
    )
    session.add(point)
    session.flush()
    if cleaned is not None:
        session.add(
            AuditPhoto(
                point_id=point.id,
                municipality_id=point.municipality_id,
                media_type=MEDIA_TYPE,
                width=cleaned.width,
                height=cleaned.height,
                byte_size=len(cleaned.content),
                content=cleaned.content,
            )
        )
        session.flush()
    return point, True


def submit_walk(session: Session, viewer: User, walk_id: str) -> AuditWalk:
    """Hand a recorded walk to moderation (it needs at least one point)."""
    _must_record(viewer)
    walk = walk_or_404(session, viewer, walk_id)
    target = check_transition(walk, "submit")
    points = session.scalar(select(func.count()).where(AuditPoint.walk_id == walk.id))
    if not points:
        raise InvalidInput("Add at least one audit point before submitting the walk.")
    walk.status = target
    walk.submitted_at = datetime.now(UTC)
    session.flush()
    return walk


def photo_for_staff(session: Session, viewer: User, photo_id: str) -> bytes:
    """An audit photo for staff of its municipality; NotFound otherwise (never public)."""
    missing = NotFound("No photo here.")
    try:
        key = uuid.UUID(photo_id)
    except ValueError:
        raise missing from None
    walks = visible_audit_walks(viewer).with_only_columns(AuditWalk.id)
    content = session.scalar(
        select(AuditPhoto.content)
        .join(AuditPoint, AuditPoint.id == AuditPhoto.point_id)
        .where(AuditPhoto.id == key, AuditPoint.walk_id.in_(walks))
    )
    if content is None or viewer.role not in RECORDERS:
        raise missing
    return content
