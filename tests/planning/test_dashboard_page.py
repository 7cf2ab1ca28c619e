"""The planners' dashboard: access rules over HTTP, and the page in a real Chromium."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from app.models import Role
from tests.support.browser import SCREENSHOTS, browser_page
from tests.support.factories import PASSWORD, login, make_report, make_user

# The shared `chromium` fixture: one Playwright per session (a second one would fail).
pytest_plugins = ("tests.support.browser",)


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/dashboard"


def test_moderators_get_a_403_page_with_a_login_link(client, db, settings):
    login(client, make_user(db, settings, Role.moderator))
    response = client.get("/dashboard")
    assert response.status_code == 403
    assert "planlamacılar ve yöneticiler" in response.text
    assert 'href="/login?next=/dashboard"' in response.text
    assert "dashboard.js" not in response.text


def test_planner_page_is_translated(client, db, settings):
    login(client, make_user(db, settings, Role.planner))
    page = client.get("/dashboard")
    assert page.status_code == 200 and "Planlama paneli" in page.text
    assert "Planning dashboard" in client.get("/dashboard?lang=en").text


@pytest.mark.browser
def test_planner_sees_choropleth_table_detail_and_exports(chromium, server, db, settings):
    from app.models import ReportStatus

    for i in range(6):
        make_report(db, settings, lon=32.8541 + i * 0.0001, status=ReportStatus.published)
    for _ in range(2):  # below k in another mahalle
        make_report(db, settings, lon=32.80, lat=39.90, status=ReportStatus.published)
    planner = make_user(db, settings, Role.planner)
    db.commit()

    with browser_page(
        chromium,
        server.url,
        timeout_ms=20_000,
        viewport={"width": 1280, "height": 900},
        locale="tr-TR",
    ) as (context, page, traffic):
        response = context.request.post(
            "/api/v1/auth/login", data={"email": planner.email, "password": PASSWORD}
        )
        assert response.ok
        page.goto("/dashboard")
        page.locator("#table tbody tr").first.wait_for()
        assert page.locator("#table tbody tr").count() == 184
        assert "Eşit sayılı" in page.locator("#legend").inner_text()  # the method is named
        assert "gizli" in page.locator("#legend").inner_text()
        page.locator("#f-indicator").select_option("reports")
        expect(page.locator("#legend h3").first).to_contain_text("Yayımlanan")
        withheld = page.locator("#table tbody td.is-withheld")
        assert withheld.count() >= 1
        # Sorted by the indicator, descending: the 6 reports of Cumhuriyet come first.
        first = page.locator("#table tbody tr").first
        assert "Cumhuriyet" in first.inner_text() and "6" in first.inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "dashboard-1-choropleth.png"))
        page.locator("#f-method").select_option("natural_breaks")
        expect(page.locator("#legend")).to_contain_text("Jenks")
        page.locator("#f-hex").select_option("500")
        # The hexagon layer runs Gi* with 999 permutations: give it time on a busy machine.
        expect(page.locator("#legend")).to_contain_text("Sıcak nokta", timeout=30_000)
        first.get_by_role("button").click()
        page.locator("#detail h2").wait_for()
        assert "Cumhuriyet" in page.locator("#detail h2").inner_text()
        assert "Aylara göre eğilim" in page.locator("#detail").inner_text()
        page.screenshot(path=str(SCREENSHOTS / "dashboard-2-detail-hotspots.png"))
        link = page.locator("#exports a", has_text="GeoPackage").first
        href = link.get_attribute("href")
        assert href and "since=" in href and "format=gpkg" in href
        download = context.request.get(href)
        assert download.ok and download.body()[:15] == b"SQLite format 3"
        page.emulate_media(media="print")
        assert page.locator("#filters").is_hidden()
        page.screenshot(path=str(SCREENSHOTS / "dashboard-3-print.png"), full_page=False)
        assert traffic.errors == [], traffic.errors
        assert traffic.blocked == []  # tests run without tiles: nothing leaves the app
    with httpx.Client(base_url=server.url) as anonymous:
        assert anonymous.get("/api/v1/planner/indicators").status_code == 401
