"""Moderating a walk at a desk in Chromium: the submitted walk with its scores and the
personal-data hint of its note, approved by another volunteer; axe finds nothing serious."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.models import AuditWalk, Role, WalkStatus
from tests.audits.audit_support import published_walk
from tests.support.factories import KIZILAY, PASSWORD, make_user

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser


def test_another_volunteer_approves_a_submitted_walk(server, db, settings, laptop):
    with server.lock:
        walk = published_walk(
            db, settings, *KIZILAY, 2, approve=False, note="Bekçinin numarası 0532 123 45 67."
        )
        reviewer = make_user(db, settings, Role.moderator, ["cankaya"], email="onay@example.org")
    laptop.log_in("/audits", reviewer.email, PASSWORD)
    page = laptop.page
    item = page.locator(".audits__walk")
    item.wait_for()
    assert "2 nokta" in item.inner_text()
    assert "Notta kişisel veri: phone" in item.inner_text()
    assert laptop.axe("audits-review") == []
    item.get_by_role("button", name="Onayla").click()
    item.get_by_text("Onaylandı.").wait_for()
    with server.lock:
        status = db.scalar(select(AuditWalk.status).where(AuditWalk.id == uuid.UUID(walk)))
    assert status is WalkStatus.published
