"""Every citizen page and state in every language on a 360×740 phone (issue 13): axe-core
finds no serious or critical violation, and the report flow's steps 3 and 4 fit about one
screen (the step with its sticky footer at most 1.1 × 740 px tall) with every field labelled.

One browser context per language walks all of it, reusing its page: the map (its layers
and an audit point's popup), the report flow (each step, the place by the mahalle list, the
result), tracking (not found, found, rejected), and the audit walk page (staff: Turkish and
English only, so Arabic and Kurdish show it in Turkish) with its states.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from app.models import RejectReason, Role
from app.services.moderation.actions import reject
from tests.audits.audit_support import published_walk
from tests.support.browser import PHONE, axe_serious, phone_context
from tests.support.citizen_browser_support import KIZILAY, centre_map, tracking_code, wait_for_map
from tests.support.factories import PASSWORD, make_report, make_user

pytestmark = pytest.mark.browser
pytest_plugins = ("tests.support.browser",)

MAX_SCREENS = 1.1

# The visible step with its footer: the panel's own scroll height (the panel holds both).
STEP_HEIGHT = "() => document.getElementById('report-panel').scrollHeight"
# Every field of the visible step with an accessible name (its label, or aria-label).
UNLABELLED = """() => {
    const step = [...document.querySelectorAll('fieldset.step')].find(n => !n.hidden);
    return [...step.querySelectorAll('input, select, textarea')]
        .filter(n => n.type !== 'hidden' && !n.closest('.honeypot'))
        .filter(n => !(n.labels && n.labels.length) && !n.getAttribute('aria-label'))
        .map(n => n.id || n.name);
}"""


def clean(page: Page, name: str) -> None:
    found = axe_serious(page, name)
    assert found == [], (name, found)


def fits_one_screen(page: Page, name: str) -> float:
    """The visible step's height in screens; asserts it fits and that no field lost its label."""
    screens = page.evaluate(STEP_HEIGHT) / PHONE["height"]
    assert screens <= MAX_SCREENS, (name, screens)
    assert page.evaluate(UNLABELLED) == [], name
    return screens


@pytest.mark.parametrize("lang", ["tr", "en", "ar", "ku"])
def test_every_citizen_page_and_state_in_every_language(server, db, settings, chromium, lang):
    with server.lock:
        published_walk(db, settings, *KIZILAY, 5)
        rejected, rejected_code = make_report(db, settings, lon=KIZILAY[0] + 0.01)
        moderator = make_user(db, settings, Role.moderator, ["cankaya"])
        reject(db, moderator, rejected.public_id, RejectReason.off_topic, "")
        volunteer = make_user(db, settings, Role.moderator, ["cankaya"])
        db.commit()
    with phone_context(chromium, server.url) as (_, phone):
        page = phone.page
        # The map, then its layers: support services and safety audit points (a popup open).
        page.goto(f"/?lang={lang}")
        wait_for_map(page)
        clean(page, f"every-{lang}-map")
        page.locator("#legend summary").click()
        page.check("#show-services")
        page.check("#show-audits")
        page.wait_for_function("() => window.__mh.audits === 5")
        clean(page, f"every-{lang}-map-layers")
        lon, lat = page.request.get("/api/v1/audits/points").json()["features"][0]["geometry"][
            "coordinates"
        ]
        page.evaluate("([lat, lon]) => window.__mh.map.setView([lat, lon], 17)", [lat, lon])
        page.wait_for_function("() => window.__mh.map.getZoom() === 17 && window.__mh.audits >= 1")
        page.locator("path.leaflet-interactive").first.dispatch_event("click")
        page.locator(".leaflet-popup-content").wait_for()
        page.wait_for_function(  # faded in (axe would measure a half-transparent text)
            "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
        )
        clean(page, f"every-{lang}-map-audit-popup")
        page.uncheck("#show-audits")
        page.uncheck("#show-services")
        page.evaluate("() => { document.getElementById('legend').open = false; }")

        # The report flow: each step, the place by the list too, then the result.
        page.click("#open-report")
        page.locator("#step-when").wait_for()
        page.check("#when-earlier-choice")
        page.fill("#occurred-on", date.today().replace(day=1).isoformat())
        page.select_option("#time-band", "night")
        clean(page, f"every-{lang}-step-1-when")
        page.click("#step-next")
        page.locator("#step-place").wait_for()
        page.click("#no-map-toggle")
        page.locator("#mahalle-select").wait_for()
        clean(page, f"every-{lang}-step-2-list")
        page.click("#no-map-toggle")
        centre_map(page, *KIZILAY)
        page.click("#pin-centre")
        clean(page, f"every-{lang}-step-2-map")
        page.click("#step-next")
        page.locator("#step-what").wait_for()
        page.locator("label[for='category-dark_street']").click()
        page.check("#safety-2")
        what = fits_one_screen(page, f"{lang}-what")
        phone.screenshot(f"every-{lang}-step-3-what")
        clean(page, f"every-{lang}-step-3-what")
        page.locator("#what-more summary").click()  # the optional part, open
        clean(page, f"every-{lang}-step-3-more")
        page.click("#step-next")
        page.locator("#step-consent").wait_for()
        consent = fits_one_screen(page, f"{lang}-consent")
        phone.screenshot(f"every-{lang}-step-4-consent")
        clean(page, f"every-{lang}-step-4-consent")
        page.check("#consent")
        page.click("#submit-report")
        code = tracking_code(page)
        clean(page, f"every-{lang}-step-5-result")
        print(f"{lang}: step 3 {what:.2f} screens, step 4 {consent:.2f} screens")

        # Tracking: a code that finds nothing, her own report, a rejected one with its reason.
        page.goto(f"/track?lang={lang}")
        page.fill("#track-code", "AAAA-BBBB-CCCC-DDDD")
        page.locator("#track-form button[type='submit']").click()
        page.wait_for_function("() => document.getElementById('track-error').textContent.trim()")
        clean(page, f"every-{lang}-track-not-found")
        for which, value in (("found", code), ("rejected", rejected_code)):
            page.fill("#track-code", value)
            page.locator("#track-form button[type='submit']").click()
            page.locator("#report").wait_for(state="visible")
            if which == "rejected":
                page.locator("#report-reason").wait_for(state="visible")
            clean(page, f"every-{lang}-track-{which}")

        # The audit walk page (staff): start a walk, the recording state.
        page.goto(f"/login?next=/audits&lang={lang}")
        page.fill("#login-email", volunteer.email)
        page.fill("#login-password", PASSWORD)
        page.locator("#login-form button[type='submit']").click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/audits")
        page.locator("#start-form").wait_for()
        clean(page, f"every-{lang}-audits-start")
        page.locator("#start-form button[type='submit']").click()
        page.locator("#record").wait_for()
        clean(page, f"every-{lang}-audits-recording")
