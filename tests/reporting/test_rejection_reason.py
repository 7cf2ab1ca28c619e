"""The reporter learns why her report was not published: the reason code on her tracking
view, never the moderator's note."""

from __future__ import annotations

import pytest

from app.models import Role
from tests.support.factories import login, make_report, make_user
from tests.support.moderation_support import mod_url


@pytest.mark.parametrize("reason", ["spam", "off_topic", "personal_data", "duplicate", "other"])
def test_the_tracking_view_names_the_reason_code_only(client, db, settings, reason):
    report, code = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    note = "İç not: telefon numarası 0532 111 22 33 yazmış."
    rejected = client.post(mod_url(report, "reject"), json={"reason": reason, "note": note})
    assert rejected.status_code == 200, rejected.text
    client.cookies.clear()
    tracked = client.post("/api/v1/track", json={"code": code})
    assert tracked.status_code == 200
    body = tracked.json()
    assert body["status"] == "rejected" and body["rejection_reason"] == reason
    assert "İç not" not in tracked.text and "0532" not in tracked.text


def test_no_reason_while_it_is_not_rejected(client, db, settings):
    _, code = make_report(db, settings)
    assert client.post("/api/v1/track", json={"code": code}).json()["rejection_reason"] is None
