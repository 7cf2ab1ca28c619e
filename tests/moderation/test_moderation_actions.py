"""The moderation state machine through HTTP: every allowed and forbidden transition, what
each action changes, redaction, merge, edit locks, bulk decisions and their audit events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import (
    Category,
    Confirmation,
    ModerationEvent,
    ReportNote,
    ReportStatus,
    Role,
)
from app.services.reference.areas import mahalle_at
from tests.support.factories import KIZILAY, login, make_report, make_user
from tests.support.moderation_support import events_for, mod_url

S = ReportStatus
BODIES = {
    "approve": None,
    "reject": {"reason": "off_topic"},
    "hide": {},
    "redact": {"redacted_text": "Lamba yanmıyor."},
    "category": {"category": "unsafe_park"},
    "location": {"location": {"lon": KIZILAY[0] + 0.001, "lat": KIZILAY[1]}},
    "merge": {"into": "{original}"},
    "notes": {"body": "Bildiriminiz için teşekkürler."},
    "unmerge": {},
}
# Written out by hand (not read from TRANSITIONS), so that a change to the table is noticed.
ALLOWED = {
    "approve": {S.pending, S.hidden},
    "reject": {S.pending},
    "hide": {S.published},
    "redact": {S.pending, S.published, S.hidden},
    "category": {S.pending, S.published, S.hidden},
    "location": {S.pending, S.published, S.hidden},
    "merge": {S.pending, S.published, S.hidden},
    "notes": {S.pending, S.published, S.hidden, S.merged, S.rejected},
    "unmerge": {S.merged},
}
RESULT = {
    "approve": S.published,
    "reject": S.rejected,
    "hide": S.hidden,
    "merge": S.merged,
    "unmerge": S.pending,  # what it was before its merge
}


@pytest.mark.parametrize("status", list(S), ids=lambda s: s.value)
@pytest.mark.parametrize("action", list(BODIES))
def test_every_transition(client, db, settings, action, status):
    report, _ = make_report(db, settings, status=status)
    original, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    body = BODIES[action]
    if action == "merge":
        body = {"into": original.public_id}
    if action == "unmerge" and status is S.merged:
        # A real merge first (from pending), so the audit log knows what to restore.
        report.status = S.pending
        db.flush()
        assert client.post(mod_url(report, "merge"), json={"into": original.public_id}).is_success
    before = db.scalar(select(func.count(ModerationEvent.id)))
    response = client.post(mod_url(report, action), json=body)
    db.refresh(report)
    if status in ALLOWED[action]:
        assert response.status_code in (200, 201), response.text
        assert report.status is RESULT.get(action, status)
        assert events_for(db, report)[-1].action.startswith("report.")
    else:
        assert response.status_code == 409, response.text
        message = response.json()["error"]["message"]
        assert status.value in message and "only reports that are" in message
        assert report.status is status
        # A failed action leaves no event (same transaction).
        assert db.scalar(select(func.count(ModerationEvent.id))) == before


def test_redaction_keeps_the_original_and_publishes_only_the_redacted_text(client, db, settings):
    text = "Beni arayın 0532 123 45 67, lamba yanmıyor."
    report, code = make_report(db, settings, text=text)
    moderator = make_user(db, settings, Role.moderator)
    login(client, moderator)
    queued = client.get("/api/v1/moderation/reports").json()["items"][0]
    [hint] = queued["hints"]
    assert hint["kind"] == "phone" and text[hint["start"] : hint["end"]] == "0532 123 45 67"
    redacted = text[: hint["start"]] + hint["replacement"] + text[hint["end"] :]
    assert (
        client.post(mod_url(report, "redact"), json={"redacted_text": redacted}).status_code == 200
    )
    assert client.post(mod_url(report, "approve")).status_code == 200
    db.refresh(report)
    assert report.text == text and report.redacted_text == redacted
    # The moderator still sees the original.
    item = client.get("/api/v1/moderation/reports", params={"status": "published"}).json()
    assert item["items"][0]["text"] == text
    assert item["items"][0]["redacted_text"] == redacted
    # The public sees only the redacted text, everywhere.
    client.cookies.clear()
    public = client.get("/api/v1/reports")
    assert public.json()["features"][0]["properties"]["text"] == redacted
    assert "0532" not in public.text
    assert "0532" not in client.post("/api/v1/track", json={"code": code}).text
    [event] = [e for e in events_for(db, report) if e.action == "report.redact"]
    assert event.actor_id == moderator.id and "0532" not in str(event.after)
    assert event.before == {"status": "pending", "redacted_text": None}
    assert event.after == {"status": "pending", "redacted_text": redacted}


def test_merge_moves_confirmations_and_keeps_the_tracking_code_working(client, db, settings):
    original, _ = make_report(db, settings, status=S.published)
    duplicate, code = make_report(db, settings, reporter_age_band="18_24")
    db.add_all(
        [
            Confirmation(report_id=duplicate.id, municipality_id=duplicate.municipality_id),
            Confirmation(report_id=duplicate.id, municipality_id=duplicate.municipality_id),
        ]
    )
    db.add(Confirmation(report_id=original.id, municipality_id=original.municipality_id))
    db.flush()
    login(client, make_user(db, settings, Role.moderator))
    response = client.post(mod_url(duplicate, "merge"), json={"into": original.public_id})
    assert response.json() == {"public_id": duplicate.public_id, "status": "merged"}
    db.refresh(duplicate)
    assert duplicate.merged_into_id == original.id
    count = select(func.count(Confirmation.id)).where(Confirmation.report_id == original.id)
    # One of its own, two moved, and the duplicate itself counts as one more "me too".
    assert db.scalar(count) == 4
    moved = select(func.count(Confirmation.id)).where(Confirmation.report_id == duplicate.id)
    assert db.scalar(moved) == 0
    [event] = [e for e in events_for(db, duplicate) if e.action == "report.merge"]
    assert event.after["merged_into"] == original.public_id
    assert event.after["confirmations_moved"] == 2
    assert [e.action for e in events_for(db, original)] == ["report.merge_received"]
    client.cookies.clear()
    tracked = client.post("/api/v1/track", json={"code": code}).json()
    assert tracked["status"] == "merged" and tracked["merged_into"] == original.public_id


@pytest.mark.parametrize("target_status", [S.rejected, S.merged, S.hidden])
def test_merge_target_must_be_published_or_pending(client, db, settings, target_status):
    target, _ = make_report(db, settings, status=target_status)
    duplicate, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    response = client.post(mod_url(duplicate, "merge"), json={"into": target.public_id})
    assert response.status_code == 409
    assert "must be published or pending" in response.json()["error"]["message"]
    assert events_for(db, duplicate) == []


def test_merge_into_itself_or_unknown_is_refused(client, db, settings):
    report, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    itself = client.post(mod_url(report, "merge"), json={"into": report.public_id})
    assert itself.status_code == 422
    unknown = client.post(mod_url(report, "merge"), json={"into": "nosuch"})
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["field"] == "into"


def test_change_category_is_audited(client, db, settings):
    report, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    assert client.post(mod_url(report, "category"), json={"category": "unsafe_park"}).is_success
    db.refresh(report)
    assert db.get(Category, report.category_id).code == "unsafe_park"
    [event] = events_for(db, report)
    assert event.before["category"] == "dark_street" and event.after["category"] == "unsafe_park"
    unknown = client.post(mod_url(report, "category"), json={"category": "nonsense"})
    assert unknown.status_code in (404, 422)


def test_correct_location_within_the_limit_recomputes_the_public_point(client, db, settings):
    report, _ = make_report(db, settings)
    old_public = db.scalar(select(func.ST_AsText(report.public_location)))
    login(client, make_user(db, settings, Role.moderator))
    new = {"lon": KIZILAY[0] + 0.001, "lat": KIZILAY[1] + 0.0005}  # about 100 m
    assert client.post(mod_url(report, "location"), json={"location": new}).status_code == 200
    db.refresh(report)
    x, y = db.execute(select(func.ST_X(report.location), func.ST_Y(report.location))).one()
    assert (x, y) == pytest.approx((new["lon"], new["lat"]))
    assert db.scalar(select(func.ST_AsText(report.public_location))) != old_public
    assert report.mahalle_id is not None
    assert report.mahalle_id == mahalle_at(db, new["lon"], new["lat"]).id  # recomputed there
    [event] = events_for(db, report)
    assert 50 < event.after["moved_m"] < 150


def test_correct_location_too_far_or_outside_is_refused(client, db, settings):
    report, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    far = {"lon": KIZILAY[0] + 0.01, "lat": KIZILAY[1]}  # about 850 m
    response = client.post(mod_url(report, "location"), json={"location": far})
    assert response.status_code == 422 and "at most 250 m" in response.json()["error"]["message"]
    assert events_for(db, report) == []


def test_public_note_is_stored_for_the_tracking_page(client, db, settings):
    report, _ = make_report(db, settings)
    moderator = make_user(db, settings, Role.moderator)
    login(client, moderator)
    response = client.post(mod_url(report, "notes"), json={"body": "Fotoğraf ekler misiniz?"})
    assert response.status_code == 201
    note = db.scalar(select(ReportNote).where(ReportNote.report_id == report.id))
    assert (note.author.value, note.public, note.author_id) == ("moderator", True, moderator.id)


def test_edit_lock_names_the_holder_and_blocks_others_until_released(client, db, settings):
    report, _ = make_report(db, settings)
    first = make_user(db, settings, Role.moderator)
    second = make_user(db, settings, Role.moderator)
    login(client, first)
    taken = client.post(mod_url(report, "lock"))
    assert taken.status_code == 200 and taken.json()["locked_by"] == first.email
    queue = client.get("/api/v1/moderation/reports").json()["items"][0]
    assert queue["locked_by"] == first.email
    login(client, second)
    refused = client.post(mod_url(report, "lock"))
    assert refused.status_code == 409
    assert first.email in refused.json()["error"]["message"]
    blocked = client.post(mod_url(report, "approve"))
    assert blocked.status_code == 409 and first.email in blocked.json()["error"]["message"]
    assert client.delete(mod_url(report, "lock")).status_code == 409  # not hers to release
    login(client, first)
    assert client.post(mod_url(report, "approve")).status_code == 200  # releases the lock
    db.refresh(report)
    assert report.locked_by_id is None and report.locked_until is None


def test_expired_lock_does_not_block(client, db, settings):
    report, _ = make_report(db, settings)
    holder = make_user(db, settings, Role.moderator)
    report.locked_by_id = holder.id
    report.locked_until = datetime.now(UTC) - timedelta(seconds=1)
    db.flush()
    login(client, make_user(db, settings, Role.moderator))
    assert client.post(mod_url(report, "approve")).status_code == 200


def test_bulk_approve_and_reject_report_each_outcome(client, db, settings):
    a, _ = make_report(db, settings)
    b, _ = make_report(db, settings)
    done, _ = make_report(db, settings, status=S.rejected)
    login(client, make_user(db, settings, Role.moderator))
    body = {"action": "approve", "public_ids": [a.public_id, done.public_id, b.public_id]}
    result = client.post("/api/v1/moderation/bulk", json=body).json()
    assert (result["succeeded"], result["failed"]) == (2, 1)
    assert [i["ok"] for i in result["items"]] == [True, False, True]
    assert "rejected" in result["items"][1]["message"]
    db.refresh(a)
    db.refresh(b)
    assert a.status is S.published and b.status is S.published
    assert events_for(db, done) == []
    c, _ = make_report(db, settings)
    no_reason = client.post(
        "/api/v1/moderation/bulk", json={"action": "reject", "public_ids": [c.public_id]}
    )
    assert no_reason.status_code == 422
    rejected = client.post(
        "/api/v1/moderation/bulk",
        json={"action": "reject", "public_ids": [c.public_id], "reason": "spam"},
    )
    assert rejected.json()["items"][0]["status"] == "rejected"


def test_queue_filters_and_details(client, db, settings):
    old, _ = make_report(db, settings, text="eski")
    new, _ = make_report(db, settings, category="unsafe_park", text="yeni")
    old.created_at = datetime.now(UTC) - timedelta(days=10)
    new.created_at = datetime.now(UTC) - timedelta(hours=1)
    db.add(Confirmation(report_id=new.id, municipality_id=new.municipality_id))
    db.flush()
    login(client, make_user(db, settings, Role.moderator))
    url = "/api/v1/moderation/reports"

    def texts(**params):
        return [i["text"] for i in client.get(url, params=params).json()["items"]]

    assert texts() == ["eski", "yeni"]
    assert texts(newest_first=True) == ["yeni", "eski"]
    assert texts(category="unsafe_park") == ["yeni"]
    assert texts(max_age_hours=24) == ["yeni"]
    assert texts(min_age_hours=24 * 7) == ["eski"]
    assert texts(mahalle_id=new.mahalle_id) == ["eski", "yeni"]
    assert texts(mahalle_id=-1) == []
    [mahalle] = client.get("/api/v1/moderation/mahalle").json()
    assert (mahalle["id"], mahalle["name"], mahalle["reports"]) == (
        new.mahalle_id,
        "Cumhuriyet Mahallesi",
        2,
    )
    assert client.get("/api/v1/moderation/mahalle", params={"status": "published"}).json() == []
    item = client.get(url, params={"category": "unsafe_park"}).json()["items"][0]
    assert item["confirmations"] == 1 and item["photos"] == [] and item["sensitive"] is False


def test_sensitive_reports_are_marked_in_the_queue(client, db, settings):
    make_report(db, settings, category="verbal_harassment")
    login(client, make_user(db, settings, Role.moderator))
    [item] = client.get("/api/v1/moderation/reports").json()["items"]
    assert item["sensitive"] is True and item["category_group"] == "harassment"


def test_hide_takes_a_report_off_the_public_map(client, db, settings):
    report, _ = make_report(db, settings, status=S.published)
    login(client, make_user(db, settings, Role.moderator))
    assert client.get("/api/v1/reports").json()["numberMatched"] == 1
    assert client.post(mod_url(report, "hide"), json={"note": "şikayet"}).status_code == 200
    assert client.get("/api/v1/reports").json()["numberMatched"] == 0
    assert client.post(mod_url(report, "approve")).status_code == 200  # can come back
