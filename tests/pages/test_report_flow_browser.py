"""The citizen report flow in a real Chromium on a 360×740 phone, against the live app.

Each location path (tap, geolocation, no map), validation on the page, photos, "me too",
and what is left on the device afterwards (the offline outbox: test_report_outbox_browser).
Screenshots of every step go to test-artifacts/screenshots/, axe-core results to
test-artifacts/axe/.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.models import (
    Category,
    Confirmation,
    Mahalle,
    Report,
    ReportPhoto,
    ReportStatus,
)
from tests.support.browser import axe_serious, phone_context
from tests.support.citizen_browser_support import (
    KIZILAY,
    NOTHING_LEFT,
    OUTSIDE,
    centre_map,
    jpeg_with_gps,
    load_sample_services,
    open_flow,
    small_targets,
    step_consent,
    step_what,
    step_when,
    storage_left,
    stored_report,
    tab_to,
    tracking_code,
)
from tests.support.factories import make_report

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser


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


def test_report_by_tapping_the_map_with_a_photo(server, db, settings, chromium, tmp_path):
    assert load_sample_services(db, settings) >= 3
    photo = jpeg_with_gps(tmp_path / "camera.jpg")
    with phone_context(chromium, server.url) as (_, phone):
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
        assert small_targets(page) == []
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
        assert small_targets(page) == []
        phone.screenshot("flow-tap-3-what")

        step_consent(page)
        terms = page.locator("#consent-terms").inner_text()
        assert "en fazla 5 yıl" in terms
        assert "takip kodu" in terms and "tek yoludur" in terms
        assert axe_serious(page, "flow-4-consent") == []
        assert small_targets(page) == []
        phone.screenshot("flow-tap-4-consent")
        with page.expect_request("**/api/v1/reports") as sent:
            page.get_by_role("button", name="Bildirimi gönder").click()
        assert "multipart/form-data" in sent.value.headers["content-type"]
        # What left the phone: a JPEG drawn on a canvas, 1600 px at most, without EXIF.
        body = sent.value.post_data_buffer
        uploaded = Image.open(io.BytesIO(body[body.index(b"\xff\xd8\xff") :]))
        assert uploaded.format == "JPEG"
        assert uploaded.size == (1600, 1200)  # from 2400 × 1800
        assert not uploaded.getexif() and b"TestCam" not in body
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


def test_report_by_geolocation_when_it_is_happening_now(server, db, chromium):
    lon, lat = 32.859900, 39.917800  # Kocatepe, Çankaya
    options = {"geolocation": {"latitude": lat, "longitude": lon}, "permissions": ["geolocation"]}
    with phone_context(chromium, server.url, **options) as (_, phone):
        page = phone.page
        open_flow(page)
        step_when(page, now=True)
        box = page.locator("#geolocation-box")
        assert box.is_visible()
        assert "Tam yeri yalnızca gönüllü moderatörler görür" in box.inner_text()
        page.get_by_role("button", name="Konumumu kullan").click()
        page.get_by_text("Yer seçildi ✓").wait_for()
        phone.screenshot("flow-geo-1-located")
        step_what(page, category="unsafe_stop", safety=1)
        step_consent(page, gender=None, age=None)
        page.get_by_role("button", name="Bildirimi gönder").click()
        code = tracking_code(page)
        phone.screenshot("flow-geo-2-done")
        assert storage_left(page) == NOTHING_LEFT
    report = stored_report(db, server, code)
    assert distance_m(db, server, report, lon, lat) < 1
    assert report.reporter_gender is None and report.reporter_age_band is None
    assert report.time_band is not None  # set by the server from "happening now"


def test_report_without_the_map_by_keyboard_only(server, db, phone):
    """The no-map path (screen readers, no GPS), operated with the keyboard alone."""
    page = phone.page
    page.goto("/")
    page.wait_for_function("() => document.getElementById('map').dataset.mahalle > 0")
    keys = page.keyboard
    tab_to(page, "#open-report")
    keys.press("Enter")
    tab_to(page, "#when-now")
    keys.press("Space")
    assert page.locator("#when-now").is_checked()
    tab_to(page, "#step-next")
    keys.press("Enter")
    tab_to(page, "#no-map-toggle")
    keys.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'mahalle-search'")
    keys.type("cumhuriyet çankaya")
    page.wait_for_function("() => document.querySelectorAll('#mahalle-select option').length === 1")
    assert page.locator("#mahalle-count").inner_text() == "1 mahalle bulundu"
    keys.press("Tab")
    keys.press("ArrowDown")
    assert page.locator("#mahalle-select").input_value() != ""
    tab_to(page, "#place-description")
    keys.type("Metro çıkışının yanındaki alt geçit")
    phone.screenshot("flow-nomap-1-place")
    tab_to(page, "#step-next")
    keys.press("Enter")
    page.locator("#category-dark_street").wait_for(state="attached")
    tab_to(page, "input[name=category]")
    keys.press("Space")
    tab_to(page, "#safety-1")
    keys.press("Space")
    tab_to(page, "#step-next")
    keys.press("Enter")
    tab_to(page, "#consent")
    keys.press("Space")
    phone.screenshot("flow-nomap-2-consent")
    tab_to(page, "#submit-report")
    keys.press("Enter")
    code = tracking_code(page)
    assert page.evaluate("document.activeElement.id") == "report-done"
    phone.screenshot("flow-nomap-3-done")

    report = stored_report(db, server, code)
    assert report.location_precision.value == "mahalle"
    assert report.place_description == "Metro çıkışının yanındaki alt geçit"
    assert report.perceived_safety == 1
    with server.lock:
        assert db.get(Category, report.category_id).code == "dark_street"
        mahalle = db.get(Mahalle, report.mahalle_id)
    assert (mahalle.name, mahalle.district) == ("Cumhuriyet Mahallesi", "Çankaya")


def test_validation_messages_on_the_page(server, db, phone):
    page = phone.page
    open_flow(page)
    errors = page.locator("#form-errors")
    assert errors.get_attribute("role") == "alert"
    page.get_by_role("button", name="İleri").click()
    assert "Ne zaman: şu an mı oluyor" in errors.inner_text()
    assert page.locator("#when-now").get_attribute("aria-invalid") == "true"
    page.get_by_label("Daha önce ya da başka bir yerde oldu").check()
    page.get_by_role("button", name="İleri").click()
    assert "Tarih: olduğu günü girin." in errors.inner_text()
    assert "Günün saati: gündüz, akşam veya gece seçin." in errors.inner_text()
    phone.screenshot("flow-errors-1-when")
    step_when(page, now=False)

    page.get_by_role("button", name="İleri").click()
    assert "Yer: haritaya dokunun" in errors.inner_text()
    # A place outside the area is refused before anything is sent.
    centre_map(page, *OUTSIDE, zoom=14)
    phone.tap_map_at(*OUTSIDE)
    status = page.locator("#location-status")
    assert "haritanın kapsadığı alanın dışında" in status.inner_text()
    assert "haritanın kapsadığı alanın dışında" in errors.inner_text()
    assert page.locator(".leaflet-marker-icon").count() == 0
    phone.screenshot("flow-errors-2-outside")
    page.get_by_role("button", name="Harita yerine listeden mahalle seçin").click()
    page.get_by_role("button", name="İleri").click()
    assert "Mahalle: listeden mahalleyi seçin." in errors.inner_text()
    assert "Yer: yeri kelimelerle tarif edin." in errors.inner_text()
    page.get_by_role("button", name="Bunun yerine haritayı kullan").click()
    centre_map(page, *KIZILAY)
    phone.tap_map_at(*KIZILAY)
    assert errors.inner_text() == ""

    step_what(page)
    # The server's own refusal is shown too, at the step it concerns: the category is
    # withdrawn after the page loaded it.
    with server.lock:
        db.scalar(select(Category).where(Category.code == "dark_street")).active = False
        db.commit()
    step_consent(page)
    before = db.scalar(select(func.count(Report.id)))
    page.get_by_role("button", name="Bildirimi gönder").click()
    errors.locator("li").first.wait_for()
    page.locator("#step-what").wait_for()
    errors.locator("li").first.wait_for()
    assert errors.inner_text().count("Kategori:") == 1
    # The API explains in English; the Turkish page says it in Turkish, naming the field.
    assert "Kategori: Bu kabul edilmedi; lütfen kontrol edin." in errors.inner_text()
    assert "inactive category" not in errors.inner_text()
    phone.screenshot("flow-errors-3-server")
    with server.lock:
        assert db.scalar(select(func.count(Report.id))) == before


def test_me_too_confirms_a_published_report_instead_of_a_duplicate(server, db, settings, phone):
    original, _ = make_report(db, settings, status=ReportStatus.published, text="Lamba yok.")
    db.commit()
    with server.lock:
        shown = db.scalar(
            select(func.ST_AsText(Report.public_location)).where(Report.id == original.id)
        )
        reports_before = db.scalar(select(func.count(Report.id)))
    lon, lat = (float(v) for v in shown.removeprefix("POINT(").removesuffix(")").split())
    page = phone.page
    open_flow(page)
    step_when(page, now=False)
    centre_map(page, lon, lat, zoom=17)
    phone.tap_map_at(lon, lat)
    step_what(page, category="dark_street")
    offer = page.locator(f'#metoo-list li[data-public-id="{original.public_id}"]')
    offer.wait_for()
    assert "Lamba yok." in offer.inner_text()
    assert "0 kişi" in offer.inner_text()
    live = page.locator("#metoo-live")
    assert live.get_attribute("role") == "status"
    assert (
        live.inner_text() == 'Yakında bunun gibi 1 bildirim var: aşağıda "ben de" diyebilirsiniz.'
    )

    phone.screenshot("flow-metoo-1-offer")
    offer.get_by_role("button", name="Ben de: burası aynı yer").click()
    page.locator("#metoo-chosen").wait_for()
    page.select_option("#reporter-age-band", "18_24")
    page.get_by_label("kabul ediyorum").check()
    page.get_by_role("button", name='"Ben de" gönder').click()
    page.locator("#done-metoo").wait_for()
    assert page.locator("#done-sent").is_hidden()  # no tracking code for a confirmation
    phone.screenshot("flow-metoo-2-done")
    with server.lock:
        db.expire_all()
        confirmations = db.scalars(
            select(Confirmation).where(Confirmation.report_id == original.id)
        ).all()
        assert db.scalar(select(func.count(Report.id))) == reports_before
    assert [c.reporter_age_band.value for c in confirmations] == ["18_24"]
