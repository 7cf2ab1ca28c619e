"""Shared steps of the citizen browser tests: phone contexts with options, the report flow, axe.

Builds on tests/support/browser.py (Debian's Chromium, requests outside 127.0.0.1 blocked) and adds
what those tests need besides: geolocation, a service worker, and axe-core injected into the
page (the page's CSP allows only its own scripts, so axe's context bypasses the CSP).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

pytest.register_assert_rewrite(
    "tests.support.browser"
)  # imported here before pytest loads the plugin

from tests.support.browser import PHONE, ROOT, Phone, Traffic, _keep_local  # noqa: E402

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
KIZILAY = (32.854163, 39.920857)  # lon, lat: by Kızılay square, Cumhuriyet Mahallesi (Çankaya)
OUTSIDE = (32.30, 39.55)  # far outside Çankaya and Yenimahalle


@contextmanager
def phone_context(
    browser: Browser, base_url: str, *, route: bool = True, **options
) -> Iterator[tuple[BrowserContext, Phone]]:
    """A 360×740 touch phone like tests.support.browser.phone_page, with extra context options."""
    settings = {
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "tr-TR",
        "timezone_id": "Europe/Istanbul",
        "base_url": base_url,
        "service_workers": "block",
    }
    settings.update(options)
    context = browser.new_context(**settings)
    traffic = Traffic()
    if route:  # Playwright's routing and a service worker do not mix: off for SW tests
        context.route("**/*", _keep_local(traffic))
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("request", lambda request: traffic.requests.append(request.url))
    page.on("response", lambda response: traffic.responses.append(response))
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    try:
        yield context, Phone(page, traffic, base_url)
        assert traffic.errors == [], f"JavaScript errors: {traffic.errors}"
    finally:
        context.close()


def load_sample_services(db, settings) -> int:
    """The demo's sample support services, inside the test's transaction."""
    from app.services.imports.support_services import import_service_points

    path = ROOT / "data" / "demo" / "ankara" / "service_points_sample.geojson"
    import_service_points(db, settings, path, sample=True)
    db.commit()
    from sqlalchemy import func, select

    from app.models import ServicePoint

    return db.scalar(select(func.count(ServicePoint.id)))


def axe_serious(page: Page, name: str) -> list[dict]:
    """Run axe-core on the page as it is now; the serious and critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    bad = [v for v in result if v["impact"] in SERIOUS]
    out = ROOT / "test-artifacts" / "axe"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return bad


def wait_for_map(page: Page) -> None:
    page.wait_for_function("() => document.getElementById('map').dataset.mahalle > 0")
    page.wait_for_function("() => document.getElementById('map').dataset.reports !== undefined")


def open_flow(page: Page) -> None:
    page.goto("/")
    wait_for_map(page)
    page.get_by_role("button", name="Bir yer bildir").click()
    page.locator("#step-when").wait_for()


def step_when(page: Page, *, now: bool) -> None:
    if now:
        page.get_by_label("Şu an, burada oluyor").check()
    else:
        page.get_by_label("Daha önce ya da başka bir yerde oldu").check()
        page.fill("#occurred-on", date.today().replace(day=1).isoformat())
        page.select_option("#time-band", "night")
    page.get_by_role("button", name="İleri").click()
    page.locator("#step-place").wait_for()


def centre_map(page: Page, lon: float, lat: float, zoom: int = 16) -> None:
    page.evaluate(
        "([lat, lon, zoom]) => window.__mh.map.setView([lat, lon], zoom, {animate: false})",
        [lat, lon, zoom],
    )


def step_what(page: Page, category: str = "dark_street", safety: int = 2, text: str = "") -> None:
    page.get_by_role("button", name="İleri").click()
    page.locator("#step-what").wait_for()
    page.locator(f"label[for='category-{category}']").click()
    page.check(f"#safety-{safety}")
    if text:
        page.fill("#report-text", text)


def step_consent(page: Page, *, gender: str | None = "woman", age: str | None = "25_34") -> None:
    page.get_by_role("button", name="İleri").click()
    page.locator("#step-consent").wait_for()
    if gender:
        page.select_option("#reporter-gender", gender)
    if age:
        page.select_option("#reporter-age-band", age)
    page.get_by_label("kabul ediyorum").check()


def storage_left(page: Page) -> dict:
    """What the origin keeps on the device: web storage, cookies and IndexedDB databases."""
    return page.evaluate(
        """async () => ({
            local: localStorage.length,
            session: sessionStorage.length,
            cookie: document.cookie,
            idb: (await indexedDB.databases()).map(d => d.name),
        })"""
    )


def jpeg_with_gps(path: Path) -> Path:
    """A JPEG carrying EXIF GPS coordinates (what a phone camera writes)."""
    from PIL import Image

    image = Image.new("RGB", (2400, 1800), (120, 80, 160))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (39.0, 55.0, 15.0)
    gps[3] = "E"
    gps[4] = (32.0, 51.0, 15.0)
    exif[0x010F] = "TestCam"
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab (only the keyboard) until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} was not reached with the Tab key")


def small_targets(page: Page) -> list[str]:
    """Visible buttons, selects, inputs' rows and header links smaller than 44 px."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                'button, select, textarea, input[type=date], input[type=search], .check,'
                + ' .category__label, .quick-exit, .emergency a, .language a, .leaflet-bar a')]
            .filter(n => n.offsetParent !== null)
            .filter(n => { const r = n.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
            .map(n => n.id || n.className || n.tagName)"""
    )
