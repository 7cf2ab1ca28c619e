"""The reporter's side, by tracking code: status and timeline, comments, deletion.

The code is the only key a reporter holds, so guessing codes is throttled: failed look-ups
are counted per client under a salted hash that changes every day (DESIGN.md §2.5: no
address is stored), in the login_failure table with the key prefix "track:".
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Conflict, ReportNotFound, TooManyAttempts
from app.models import (
    ModerationEvent,
    NoteAuthor,
    RejectReason,
    Report,
    ReportNote,
    ReportStatus,
)
from app.schemas.reporting import TimelineEntry, TrackingView
from app.services import audit
from app.services.accounts import throttle_key, throttle_record, throttle_retry_after
from app.services.clock import LOCAL_TZ
from app.services.reporting import public_layer, retention
from app.services.reporting.codes import hash_tracking_code
from app.services.visibility import reports_of_code_holder

TRACK_SCOPE = "track"  # throttle keys are "track:<hex>"
WINDOW = timedelta(minutes=15)
MAX_FAILURES = 20  # wrong codes per client per window; 80-bit codes make guessing hopeless
DELETE_ACTION = "report.delete_by_reporter"


class WrongTrackingCode(ReportNotFound):
    """No report has this code (the message never says whether it ever existed)."""

    code = "tracking_code_not_found"
    keeps_writes = True  # the counted failure must outlive the 404 (throttling)


def _wrong_code() -> WrongTrackingCode:
    return WrongTrackingCode(
        "This tracking code does not match a report. Check the code (16 letters and digits, "
        "in groups of four) and try again."
    )


def client_key(settings: Settings, client: str, today: date | None = None) -> str:
    """A salted, short-lived hash of the client (changes daily), prefixed "track:"."""
    return throttle_key(settings.secret_key, TRACK_SCOPE, client, today or datetime.now(UTC).date())


def check_throttle(session: Session, key: str, now: datetime | None = None) -> None:
    """TooManyAttempts when this client has had MAX_FAILURES wrong codes within WINDOW."""
    retry = throttle_retry_after(session, key, MAX_FAILURES, WINDOW, now or datetime.now(UTC))
    if retry is not None:
        minutes = max(1, math.ceil(retry / 60))
        raise TooManyAttempts(
            f"Too many wrong tracking codes from this device. Wait {minutes} minutes, then "
            "try again with the code exactly as it was shown.",
            retry_after_s=retry,
        )


def record_failure(session: Session, key: str, now: datetime | None = None) -> None:
    """Count one wrong code for this client, and forget failures older than the window."""
    throttle_record(session, TRACK_SCOPE, [key], WINDOW, now or datetime.now(UTC))


def report_for_code(session: Session, key: str, code: str, *, lock: bool = False) -> Report:
    """The report of this code, after the throttle; a wrong code is counted, then refused.

    The caller's transaction must keep the counted failure although WrongTrackingCode is
    raised (see app.api.reporting.tracking.TrackingSessionDep).
    """
    check_throttle(session, key)
    stmt = reports_of_code_holder(hash_tracking_code(code))
    report = session.scalar(stmt.with_for_update() if lock else stmt)
    if report is None:
        record_failure(session, key)
        raise _wrong_code()
    return report


def local_time(moment: datetime) -> str:
    """A moment as local (Istanbul) ISO 8601 time, to the minute."""
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="minutes")


def timeline(session: Session, report: Report) -> list[TimelineEntry]:
    """Submission, status changes, public staff notes and her own comments; no staff names."""
    # (moment, order, entry): sorted by the real moment, not the minute shown.
    entries = [
        (
            report.created_at,
            0,
            TimelineEntry(
                at=local_time(report.created_at), kind="status", text="pending", author="reporter"
            ),
        )
    ]
    events = session.execute(
        select(
            ModerationEvent.created_at,
            ModerationEvent.id,
            ModerationEvent.action,
            ModerationEvent.before,
            ModerationEvent.after,
        ).where(ModerationEvent.report_id == report.id)
    ).all()
    for at, id_, action, before, after in events:
        status = (after or {}).get("status")
        if status and status != (before or {}).get("status"):
            author = "reporter" if action == DELETE_ACTION else "moderator"
            entries.append(
                (
                    at,
                    id_,
                    TimelineEntry(at=local_time(at), kind="status", text=status, author=author),
                )
            )
    notes = session.execute(
        select(ReportNote).where(
            ReportNote.report_id == report.id,
            (ReportNote.author == NoteAuthor.reporter) | ReportNote.public.is_(True),
        )
    ).scalars()
    for note in notes:
        if note.author is NoteAuthor.reporter:
            kind = "comment"
        elif note.author is NoteAuthor.municipality or note.municipal_status is not None:
            kind = "municipal"
        else:
            kind = "note"
        entry = TimelineEntry(
            at=local_time(note.created_at),
            kind=kind,
            text=note.body,
            author=note.author.value,
            municipal_status=note.municipal_status,
        )
        entries.append((note.created_at, note.id, entry))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [e[2] for e in entries]


def rejection_reason(session: Session, report: Report) -> RejectReason | None:
    """The reason code of the report's rejection (never the moderator's note), if rejected."""
    if report.status is not ReportStatus.rejected:
        return None
    reason = session.scalar(
        select(ModerationEvent.reason)
        .where(ModerationEvent.report_id == report.id)
        .where(ModerationEvent.action == "report.reject")
        .order_by(ModerationEvent.id.desc())
        .limit(1)
    )
    return RejectReason(reason) if reason in set(RejectReason) else None


def tracking_view(session: Session, key: str, code: str) -> TrackingView:
    """What the code's holder sees: status, municipal status, timeline, what she may do."""
    report = report_for_code(session, key, code)
    category = public_layer.category_code(session, report.category_id)
    merged_into = public_layer.public_id_of(session, report.merged_into_id)
    open_ = report.status is not ReportStatus.deleted
    return TrackingView(
        public_id=report.public_id,
        status=report.status,
        category=category,
        created_at=report.created_at.astimezone(LOCAL_TZ).date(),
        municipal_status=report.municipal_status,
        location_precision=report.location_precision,
        timeline=timeline(session, report),
        merged_into=merged_into,
        rejection_reason=rejection_reason(session, report),
        can_comment=open_,
        can_delete=open_,
    )


def add_comment(session: Session, key: str, code: str, body: str) -> ReportNote:
    """Her comment on her report (never public); refused on a deleted report."""
    report = report_for_code(session, key, code, lock=True)
    if report.status is ReportStatus.deleted:
        raise Conflict("This report was deleted, so it cannot take comments any more.")
    note = ReportNote(
        report_id=report.id,
        municipality_id=report.municipality_id,
        author=NoteAuthor.reporter,
        body=body,
        public=False,
    )
    session.add(note)
    session.flush()
    return note


def delete_report(session: Session, key: str, code: str) -> Report:
    """Her deletion: the report leaves every public output; the event is logged with it."""
    report = report_for_code(session, key, code, lock=True)
    if report.status is ReportStatus.deleted:
        raise Conflict("This report has already been deleted; there is nothing more to do.")
    before = {"status": report.status.value}
    report.status = ReportStatus.deleted
    report.deleted_at = func.now()
    session.flush()
    retention.erase_report(session, report)
    audit.record(
        session,
        DELETE_ACTION,
        report_id=report.id,
        before=before,
        after={"status": ReportStatus.deleted.value},
    )
    return report
