"""The tracking page in a real Chromium on a 360×740 phone: code, status, comment, deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import ReportNote, ReportStatus
from tests.support.browser import axe_serious
from tests.support.factories import make_report

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser


def min_target_size(page, selector: str) -> float:
    return page.evaluate(
        """sel => Math.min(...[...document.querySelectorAll(sel)]
            .filter(e => e.offsetParent !== null)
            .map(e => Math.min(e.getBoundingClientRect().height, e.getBoundingClientRect().width)))""",
        selector,
    )


def test_tracking_page_status_comment_and_deletion_on_a_phone(phone, client, db, settings):
    report, code = make_report(db, settings, status=ReportStatus.published)
    assert report.public_id in {f["id"] for f in client.get("/api/v1/reports").json()["features"]}
    page = phone.page
    page.goto("/track")
    assert page.title() == "Harita"  # neutral tab title
    code_input = page.get_by_label("Takip kodu")
    assert code_input.get_attribute("autocomplete") == "off"
    assert page.locator("#track-form").get_attribute("autocomplete") == "off"
    assert axe_serious(page, "track-01-entry") == []

    # An empty and a wrong code are announced (role=alert), and the field is marked.
    page.get_by_role("button", name="Bildirimimi göster").click()
    alert = page.locator("#track-error")
    assert alert.get_attribute("role") == "alert"
    page.wait_for_function("() => document.getElementById('track-error').textContent !== ''")
    assert "Takip kodunuzu girin" in alert.inner_text()
    code_input.fill("AAAA-BBBB-CCCC-DDDD")
    page.get_by_role("button", name="Bildirimimi göster").click()
    page.wait_for_function(
        "() => document.getElementById('track-error').textContent.includes('eşleşmiyor')"
    )
    assert code_input.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "track-code"
    phone.screenshot("track-01-wrong-code")

    # The right code shows the status and the timeline; focus moves to the report.
    code_input.fill(code.lower())
    page.get_by_role("button", name="Bildirimimi göster").click()
    page.locator("#report").wait_for(state="visible")
    assert page.locator("#report-status").inner_text() == "Haritada yayımlandı"
    assert page.locator("#report-category").inner_text() != ""
    assert page.evaluate("document.activeElement.id") == "report-title"
    assert page.locator("#timeline li").count() == 1
    assert min_target_size(page, "#report button, #track-form button, #track-code") >= 44
    assert axe_serious(page, "track-02-status") == []
    phone.screenshot("track-02-status")

    # A comment.
    page.get_by_label("Bilgi ekle").fill("Lamba hâlâ yanmıyor.")
    page.get_by_role("button", name="Gönder").click()
    page.wait_for_function("() => document.querySelectorAll('#timeline li').length === 2")
    assert "Lamba hâlâ yanmıyor." in page.locator("#timeline").inner_text()
    assert page.locator("#track-status").inner_text() == "Yorumunuz gönderildi."
    note = db.scalar(select(ReportNote).where(ReportNote.report_id == report.id))
    assert note.body == "Lamba hâlâ yanmıyor." and note.public is False
    phone.screenshot("track-03-comment")

    # Deletion needs a confirmation step; "No" keeps the report.
    page.get_by_role("button", name="Bildirimimi sil").click()
    assert page.locator("#delete-confirm").is_visible()
    assert page.evaluate("document.activeElement.id") == "delete-question"
    assert axe_serious(page, "track-04-confirm-delete") == []
    phone.screenshot("track-04-confirm-delete")
    page.get_by_role("button", name="Hayır, kalsın").click()
    assert not page.locator("#delete-confirm").is_visible()
    db.refresh(report)
    assert report.status is ReportStatus.published
    page.get_by_role("button", name="Bildirimimi sil").click()
    page.get_by_role("button", name="Evet, sil").click()
    page.wait_for_function(
        "() => document.getElementById('report-status').textContent === 'Sizin tarafınızdan silindi'"
    )
    assert not page.locator("#comment-form").is_visible()
    assert not page.locator("#delete-area").is_visible()
    assert "silindi" in page.locator("#track-status").inner_text()
    phone.screenshot("track-05-deleted")

    listed = client.get("/api/v1/reports").json()
    assert report.public_id not in {f["id"] for f in listed["features"]}
    # Nothing about the code is left on the device.
    stored = page.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage),"
        " document.cookie, location.href])"
    )
    assert code not in stored and code.lower() not in stored
    assert code.replace("-", "") not in stored


def test_tracking_page_in_english(phone, db, settings):
    _, code = make_report(db, settings)
    page = phone.page
    page.goto("/track?lang=en")
    assert page.locator("h1").inner_text() == "Follow your report"
    page.get_by_label("Tracking code").fill(code)
    page.get_by_role("button", name="Show my report").click()
    page.locator("#report").wait_for(state="visible")
    assert page.locator("#report-status").inner_text() == "Waiting for a volunteer to review it"
    assert page.locator("#report-category").inner_text() == "Dark street"
    assert axe_serious(page, "track-06-english") == []
    phone.screenshot("track-06-english")


def tab_to(page, element_id: str, limit: int = 20) -> int:
    """Press Tab until `element_id` has the focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return presses
    raise AssertionError(f"#{element_id} is not reachable by Tab within {limit} presses")


def test_tracking_page_works_by_keyboard_alone(phone, client, db, settings):
    report, code = make_report(db, settings, status=ReportStatus.published)
    page = phone.page
    page.goto("/track")
    tab_to(page, "track-code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.locator("#report").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "report-title"

    tab_to(page, "comment-body", limit=5)
    page.keyboard.type("Klavyeyle eklendi.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Send button
    page.wait_for_function("() => document.querySelectorAll('#timeline li').length === 2")

    tab_to(page, "delete-start", limit=5)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "delete-question"
    tab_to(page, "delete-yes", limit=3)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('report-status').textContent === 'Sizin tarafınızdan silindi'"
    )
    db.refresh(report)
    assert report.status is ReportStatus.deleted
    assert report.public_id not in client.get("/api/v1/reports").text
    phone.screenshot("track-07-keyboard-deleted")
