"""The report flow in Arabic (right to left, mirrored) and Kurdish on a 360×740 phone.

Real Chromium against the live app; the page's texts are looked up in the catalogues by their
English ids (so a change of wording does not break the test), and a few are written out, so
an English fallback would fail. axe-core runs on every citizen page and step in both.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page

from app import i18n
from app.models import Category, ReportStatus
from tests.support.browser import axe_serious, phone_context
from tests.support.citizen_browser_support import (
    KIZILAY,
    centre_map,
    stored_report,
    tracking_code,
    wait_for_map,
)

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser


def say(locale: str, english: str) -> str:
    """What the page shows for `english` in `locale` (a catalogue translation, never English)."""
    text = i18n.translations(locale).gettext(english)
    assert text != english, (locale, english)
    return text


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def fits(page: Page) -> bool:
    """Nothing sticks out sideways (in Arabic it would push the page off to the left)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def report_in(page: Page, phone, locale: str, axe: bool = True) -> str:
    """Walk the whole flow in `locale` (an earlier dark street, tapped on the map); the code."""
    page.goto(f"/?lang={locale}")
    wait_for_map(page)
    page.get_by_role("button", name=say(locale, "Report a place")).click()
    page.locator("#step-when").wait_for()
    step = say(locale, "Step {n} of {total}: {title}")
    counter = step.format(n=1, total=4, title=say(locale, "When?"))
    assert page.locator("#step-counter").inner_text() == counter
    if axe:
        assert axe_serious(page, f"{locale}-flow-1-when") == []
    phone.screenshot(f"{locale}-flow-1-when")
    page.get_by_label(say(locale, "It happened earlier, or somewhere else")).check()
    page.fill("#occurred-on", date.today().replace(day=1).isoformat())
    page.select_option("#time-band", "night")
    page.get_by_role("button", name=say(locale, "Next")).click()
    page.locator("#step-place").wait_for()
    lon, lat = KIZILAY
    centre_map(page, lon, lat)
    phone.tap_map_at(lon, lat)
    assert page.locator("#location-status").inner_text() == say(locale, "Place chosen ✓")
    if axe:
        assert axe_serious(page, f"{locale}-flow-2-place") == []
    phone.screenshot(f"{locale}-flow-2-place")
    page.get_by_role("button", name=say(locale, "Next")).click()
    page.locator("#step-what").wait_for()
    dark = page.locator("label[for='category-dark_street']")
    assert say(locale, "Dark street") in dark.inner_text()  # the stored label, translated
    dark.click()
    page.check("#safety-2")
    if axe:
        assert axe_serious(page, f"{locale}-flow-3-what") == []
    phone.screenshot(f"{locale}-flow-3-what")
    page.get_by_role("button", name=say(locale, "Next")).click()
    page.locator("#step-consent").wait_for()
    page.select_option("#reporter-gender", "woman")
    page.check("#consent")
    if axe:
        assert axe_serious(page, f"{locale}-flow-4-consent") == []
    phone.screenshot(f"{locale}-flow-4-consent")
    page.get_by_role("button", name=say(locale, "Send report")).click()
    code = tracking_code(page)
    assert page.locator("#done-title").inner_text() == say(locale, "Thank you")
    if axe:
        assert axe_serious(page, f"{locale}-flow-5-done") == []
    phone.screenshot(f"{locale}-flow-5-done")
    return code


def track_in(page: Page, locale: str, code: str) -> None:
    """Open the tracking page (the session keeps the language) and look the report up."""
    page.goto("/track")
    assert page.evaluate("document.documentElement.lang") == locale
    page.fill("#track-code", code)
    page.get_by_role("button", name=say(locale, "Show my report")).click()
    page.locator("#report").wait_for()
    status = say(locale, "Waiting for a volunteer to review it")
    page.wait_for_function(
        "t => document.getElementById('report-status').textContent.includes(t)", arg=status
    )
    assert say(locale, "Dark street") in page.locator("#report-category").inner_text()


def test_the_arabic_report_flow_reads_right_to_left_on_a_phone(server, db, chromium):
    with phone_context(chromium, server.url, locale="ar-SY") as (_, phone):
        page = phone.page
        page.goto("/?lang=ar")
        wait_for_map(page)
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
            "ar",
            "rtl",
        ]
        assert page.get_by_role("link", name="خروج سريع").is_visible()
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        width = page.viewport_size["width"]
        # Mirrored: the zoom control at the top right (inline start), the attribution at the
        # bottom left (inline end), the report button on the right, the site name right.
        zoom = box(page, ".leaflet-control-zoom")
        assert zoom["x"] > width / 2, zoom
        attribution = box(page, ".leaflet-control-attribution")
        assert attribution["x"] < width / 2, attribution
        button = box(page, "#open-report")
        assert button["x"] + button["width"] > width - 40, button
        name = box(page, ".site-name")
        assert name["x"] + name["width"] > width - 40, name  # text starts on the right
        assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "تكبير"
        assert axe_serious(page, "ar-map") == []
        assert fits(page)
        phone.screenshot("ar-map")

        code = report_in(page, phone, "ar", axe=False)  # axe: test_every_language_browser
        report = stored_report(db, server, code)
        assert report.status == ReportStatus.pending
        with server.lock:
            assert db.get(Category, report.category_id).code == "dark_street"
        track_in(page, "ar", code)
        # The card's text aligns to the right: its title ends at the card's right edge.
        title = box(page, "#report-title")
        card = box(page, "#report")
        assert abs((title["x"] + title["width"]) - (card["x"] + card["width"])) < 40
        assert axe_serious(page, "ar-track") == []
        assert fits(page)
        phone.screenshot("ar-track")


def test_the_kurdish_report_flow_on_a_phone(server, db, chromium):
    with phone_context(chromium, server.url, locale="tr-TR") as (_, phone):
        page = phone.page
        page.goto("/?lang=ku")
        wait_for_map(page)
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
            "ku",
            "ltr",
        ]
        assert page.get_by_role("button", name="Cihekî ragihîne").is_visible()
        zoom = box(page, ".leaflet-control-zoom")
        assert zoom["x"] < page.viewport_size["width"] / 2
        assert axe_serious(page, "ku-map") == []
        code = report_in(page, phone, "ku", axe=False)  # axe: test_every_language_browser
        assert stored_report(db, server, code).status == ReportStatus.pending
        track_in(page, "ku", code)
        # Chromium's Intl has no Kurmanji: the month comes from Babel's names (config.formats).
        month = i18n.browser_formats("ku")["months"][date.today().month - 1]
        assert month in page.locator("#report-created").inner_text()
        assert axe_serious(page, "ku-track") == []
        phone.screenshot("ku-track")


@pytest.mark.parametrize("locale", ["ar", "ku"])
def test_plural_forms_in_the_page_follow_the_language(server, chromium, locale):
    """The mahalle search counts with the catalogue's form for its number (Arabic: six)."""
    with phone_context(chromium, server.url) as (_, phone):
        page = phone.page
        page.goto(f"/?lang={locale}")
        wait_for_map(page)
        page.locator("#open-report").click()
        page.locator("#when-earlier-choice").check()
        page.fill("#occurred-on", date.today().replace(day=1).isoformat())
        page.select_option("#time-band", "day")
        page.locator("#step-next").click()
        page.locator("#no-map-toggle").click()
        page.wait_for_function("() => document.getElementById('mahalle-count').textContent")
        counts = set()
        for query in ("a", "Kızılay", "zzzz"):
            page.fill("#mahalle-search", query)
            n, text = page.evaluate(
                """() => [document.querySelectorAll('#mahalle-select option').length,
                          document.getElementById('mahalle-count').textContent]"""
            )
            form = i18n.translations(locale).ngettext("{n} mahalle found", "{n} mahalle found", n)
            assert text == form.replace("{n}", str(n)), (query, n)
            counts.add(n)
        assert 0 in counts and len(counts) == 3


def rated_plan(db, settings) -> None:
    """The monitoring tests' plan, one target rated "partly compliant" by the board."""
    from app.schemas.monitoring import AssessmentCreate
    from app.services.monitoring import board
    from tests.monitoring.support import YEAR, build_plan

    world = build_plan(db, settings)
    assessment = board.create_assessment(
        db,
        world.monitor,
        world.plan,
        AssessmentCreate(period=str(YEAR), item="1.1.T", rating="partly_compliant"),
    )
    board.publish_assessment(db, world.monitor, assessment)
    db.commit()


@pytest.mark.parametrize("locale", ["ar", "ku"])
def test_public_plan_pages_and_an_unknown_municipality_pass_axe(
    server, db, settings, chromium, locale
):
    rated_plan(db, settings)
    with phone_context(chromium, server.url) as (_, phone):
        page = phone.page
        page.goto(f"/plans?lang={locale}")
        assert page.locator("h1").inner_text() == say(locale, "Local equality action plans")
        assert axe_serious(page, f"{locale}-plans") == []
        page.goto("/plans/YEEP-TEST")
        assert say(locale, "Partly compliant") in page.locator("main").inner_text()
        assert say(locale, "Monitoring Board ratings") in page.locator("main").inner_text()
        assert axe_serious(page, f"{locale}-plan") == []
        assert fits(page), "the plan page is wider than the phone"
        phone.screenshot(f"{locale}-plan")
        page.goto("/m/no-such-place")
        assert page.evaluate("document.documentElement.lang") == locale
        assert axe_serious(page, f"{locale}-municipality-not-found") == []
