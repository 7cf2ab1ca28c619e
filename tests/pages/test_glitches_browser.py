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


def test_me_too_says_the_radius_it_uses(phone, db, settings, server):
    from sqlalchemy import func, select

    from app.models import Report, ReportStatus
    from tests.support.citizen_browser_support import centre_map, open_flow, step_what

    original, _ = make_report(db, settings, status=ReportStatus.published)
    db.commit()
    with server.lock:
        shown = db.scalar(
            select(func.ST_AsText(Report.public_location)).where(Report.id == original.id)
        )
    lon, lat = (float(v) for v in shown.removeprefix("POINT(").removesuffix(")").split())
    page = phone.page
    open_flow(page)
    page.get_by_label("Şu an, burada oluyor").check()
    page.get_by_role("button", name="İleri").click()
    centre_map(page, lon, lat, zoom=17)
    phone.tap_map_at(lon, lat + 0.0009)  # ~100 m north of the shown point
    with page.expect_request("**/api/v1/reports/nearby*") as asked:
        step_what(page)
    assert "radius_m=150" in asked.value.url
    page.locator("#metoo-list li").first.wait_for()
    radius = page.locator("#metoo-radius").inner_text()
    assert "150 m" in radius and "50–200 m" in radius
    distances = page.locator("#metoo-list .hint").all_inner_texts()
    assert distances and all("Yaklaşık 100 m" in d or "Yaklaşık 90 m" in d for d in distances)
    phone.screenshot("metoo-radius")


def test_the_offline_notice_stays_off_the_form_and_goes_on_reconnect(chromium, server):
    from tests.support.browser import phone_context
    from tests.support.citizen_browser_support import wait_for_map

    with phone_context(chromium, server.url) as (context, phone):
        page = phone.page
        page.goto("/")
        wait_for_map(page)
        context.set_offline(True)
        # Far enough that tiles not loaded yet are asked for (and fail offline).
        page.evaluate("() => window.__mh.map.panBy([1500, 0], {animate: false})")
        notice = page.locator("#map-notice")
        page.get_by_text("Bildirimler yüklenemedi.").wait_for()
        page.get_by_role("button", name="Bir yer bildir").click()
        page.locator("#step-when").wait_for()
        title = page.locator("#report-title").bounding_box()
        box = notice.bounding_box() if notice.is_visible() else None
        overlaps = box is not None and not (
            box["y"] + box["height"] <= title["y"] or box["y"] >= title["y"] + title["height"]
        )
        assert not overlaps, (box, title)
        phone.screenshot("offline-notice-form")
        page.get_by_role("button", name="Vazgeç").click()
        context.set_offline(False)
        page.wait_for_function("() => !document.getElementById('map-notice').textContent")
        assert not notice.is_visible()
