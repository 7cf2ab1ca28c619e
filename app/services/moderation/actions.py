"""Moderation actions through one state machine, each with its audit event.

Every action writes its ModerationEvent in the same transaction as the change, so either
both persist or neither does. No action deletes a row: rejected, hidden and merged reports
stay, and a redaction keeps the original text next to the published one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    ReportNotFound,
    UnresolvedPersonalData,
)
from app.models import (
    Category,
    NoteAuthor,
    RejectReason,
    Report,
    ReportNote,
    ReportStatus,
    Role,
    User,
)
from app.services import audit, events
from app.services.moderation.pii import hint_kinds
from app.services.reference import active_category_by_code
from app.services.reporting import move_children, move_placement
from app.services.visibility import public_text, visible_reports

S = ReportStatus
EDITABLE = frozenset({S.pending, S.published, S.hidden})


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[ReportStatus]
    to: ReportStatus | None  # None: the status does not change (an edit)
    verb: str  # for messages: "Cannot <verb> a report that is ..."


# The one table of moderation actions and the statuses they are allowed from.
TRANSITIONS: Mapping[str, Transition] = {
    "approve": Transition(frozenset({S.pending, S.hidden}), S.published, "approve"),
    "reject": Transition(frozenset({S.pending}), S.rejected, "reject"),
    "hide": Transition(frozenset({S.published}), S.hidden, "hide"),
    "merge": Transition(EDITABLE, S.merged, "merge"),
    "redact": Transition(EDITABLE, None, "redact"),
    "change_category": Transition(EDITABLE, None, "change the category of"),
    "correct_location": Transition(EDITABLE, None, "move"),
    "note": Transition(EDITABLE | {S.merged, S.rejected}, None, "add a note to"),
    # Back to the status it had before the merge (read from the merge's audit event).
    "unmerge": Transition(frozenset({S.merged}), None, "unmerge"),
}
# A duplicate can only be merged into a report that is itself in one of these.
MERGE_TARGETS = frozenset({S.pending, S.published})


def report_by_public_id(session: Session, viewer: User, public_id: str) -> Report:
    """A report the viewer may see, locked for update, or ReportNotFound."""
    report = session.scalar(
        visible_reports(viewer).where(Report.public_id == public_id).with_for_update()
    )
    if report is None:
        raise ReportNotFound(f"No report with id '{public_id}'.")
    return report


def _now() -> datetime:
    return datetime.now(UTC)


def _lock_holder(session: Session, report: Report, actor: User) -> str | None:
    """The e-mail of another moderator holding a live edit lock on the report, if any."""
    if report.locked_by_id is None or report.locked_by_id == actor.id:
        return None
    if report.locked_until is None or report.locked_until <= _now():
        return None
    return session.scalar(select(User.email).where(User.id == report.locked_by_id)) or "?"


def _lock_conflict(holder: str, report: Report) -> Conflict:
    until = report.locked_until.isoformat(timespec="seconds") if report.locked_until else "?"
    return Conflict(
        f"{holder} is working on report {report.public_id} (locked until {until}). "
        "Wait until they finish or the lock expires.",
        details={"locked_by": holder, "locked_until": until},
    )


def check_transition(report: Report, action: str) -> Transition:
    rule = TRANSITIONS[action]
    if report.status not in rule.allowed_from:
        allowed = ", ".join(sorted(s.value for s in rule.allowed_from))
        raise InvalidTransition(
            f"Cannot {rule.verb} a report that is {report.status.value}; "
            f"only reports that are {allowed} can be."
        )
    return rule


def act(
    session: Session,
    actor: User,
    report: Report,
    action: str,
    *,
    reason: str | None = None,
    note: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    to: ReportStatus | None = None,
) -> None:
    """Check the state machine and the edit lock, apply the status, release the lock, audit.

    `to` is the status an undo restores, for a transition whose target is not fixed.
    """
    rule = check_transition(report, action)
    holder = _lock_holder(session, report, actor)
    if holder is not None:
        raise _lock_conflict(holder, report)
    before = {"status": report.status.value, **(before or {})}
    target = to or rule.to
    if target is not None:
        report.status = target
        if target is S.published:
            report.published_at = report.published_at or func.now()
            events.emit(session, events.PUBLISHED, report)
    report.locked_by_id = report.locked_until = None
    audit.record(
        session,
        f"report.{action}",
        actor=actor,
        report_id=report.id,
        reason=reason,
        note=note,
        before=before,
        after={"status": report.status.value, **(after or {})},
    )


def approve(
    session: Session, actor: User, public_id: str, override_pii: str | None = None
) -> Report:
    """Publish a pending (or hidden) report.

    Refused while the public text has personal-data hints, unless the moderator overrides
    with a reason; the override is audited with the hint kinds, never the data itself.
    """
    report = report_by_public_id(session, actor, public_id)
    check_transition(report, "approve")
    holder = _lock_holder(session, report, actor)
    if holder is not None:
        raise _lock_conflict(holder, report)
    kinds = hint_kinds(public_text(report) or "")
    reason = (override_pii or "").strip()
    if override_pii is not None and not reason:
        raise InvalidInput("Write why the text may be published as it is.", field="override_pii")
    if kinds and not reason:
        raise UnresolvedPersonalData(
            f"The text the public would read may contain personal data ({', '.join(kinds)}). "
            "Redact it, or publish it anyway with a reason.",
            details={"hint_kinds": kinds},
        )
    if kinds:
        act(
            session,
            actor,
            report,
            "approve",
            reason="personal_data_override",
            note=reason,
            after={"personal_data_override": {"hint_kinds": kinds}},
        )
    else:
        act(session, actor, report, "approve")
    return report


def _clean_note(note: str | None) -> str | None:
    return (note or "").strip() or None


def reject(
    session: Session, actor: User, public_id: str, reason: RejectReason, note: str | None
) -> Report:
    """Reject a pending report with a reason code (and a note, required for "other")."""
    note = _clean_note(note)
    if reason is RejectReason.other and not note:
        raise InvalidInput("Write a note saying why, when the reason is 'other'.", field="note")
    report = report_by_public_id(session, actor, public_id)
    act(session, actor, report, "reject", reason=reason.value, note=note)
    return report


def hide(session: Session, actor: User, public_id: str, note: str | None) -> Report:
    """Take a published report off the public map (it can be approved again)."""
    report = report_by_public_id(session, actor, public_id)
    act(session, actor, report, "hide", note=_clean_note(note))
    return report


def redact(session: Session, actor: User, public_id: str, redacted_text: str | None) -> Report:
    """Set the text the public sees; the original stays, for moderators and admins only.

    None removes the redaction (the original is published again).
    """
    report = report_by_public_id(session, actor, public_id)
    # The published versions only: the original text never goes into the log.
    act(
        session,
        actor,
        report,
        "redact",
        before={"redacted_text": report.redacted_text},
        after={"redacted_text": redacted_text},
    )
    report.redacted_text = redacted_text
    session.flush()
    return report


def change_category(session: Session, actor: User, public_id: str, code: str) -> Report:
    """Move a report to another (active) category."""
    report = report_by_public_id(session, actor, public_id)
    category = active_category_by_code(session, code)
    old = session.scalar(select(Category.code).where(Category.id == report.category_id))
    if category.id == report.category_id:
        raise InvalidInput(f"The report is already in category '{code}'.", field="category")
    act(
        session,
        actor,
        report,
        "change_category",
        before={"category": old},
        after={"category": category.code},
    )
    report.category_id = category.id
    session.flush()
    return report


def correct_location(
    session: Session, settings: Settings, actor: User, public_id: str, lon: float, lat: float
) -> Report:
    """Move a report's point a short distance; its mahalle follows, and its public point is
    placed from the report's own offsets (never a second independent draw: `move_placement`)."""
    report = report_by_public_id(session, actor, public_id)
    check_transition(report, "correct_location")
    new_point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    distance = session.scalar(
        select(func.ST_Distance(func.Geography(Report.location), func.Geography(new_point))).where(
            Report.id == report.id
        )
    )
    limit = settings.location_correction_max_m
    if distance is None or distance > limit:
        raise InvalidInput(
            f"The new point is {distance or 0:.0f} m away; a correction can move a report at "
            f"most {limit:.0f} m. Reject it and ask for a new report if it is farther.",
            field="location",
        )
    # Inside the area, or 422; the public point from the report's own offsets.
    placement = move_placement(session, settings, report, lon, lat)
    old_mahalle = report.mahalle_id
    act(
        session,
        actor,
        report,
        "correct_location",
        before={"mahalle_id": old_mahalle},
        after={
            "mahalle_id": placement.mahalle.id if placement.mahalle else None,
            "moved_m": round(distance, 1),
        },
    )
    report.location = from_shape(Point(lon, lat), srid=4326)
    report.public_location = from_shape(placement.public_point, srid=4326)
    report.mahalle_id = placement.mahalle.id if placement.mahalle else None
    report.municipality_id = placement.municipality_id
    session.flush()
    move_children(session, [report.id])
    return report


def add_public_note(session: Session, actor: User, public_id: str, body: str) -> ReportNote:
    """A moderator's note the reporter reads on her tracking page."""
    body = body.strip()
    if not body:
        raise InvalidInput("Write the note.", field="body")
    report = report_by_public_id(session, actor, public_id)
    act(session, actor, report, "note", note=body)
    note = ReportNote(
        report_id=report.id,
        municipality_id=report.municipality_id,
        author=NoteAuthor.moderator,
        author_id=actor.id,
        body=body,
        public=True,
    )
    session.add(note)
    session.flush()
    return note


@dataclass(frozen=True)
class LockInfo:
    public_id: str
    locked_by: str
    locked_until: datetime


def acquire_lock(session: Session, settings: Settings, actor: User, public_id: str) -> LockInfo:
    """Take (or renew) the edit lock on a report for a few minutes."""
    report = report_by_public_id(session, actor, public_id)
    holder = _lock_holder(session, report, actor)
    if holder is not None:
        raise _lock_conflict(holder, report)
    report.locked_by_id = actor.id
    report.locked_until = _now() + timedelta(minutes=settings.edit_lock_minutes)
    session.flush()
    return LockInfo(report.public_id, actor.email, report.locked_until)


def release_lock(session: Session, actor: User, public_id: str) -> None:
    """Give the lock back (one's own; an administrator may break anyone's)."""
    report = report_by_public_id(session, actor, public_id)
    holder = _lock_holder(session, report, actor)
    if holder is not None and actor.role is not Role.admin:
        raise _lock_conflict(holder, report)
    report.locked_by_id = None
    report.locked_until = None
    session.flush()
