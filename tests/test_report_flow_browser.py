"""The citizen report flow in a real Chromium on a 360×740 phone, against the live app.

Each location path (tap, geolocation, no map), validation on the page, photos, "me too",
the offline outbox, and what is left on the device afterwards. Screenshots of every step go
to test-artifacts/screenshots/, axe-core results to test-artifacts/axe/.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.models import Confirmation, Report, ReportPhoto, ReportStatus
from app.services.codes import hash_tracking_code
from tests.citizen_support import (
    KIZILAY,
    OUTSIDE,
    axe_serious,
    centre_map,
    jpeg_with_gps,
    load_sample_services,
    open_flow,
    phone_context,
    step_consent,
    step_what,
    step_when,
    storage_left,
)
from tests.factories import make_report

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser

TRACKING_CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
NOTHING_LEFT = {"local": 0, "session": 0, "cookie": "", "idb": []}


def stored_report(db, server, code: str) -> Report:
    with server.lock:  # the server shares this connection; wait until it is idle
        db.expire_all()
        report = db.scalar(select(Report).where(Report.tracking_code_hash == hash_tracking_code(code)))
    assert report is not None, "the report was not stored"
    return report


def distance_m(db, server, report: Report, lon: float, lat: float) -> float:
    with server.lock:
        return db.scalar(
            select(
                func.ST_Distance(
                    func.Geography(Report.location),
                    func.Geography(func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)),
                )
            ).where(Report.id == report.id)
        )


def tracking_code(page) -> str:
    box = page.locator("#tracking-code")
    page.wait_for_function("() => document.getElementById('tracking-code').textContent.trim()")
    code = box.inner_text().strip()
    assert TRACKING_CODE.match(code), code
    return code


def test_report_by_tapping_the_map_with_a_photo(server, db, settings, chromium, tmp_path):
    assert load_sample_services(db, settings) >= 3
    photo = jpeg_with_gps(tmp_path / "camera.jpg")
    with phone_context(chromium, server.url, bypass_csp=True) as (_, phone):
        page = phone.page
        open_flow(page)
        assert page.locator("#step-counter").inner_text() == "Adım 1 / 4: Ne zaman?"
        assert axe_serious(page, "flow-1-when") == []
        phone.screenshot("flow-tap-1-when")
        step_when(page, now=False)
        # "Use my location" is offered only when it is happening here and now.
        assert page.locator("#use-location").is_hidden()
        lon, lat = KIZILAY
        centre_map(page, lon, lat)
        phone.tap_map_at(lon, lat)
        assert page.locator("#location-status").inner_text() == "Yer seçildi ✓"
        assert page.locator(".leaflet-marker-icon").count() == 1
        assert axe_serious(page, "flow-2-place") == []
        phone.screenshot("flow-tap-2-place")

        step_what(page, text="Sokak lambası aylardır yanmıyor.")
        assert page.locator("#text-counter").inner_text() == "32 / 2.000 karakter"
        # Categories are grouped, labelled radio tiles with an icon each.
        groups = page.locator(".category-group__title").all_inner_texts()
        assert groups[:3] == ["Aydınlatma", "Ulaşım", "Taciz ve güvenlik"]
        page.set_input_files("#photos", str(photo))
        page.locator("#photo-list img").wait_for()
        assert page.locator("#photo-list li").count() == 1
        assert axe_serious(page, "flow-3-what") == []
        phone.screenshot("flow-tap-3-what")

        step_consent(page)
        terms = page.locator("#consent-terms").inner_text()
        assert "en çok 5 yıl" in terms
        assert "takip kodu" in terms and "tek yoludur" in terms
        assert axe_serious(page, "flow-4-consent") == []
        phone.screenshot("flow-tap-4-consent")
        with page.expect_request("**/api/v1/reports") as sent:
            page.get_by_role("button", name="Bildirimi gönder").click()
        assert "multipart/form-data" in sent.value.headers["content-type"]
        code = tracking_code(page)
        done = page.locator("#report-done")
        assert "kurtarılamaz" in done.inner_text()
        assert [a.get_attribute("href") for a in done.locator(".emergency-list a").all()] == [
            "tel:112",
            "tel:155",
            "tel:183",
        ]
        services = done.locator("#nearest-services li")
        assert services.count() == 3
        first = services.first.inner_text()
        assert first.startswith("Polis Merkezi — Kızılay")  # the nearest sample, by Kızılay
        assert re.search(r"Polis · yaklaşık \d+0 m", first)  # kind label, distance to 10 m
        assert axe_serious(page, "flow-5-done") == []
        phone.screenshot("flow-tap-5-done")
        page.get_by_role("button", name="Kodu kopyala").click()
        page.get_by_text("Kopyalandı.").or_(page.get_by_text("Kopyalanamadı")).wait_for()
        # Nothing about the report is left on the device, and the form is empty again.
        assert storage_left(page) == NOTHING_LEFT
        assert page.locator("#report-text").input_value() == ""
        assert page.locator("#photo-list li").count() == 0

    report = stored_report(db, server, code)
    assert report.status is ReportStatus.pending
    assert report.text == "Sokak lambası aylardır yanmıyor."
    assert report.perceived_safety == 2
    assert report.time_band.value == "night"
    assert distance_m(db, server, report, lon, lat) < 5
    with server.lock:
        [stored] = db.scalars(select(ReportPhoto).where(ReportPhoto.report_id == report.id)).all()
    image = Image.open(io.BytesIO(stored.content))
    assert image.format == "JPEG"
    assert max(image.size) <= 1600  # downscaled in the browser (2400 px taken)
    assert not image.getexif()  # no EXIF, so no GPS either
