"""The report flow on a 360×740 phone (issue 13.4): the step's primary button and the pin's
confirmation stay in view, a tap at city zoom first zooms to street level, each step about
one screen (tests/pages/test_every_language_browser.py measures it in every language), and
the quick exit on screen on every page however far she scrolls."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.support.browser import PHONE
from tests.support.citizen_browser_support import KIZILAY, open_flow, step_consent, step_what

pytestmark = pytest.mark.browser
pytest_plugins = ("tests.support.browser",)

TAP = 44  # px, the smallest comfortable touch target


def in_view(page: Page, selector: str) -> bool:
    """Whether the element is drawn wholly inside the viewport (and not hidden)."""
    return page.evaluate(
        """s => { const n = document.querySelector(s); if (!n || !n.checkVisibility()) return false;
            const r = n.getBoundingClientRect();
            return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; }""",
        selector,
    )


def scroll_step(page: Page, to: str) -> None:
    """Scroll the form (the panel, and the page if it scrolls) to its top or its bottom."""
    page.evaluate(
        """to => { for (const n of [document.getElementById('report-panel'),
                document.scrollingElement]) n.scrollTop = to === 'top' ? 0 : n.scrollHeight; }""",
        to,
    )
    page.wait_for_timeout(100)


def step_screens(page: Page) -> float:
    """How many screens tall the visible step is."""
    return page.evaluate(
        """() => { const s = [...document.querySelectorAll('fieldset.step')].find(n => !n.hidden);
            return s.getBoundingClientRect().height / innerHeight; }"""
    )


def zoom(page: Page) -> int:
    return page.evaluate("() => window.__mh.map.getZoom()")


def test_the_button_and_the_pin_stay_in_view_and_the_pin_is_placed_at_street_level(phone):
    page = phone.page
    open_flow(page)
    page.get_by_label("Daha önce ya da başka bir yerde oldu").check()
    page.fill("#occurred-on", "2026-11-01")
    page.select_option("#time-band", "evening")
    assert in_view(page, "#step-next")
    page.get_by_role("button", name="İleri").click()
    page.locator("#step-place").wait_for()
    lon, lat = KIZILAY
    page.evaluate(
        "([lat, lon]) => window.__mh.map.setView([lat, lon], 12, {animate: false})", [lat, lon]
    )
    assert zoom(page) == 12
    # At city zoom the first tap brings the street closer instead of placing a pin.
    phone.tap_map_at(lon, lat)
    page.wait_for_function("() => window.__mh.map.getZoom() >= 16")
    assert page.locator(".leaflet-marker-icon").count() == 0
    status = page.locator("#location-status")
    assert "yakınlaştırıldı" in status.inner_text()
    page.wait_for_timeout(300)
    phone.tap_map_at(lon, lat)
    assert status.inner_text() == "Yer seçildi ✓"
    assert zoom(page) >= 16  # the pin was placed at street level
    assert page.locator(".leaflet-marker-icon").count() == 1
    for end in ("top", "bottom"):
        scroll_step(page, end)
        assert in_view(page, "#location-status"), end
        assert in_view(page, "#step-next"), end
    phone.screenshot("phone-2-place-pinned")

    step_what(page)
    phone.screenshot("phone-3-what-top")
    assert step_screens(page) <= 1.1
    for end in ("top", "bottom"):
        scroll_step(page, end)
        assert in_view(page, "#step-next"), end
    assert not page.locator("#location-status").is_visible()  # only at the place step
    phone.screenshot("phone-3-what")
    step_consent(page)
    assert step_screens(page) <= 1.1
    for end in ("top", "bottom"):
        scroll_step(page, end)
        assert in_view(page, "#submit-report"), end
    phone.screenshot("phone-4-consent")


def test_the_pin_at_the_centre_zooms_to_street_level_too(phone):
    page = phone.page
    open_flow(page)
    page.get_by_label("Şu an, burada oluyor").check()
    page.get_by_role("button", name="İleri").click()
    page.evaluate(
        "([lat, lon]) => window.__mh.map.setView([lat, lon], 12, {animate: false})",
        [KIZILAY[1], KIZILAY[0]],
    )
    page.get_by_role("button", name="İşareti haritanın ortasına koy").click()
    assert page.locator("#location-status").inner_text() == "Yer seçildi ✓"
    page.wait_for_function("() => window.__mh.map.getZoom() >= 16")


@pytest.mark.parametrize("path", ["/", "/track", "/plans", "/login", "/moderation"])
def test_the_quick_exit_stays_on_screen_and_is_a_large_target(phone, path):
    page = phone.page
    page.goto(path)
    page.locator("#quick-exit").wait_for()
    # Make the page long enough to scroll, as a long tracking page or plan is.
    page.evaluate(
        """() => { const pad = document.createElement('div'); pad.style.height = '3000px';
            document.querySelector('main').append(pad); }"""
    )
    for y in (0, 800, 100_000):
        page.evaluate("y => window.scrollTo(0, y)", y)
        page.wait_for_timeout(50)
        assert in_view(page, "#quick-exit"), (path, y)
    box = page.locator("#quick-exit").bounding_box()
    assert box and box["width"] >= TAP and box["height"] >= TAP
    # Nothing covers it: the element at its centre is the quick exit itself.
    on_top = page.evaluate(
        """() => { const r = document.getElementById('quick-exit').getBoundingClientRect();
            const n = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return n && n.closest('#quick-exit') !== null; }"""
    )
    assert on_top
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(f"phone-quick-exit-{path.strip('/') or 'map'}")
