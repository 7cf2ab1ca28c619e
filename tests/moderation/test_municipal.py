"""The municipal response: forwarded -> in progress -> resolved / declined, public notes,
timestamps, and what the reporter sees through her tracking code."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import ModerationEvent, MunicipalStatus, ReportNote, ReportStatus, Role
from tests.support.factories import login, make_report, make_user

M = MunicipalStatus


def status_url(report) -> str:
    return f"/api/v1/municipal/reports/{report.public_id}/status"


def step(client, report, status, note="Not.", department=None):
    body = {"status": status, "note": note}
    if department:
        body["department"] = department
    return client.post(status_url(report), json=body)


@pytest.mark.parametrize("role", [Role.moderator, Role.planner])
def test_forward_progress_resolve_with_public_notes(client, db, settings, role):
    report, code = make_report(db, settings, status=ReportStatus.published)
    actor = make_user(db, settings, role)
    login(client, actor)
    forwarded = step(client, report, "forwarded", "Fen İşlerine iletildi.", "Fen İşleri")
    assert forwarded.status_code == 201, forwarded.text
    assert forwarded.json()["municipal_status"] == "forwarded"
    assert step(client, report, "in_progress", "Ekip yönlendirildi.").status_code == 201
    assert step(client, report, "resolved", "Lamba değiştirildi.").status_code == 201
    db.refresh(report)
    assert report.municipal_status is M.resolved
    assert report.municipal_department == "Fen İşleri"
    assert report.forwarded_at is not None and report.resolved_at is not None
    notes = list(
        db.scalars(
            select(ReportNote).where(ReportNote.report_id == report.id).order_by(ReportNote.id)
        )
    )
    assert [(n.author.value, n.public, n.municipal_status) for n in notes] == [
        ("municipality", True, M.forwarded),
        ("municipality", True, M.in_progress),
        ("municipality", True, M.resolved),
    ]
    assert notes[0].author_id == actor.id
    actions = list(
        db.scalars(
            select(ModerationEvent.action)
            .where(ModerationEvent.report_id == report.id)
            .order_by(ModerationEvent.id)
        )
    )
    assert actions == ["municipal.forwarded", "municipal.in_progress", "municipal.resolved"]
    client.cookies.clear()
    assert (
        client.post("/api/v1/track", json={"code": code}).json()["municipal_status"] == "resolved"
    )
    listed = client.get("/api/v1/reports").json()["features"][0]["properties"]
    assert listed["municipal_status"] == "resolved"


def test_declined_sets_no_resolved_at(client, db, settings):
    report, _ = make_report(db, settings, status=ReportStatus.published)
    login(client, make_user(db, settings, Role.planner))
    step(client, report, "forwarded", "İletildi.", "Ulaşım Dairesi")
    assert step(client, report, "declined", "Bu yol belediyenin değil.").status_code == 201
    db.refresh(report)
    assert report.municipal_status is M.declined and report.resolved_at is None


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (M.none, "in_progress", False),
        (M.none, "resolved", False),
        (M.none, "declined", False),
        (M.forwarded, "forwarded", False),
        (M.forwarded, "resolved", True),
        (M.in_progress, "declined", True),
        (M.resolved, "in_progress", False),
        (M.declined, "resolved", False),
    ],
)
def test_municipal_transitions(client, db, settings, current, new, allowed):
    report, _ = make_report(db, settings, status=ReportStatus.published)
    report.municipal_status = current
    db.flush()
    login(client, make_user(db, settings, Role.moderator))
    response = step(client, report, new, "Not.", "Fen İşleri")
    assert response.status_code == (201 if allowed else 409), response.text
    db.refresh(report)
    assert report.municipal_status is (M(new) if allowed else current)


def test_forward_needs_a_department_and_a_note(client, db, settings):
    report, _ = make_report(db, settings, status=ReportStatus.published)
    login(client, make_user(db, settings, Role.moderator))
    no_department = step(client, report, "forwarded", "İletildi.")
    assert no_department.status_code == 422
    assert no_department.json()["error"]["fields"][0]["field"] == "department"
    blank = step(client, report, "forwarded", "   ", "Fen İşleri")
    assert blank.status_code == 422


def test_only_published_non_sensitive_reports_go_to_the_municipality(client, db, settings):
    pending, _ = make_report(db, settings)
    sensitive, _ = make_report(
        db, settings, category="verbal_harassment", status=ReportStatus.published
    )
    login(client, make_user(db, settings, Role.moderator))
    assert step(client, pending, "forwarded", "x", "Fen").status_code == 409
    refused = step(client, sensitive, "forwarded", "x", "Fen")
    assert refused.status_code == 409
    assert "not forwarded to the municipality" in refused.json()["error"]["message"]
    listed = client.get("/api/v1/municipal/reports").json()
    assert listed["total"] == 0
    # A published lighting report is the municipality's: listed, and marked so in the queue.
    lamp, _ = make_report(db, settings, status=ReportStatus.published)
    db.commit()
    listed = client.get("/api/v1/municipal/reports").json()
    assert listed["total"] == 1 and listed["items"][0]["public_id"] == lamp.public_id
    queue = client.get("/api/v1/moderation/reports", params={"status": "published"}).json()
    eligible = {i["public_id"]: i["municipal_eligible"] for i in queue["items"]}
    assert eligible == {lamp.public_id: True, sensitive.public_id: False}


def test_planner_cannot_see_pending_reports_here(client, db, settings):
    pending, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.planner))
    assert step(client, pending, "forwarded", "x", "Fen").status_code == 404
