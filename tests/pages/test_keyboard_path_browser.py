"""The keyboard path on the public map, counted key by key in a real Chromium (issue 13.3).

The skip link and "Bir yer bildir" come before the map's markers, the markers are not Tab
stops (the reports are one list instead), and a whole report by keyboard alone takes at most
25 keys.
"""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date
from playwright.sync_api import Page

from app.models import ReportStatus
from tests.support.browser import SCREENSHOTS, browser_page
from tests.support.citizen_browser_support import centre_map, stored_report, tracking_code
from tests.support.factories import KIZILAY, make_report

pytestmark = pytest.mark.browser
pytest_plugins = ("tests.support.browser",)

LAPTOP = {
    "viewport": {"width": 1366, "height": 768},
    "locale": "tr-TR",
    "timezone_id": "Europe/Istanbul",
    "service_workers": "block",
}
MAX_KEYS = 25


class Keys:
    """The keyboard, counting every key pressed."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pressed: list[str] = []

    def press(self, key: str) -> None:
        self.pressed.append(key)
        self.page.keyboard.press(key)

    def focused(self) -> str:
        """The focused element as '#id', '.class' or its tag."""
        return self.page.evaluate(
            """() => { const a = document.activeElement;
                return a.id ? '#' + a.id : (a.className ? '.' + a.className.split(' ')[0]
                    : a.tagName.toLowerCase()); }"""
        )


def published_points(db, settings, n: int) -> list:
    reports = []
    for i in range(n):
        lon, lat = KIZILAY[0] + 0.0015 * (i % 5), KIZILAY[1] + 0.0015 * (i // 5)
        report, _ = make_report(db, settings, lon=lon, lat=lat, status=ReportStatus.published)
        reports.append(report)
    db.commit()
    return reports


def open_map(page: Page, reports: int) -> None:
    """The map with all `reports` drawn as points (from zoom 15; below, clusters)."""
    page.goto("/")
    page.wait_for_function("() => window.__mh && window.__mh.map")
    centre_map(page, KIZILAY[0] + 0.003, KIZILAY[1] + 0.002, zoom=15)
    page.wait_for_function(
        "n => document.getElementById('map')?.dataset.reports === String(n)", arg=reports
    )


def test_a_whole_report_by_keyboard_in_at_most_25_keys(server, db, settings, chromium):
    published_points(db, settings, 12)
    with browser_page(chromium, server.url, **LAPTOP) as (_, page, traffic):
        open_map(page, 12)
        centre_map(page, *KIZILAY, zoom=17)
        keys = Keys(page)
        keys.press("Tab")
        assert keys.focused() == ".skip-link"
        keys.press("Enter")
        keys.press("Tab")
        # Right after the skip link: the report button, before any marker of the map.
        assert keys.focused() == "#open-report"
        keys.press("Enter")
        page.locator("#step-when").wait_for()
        keys.press("Tab")
        assert keys.focused() == "#when-now"
        keys.press("Space")
        keys.press("Enter")  # Enter on a choice goes on to the next step
        page.locator("#step-place").wait_for()
        keys.press("Tab")
        assert keys.focused() == "#pin-centre"
        keys.press("Enter")
        assert page.locator("#location-status").inner_text() == "Yer seçildi ✓"
        while keys.focused() != "#step-next":
            keys.press("Tab")
        keys.press("Enter")
        page.locator("#step-what").wait_for()
        page.locator("#category-dark_street").wait_for(state="attached")
        keys.press("Tab")
        assert keys.focused() == "#category-dark_street"
        keys.press("Space")
        keys.press("Tab")
        assert keys.focused() == "#safety-1"
        keys.press("Space")
        keys.press("Enter")
        page.locator("#step-consent").wait_for()
        while keys.focused() != "#consent":
            keys.press("Tab")
        keys.press("Space")
        keys.press("Enter")  # the last step: Enter on the consent box sends the report
        code = tracking_code(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "keyboard-report-done.png"))
        assert traffic.errors == []
    assert len(keys.pressed) <= MAX_KEYS, keys.pressed
    report = stored_report(db, server, code)
    assert report.happening_now and report.perceived_safety == 1


def test_markers_are_not_tab_stops_and_the_reports_are_one_list(server, db, settings, chromium):
    published_points(db, settings, 10)
    with browser_page(chromium, server.url, **LAPTOP) as (_, page, traffic):
        open_map(page, 10)
        centre_map(page, *KIZILAY, zoom=16)
        page.wait_for_function(
            "() => document.querySelectorAll('.mh-report, .mh-cluster').length > 0"
        )
        stops = page.evaluate(
            """() => [...document.querySelectorAll('.leaflet-marker-icon')]
                .filter(n => n.tabIndex >= 0).length"""
        )
        assert stops == 0
        # From the report button to the list: at most a few Tab stops, never one per marker.
        page.locator("#open-report").focus()
        keys = Keys(page)
        while keys.focused() != "summary" and len(keys.pressed) < 5:
            keys.press("Tab")
        assert page.evaluate("document.activeElement.parentElement.id") == "report-list"
        keys.press("Enter")
        items = page.locator("#report-list-items li")
        items.first.wait_for()
        assert items.count() == 10
        month = format_date(date.today().replace(day=1), "LLLL y", locale="tr")
        first = items.first.inner_text()
        assert "Karanlık" in first or "lamba" in first.lower(), first
        assert month in first, first  # the month in words, never "2026-05"
        assert "10 bildirim" in page.locator("#report-list-status").inner_text()
        # The popup of a marker says the month in words too, clear of the zoom control.
        page.locator("#report-list summary").click()
        for zoom in (16, 17, 18):  # closer until some point is drawn on its own
            centre_map(page, KIZILAY[0] + 0.003, KIZILAY[1] + 0.0015, zoom=zoom)
            page.wait_for_timeout(300)
            if page.locator(".mh-report").count():
                break
        # A marker just beside the zoom control, at the top: its popup would open under it.
        page.evaluate(
            """() => { const map = window.__mh.map; let m = null;
                map.eachLayer(l => { if (!m && l.options && l.options.pane === 'reports'
                    && l.getLatLng && l._icon && l.getPopup && l.getPopup()) m = l; });
                const at = map.latLngToContainerPoint(m.getLatLng());
                map.panBy([at.x - 80, at.y - 40], {animate: false});
                window.__marker = m; }"""
        )
        page.evaluate("() => window.__marker._icon.click()")
        popup = page.locator(".leaflet-popup")
        popup.wait_for()
        page.wait_for_timeout(400)  # the pan that makes room for the popup
        assert month in popup.inner_text()
        overlap = page.evaluate(
            """() => { const a = document.querySelector('.leaflet-popup').getBoundingClientRect();
                const b = document.querySelector('.leaflet-control-zoom').getBoundingClientRect();
                return !(a.right <= b.left || a.left >= b.right || a.bottom <= b.top
                    || a.top >= b.bottom); }"""
        )
        assert overlap is False
        page.screenshot(path=str(SCREENSHOTS / "map-popup-clear-of-zoom.png"))
        assert traffic.errors == []
