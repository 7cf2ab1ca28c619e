"""Progress updates by units (draft → submitted → accepted / returned) and their evidence.

A unit reporter writes and submits updates for her own unit's items; the equality unit
(planner) accepts or returns each with a note. Accepting applies the update's status,
progress and spending to the item. Evidence files are checked against the kind they claim:
photos are re-encoded without metadata exactly like report photos; documents must be PDF.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.models import (
    EqualityPlan,
    Evidence,
    EvidenceKind,
    ItemKind,
    PlanItem,
    ProgressUpdate,
    ReviewState,
    Role,
    User,
)
from app.schemas.monitoring import EvidenceLink, UpdateCreate
from app.services import audit
from app.services.monitoring import access
from app.services.monitoring.changes import plain
from app.services.monitoring.periods import period_by_label
from app.services.monitoring.rules import DEFAULT_PROGRESS, PERIOD_OPEN_FOR_DATA, check_progress
from app.services.reporting import clean_photo

FILE_KINDS = {
    EvidenceKind.photo: "a JPEG, PNG or WebP photo",
    EvidenceKind.document: "a PDF document",
    EvidenceKind.council_decision: "a PDF document",
    EvidenceKind.tender: "a PDF document",
    EvidenceKind.dataset: "a CSV or XLSX file",
}
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def _values(update: ProgressUpdate) -> dict:
    names = (
        "status",
        "progress",
        "narrative",
        "deviation_reason",
        "corrective_action",
        "budget_spent_try",
        "beneficiaries_women",
        "beneficiaries_men",
        "beneficiaries_other",
        "review_state",
        "review_note",
    )
    return {n: plain(getattr(update, n)) for n in names}


def update_or_404(session: Session, update_id: int, viewer: User) -> ProgressUpdate:
    update = session.get(ProgressUpdate, update_id)
    if update is None or not access.is_inside(session, viewer, update.municipality_id):
        raise NotFound(f"No progress update {update_id}.")
    return update


def create_update(
    session: Session, user: User, plan: EqualityPlan, item: PlanItem, data: UpdateCreate
) -> ProgressUpdate:
    access.require_item_reporter(session, user, item)
    check_progress(data.progress)
    period = period_by_label(session, plan, data.period, field="period")
    if period.state not in PERIOD_OPEN_FOR_DATA:
        raise InvalidInput(
            f"The period {period.label} is {period.state.value}: it takes no new updates.",
            field="period",
        )
    if data.progress is not None and item.kind is not ItemKind.activity:
        raise InvalidInput(
            "progress is reported on activities only; the others are rolled up.",
            field="progress",
        )
    progress = data.progress
    if progress is None and item.kind is ItemKind.activity:
        progress = DEFAULT_PROGRESS[data.status]
    fields = data.model_dump(exclude={"period", "progress"})
    update = ProgressUpdate(
        municipality_id=item.municipality_id,
        plan_item_id=item.id,
        reporting_period_id=period.id,
        progress=Decimal(str(progress)) if progress is not None else None,
        author_id=user.id,
        review_state=ReviewState.draft,
        **fields,
    )
    session.add(update)
    session.flush()
    audit.record(
        session,
        "monitoring.update.create",
        actor=user,
        municipality_id=item.municipality_id,
        note=f"{plan.code} {item.code} {period.label}",
        after=_values(update),
    )
    return update


def _move(session: Session, user: User, update: ProgressUpdate, state: ReviewState, note=None):
    before = _values(update)
    update.review_state = state
    if note is not None:
        update.review_note = note
    session.flush()
    audit.record(
        session,
        f"monitoring.update.{state.value}",
        actor=user,
        municipality_id=update.municipality_id,
        note=str(update.id),
        before=before,
        after=_values(update),
    )


def submit_update(session: Session, user: User, update: ProgressUpdate) -> None:
    item = session.get_one(PlanItem, update.plan_item_id)
    access.require_item_reporter(session, user, item)
    if update.review_state not in (ReviewState.draft, ReviewState.returned):
        raise InvalidTransition(
            f"This update is {update.review_state.value}; only a draft or a returned update "
            "is submitted.",
            field="review_state",
        )
    update.submitted_at = datetime.now(UTC)
    _move(session, user, update, ReviewState.submitted)


def review_update(
    session: Session, user: User, update: ProgressUpdate, accept: bool, note: str | None
) -> None:
    """The equality unit accepts (applying it to the item) or returns an update."""
    access.require_manager(session, user, update.municipality_id)
    if update.review_state is not ReviewState.submitted:
        raise InvalidTransition(
            f"This update is {update.review_state.value}; only a submitted update is reviewed.",
            field="review_state",
        )
    if not accept and not note:
        raise InvalidInput("Say why the update is returned (a note).", field="note")
    update.reviewed_by = user.id
    update.reviewed_at = datetime.now(UTC)
    _move(session, user, update, ReviewState.accepted if accept else ReviewState.returned, note)
    if accept:
        _apply_to_item(session, user, update)


def _apply_to_item(session: Session, user: User, update: ProgressUpdate) -> None:
    item = session.get_one(PlanItem, update.plan_item_id)
    before = {
        "status": item.status.value,
        "progress": plain(item.progress),
        "budget_spent_try": plain(item.budget_spent_try),
    }
    item.status = update.status
    if item.kind is ItemKind.activity and update.progress is not None:
        item.progress = update.progress
    if update.budget_spent_try is not None:
        item.budget_spent_try = update.budget_spent_try
    session.flush()
    after = {
        "status": item.status.value,
        "progress": plain(item.progress),
        "budget_spent_try": plain(item.budget_spent_try),
    }
    if after != before:
        audit.record(
            session,
            "monitoring.item.update",
            actor=user,
            municipality_id=item.municipality_id,
            note=f"{item.code} (update {update.id} accepted)",
            before=before,
            after=after,
        )


def updates_of(session: Session, plan_id: int, viewer: User | None) -> list[ProgressUpdate]:
    """Updates the viewer may read: the public only accepted ones whose date has come; a unit
    reporter her units' (and accepted ones); managers and the board all."""
    stmt = (
        select(ProgressUpdate)
        .join(PlanItem, PlanItem.id == ProgressUpdate.plan_item_id)
        .where(PlanItem.plan_id == plan_id)
        .order_by(ProgressUpdate.id)
    )
    rows = list(session.scalars(stmt))
    if not rows:
        return rows
    municipality_id = rows[0].municipality_id
    if viewer is not None and access.is_inside(session, viewer, municipality_id):
        if viewer.role is Role.unit_reporter:
            units = access.reporter_units(session, viewer)
            items = {
                i.id: i.responsible_unit_id
                for i in session.scalars(select(PlanItem).where(PlanItem.plan_id == plan_id))
            }
            return [u for u in rows if items.get(u.plan_item_id) in units or _public(u)]
        return rows
    return [u for u in rows if _public(u)]


def _public(update: ProgressUpdate) -> bool:
    today = datetime.now(UTC).date()
    return update.review_state is ReviewState.accepted and (
        update.publish_on is None or update.publish_on <= today
    )


# --- Evidence --------------------------------------------------------------------------------


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIDENCE_MEDIA_TYPES = ("application/pdf", "image/jpeg", "text/csv", XLSX)  # as stored


def _check_file(kind: EvidenceKind, data: bytes, settings: Settings) -> tuple[bytes, str]:
    """The bytes to store and their media type, or InvalidInput naming the field."""
    if kind not in FILE_KINDS:
        raise InvalidInput(f"Evidence of kind {kind.value} is a link, not a file.", field="kind")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise InvalidInput("The file is larger than 20 MB.", field="file")
    if kind is EvidenceKind.photo:
        try:
            return clean_photo(0, data, settings).content, "image/jpeg"
        except InvalidInput as exc:
            raise InvalidInput(
                f"The file is not {FILE_KINDS[kind]}, as its kind (photo) claims.", field="file"
            ) from exc
    if kind is EvidenceKind.dataset:
        if data[:4] == b"PK\x03\x04":
            return data, XLSX
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if b"\x00" not in data:
                return data, "text/csv"
        raise InvalidInput(f"The file is not {FILE_KINDS[kind]}, as its kind claims.", field="file")
    if not data.startswith(b"%PDF-"):
        raise InvalidInput(
            f"The file is not {FILE_KINDS[kind]}, as its kind ({kind.value}) claims.",
            field="file",
        )
    return data, "application/pdf"


def _may_add_evidence(session: Session, user: User, update: ProgressUpdate) -> None:
    item = session.get_one(PlanItem, update.plan_item_id)
    access.require_item_reporter(session, user, item)
    if update.review_state is ReviewState.accepted:
        raise InvalidTransition("An accepted update takes no more evidence.", field="update")


def add_evidence_file(
    session: Session,
    settings: Settings,
    user: User,
    update: ProgressUpdate,
    *,
    kind: EvidenceKind,
    title: str,
    data: bytes,
    is_private: bool,
) -> Evidence:
    _may_add_evidence(session, user, update)
    content, media_type = _check_file(kind, data, settings)
    evidence = Evidence(
        municipality_id=update.municipality_id,
        progress_update_id=update.id,
        kind=kind,
        title=title,
        content=content,
        media_type=media_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        is_private=is_private,
        uploaded_by=user.id,
    )
    return _store(session, user, evidence)


def add_evidence_link(
    session: Session, user: User, update: ProgressUpdate, data: EvidenceLink
) -> Evidence:
    _may_add_evidence(session, user, update)
    evidence = Evidence(
        municipality_id=update.municipality_id,
        progress_update_id=update.id,
        uploaded_by=user.id,
        **data.model_dump(),
    )
    return _store(session, user, evidence)


def _store(session: Session, user: User, evidence: Evidence) -> Evidence:
    session.add(evidence)
    session.flush()
    audit.record(
        session,
        "monitoring.evidence.add",
        actor=user,
        municipality_id=evidence.municipality_id,
        note=str(evidence.progress_update_id),
        after={
            "kind": evidence.kind.value,
            "title": evidence.title,
            "sha256": evidence.sha256,
            "url": evidence.url,
            "is_private": evidence.is_private,
        },
    )
    return evidence


def evidence_file(session: Session, evidence_id: int, viewer: User | None) -> Evidence:
    """An evidence file: private ones only to the municipality's monitoring staff; others
    once their update is public."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.content is None:
        raise NotFound(f"No evidence file {evidence_id}.")
    inside = access.is_inside(session, viewer, evidence.municipality_id)
    update = session.get_one(ProgressUpdate, evidence.progress_update_id)
    if not inside and (evidence.is_private or not _public(update)):
        raise NotFound(f"No evidence file {evidence_id}.")
    return evidence


def evidence_of(session: Session, update_ids: list[int], viewer_inside: bool) -> list[Evidence]:
    if not update_ids:
        return []
    stmt = select(Evidence).where(Evidence.progress_update_id.in_(update_ids))
    if not viewer_inside:
        stmt = stmt.where(Evidence.is_private.is_(False))
    return list(session.scalars(stmt.order_by(Evidence.id)))
