"""A dashboard that cannot mislead (issue 13.7), in a real Chromium: the crude rate first,
the smoothed rate one click away with a line on what smoothing does, mahalle without reports
never in a coloured class, and units beside the indicators in the legend, table and detail."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.models import ReportStatus, Role
from tests.support.browser import SCREENSHOTS, browser_page
from tests.support.citizen_browser_support import load_sample_services
from tests.support.factories import PASSWORD, make_report, make_user

pytestmark = pytest.mark.browser
pytest_plugins = ("tests.support.browser",)

# Leaflet draws each mahalle as an SVG path; the "0 reports" style is white at this opacity.
ZERO_PATHS = '() => document.querySelectorAll(\'path[fill="#ffffff"][fill-opacity="0.85"]\').length'


def unit_of(page, code: str) -> str:
    return page.evaluate(
        """c => JSON.parse(document.getElementById('config').textContent)
            .indicators.find(i => i.code === c).unit_name""",
        code,
    )


def test_crude_first_smoothed_one_click_away_zero_not_coloured(chromium, server, db, settings):
    load_sample_services(db, settings)
    for i in range(6):
        make_report(db, settings, lon=32.8541 + i * 0.0001, status=ReportStatus.published)
    planner = make_user(db, settings, Role.planner)
    db.commit()
    with browser_page(
        chromium,
        server.url,
        timeout_ms=20_000,
        viewport={"width": 1366, "height": 768},
        locale="tr-TR",
    ) as (context, page, traffic):
        assert context.request.post(
            "/api/v1/auth/login", data={"email": planner.email, "password": PASSWORD}
        ).ok
        page.goto("/dashboard")
        page.locator("#table tbody tr").first.wait_for()
        assert page.locator("#f-indicator").input_value() == "reports_per_1000_women"
        legend = page.locator("#legend")
        expect(legend).to_contain_text("Ham oran")
        zero_text = legend.locator(".legend__row--zero").inner_text()
        assert zero_text.startswith("0 bildirim: renklendirilmez")
        zero = int(zero_text.rsplit("(", 1)[1].rstrip(")").replace(".", ""))
        assert 150 < zero < 184  # every mahalle but the few with reports
        assert page.evaluate(ZERO_PATHS) == zero
        unit = unit_of(page, "reports_per_1000_women")
        header = page.locator("#table thead th").nth(2).inner_text()
        assert f"({unit})" in header
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "dashboard-crude-default.png"))

        page.get_by_role("button", name="Düzeltilmiş oranı göster (Ampirik Bayes)").click()
        expect(legend).to_contain_text("Ampirik Bayes")
        assert page.locator("#f-indicator").input_value() == "reports_per_1000_women_eb"
        expect(legend).to_contain_text("sıralamanın başına geçmez")
        # Smoothing gives a mahalle without reports a rate; it is still drawn as "0 reports".
        assert page.evaluate(ZERO_PATHS) == zero
        page.get_by_role("button", name="Ham oranı göster").click()
        expect(legend).to_contain_text("Ham oran:")

        page.locator("#table tbody tr").first.get_by_role("button").click()
        detail = page.locator("#detail")
        detail.locator("h2").wait_for()
        metres = unit_of(page, "distance_counselling_m")
        assert f"({metres})" in detail.inner_text()
        assert " m\n" in detail.inner_text() + "\n"  # distances carry their unit
        page.screenshot(path=str(SCREENSHOTS / "dashboard-detail-units.png"))
        assert traffic.errors == []
