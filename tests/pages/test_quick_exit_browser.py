"""Quick exit leaves nothing of the site in the browser: one history entry (now the neutral
site's), no cache, no service worker, no cookie, no web storage, no IndexedDB; and what the
service worker keeps before that never names the site's purpose."""

from __future__ import annotations

import time

import pytest

from tests.support.browser import phone_context
from tests.support.citizen_browser_support import (
    KIZILAY,
    centre_map,
    open_flow,
    step_consent,
    step_what,
    step_when,
    storage_left,
    stored_report,
    tracking_code,
    wait_for_map,
)

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

NEUTRAL = "https://www.google.com/search?q=hava+durumu"
PURPOSE = "Güvensiz yerler haritası"

LEFT_BEHIND = """async () => ({
    history: history.length,
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
    idb: (await indexedDB.databases()).map(d => d.name),
})"""

CACHED_TEXT = """async () => {
    const out = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            out.push([new URL(request.url).pathname, await (await cache.match(request)).text()]);
        }
    }
    return out;
}"""


def live_workers(context, page, base_url: str, wait_s: float = 5.0) -> list[str]:
    """The site's service worker registrations not (yet) deleted, as Chromium reports them
    through the DevTools protocol; waits up to `wait_s` for them to go."""
    cdp = context.new_cdp_session(page)
    registrations: dict[str, dict] = {}

    def updated(event) -> None:
        for r in event["registrations"]:
            registrations[r["registrationId"]] = r

    cdp.on("ServiceWorker.workerRegistrationUpdated", updated)
    cdp.send("ServiceWorker.enable")
    live: list[str] = []
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        page.wait_for_timeout(200)
        live = [
            r["scopeURL"]
            for r in registrations.values()
            if r["scopeURL"].startswith(base_url) and not r["isDeleted"]
        ]
        if not live:
            break
    cdp.detach()
    return live


def test_quick_exit_leaves_nothing_behind(server, chromium):
    # Routing (for the neutral site) only outside the app: the service worker must run.
    with phone_context(chromium, server.url, route=False, service_workers="allow") as (
        context,
        phone,
    ):
        context.route(
            "https://www.google.com/**",
            lambda route: route.fulfill(content_type="text/html", body="<title>hava</title>"),
        )
        page = phone.page
        page.goto("/")  # a new tab: its blank first entry, then the site's one
        wait_for_map(page)
        arrived = page.evaluate("history.length")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.wait_for_function("async () => (await caches.keys()).length > 0")
        # She moves around: another language, the skip link, the first step of the form.
        page.get_by_role("link", name="English").click()
        page.wait_for_function("document.documentElement.lang === 'en'")
        wait_for_map(page)
        page.get_by_role("link", name="Türkçe").click()
        page.wait_for_function("document.documentElement.lang === 'tr'")
        wait_for_map(page)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # "İçeriğe geç" (#main)
        page.get_by_role("button", name="Bir yer bildir").click()
        step_when(page, now=True)

        before = page.evaluate(LEFT_BEHIND)
        assert before["history"] == arrived  # the whole visit is one entry
        assert before["caches"] == ["static-v3"]  # a neutral name
        assert before["workers"] == 1 and "mh_lang=tr" in before["cookie"]
        assert live_workers(context, page, server.url, wait_s=1) != []  # the probe sees it
        assert [c["expires"] for c in context.cookies() if c["name"] == "mh_lang"] == [-1]
        cached = dict(page.evaluate(CACHED_TEXT))
        assert "/" in cached and "Harita" in cached["/"]
        assert [path for path, text in cached.items() if PURPOSE in text] == []

        page.get_by_role("link", name="Hızlı çıkış").click()
        page.wait_for_url(NEUTRAL)
        assert page.evaluate("history.length") == arrived  # the neutral site took its place

        # An unregistered worker goes once the page it controlled has gone (a moment after):
        # asked of the browser (DevTools protocol), since a visit to the site before it has gone
        # would be a new client of it.
        assert live_workers(context, page, server.url) == []
        # What else the browser keeps for the site, read from a page of it that runs nothing.
        check = context.new_page()
        check.goto(server.url + "/api/v1/categories/none")  # an answer the worker never kept
        after = check.evaluate(LEFT_BEHIND)
        assert after["caches"] == []
        assert after["workers"] == 0
        assert after["cookie"] == "" and context.cookies() == []
        assert after["local"] == 0 and after["session"] == 0
        assert after["idb"] == []
        check.close()
        page.go_back()
        assert page.url == "about:blank"  # Back does not return to the site


def test_a_report_waiting_offline_survives_quick_exit_and_is_sent_later(server, db, chromium):
    """The one thing quick exit keeps: a report not yet sent (deleting it would lose it
    without a word). It goes out on her next visit, and then nothing is left."""
    with phone_context(chromium, server.url) as (context, phone):
        context.route(
            "https://www.google.com/**",
            lambda route: route.fulfill(content_type="text/html", body="<title>hava</title>"),
        )
        page = phone.page
        open_flow(page)
        step_when(page, now=False)
        centre_map(page, *KIZILAY)
        phone.tap_map_at(*KIZILAY)
        step_what(page, text="Çıkıştan sonra gönderildi.")
        step_consent(page)
        context.set_offline(True)
        page.get_by_role("button", name="Bildirimi gönder").click()
        page.locator("#done-queued").wait_for()
        page.get_by_role("link", name="Hızlı çıkış").click()
        page.wait_for_url(NEUTRAL)
        context.set_offline(False)
        later = context.new_page()
        later.on("pageerror", lambda error: phone.traffic.errors.append(str(error)))
        later.goto("/")
        code = tracking_code(later)
        later.locator("#queue-status").wait_for(state="hidden")
        assert storage_left(later)["idb"] == []
    assert stored_report(db, server, code).text == "Çıkıştan sonra gönderildi."
