"""The demo's moderation side: a queue worth working, municipal answers, demo accounts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.demo.load import load_demo
from app.demo.staff import DEMO_ACCOUNTS
from app.models import (
    MunicipalStatus,
    NoteAuthor,
    Report,
    ReportNote,
    ReportSource,
    ReportStatus,
    User,
)
from app.services.moderation.pii import personal_data_hints


def test_demo_queue_accounts_and_municipal_answers(db, settings, client):
    lines = load_demo(db, settings)
    pending = list(
        db.scalars(
            select(Report).where(
                Report.source == ReportSource.demo, Report.status == ReportStatus.pending
            )
        )
    )
    kinds = {h.kind for r in pending for h in personal_data_hints(r.text)}
    assert kinds == {"phone", "tc_kimlik", "plate", "email", "url"}

    duplicate_line = next(line for line in lines if line.startswith("Demo queue"))
    dup_id, orig_id = duplicate_line.split("report ")[1].split(" (merge")[0].split(" duplicates ")
    dup = db.scalar(select(Report).where(Report.public_id == dup_id))
    orig = db.scalar(select(Report).where(Report.public_id == orig_id))
    assert dup.category_id == orig.category_id and dup.status is orig.status is ReportStatus.pending
    a, b = aliased(Report), aliased(Report)
    distance = db.scalar(
        select(func.ST_Distance(func.Geography(a.location), func.Geography(b.location)))
        .select_from(a)
        .join(b, b.id == orig.id)
        .where(a.id == dup.id)
    )
    assert distance < 30

    demo = select(Report).where(Report.source == ReportSource.demo)
    by_status = {
        s: list(db.scalars(demo.where(Report.municipal_status == s))) for s in MunicipalStatus
    }
    for status in (
        MunicipalStatus.forwarded,
        MunicipalStatus.in_progress,
        MunicipalStatus.resolved,
        MunicipalStatus.declined,
    ):
        assert len(by_status[status]) >= 3, status
        assert all(r.forwarded_at is not None and r.municipal_department for r in by_status[status])
        assert all(r.forwarded_at >= r.published_at for r in by_status[status])
    assert all(r.resolved_at is not None for r in by_status[MunicipalStatus.resolved])
    assert all(r.resolved_at > r.forwarded_at for r in by_status[MunicipalStatus.resolved])
    assert all(r.resolved_at is None for r in by_status[MunicipalStatus.declined])
    months = {r.forwarded_at.strftime("%Y-%m") for r in by_status[MunicipalStatus.resolved]}
    assert len(months) >= 4  # spread over the last months
    notes = db.scalar(
        select(func.count(ReportNote.id)).where(ReportNote.author == NoteAuthor.municipality)
    )
    assert notes >= sum(len(by_status[s]) for s in by_status if s is not MunicipalStatus.none)

    for demo in DEMO_ACCOUNTS:
        assert db.scalar(select(User.role).where(User.email == demo.email)) is demo.role
        assert any(demo.email in line and demo.password in line for line in lines)
    db.commit()
    email, password = DEMO_ACCOUNTS[0].email, DEMO_ACCOUNTS[0].password
    assert (
        client.post("/api/v1/auth/login", json={"email": email, "password": password}).status_code
        == 200
    )
    again = load_demo(db, settings)  # idempotent
    assert again[-1] == lines[-1]
