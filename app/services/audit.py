"""The audit log: append-only events of every moderation and account action.

`record` is the one way to write an event; callers add it in the transaction of the action,
so either both persist or neither does. The table refuses UPDATE and DELETE (a trigger).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from app.models import ModerationEvent, Report, User
from app.services.clock import LOCAL_TZ


def record(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    report_id: uuid.UUID | None = None,
    target_user_id: int | None = None,
    municipality_id: Any = None,
    reason: str | None = None,
    note: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> ModerationEvent:
    """Add one event to the log (flushed with the action that caused it)."""
    if municipality_id is None and report_id is not None:
        # The report's municipality, read by the INSERT itself (no extra round trip).
        municipality_id = (
            select(Report.municipality_id).where(Report.id == report_id).scalar_subquery()
        )
    event = ModerationEvent(
        actor_id=actor.id if actor else None,
        report_id=report_id,
        target_user_id=target_user_id,
        municipality_id=municipality_id,
        action=action,
        reason=reason,
        note=note,
        before=before,
        after=after,
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AuditFilters:
    actor: str | None = None  # e-mail, exact (case-insensitive)
    action: str | None = None  # exact, or a prefix ending in "." (e.g. "report.")
    since: date | None = None
    until: date | None = None
    report: str | None = None  # public id


Actor = aliased(User, name="actor")
Target = aliased(User, name="target")


def _query(filters: AuditFilters) -> Select:
    stmt = (
        select(
            ModerationEvent.id,
            ModerationEvent.created_at,
            Actor.email.label("actor"),
            ModerationEvent.action,
            Report.public_id.label("report"),
            Target.email.label("target_user"),
            ModerationEvent.reason,
            ModerationEvent.note,
            ModerationEvent.before,
            ModerationEvent.after,
        )
        .outerjoin(Actor, Actor.id == ModerationEvent.actor_id)
        .outerjoin(Target, Target.id == ModerationEvent.target_user_id)
        .outerjoin(Report, Report.id == ModerationEvent.report_id)
    )
    if filters.actor:
        stmt = stmt.where(Actor.email == filters.actor.strip().lower())
    if filters.action:
        if filters.action.endswith("."):
            stmt = stmt.where(ModerationEvent.action.startswith(filters.action, autoescape=True))
        else:
            stmt = stmt.where(ModerationEvent.action == filters.action)
    if filters.since:
        start = datetime.combine(filters.since, time(), LOCAL_TZ)
        stmt = stmt.where(ModerationEvent.created_at >= start)
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), LOCAL_TZ)
        stmt = stmt.where(ModerationEvent.created_at < end)
    if filters.report:
        stmt = stmt.where(Report.public_id == filters.report.strip())
    return stmt


def audit_page(
    session: Session, filters: AuditFilters, *, limit: int, offset: int
) -> tuple[int, list[dict]]:
    """Events matching `filters`, newest first: (total, one page)."""
    stmt = _query(filters)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(
        stmt.order_by(ModerationEvent.id.desc()).limit(limit).offset(offset)
    ).mappings()
    return total, [dict(r) for r in rows]


CSV_COLUMNS = (
    "id",
    "created_at",
    "actor",
    "action",
    "report",
    "target_user",
    "reason",
    "note",
    "before",
    "after",
)
CSV_MAX_ROWS = 100_000


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).isoformat(timespec="seconds")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet: neutralise it.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_csv(session: Session, filters: AuditFilters) -> str:
    """The matching events as CSV (UTF-8 with a BOM so Excel reads Turkish letters)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = session.execute(
        _query(filters).order_by(ModerationEvent.id.desc()).limit(CSV_MAX_ROWS)
    ).mappings()
    for row in rows:
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()
