"""Shared steps of the citizen browser tests: the report flow, what the device keeps, photos.

Builds on tests/support/browser.py (Debian's Chromium, phones, requests outside 127.0.0.1
blocked, axe-core).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Page
from sqlalchemy import select

from app.models import Report
from app.services.reporting.codes import hash_tracking_code
from tests.support.browser import ROOT

KIZILAY = (32.854163, 39.920857)  # lon, lat: by Kızılay square, Cumhuriyet Mahallesi (Çankaya)
OUTSIDE = (32.30, 39.55)  # far outside Çankaya and Yenimahalle
TRACKING_CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
NOTHING_LEFT = {"local": 0, "session": 0, "cookie": "", "idb": []}  # what storage_left wants


def load_sample_services(db, settings) -> int:
    """The demo's sample support services, inside the test's transaction."""
    from app.services.imports.support_services import import_service_points

    path = ROOT / "data" / "demo" / "ankara" / "service_points_sample.geojson"
    import_service_points(db, settings, path, sample=True)
    db.commit()
    from sqlalchemy import func, select

    from app.models import ServicePoint

    return db.scalar(select(func.count(ServicePoint.id)))


def wait_for_map(page: Page, reports: int | None = None) -> None:
    """Wait until the choropleth and the report points (`reports` of them) have been drawn.

    Safe while a new page is still being parsed (after a language switch): no #map yet.
    """
    page.wait_for_function("() => document.getElementById('map')?.dataset.mahalle > 0")
    if reports is None:
        page.wait_for_function(
            "() => (document.getElementById('map')?.dataset ?? {}).reports !== undefined"
        )
    else:
        page.wait_for_function(
            "n => document.getElementById('map')?.dataset.reports === String(n)", arg=reports
        )


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
        if not page.locator("#what-more").evaluate("d => d.open"):
            page.locator("#what-more summary").click()  # the optional part, folded away
        page.fill("#report-text", text)


def step_consent(page: Page, *, gender: str | None = "woman", age: str | None = "25_34") -> None:
    page.get_by_role("button", name="İleri").click()
    page.locator("#step-consent").wait_for()
    if gender:
        page.select_option("#reporter-gender", gender)
    if age:
        page.select_option("#reporter-age-band", age)
    page.get_by_label("kabul ediyorum").check()


def tracking_code(page: Page) -> str:
    """The tracking code the page shows once a report is sent (checked for its form)."""
    box = page.locator("#tracking-code")
    page.wait_for_function("() => document.getElementById('tracking-code').textContent.trim()")
    code = box.inner_text().strip()
    assert TRACKING_CODE.match(code), code
    return code


def stored_report(db, server, code: str) -> Report:
    """The report stored under a tracking code, read once the live server is idle."""
    with server.lock:  # the server shares this connection; wait until it is idle
        db.expire_all()
        report = db.scalar(
            select(Report).where(Report.tracking_code_hash == hash_tracking_code(code))
        )
    assert report is not None, "the report was not stored"
    return report


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
