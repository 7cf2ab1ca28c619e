"""Phone steps 3 and 4 of the report flow fit one 360×740 screen in every language."""

from __future__ import annotations

import pytest

from tests.support.browser import phone_context
from tests.support.citizen_browser_support import KIZILAY, centre_map, wait_for_map

pytestmark = pytest.mark.browser
pytest_plugins = ("tests.support.browser",)

MEASURE = """() => {
    const panel = document.getElementById('report-panel');
    const step = [...document.querySelectorAll('fieldset.step')].find(n => !n.hidden);
    const actions = document.querySelector('#report-form .actions');
    return {panel: panel.scrollHeight, panelClient: panel.clientHeight,
            page: document.scrollingElement.scrollHeight,
            step: step.getBoundingClientRect().height, actions: actions.getBoundingClientRect().height,
            overflow: getComputedStyle(panel).overflowY, pos: getComputedStyle(panel).position,
            top: panel.getBoundingClientRect().top + scrollY,
            parts: Object.fromEntries(['.site-header', '.site-header__top', '.language', '.emergency', '.demo-banner', '.map-bar', '#report-title', '#step-counter', '#category-groups', '.safety', '#what-more', '#metoo-chosen', '#step-consent > fieldset', '.consent-box', '#map'].map(s => [s, document.querySelector(s) ? Math.round(document.querySelector(s).getBoundingClientRect().height) : null]))};
}"""


@pytest.mark.parametrize("lang", ["tr", "en", "ar", "ku"])
def test_measure(server, chromium, lang):
    with phone_context(chromium, server.url) as (_, phone):
        page = phone.page
        page.goto(f"/?lang={lang}")
        wait_for_map(page)
        page.click("#open-report")
        page.check("#when-now")
        page.click("#step-next")
        page.locator("#step-place").wait_for()
        centre_map(page, *KIZILAY)
        page.click("#pin-centre")
        page.click("#step-next")
        page.locator("#step-what").wait_for()
        page.locator("label[for='category-dark_street']").click()
        page.check("#safety-2")
        print("WHAT", lang, page.evaluate(MEASURE))
        phone.screenshot(f"fit-what-{lang}")
        page.click("#step-next")
        page.locator("#step-consent").wait_for()
        print("CONSENT", lang, page.evaluate(MEASURE))
        phone.screenshot(f"fit-consent-{lang}")
