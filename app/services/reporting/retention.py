"""Erasing what a reporter gave: when she deletes her report, and after the retention period.

What goes: her text and its redacted version, her description of the place, her photos, her
comments, her gender and age band, and the exact point (replaced by the displaced point,
which was already public or would have been). What stays is an anonymous record (category,
mahalle, date, time of day, perceived safety, status) so past indicators do not change
except where she deleted (a deleted report counts nowhere). Rows are kept, not deleted, and
the append-only audit log keeps its events; it never holds her original text.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import NoteAuthor, Report, ReportNote, ReportPhoto
from app.services import audit

PURGE_ACTION = "report.retention_purge"


def _has_personal_content() -> ColumnElement[bool]:
    """Whether a report still holds anything its reporter gave beyond the anonymous record."""
    return or_(
        Report.text != "",
        Report.redacted_text.is_not(None),
        Report.place_description.is_not(None),
        Report.reporter_gender.is_not(None),
        Report.reporter_age_band.is_not(None),
        ~func.ST_Equals(Report.location, Report.public_location),
        exists().where(ReportPhoto.report_id == Report.id),
        exists().where(
            ReportNote.report_id == Report.id,
            ReportNote.author == NoteAuthor.reporter,
            ReportNote.body != "",
        ),
    )


def _erase(session: Session, ids: Select) -> int:
    """Erase the personal content of the reports whose ids `ids` selects; returns how many."""
    erased = session.execute(
        update(Report)
        .where(Report.id.in_(ids))
        .values(
            text="",
            redacted_text=None,
            place_description=None,
            reporter_gender=None,
            reporter_age_band=None,
            location=Report.public_location,
        )
        .returning(Report.id)
    ).all()
    report_ids = [row.id for row in erased]
    if report_ids:
        session.execute(delete(ReportPhoto).where(ReportPhoto.report_id.in_(report_ids)))
        session.execute(
            update(ReportNote)
            .where(ReportNote.report_id.in_(report_ids), ReportNote.author == NoteAuthor.reporter)
            .values(body="")
        )
    session.flush()
    session.expire_all()  # loaded reports must not keep the erased values in memory
    return len(report_ids)


def erase_report(session: Session, report: Report) -> None:
    """Erase one report's personal content (her deletion, in the same transaction)."""
    _erase(session, select(Report.id).where(Report.id == report.id))


def purge_expired(session: Session, retention_years: int, now: datetime) -> int:
    """Erase the personal content of every report older than the retention period.

    Idempotent: reports already erased are not touched again. One audit event records how
    many were erased and the cut-off.
    """
    cutoff = now - timedelta(days=round(365.25 * retention_years))
    due = select(Report.id).where(and_(Report.created_at < cutoff, _has_personal_content()))
    count = _erase(session, due)
    if count:
        audit.record(
            session, PURGE_ACTION, after={"reports": count, "created_before": cutoff.isoformat()}
        )
    return count
