"""Tracking by code: status and timeline, comments, deletion, and throttled guessing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.models import (
    LoginFailure,
    ModerationEvent,
    MunicipalStatus,
    NoteAuthor,
    ReportNote,
    ReportStatus,
    Role,
)
from app.services.reporting import tracking
from tests.support.factories import login, make_report, make_user

CUMHURIYET = "relation/6777209"


def track(client, code: str):
    return client.post("/api/v1/track", json={"code": code})


def test_tracking_shows_status_category_and_submission(client, db, settings):
    report, code = make_report(db, settings)
    response = track(client, code)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["public_id"] == report.public_id
    assert body["status"] == "pending"
    assert body["category"] == "dark_street"
    assert body["municipal_status"] == "none"
    assert body["merged_into"] is None
    assert body["can_comment"] is True and body["can_delete"] is True
    assert len(body["created_at"]) == 10  # a date, no time
    assert [(e["kind"], e["text"], e["author"]) for e in body["timeline"]] == [
        ("status", "pending", "reporter")
    ]
    # The code works without dashes and in lower case too.
    assert track(client, code.replace("-", "").lower()).json()["public_id"] == report.public_id


def test_timeline_has_status_changes_public_notes_and_her_comments_without_staff_names(
    client, db, settings
):
    report, code = make_report(db, settings)
    moderator = make_user(db, settings, Role.moderator)
    login(client, moderator)
    assert client.post(f"/api/v1/moderation/reports/{report.public_id}/approve").status_code == 200
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    db.add_all(
        [
            ReportNote(
                report_id=report.id,
                municipality_id=report.municipality_id,
                author=NoteAuthor.moderator,
                author_id=moderator.id,
                body="Teşekkürler, yayımlandı.",
                public=True,
            ),
            ReportNote(
                report_id=report.id,
                municipality_id=report.municipality_id,
                author=NoteAuthor.moderator,
                author_id=moderator.id,
                body="iç not: gizli",
                public=False,
            ),
            ReportNote(
                report_id=report.id,
                municipality_id=report.municipality_id,
                author=NoteAuthor.municipality,
                author_id=moderator.id,
                body="Fen İşleri'ne iletildi.",
                public=True,
                municipal_status=MunicipalStatus.forwarded,
            ),
        ]
    )
    db.flush()
    added = client.post("/api/v1/track/comments", json={"code": code, "body": " Hâlâ karanlık. "})
    assert added.status_code == 201, added.text
    response = track(client, code)
    body = response.json()
    assert body["status"] == "published"
    entries = [(e["kind"], e["text"], e["author"]) for e in body["timeline"]]
    assert entries[0] == ("status", "pending", "reporter")
    assert ("status", "published", "moderator") in entries
    assert ("note", "Teşekkürler, yayımlandı.", "moderator") in entries
    assert ("municipal", "Fen İşleri'ne iletildi.", "municipality") in entries
    assert ("comment", "Hâlâ karanlık.", "reporter") in entries
    assert len(entries) == 5
    municipal = next(e for e in body["timeline"] if e["kind"] == "municipal")
    assert municipal["municipal_status"] == "forwarded"
    assert "iç not" not in response.text
    assert moderator.email not in response.text
    assert str(moderator.id) not in {str(v) for e in body["timeline"] for v in e.values()}


def test_merged_report_says_where_it_was_merged(client, db, settings):
    original, _ = make_report(db, settings, status=ReportStatus.published)
    duplicate, code = make_report(db, settings)
    duplicate.status = ReportStatus.merged
    duplicate.merged_into_id = original.id
    db.flush()
    body = track(client, code).json()
    assert body["status"] == "merged"
    assert body["merged_into"] == original.public_id


def test_comment_is_stored_private_and_validated(client, db, settings):
    report, code = make_report(db, settings)
    response = client.post("/api/v1/track/comments", json={"code": code, "body": "Ek bilgi"})
    assert response.status_code == 201
    assert set(response.json()) == {"at", "kind"}
    note = db.scalar(select(ReportNote).where(ReportNote.report_id == report.id))
    assert (note.author, note.public, note.body, note.author_id) == (
        NoteAuthor.reporter,
        False,
        "Ek bilgi",
        None,
    )
    for bad in ("", "   ", "x" * 1001):
        refused = client.post("/api/v1/track/comments", json={"code": code, "body": bad})
        assert refused.status_code == 422, bad
    assert client.post("/api/v1/track/comments", json={"code": code}).status_code == 422


def test_deletion_removes_the_report_from_public_outputs_and_indicators(client, db, settings):
    reports = [make_report(db, settings, status=ReportStatus.published) for _ in range(6)]
    report, code = reports[0]
    indicator = next(
        f["properties"]
        for f in client.get("/api/v1/indicators").json()["features"]
        if f["id"] == CUMHURIYET
    )
    assert indicator["reports"] == 6
    assert client.get("/api/v1/reports").json()["numberMatched"] == 6

    response = client.post("/api/v1/track/delete", json={"code": code})
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "deleted"}

    db.refresh(report)
    assert report.status is ReportStatus.deleted and report.deleted_at is not None
    event = db.scalar(select(ModerationEvent).where(ModerationEvent.report_id == report.id))
    assert event.action == "report.delete_by_reporter" and event.actor_id is None
    assert (event.before, event.after) == ({"status": "published"}, {"status": "deleted"})

    listed = client.get("/api/v1/reports").json()
    assert listed["numberMatched"] == 5
    assert report.public_id not in {f["id"] for f in listed["features"]}
    indicator = next(
        f["properties"]
        for f in client.get("/api/v1/indicators").json()["features"]
        if f["id"] == CUMHURIYET
    )
    assert indicator["reports"] == 5

    body = track(client, code).json()
    assert body["status"] == "deleted"
    assert body["can_comment"] is False and body["can_delete"] is False
    assert body["timeline"][-1] == {
        "at": body["timeline"][-1]["at"],
        "kind": "status",
        "text": "deleted",
        "author": "reporter",
        "municipal_status": None,
    }


def test_deleting_twice_or_commenting_after_deletion_is_409(client, db, settings):
    report, code = make_report(db, settings)
    assert client.post("/api/v1/track/delete", json={"code": code}).status_code == 200
    again = client.post("/api/v1/track/delete", json={"code": code})
    assert again.status_code == 409
    assert "already been deleted" in again.json()["error"]["message"]
    comment = client.post("/api/v1/track/comments", json={"code": code, "body": "hâlâ burada"})
    assert comment.status_code == 409
    assert "deleted" in comment.json()["error"]["message"]
    events = db.scalar(
        select(func.count(ModerationEvent.id)).where(ModerationEvent.report_id == report.id)
    )
    assert events == 1


def test_wrong_code_is_404_and_says_nothing_about_existence(client, db, settings):
    _, code = make_report(db, settings)
    for path, extra in (
        ("/api/v1/track", {}),
        ("/api/v1/track/comments", {"body": "x"}),
        ("/api/v1/track/delete", {}),
    ):
        response = client.post(path, json={"code": "AAAA-BBBB-CCCC-DDDD", **extra})
        assert response.status_code == 404, path
        error = response.json()["error"]
        assert error["code"] == "tracking_code_not_found"
        assert "does not match a report" in error["message"]
        assert "exist" not in error["message"]
    assert client.post("/api/v1/track", json={}).status_code == 422
    assert client.post("/api/v1/track", json={"code": "ab"}).status_code == 422
    assert track(client, code).status_code == 200


def test_tracking_codes_never_travel_in_a_url(client, db, settings):
    _, code = make_report(db, settings)
    assert client.get(f"/api/v1/track/{code}").status_code in (404, 405)


def test_guessing_codes_is_throttled_per_client_with_retry_after(client, db, settings):
    _, code = make_report(db, settings)
    for i in range(tracking.MAX_FAILURES):
        response = track(client, f"WRNG-{i:04d}-AAAA-BBBB")
        assert response.status_code == 404, (i, response.text)
    throttled = track(client, "WRNG-9999-AAAA-BBBB")
    assert throttled.status_code == 429
    retry_after = int(throttled.headers["retry-after"])
    assert 0 < retry_after <= tracking.WINDOW.total_seconds()
    assert throttled.json()["error"]["code"] == "too_many_attempts"
    assert "Wait" in throttled.json()["error"]["message"]
    # While throttled, even the right code is refused (so guesses cannot be checked).
    assert track(client, code).status_code == 429
    assert client.post("/api/v1/track/delete", json={"code": code}).status_code == 429
    keys = db.scalars(select(LoginFailure.key_hash)).all()
    assert len(keys) == tracking.MAX_FAILURES
    assert all(k.startswith("track:") and len(k) == 64 for k in keys)
    assert len(set(keys)) == 1
    # The salted hash of the client address, never the address itself.
    assert keys[0] == tracking.client_key(settings, "127.0.0.1")


def test_throttle_window_expires_and_key_changes_daily(db, settings):
    key = tracking.client_key(settings, "203.0.113.9")
    assert key != tracking.client_key(settings, "203.0.113.10")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    assert key != tracking.client_key(settings, "203.0.113.9", tomorrow)
    old = datetime.now(UTC) - tracking.WINDOW - timedelta(seconds=5)
    for _ in range(tracking.MAX_FAILURES):
        tracking.record_failure(db, key, now=old)
    tracking.check_throttle(db, key)  # old failures do not count
    tracking.record_failure(db, key)  # and are purged by the next failure
    assert db.scalar(select(func.count(LoginFailure.id))) == 1


def test_a_failed_login_does_not_erase_the_tracking_count(db, settings):
    """Each throttle purges only its own expired rows, whatever the other's window."""
    from app.services.accounts import auth

    key = tracking.client_key(settings, "203.0.113.9")
    a_minute_ago = datetime.now(UTC) - timedelta(minutes=1)  # inside the 15-minute window
    tracking.record_failure(db, key, now=a_minute_ago)
    short_window = settings.model_copy(update={"login_throttle_window_s": 10})
    auth.record_login_failure(db, short_window, "someone@example.org", "203.0.113.9")
    counted = db.scalar(select(func.count(LoginFailure.id)).where(LoginFailure.key_hash == key))
    assert counted == 1
