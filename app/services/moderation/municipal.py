"""The municipal response: forward a report to a department, then in progress, resolved or
declined, each with a public note the reporter reads through her tracking code.

Which reports: published reports of non-sensitive categories in the groups the municipality
can act on (lighting, transport, infrastructure, environment). Harassment and other sensitive
categories are never forwarded from here: that is the reporter's decision, with support.

Timestamps: `forwarded_at` when forwarded; `resolved_at` only when resolved (the time a
report was declined is the created_at of its "declined" note). They feed the response-time
indicators. Each update writes a report_note (author municipality, public) and an audit event.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from app.errors import InvalidInput, InvalidTransition, NotPermitted
from app.models import (
    Category,
    CategoryGroup,
    Municipality,
    MunicipalStatus,
    NoteAuthor,
    Report,
    ReportNote,
    ReportStatus,
    User,
    WebhookEventKind,
)
from app.services import audit, events
from app.services.moderation.actions import report_by_public_id
from app.services.reference import municipality_code, responsible_for, staff_scope
from app.services.visibility import visible_reports

M = MunicipalStatus
MUNICIPAL_GROUPS = frozenset(
    {
        CategoryGroup.lighting,
        CategoryGroup.transport,
        CategoryGroup.infrastructure,
        CategoryGroup.environment,
    }
)


def forwardable() -> ColumnElement[bool]:
    """The one rule for which reports the municipality can act on (queries join Category)."""
    return and_(
        Report.status == ReportStatus.published,
        Category.sensitive.is_(False),
        Category.group.in_(MUNICIPAL_GROUPS),
    )


# The municipal steps that municipal systems hear about through their webhooks.
WEBHOOK_EVENTS: Mapping[MunicipalStatus, WebhookEventKind] = {
    M.forwarded: WebhookEventKind.forwarded,
    M.resolved: WebhookEventKind.resolved,
}


# The one table of municipal status changes: new status -> statuses it may follow.
MUNICIPAL_STEPS: Mapping[MunicipalStatus, frozenset[MunicipalStatus]] = {
    M.forwarded: frozenset({M.none}),
    M.in_progress: frozenset({M.forwarded}),
    M.resolved: frozenset({M.forwarded, M.in_progress}),
    M.declined: frozenset({M.forwarded, M.in_progress}),
}


def _eligible_report(session: Session, actor: User, public_id: str) -> Report:
    report = report_by_public_id(session, actor, public_id)
    if report.status is not ReportStatus.published:
        raise InvalidTransition(
            f"Only published reports go to the municipality; this one is {report.status.value}. "
            "Approve it first."
        )
    category = session.get_one(Category, report.category_id)
    if category.sensitive or category.group not in MUNICIPAL_GROUPS:
        groups = ", ".join(sorted(g.value for g in MUNICIPAL_GROUPS))
        raise InvalidTransition(
            f"Reports in category '{category.code}' are not forwarded to the municipality; "
            f"only non-sensitive categories of the groups {groups} are."
        )
    return report


def record_update(
    session: Session,
    actor: User,
    public_id: str,
    status: MunicipalStatus,
    note: str,
    department: str | None = None,
) -> ReportNote:
    """Record a step of the municipal response, with its public note."""
    note = note.strip()
    if not note:
        raise InvalidInput(
            "Write the public note the reporter will read (what happens next, or why).",
            field="note",
        )
    department = (department or "").strip() or None
    if status not in MUNICIPAL_STEPS:
        raise InvalidInput(f"'{status.value}' is not a step of the response.", field="status")
    report = _eligible_report(session, actor, public_id)
    group = session.scalars(select(Category.group).where(Category.id == report.category_id)).one()
    duty = responsible_for(session, report.municipality_id, group)
    if status is M.forwarded:
        department = department or duty.department  # the table's department by default
        if not department:
            raise InvalidInput(
                "Name the department the report is forwarded to.", field="department"
            )
    else:
        _check_acts_for(session, actor, report)
    allowed = MUNICIPAL_STEPS[status]
    if report.municipal_status not in allowed:
        names = ", ".join(sorted(s.value for s in allowed))
        raise InvalidTransition(
            f"Cannot mark a report '{status.value}' when its municipal status is "
            f"'{report.municipal_status.value}'; only from: {names}."
        )
    before = {
        "municipal_status": report.municipal_status.value,
        "department": report.municipal_department,
    }
    report.municipal_status = status
    if status is M.forwarded:
        # Routed by the responsibility table: that municipality's staff record what follows.
        report.forwarded_at = func.now()
        report.municipal_department = department
        report.responsible_municipality_id = duty.municipality_id
    elif department:
        report.municipal_department = department
    if status is M.resolved:
        report.resolved_at = func.now()
    if status in WEBHOOK_EVENTS:
        events.emit(session, WEBHOOK_EVENTS[status], report)
    entry = ReportNote(
        report_id=report.id,
        municipality_id=report.municipality_id,
        author=NoteAuthor.municipality,
        author_id=actor.id,
        body=note,
        public=True,
        municipal_status=status,
    )
    session.add(entry)
    audit.record(
        session,
        f"municipal.{status.value}",
        actor=actor,
        report_id=report.id,
        note=note,
        before=before,
        after={
            "municipal_status": status.value,
            "department": report.municipal_department,
            "responsible": municipality_code(session, report.responsible_municipality_id),
        },
    )
    return entry


def _check_acts_for(session: Session, actor: User, report: Report) -> None:
    """Only staff of the municipality a report was forwarded to record its response."""
    scope = staff_scope(session, actor)
    responsible = report.responsible_municipality_id or report.municipality_id
    if scope is not None and responsible not in scope:
        raise NotPermitted(
            f"This report was forwarded to {municipality_code(session, responsible)!r}; only "
            "its staff record the response."
        )


def municipal_reports(
    session: Session,
    viewer: User,
    municipal_status: MunicipalStatus | None,
    *,
    limit: int,
    offset: int,
    area: tuple[int, ...] | None = None,
    forwarded_to_me: bool = False,
) -> tuple[int, list[dict]]:
    """Published reports the municipality can act on, with their response so far and who
    acts on each; `forwarded_to_me`: only those forwarded to the viewer's municipalities."""
    base = (
        visible_reports(viewer, area)
        .join(Category, Category.id == Report.category_id)
        .where(forwardable())
    )
    if municipal_status is not None:
        base = base.where(Report.municipal_status == municipal_status)
    if forwarded_to_me:
        scope = staff_scope(session, viewer)
        base = base.where(Report.responsible_municipality_id.is_not(None))
        if scope is not None:
            base = base.where(Report.responsible_municipality_id.in_(scope))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.with_only_columns(
            Report.public_id,
            Category.code.label("category"),
            Category.labels.label("category_labels"),
            Report.published_at,
            Report.municipal_status,
            Report.municipal_department,
            Report.forwarded_at,
            Report.resolved_at,
            Report.municipality_id,
            Report.responsible_municipality_id,
            Category.group.label("category_group"),
        )
        .order_by(Report.published_at.asc(), Report.public_id)
        .limit(limit)
        .offset(offset)
    ).mappings()
    names = {m.id: (m.code, m.name) for m in session.execute(select(Municipality)).scalars()}
    duties: dict[tuple[int, CategoryGroup], dict] = {}
    items = []
    for r in rows:
        item = dict(r)
        key = (item.pop("municipality_id"), item.pop("category_group"))
        responsible = item.pop("responsible_municipality_id")
        if responsible is not None:  # forwarded: to whom it went
            code, name = names[responsible]
            duty = {
                "code": code,
                "name": name,
                "department": item["municipal_department"],
            }
        else:
            if key not in duties:
                duties[key] = responsible_for(session, *key).as_dict()
            duty = duties[key]
        items.append({**item, "municipality": names[key[0]][0], "responsible": duty})
    return total, items
