"""Erasure: her deletion and the retention period leave only an anonymous record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.models import ModerationEvent, NoteAuthor, Report, ReportNote, ReportPhoto, ReportStatus
from app.services.reporting import retention
from tests.support.factories import make_report


def add_personal_extras(db, report: Report) -> None:
    """A photo and one of her comments, as the citizen API would have stored them."""
    db.add(
        ReportPhoto(
            report_id=report.id,
            municipality_id=report.municipality_id,
            position=0,
            media_type="image/jpeg",
            width=1,
            height=1,
            byte_size=3,
            content=b"jpg",
        )
    )
    db.add(
        ReportNote(
            report_id=report.id,
            municipality_id=report.municipality_id,
            author=NoteAuthor.reporter,
            body="Ek bilgi: 0532",
        )
    )
    db.flush()


def personal_state(db, report: Report) -> dict:
    db.refresh(report)
    return {
        "text": report.text,
        "redacted_text": report.redacted_text,
        "place_description": report.place_description,
        "gender": report.reporter_gender,
        "age_band": report.reporter_age_band,
        "exact_is_public": db.scalar(
            select(func.ST_Equals(Report.location, Report.public_location)).where(
                Report.id == report.id
            )
        ),
        "photos": db.scalar(
            select(func.count()).select_from(ReportPhoto).where(ReportPhoto.report_id == report.id)
        ),
        "comments": db.scalars(
            select(ReportNote.body).where(
                ReportNote.report_id == report.id, ReportNote.author == NoteAuthor.reporter
            )
        ).all(),
    }


ERASED = {
    "text": "",
    "redacted_text": None,
    "place_description": None,
    "gender": None,
    "age_band": None,
    "exact_is_public": True,
    "photos": 0,
    "comments": [""],
}


def test_her_deletion_erases_what_she_gave(client, db, settings):
    report, code = make_report(
        db, settings, status=ReportStatus.published, place_description="Parkın arka girişi"
    )
    report.redacted_text = "Sokak lambaları [..]"
    add_personal_extras(db, report)
    db.commit()
    before = personal_state(db, report)
    assert before["text"] and before["photos"] == 1 and before["exact_is_public"] is False

    assert client.post("/api/v1/track/delete", json={"code": code}).status_code == 200

    assert personal_state(db, report) == ERASED
    db.refresh(report)
    assert report.status is ReportStatus.deleted
    # The anonymous record stays: category, mahalle, date, time of day, safety.
    assert report.mahalle_id is not None and report.time_band.value == "night"
    assert report.perceived_safety == 2


def test_purge_erases_only_reports_past_the_retention_period(db, settings):
    now = datetime.now(UTC)
    old, _ = make_report(db, settings, status=ReportStatus.published)
    recent, _ = make_report(db, settings, status=ReportStatus.published)
    add_personal_extras(db, old)
    add_personal_extras(db, recent)
    old.created_at = now - timedelta(days=5 * 366)
    recent.created_at = now - timedelta(days=4 * 365)
    db.flush()

    assert retention.purge_expired(db, 5, now) == 1
    assert personal_state(db, old) == ERASED
    kept = personal_state(db, recent)
    assert kept["text"] == "Sokak lambaları yanmıyor." and kept["photos"] == 1
    assert kept["gender"].value == "woman" and kept["exact_is_public"] is False
    db.refresh(old)
    assert old.status is ReportStatus.published  # still counted, anonymously

    event = db.scalar(
        select(ModerationEvent).where(ModerationEvent.action == retention.PURGE_ACTION)
    )
    assert event.actor_id is None and event.after["reports"] == 1

    assert retention.purge_expired(db, 5, now) == 0  # nothing left to erase
    assert retention.purge_expired(db, 4, now + timedelta(days=2)) == 1  # the recent one
