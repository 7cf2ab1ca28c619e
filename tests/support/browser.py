"""Playwright helpers for the browser tests: Debian's Chromium, a phone, screenshots, axe.

Use with `pytest_plugins = ("tests.support.browser",)` and the `phone` fixture, or open pages
with `browser_page` / `phone_context`. Browsers cannot be downloaded here, so the system
Chromium is launched (override with MORHARITA_CHROMIUM). Every request that leaves 127.0.0.1
is blocked and recorded: the pages must work without a CDN or the internet.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, Route, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
# A 360×740 touch phone in Turkish, in Ankara's time zone, without a service worker.
PHONE_OPTIONS = {
    "viewport": PHONE,
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "tr-TR",
    "timezone_id": "Europe/Istanbul",
    "service_workers": "block",
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1"})


def chromium_path() -> str:
    explicit = os.environ.get("MORHARITA_CHROMIUM")
    found = explicit or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not Path(found).exists():
        raise RuntimeError(
            "No Chromium found: install Debian's `chromium` or set MORHARITA_CHROMIUM."
        )
    return found


@dataclass
class Traffic:
    """What a page asked for: every request, the blocked ones, responses and script errors."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname or "" for url in self.requests}

    def bodies(self) -> list[tuple[str, str]]:
        """(url, text) of every response with a body (redirects and failures have none)."""
        texts = []
        for response in self.responses:
            try:
                body = response.body()
            except Exception:  # a redirect or an aborted request: nothing was delivered
                continue
            texts.append((response.url, body.decode("utf-8", errors="replace")))
        return texts

    def json_from(self, path: str) -> list[dict]:
        """Parsed JSON bodies of the successful responses whose path is `path`."""
        return [
            r.json()
            for r in self.responses
            if urlsplit(r.url).path == path and r.ok and "json" in r.headers.get("content-type", "")
        ]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _keep_local(traffic: Traffic):
    def handle(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            traffic.blocked.append(url)
            route.abort()

    return handle


@contextmanager
def browser_page(
    browser: Browser, base_url: str, *, route: bool = True, timeout_ms: int = 15_000, **options
) -> Iterator[tuple[BrowserContext, Page, Traffic]]:
    """A new private context and page on the app, its traffic recorded; closed afterwards.

    Requests that leave 127.0.0.1 are blocked unless `route` is False (Playwright's routing
    and a service worker do not mix); `options` go to Browser.new_context.
    """
    context = browser.new_context(base_url=base_url, **options)
    traffic = Traffic()
    if route:
        context.route("**/*", _keep_local(traffic))
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.on("request", lambda request: traffic.requests.append(request.url))
    page.on("response", lambda response: traffic.responses.append(response))
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    try:
        yield context, page, traffic
    finally:
        context.close()


@dataclass
class Phone:
    """A page on a phone, what it requested, and the actions the tests share."""

    page: Page
    traffic: Traffic
    base_url: str

    def screenshot(self, name: str) -> Path:
        """Save the viewport as test-artifacts/screenshots/<name>.png (git-ignored)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), animations="disabled")  # popups fully faded in
        return path

    def tap_map_at(self, lon: float, lat: float, *, on: str | None = None) -> None:
        """Tap the Leaflet map where (lon, lat) is drawn, as a finger would.

        With `on` (a CSS selector), first wait until what is drawn there is that element:
        a tile's markers or a closing control must not catch the finger instead.
        """
        where = """([lat, lon]) => {
            const map = window.__mh.map;
            const point = map.latLngToContainerPoint([lat, lon]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + point.x, box.top + point.y];
        }"""
        if on is not None:
            self.page.wait_for_function(
                f"""([lat, lon, selector]) => {{
                    const [x, y] = ({where})([lat, lon]);
                    return document.elementFromPoint(x, y)?.matches(selector) ?? false;
                }}""",
                arg=[lat, lon, on],
            )
        x, y = self.page.evaluate(where, [lat, lon])
        self.page.touchscreen.tap(x, y)

    def requested_paths(self) -> list[str]:
        """Paths asked of the app itself."""
        return [
            urlsplit(url).path for url in self.traffic.requests if url.startswith(self.base_url)
        ]


@contextmanager
def phone_context(
    browser: Browser, base_url: str, *, route: bool = True, **options
) -> Iterator[tuple[BrowserContext, Phone]]:
    """A phone (PHONE_OPTIONS, overridden by `options`); fails if any of its scripts threw."""
    with browser_page(browser, base_url, route=route, **{**PHONE_OPTIONS, **options}) as (
        context,
        page,
        traffic,
    ):
        yield context, Phone(page, traffic, base_url)
        assert traffic.errors == [], f"JavaScript errors: {traffic.errors}"


@pytest.fixture
def phone(chromium, server) -> Iterator[Phone]:
    """A phone page on the live server; fails the test if any script threw."""
    with phone_context(chromium, server.url) as (_, phone):
        yield phone


def axe_serious(page: Page, name: str) -> list[dict]:
    """Run axe-core on the page as it is now; its serious and critical violations.

    Every violation is written to test-artifacts/axe/<name>.json. axe is evaluated through
    the DevTools protocol, so the page's CSP (which rightly forbids inline scripts) holds.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    out = ROOT / "test-artifacts" / "axe"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return [v for v in result if v["impact"] in ("serious", "critical")]


@dataclass
class Laptop:
    """A page on a laptop-sized screen (staff work at a desk), and what it requested."""

    page: Page
    traffic: Traffic

    def axe(self, name: str = "laptop") -> list[dict]:
        """Serious and critical accessibility violations on the page as it is now."""
        return axe_serious(self.page, name)

    def log_in(self, path: str, email: str, password: str) -> None:
        """Open a staff page, log in on the form it sends to, and come back to it."""
        staff_log_in(self.page, path, email, password)


def staff_log_in(page: Page, path: str, email: str, password: str, *, ready: bool = False) -> None:
    """Open a staff page, log in on the form it sends to (in Turkish), and come back to it;
    with `ready`, also wait until the page's module has wired its forms (`data-ready`)."""
    page.goto(path)
    page.locator("#login-form").wait_for()
    page.get_by_label("E-posta").fill(email)
    page.get_by_label("Parola").fill(password)
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_url(lambda url: urlsplit(url).path == path)
    # The login form may be served at the page's own address: wait for the page itself.
    page.locator("#login-form").wait_for(state="detached")
    if ready:
        page.locator("body[data-ready=true]").wait_for()


@pytest.fixture
def laptop(chromium, server) -> Iterator[Laptop]:
    """A 1280×900 Turkish page on the live server; fails the test if any script threw or a
    request left the machine."""
    options = {
        "viewport": {"width": 1280, "height": 900},
        "locale": "tr-TR",
        "timezone_id": "Europe/Istanbul",
        "service_workers": "block",
    }
    with browser_page(chromium, server.url, **options) as (_, page, traffic):
        yield Laptop(page, traffic)
        assert traffic.errors == [], f"JavaScript errors: {traffic.errors}"
        assert traffic.blocked == [], f"Requests that left the machine: {traffic.blocked}"
