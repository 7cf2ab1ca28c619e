"""Bulk decisions on a selection of the queue: each report succeeds or fails on its own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    ReportNotFound,
    UnresolvedPersonalData,
)
from app.models import RejectReason, ReportStatus, User
from app.services.moderation.actions import approve, reject


@dataclass(frozen=True)
class BulkOutcome:
    public_id: str
    ok: bool
    status: ReportStatus | None
    message: str | None
    code: str | None = None  # the refusal's error code (personal_data_hints: skipped)
    hint_kinds: tuple[str, ...] = ()


def bulk(
    session: Session,
    actor: User,
    action: str,
    public_ids: list[str],
    reason: RejectReason | None,
    note: str | None,
) -> list[BulkOutcome]:
    """Approve or reject a selection; each report succeeds or fails on its own (savepoints).

    Approval skips the reports whose public text has personal-data hints (listed as failed
    with code `personal_data_hints`).
    """
    if action == "reject" and reason is None:
        raise InvalidInput("Choose a reason to reject the selection.", field="reason")
    outcomes = []
    for public_id in dict.fromkeys(public_ids):
        try:
            with session.begin_nested():
                if action == "approve":
                    report = approve(session, actor, public_id)
                else:
                    assert reason is not None
                    report = reject(session, actor, public_id, reason, note)
            outcomes.append(BulkOutcome(public_id, True, report.status, None))
        except UnresolvedPersonalData as exc:
            # Skipped, never overridden in bulk: each flagged text needs its own decision.
            kinds = tuple(exc.details["hint_kinds"])
            outcomes.append(BulkOutcome(public_id, False, None, exc.message, exc.code, kinds))
        except (InvalidTransition, Conflict, ReportNotFound, InvalidInput) as exc:
            outcomes.append(BulkOutcome(public_id, False, None, exc.message, exc.code))
    return outcomes
