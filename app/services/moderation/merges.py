"""Merging a duplicate into an original, choosing the original, and undoing a merge.

A merge keeps both rows: the duplicate becomes 'merged' and one more "me too" of the
original, and its confirmations move there. The merge event records what moved, so an
unmerge can put the duplicate back exactly (its status, its confirmations) with an event of
its own. Merges across category groups or over `FAR_M` need a reason, which is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, InvalidTransition, ReportNotFound
from app.models import (
    Category,
    Confirmation,
    Mahalle,
    ModerationEvent,
    Report,
    ReportStatus,
    User,
)
from app.services import audit
from app.services.moderation.actions import (
    MERGE_TARGETS,
    act,
    check_transition,
    report_by_public_id,
)
from app.services.visibility import visible_reports

FAR_M = 500.0  # farther apart than this, a merge needs a reason
MAX_RADIUS_M = 2000.0
CANDIDATE_LIMIT = 20


def _point(report: Report):
    return select(func.Geography(Report.location)).where(Report.id == report.id).scalar_subquery()


def _distance_m(session: Session, a: Report, b: Report) -> float:
    return float(session.scalar(select(func.ST_Distance(_point(a), _point(b)))) or 0.0)


def _group(session: Session, report: Report) -> str:
    return str(session.scalar(select(Category.group).where(Category.id == report.category_id)))


def merge_candidates(
    session: Session, viewer: User, public_id: str, radius_m: float = FAR_M
) -> list[dict]:
    """Reports the duplicate may be merged into: visible to the viewer, pending or published,
    of the same category group, within `radius_m` of it, nearest first."""
    if not 0 < radius_m <= MAX_RADIUS_M:
        raise InvalidInput(
            f"The radius must be more than 0 and at most {MAX_RADIUS_M:.0f} m.", field="radius_m"
        )
    duplicate = session.scalar(visible_reports(viewer).where(Report.public_id == public_id))
    if duplicate is None:
        raise ReportNotFound(f"No report with id '{public_id}'.")
    group = _group(session, duplicate)
    here_point = _point(duplicate)
    distance = func.ST_Distance(func.Geography(Report.location), here_point)
    confirmations = (
        select(func.count(Confirmation.id))
        .where(Confirmation.report_id == Report.id)
        .scalar_subquery()
    )
    rows = session.execute(
        visible_reports(viewer)
        .join(Category, Category.id == Report.category_id)
        .outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .where(Report.id != duplicate.id)
        .where(Report.status.in_(MERGE_TARGETS))
        .where(Category.group == group)
        .where(func.ST_DWithin(func.Geography(Report.location), here_point, radius_m))
        .with_only_columns(
            Report.public_id,
            Report.status,
            Report.created_at,
            Report.text,
            Report.redacted_text,
            Report.perceived_safety,
            Category.code.label("category"),
            Category.group.label("category_group"),
            Category.labels.label("category_labels"),
            Mahalle.name.label("mahalle"),
            confirmations.label("confirmations"),
            distance.label("distance_m"),
            func.ST_X(Report.location).label("lon"),
            func.ST_Y(Report.location).label("lat"),
        )
        .order_by(distance, Report.public_id)
        .limit(CANDIDATE_LIMIT)
    ).mappings()
    items = []
    for row in rows:
        item = dict(row)
        item["location"] = {"lon": item.pop("lon"), "lat": item.pop("lat")}
        item["distance_m"] = round(float(item["distance_m"]), 1)
        items.append(item)
    return items


@dataclass(frozen=True)
class MergeCheck:
    """Why a merge needs a reason: other category group, distance (m), or nothing."""

    same_group: bool
    distance_m: float

    @property
    def needs_reason(self) -> bool:
        return not self.same_group or self.distance_m > FAR_M

    def message(self) -> str:
        parts = []
        if not self.same_group:
            parts.append("the two reports are in different category groups")
        if self.distance_m > FAR_M:
            parts.append(f"they are {self.distance_m:.0f} m apart (more than {FAR_M:.0f} m)")
        return (
            "Write a reason to merge these reports: "
            + " and ".join(parts)
            + ". Check that they describe the same place and problem."
        )


def merge(
    session: Session, actor: User, public_id: str, into_public_id: str, reason: str | None = None
) -> Report:
    """Merge a duplicate into an original report.

    The duplicate's confirmations move to the original, and the duplicate itself becomes one
    more "me too" of it (her report is not lost from the counts). The duplicate keeps its row
    and tracking code, with status 'merged' and merged_into_id pointing at the original.
    Across category groups or over FAR_M a reason is required (409 otherwise).
    """
    if public_id == into_public_id:
        raise InvalidInput("A report cannot be merged into itself.", field="into")
    duplicate = report_by_public_id(session, actor, public_id)
    original = session.scalar(
        visible_reports(actor).where(Report.public_id == into_public_id).with_for_update()
    )
    if original is None:
        raise InvalidInput(f"No report with id '{into_public_id}' to merge into.", field="into")
    if original.status not in MERGE_TARGETS:
        raise InvalidTransition(
            f"Cannot merge into report {original.public_id}: it is {original.status.value}; "
            "the original must be published or pending."
        )
    check_transition(duplicate, "merge")
    check = MergeCheck(
        _group(session, duplicate) == _group(session, original),
        _distance_m(session, duplicate, original),
    )
    reason = (reason or "").strip() or None
    if check.needs_reason and reason is None:
        raise Conflict(
            check.message(),
            field="reason",
            details={"same_group": check.same_group, "distance_m": round(check.distance_m, 1)},
        )
    moved = list(
        session.scalars(
            update(Confirmation)
            .where(Confirmation.report_id == duplicate.id)
            .values(report_id=original.id, municipality_id=original.municipality_id)
            .returning(Confirmation.id)
        ).all()
    )
    as_confirmation = Confirmation(
        report_id=original.id,
        municipality_id=original.municipality_id,
        created_at=duplicate.created_at,
        reporter_gender=duplicate.reporter_gender,
        reporter_age_band=duplicate.reporter_age_band,
    )
    session.add(as_confirmation)
    session.flush()
    act(
        session,
        actor,
        duplicate,
        "merge",
        note=reason,
        before={"merged_into": None},
        after={
            "merged_into": original.public_id,
            "confirmations_moved": len(moved),
            # What an unmerge puts back.
            "moved_confirmation_ids": sorted(moved),
            "added_confirmation_id": as_confirmation.id,
            "distance_m": round(check.distance_m, 1),
            "same_group": check.same_group,
        },
    )
    duplicate.merged_into_id = original.id
    audit.record(
        session,
        "report.merge_received",
        actor=actor,
        report_id=original.id,
        after={"duplicate": duplicate.public_id, "confirmations_added": len(moved) + 1},
    )
    session.flush()
    return duplicate


def _last_merge(session: Session, duplicate: Report) -> ModerationEvent | None:
    return session.scalar(
        select(ModerationEvent)
        .where(ModerationEvent.report_id == duplicate.id)
        .where(ModerationEvent.action == "report.merge")
        .order_by(ModerationEvent.id.desc())
        .limit(1)
    )


def unmerge(session: Session, actor: User, public_id: str, note: str | None = None) -> Report:
    """Undo the last merge of a duplicate: its status before the merge and its confirmations
    come back; the "me too" the merge added to the original is taken away. Audited."""
    duplicate = report_by_public_id(session, actor, public_id)
    check_transition(duplicate, "unmerge")
    event = _last_merge(session, duplicate)
    after = (event.after or {}) if event else {}
    if event is None or "added_confirmation_id" not in after:
        raise Conflict(
            f"Report {duplicate.public_id} was merged before merges could be undone; "
            "it cannot be restored automatically. Ask an administrator.",
        )
    original = session.scalar(
        select(Report).where(Report.id == duplicate.merged_into_id).with_for_update()
    )
    if original is None or original.status not in MERGE_TARGETS:
        state = original.status.value if original else "missing"
        raise InvalidTransition(
            f"The original of this merge is {state}; undo what happened to it first."
        )
    restored = ReportStatus((event.before or {}).get("status", ReportStatus.pending.value))
    moved = [int(i) for i in after.get("moved_confirmation_ids", [])]
    back = 0
    if moved:
        back = len(
            session.scalars(
                update(Confirmation)
                .where(Confirmation.id.in_(moved))
                .where(Confirmation.report_id == original.id)
                .values(report_id=duplicate.id, municipality_id=duplicate.municipality_id)
                .returning(Confirmation.id)
            ).all()
        )
    # The duplicate is a report of its own again, so the "me too" it stood for goes.
    session.execute(
        delete(Confirmation)
        .where(Confirmation.id == int(after["added_confirmation_id"]))
        .where(Confirmation.report_id == original.id)
    )
    act(
        session,
        actor,
        duplicate,
        "unmerge",
        note=(note or "").strip() or None,
        before={"merged_into": original.public_id},
        after={"merged_into": None, "confirmations_returned": back, "undoes_event": event.id},
        to=restored,
    )
    duplicate.merged_into_id = None
    audit.record(
        session,
        "report.unmerge_received",
        actor=actor,
        report_id=original.id,
        after={"duplicate": duplicate.public_id, "confirmations_removed": back + 1},
    )
    session.flush()
    return duplicate
