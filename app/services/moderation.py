"""Moderation: the queue, and actions through one state machine with an audit event each.

Every action writes its ModerationEvent in the same transaction as the change, so either
both persist or neither does. No action deletes a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import InvalidInput, InvalidTransition, ReportNotFound
from app.models import (
    Category,
    Mahalle,
    ModerationEvent,
    RejectReason,
    Report,
    ReportStatus,
    User,
)
from app.services.visibility import sees_exact_location, visible_reports

S = ReportStatus


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[ReportStatus]
    to: ReportStatus


# The one table of allowed status changes.
TRANSITIONS: Mapping[str, Transition] = {
    "approve": Transition(frozenset({S.pending, S.hidden}), S.published),
    "reject": Transition(frozenset({S.pending}), S.rejected),
    "hide": Transition(frozenset({S.published}), S.hidden),
}


def report_by_public_id(session: Session, viewer: User, public_id: str) -> Report:
    """A report the viewer may see, locked for update, or ReportNotFound."""
    report = session.scalar(
        visible_reports(viewer).where(Report.public_id == public_id).with_for_update()
    )
    if report is None:
        raise ReportNotFound(f"No report with id '{public_id}'.")
    return report


def _transition(
    session: Session,
    actor: User,
    report: Report,
    action: str,
    *,
    reason: str | None = None,
    note: str | None = None,
    extra: dict[str, Any] | None = None,
) -> ModerationEvent:
    rule = TRANSITIONS[action]
    if report.status not in rule.allowed_from:
        allowed = ", ".join(sorted(s.value for s in rule.allowed_from))
        raise InvalidTransition(
            f"Cannot {action} a report that is {report.status.value}; "
            f"only reports that are {allowed} can be."
        )
    before = {"status": report.status.value}
    report.status = rule.to
    if rule.to is S.published and report.published_at is None:
        report.published_at = func.now()
    event = ModerationEvent(
        actor_id=actor.id,
        report_id=report.id,
        action=f"report.{action}",
        reason=reason,
        note=note,
        before=before,
        after={"status": rule.to.value, **(extra or {})},
    )
    session.add(event)
    session.flush()
    return event


def approve(session: Session, actor: User, public_id: str) -> Report:
    """Publish a pending (or hidden) report."""
    report = report_by_public_id(session, actor, public_id)
    _transition(session, actor, report, "approve")
    return report


def reject(
    session: Session, actor: User, public_id: str, reason: RejectReason, note: str | None
) -> Report:
    """Reject a pending report with a reason code (and a note, required for "other")."""
    note = (note or "").strip() or None
    if reason is RejectReason.other and not note:
        raise InvalidInput("Write a note saying why, when the reason is 'other'.", field="note")
    report = report_by_public_id(session, actor, public_id)
    _transition(session, actor, report, "reject", reason=reason.value, note=note)
    return report


def moderation_queue(
    session: Session,
    viewer: User,
    status: ReportStatus,
    *,
    limit: int,
    offset: int,
    newest_first: bool = False,
) -> tuple[int, list[dict]]:
    """Reports in `status` with their exact location (staff who may see it only)."""
    base = visible_reports(viewer).where(Report.status == status)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    order = Report.created_at.desc() if newest_first else Report.created_at.asc()
    exact = sees_exact_location(viewer)
    rows = session.execute(
        base.join(Category, Category.id == Report.category_id)
        .outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .with_only_columns(
            Report.public_id,
            Report.status,
            Report.created_at,
            Report.occurred_on,
            Report.time_band,
            Report.perceived_safety,
            Report.text,
            Report.redacted_text,
            Report.happening_now,
            Report.source,
            Category.code.label("category"),
            Category.labels.label("category_labels"),
            Category.sensitive.label("sensitive"),
            Mahalle.name.label("mahalle"),
            func.ST_X(Report.location).label("lon"),
            func.ST_Y(Report.location).label("lat"),
        )
        .order_by(order, Report.public_id)
        .limit(limit)
        .offset(offset)
    ).mappings()
    items = []
    for r in rows:
        item = dict(r)
        lon, lat = item.pop("lon"), item.pop("lat")
        item["location"] = {"lon": lon, "lat": lat} if exact else None
        items.append(item)
    return total, items
