"""Login, the moderation queue, approve and reject, with their audit events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import ModerationEvent, Report, ReportStatus, Role
from tests.support.factories import KIZILAY, PASSWORD, login, make_report, make_user
from tests.support.moderation_support import events_for


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 401), (Role.planner, 403), (Role.moderator, 200), (Role.admin, 200)],
    ids=["anonymous", "planner", "moderator", "admin"],
)
def test_queue_access_by_role(client, db, role, expected, settings):
    if role is not None:
        login(client, make_user(db, settings, role))
    assert client.get("/api/v1/moderation/reports").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 401), (Role.planner, 403), (Role.moderator, 200)],
    ids=["anonymous", "planner", "moderator"],
)
def test_approve_access_by_role(client, db, settings, role, expected):
    report, _ = make_report(db, settings)
    if role is not None:
        login(client, make_user(db, settings, role))
    response = client.post(f"/api/v1/moderation/reports/{report.public_id}/approve")
    assert response.status_code == expected
    db.refresh(report)
    assert report.status is (ReportStatus.published if expected == 200 else ReportStatus.pending)


def test_queue_lists_pending_oldest_first_with_exact_location(client, db, settings):
    first, _ = make_report(db, settings, text="first")
    second, _ = make_report(db, settings, text="second")
    # One test is one transaction, where now() does not move: set the times apart.
    first.created_at = second.created_at - timedelta(minutes=5)
    make_report(db, settings, text="published", status=ReportStatus.published)
    login(client, make_user(db, settings, Role.moderator))
    body = client.get("/api/v1/moderation/reports").json()
    assert body["total"] == 2
    assert [i["text"] for i in body["items"]] == ["first", "second"]
    assert body["items"][0]["location"] == {"lon": KIZILAY[0], "lat": KIZILAY[1]}
    assert body["items"][0]["public_id"] == first.public_id
    newest = client.get("/api/v1/moderation/reports", params={"newest_first": True}).json()
    assert [i["text"] for i in newest["items"]] == ["second", "first"]


def test_approve_publishes_and_writes_one_event(client, db, settings):
    report, _ = make_report(db, settings)
    moderator = make_user(db, settings, Role.moderator)
    login(client, moderator)
    response = client.post(f"/api/v1/moderation/reports/{report.public_id}/approve")
    assert response.json() == {"public_id": report.public_id, "status": "published"}
    db.refresh(report)
    assert report.status is ReportStatus.published and report.published_at is not None
    [event] = events_for(db, report)
    assert (event.actor_id, event.action) == (moderator.id, "report.approve")
    assert event.before == {"status": "pending"} and event.after == {"status": "published"}
    assert client.get("/api/v1/reports").json()["numberMatched"] == 1


def test_approving_twice_is_an_invalid_transition(client, db, settings):
    report, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    client.post(f"/api/v1/moderation/reports/{report.public_id}/approve")
    again = client.post(f"/api/v1/moderation/reports/{report.public_id}/approve")
    assert again.status_code == 409
    assert "published" in again.json()["error"]["message"]
    assert len(events_for(db, report)) == 1


def test_reject_with_reason(client, db, settings):
    report, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    response = client.post(
        f"/api/v1/moderation/reports/{report.public_id}/reject", json={"reason": "spam"}
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    [event] = events_for(db, report)
    assert event.reason == "spam" and event.action == "report.reject"
    assert client.get("/api/v1/reports").json()["numberMatched"] == 0
    # A rejected report cannot be approved later.
    assert client.post(f"/api/v1/moderation/reports/{report.public_id}/approve").status_code == 409


def test_reject_other_needs_a_note_and_bad_reason_is_refused(client, db, settings):
    report, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    url = f"/api/v1/moderation/reports/{report.public_id}/reject"
    no_note = client.post(url, json={"reason": "other"})
    assert no_note.status_code == 422 and no_note.json()["error"]["fields"][0]["field"] == "note"
    bad = client.post(url, json={"reason": "boring"})
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "reason"
    ok = client.post(url, json={"reason": "other", "note": "test entry"})
    assert ok.status_code == 200
    assert events_for(db, report)[0].note == "test entry"


def test_unknown_report_is_404(client, db, settings):
    login(client, make_user(db, settings, Role.moderator))
    assert client.post("/api/v1/moderation/reports/nosuchid/approve").status_code == 404


def test_failed_action_leaves_no_event(client, db, settings):
    report, _ = make_report(db, settings, status=ReportStatus.rejected)
    login(client, make_user(db, settings, Role.moderator))
    before = db.scalar(select(func.count(ModerationEvent.id)))
    assert client.post(f"/api/v1/moderation/reports/{report.public_id}/approve").status_code == 409
    assert db.scalar(select(func.count(ModerationEvent.id))) == before


def test_login_failure_is_401_and_recorded_without_password(client, db, settings):
    user = make_user(db, settings, Role.moderator)
    response = client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": "wrong-password"}
    )
    assert response.status_code == 401
    event = db.scalar(
        select(ModerationEvent)
        .where(ModerationEvent.action == "auth.login_failed")
        .order_by(ModerationEvent.id.desc())
    )
    assert event is not None and event.target_user_id == user.id
    assert "wrong-password" not in str(event.after)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_login_cookie_me_and_logout(client, db, settings):
    user = make_user(db, settings, Role.planner)
    response = client.post(
        "/api/v1/auth/login", json={"email": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/api/v1/auth/me").json() == {"email": user.email, "role": "planner"}
    csrf = {"X-CSRF-Token": client.cookies["mh_csrf"]}
    assert client.post("/api/v1/auth/logout", headers=csrf).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401


def test_deactivated_user_loses_access(client, db, settings):
    user = make_user(db, settings, Role.moderator)
    login(client, user)
    user.active = False
    db.flush()
    assert client.get("/api/v1/moderation/reports").status_code == 401


def test_moderation_event_log_is_append_only(db, settings):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    report, _ = make_report(db, settings)
    db.add(ModerationEvent(report_id=report.id, action="report.test"))
    db.flush()
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.execute(text("UPDATE moderation_event SET note = 'changed'"))
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.execute(text("DELETE FROM moderation_event"))
    assert db.scalar(select(func.count(Report.id)).where(Report.id == report.id)) == 1


def test_state_changing_call_without_csrf_token_is_refused(client, db, settings):
    moderator = make_user(db, settings, role=Role.moderator)
    report, _code = make_report(db, settings)
    db.commit()
    login(client, moderator)
    token = client.headers.pop("X-CSRF-Token")
    refused = client.post(f"/api/v1/moderation/reports/{report.public_id}/approve")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    wrong = client.post(
        f"/api/v1/moderation/reports/{report.public_id}/approve",
        headers={"X-CSRF-Token": "0" * 64},
    )
    assert wrong.status_code == 403
    db.refresh(report)
    assert report.status.value == "pending"
    accepted = client.post(
        f"/api/v1/moderation/reports/{report.public_id}/approve",
        headers={"X-CSRF-Token": token},
    )
    assert accepted.status_code == 200, accepted.text
