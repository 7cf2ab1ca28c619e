"""Merging in the moderation queue in a real Chromium (issue 13.6): the original chosen from
the nearby reports of the same group, listed and drawn on the map, both side by side, then
confirmed; an id typed by hand across groups is refused until she gives a reason."""

from __future__ import annotations

import pytest

from app.models import Report, ReportStatus, Role
from tests.support.browser import SCREENSHOTS, browser_page
from tests.support.factories import KIZILAY, PASSWORD, make_report, make_user
from tests.support.moderation_support import events_for

pytestmark = pytest.mark.browser
pytest_plugins = ("tests.support.browser",)

DESK = {
    "viewport": {"width": 1366, "height": 768},
    "locale": "tr-TR",
    "timezone_id": "Europe/Istanbul",
    "service_workers": "block",
}


def log_in(page, email: str) -> None:
    page.goto("/moderation")
    page.get_by_label("E-posta").fill(email)
    page.get_by_label("Parola").fill(PASSWORD)
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_function("() => document.querySelectorAll('.queue-item').length > 0")


def status_of(server, db, report: Report) -> ReportStatus:
    with server.lock:
        db.expire_all()
        return db.get(Report, report.id).status


def test_choose_the_original_from_nearby_compare_and_merge(server, db, settings, chromium):
    lon, lat = KIZILAY
    original, _ = make_report(
        db, settings, lon=lon, lat=lat + 0.001, status=ReportStatus.published, text="Lamba yok."
    )
    make_report(db, settings, category="no_night_service", status=ReportStatus.published)
    duplicate, _ = make_report(db, settings, text="Aynı lamba, hâlâ yanmıyor.")
    user = make_user(db, settings, Role.moderator)
    db.commit()
    with browser_page(chromium, server.url, **DESK) as (_, page, traffic):
        log_in(page, user.email)
        item = page.locator(f'li[data-public-id="{duplicate.public_id}"]')
        item.locator("summary").click()
        item.get_by_role("button", name="Yakındaki aslını bul").click()
        choice = item.locator(".merge__candidate")
        choice.first.wait_for()
        assert choice.count() == 1  # the other group is not offered
        assert original.public_id in choice.first.inner_text()
        assert "m uzakta" in choice.first.inner_text()
        # Drawn on the map too, numbered as in the list.
        assert page.locator(".leaflet-tooltip", has_text=f"1: {original.public_id}").count() == 1
        choice.first.locator("input").check()
        compare = item.locator(".merge__compare")
        assert compare.is_visible()
        assert "Aynı lamba, hâlâ yanmıyor." in compare.inner_text()
        assert "Lamba yok." in compare.inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "moderation-merge-compare.png"))
        item.get_by_role("button", name="Birleştir").click()
        item.wait_for(state="detached")
        assert traffic.errors == []
    assert status_of(server, db, duplicate) is ReportStatus.merged


def test_an_id_typed_across_groups_needs_a_reason(server, db, settings, chromium):
    other, _ = make_report(db, settings, category="no_night_service", status=ReportStatus.published)
    duplicate, _ = make_report(db, settings)
    user = make_user(db, settings, Role.moderator)
    db.commit()
    with browser_page(chromium, server.url, **DESK) as (_, page, traffic):
        log_in(page, user.email)
        item = page.locator(f'li[data-public-id="{duplicate.public_id}"]')
        item.locator("summary").click()
        item.get_by_label("Şu bildirimin tekrarı").fill(other.public_id)
        item.get_by_role("button", name="Birleştir").click()
        status = item.locator(".queue-item__status")
        status.get_by_text("farklı kategori gruplarında", exact=False).wait_for()
        assert status_of(server, db, duplicate) is ReportStatus.pending
        reason = item.locator(".js-merge-reason textarea")
        assert reason.is_visible()
        reason.fill("Aynı durak ve aynı karanlık köşe.")
        item.get_by_role("button", name="Birleştir").click()
        item.wait_for(state="detached")
        assert traffic.errors == []
    assert status_of(server, db, duplicate) is ReportStatus.merged
    with server.lock:
        [event] = [e for e in events_for(db, duplicate) if e.action == "report.merge"]
    assert event.note == "Aynı durak ve aynı karanlık köşe."


def test_unmerge_from_the_audit_log(server, db, settings, chromium):
    original, _ = make_report(db, settings, status=ReportStatus.published)
    duplicate, _ = make_report(db, settings)
    admin = make_user(db, settings, Role.admin)
    db.commit()
    with browser_page(chromium, server.url, **DESK) as (_, page, traffic):
        log_in(page, admin.email)
        item = page.locator(f'li[data-public-id="{duplicate.public_id}"]')
        item.locator("summary").click()
        item.get_by_label("Şu bildirimin tekrarı").fill(original.public_id)
        item.get_by_role("button", name="Birleştir").click()
        item.wait_for(state="detached")
        assert status_of(server, db, duplicate) is ReportStatus.merged
        page.goto("/admin/audit")
        undo = page.get_by_role("button", name="Bu birleştirmeyi geri al")
        undo.first.wait_for()
        assert undo.count() == 1
        undo.click()
        page.get_by_text(f"Birleştirme geri alındı: {duplicate.public_id}").wait_for()
        page.locator("#audit tbody td", has_text="report.unmerge").first.wait_for()
        assert traffic.errors == []
    assert status_of(server, db, duplicate) is ReportStatus.pending
