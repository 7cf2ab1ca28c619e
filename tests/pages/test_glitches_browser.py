"""The smaller glitches of issue 13.8 in a real Chromium on a phone: the rejection reason in
words on the tracking page (Turkish and English)."""

from __future__ import annotations

import pytest

from app.models import RejectReason, Role
from app.services.moderation.actions import reject
from tests.support.browser import axe_serious
from tests.support.factories import make_report, make_user

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("lang", "field", "button", "status", "why"),
    [
        (
            "tr",
            "Takip kodu",
            "Bildirimimi göster",
            "Yayımlanmadı",
            "Neden: Yayımlanamayacak kişisel",
        ),
        ("en", "Tracking code", "Show my report", "Not published", "Why: It contained personal"),
    ],
)
def test_the_rejection_reason_in_words_on_the_tracking_page(
    phone, db, settings, lang, field, button, status, why
):
    report, code = make_report(db, settings)
    moderator = make_user(db, settings, Role.moderator)
    reject(db, moderator, report.public_id, RejectReason.personal_data, "iç not")
    db.commit()
    page = phone.page
    page.goto(f"/track?lang={lang}")
    page.get_by_label(field).fill(code)
    page.get_by_role("button", name=button).click()
    page.locator("#report").wait_for(state="visible")
    assert page.locator("#report-status").inner_text() == status
    reason = page.locator("#report-reason")
    assert reason.is_visible() and reason.inner_text().startswith(why)
    assert "iç not" not in page.content()
    assert axe_serious(page, f"track-rejected-{lang}") == []
    phone.screenshot(f"track-rejected-{lang}")
