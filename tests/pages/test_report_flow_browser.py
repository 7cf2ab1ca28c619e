"""The citizen report flow in a real Chromium on a 360×740 phone, against the live app.

Each location path (tap, geolocation, no map), validation on the page, photos, "me too",
the offline outbox, and what is left on the device afterwards. Screenshots of every step go
to test-artifacts/screenshots/, axe-core results to test-artifacts/axe/.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

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
    TimeBand,
)
from app.services.reporting.codes import hash_tracking_code
from tests.support.browser import axe_serious, phone_context
from tests.support.citizen_browser_support import (
    KIZILAY,
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
    tab_to,
)
from tests.support.factories import make_report

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

TRACKING_CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
ISTANBUL = ZoneInfo("Europe/Istanbul")  # the phone's time zone (phone_context)
NOTHING_LEFT = {"local": 0, "session": 0, "cookie": "", "idb": []}


def stored_report(db, server, code: str) -> Report:
    with server.lock:  # the server shares this connection; wait until it is idle
        db.expire_all()
        report = db.scalar(
            select(Report).where(Report.tracking_code_hash == hash_tracking_code(code))
        )
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


def kept_reports(page) -> list[dict]:
    """The report bodies waiting in the outbox (IndexedDB), as they will be sent."""
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open('mh-outbox');
            open.onsuccess = () => {
                const all = open.result.transaction('reports').objectStore('reports').getAll();
                all.onsuccess = () => { open.result.close(); resolve(all.result.map(r => JSON.parse(r.report))); };
            };
        })"""
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


def test_report_made_offline_is_kept_then_sent_when_the_connection_returns(server, db, chromium):
    with phone_context(chromium, server.url) as (context, phone):
        page = phone.page
        open_flow(page)
        step_when(page, now=False)
        centre_map(page, *KIZILAY)
        phone.tap_map_at(*KIZILAY)
        step_what(page, text="Çevrimdışı yazıldı.")
        step_consent(page)
        with server.lock:
            before = db.scalar(select(func.count(Report.id)))
        context.set_offline(True)
        page.get_by_role("button", name="Bildirimi gönder").click()
        page.locator("#done-queued").wait_for()
        assert "Henüz gönderilmedi" in page.locator("#done-queued").inner_text()
        queue = page.locator("#queue-status")
        assert queue.inner_text().startswith("1 bildirim bu telefonda saklanıyor")
        assert [r["text"] for r in kept_reports(page)] == ["Çevrimdışı yazıldı."]
        phone.screenshot("flow-offline-1-kept")
        with server.lock:
            assert db.scalar(select(func.count(Report.id))) == before

        context.set_offline(False)  # the `online` event sends it
        code = tracking_code(page)
        queue.wait_for(state="hidden")
        phone.screenshot("flow-offline-2-sent")
        assert storage_left(page) == NOTHING_LEFT  # the outbox is gone once it is sent
    report = stored_report(db, server, code)
    assert report.text == "Çevrimdışı yazıldı."


def test_report_kept_offline_is_sent_on_the_next_visit(server, db, chromium):
    """She closed the page while offline; the report goes out when she next opens the map.

    "Happening now" is kept as the date and time band of the moment she made it: sent the
    next morning, a report made last night stays a night-time report of last night.
    """
    yesterday = datetime.now(ISTANBUL).date() - timedelta(days=1)
    last_night = datetime.combine(yesterday, time(23, 30), ISTANBUL)
    with phone_context(chromium, server.url) as (context, phone):
        page = phone.page
        open_flow(page)
        step_when(page, now=True)
        centre_map(page, *KIZILAY)
        phone.tap_map_at(*KIZILAY)
        step_what(page, text="Sonraki ziyarette gönderildi.")
        step_consent(page)
        context.set_offline(True)
        page.clock.set_fixed_time(last_night)
        page.get_by_role("button", name="Bildirimi gönder").click()
        page.locator("#done-queued").wait_for()
        [kept] = kept_reports(page)
        assert kept["happening_now"] is False
        assert (kept["occurred_on"], kept["time_band"]) == (last_night.date().isoformat(), "night")
        page.close()

        context.set_offline(False)
        later = context.new_page()
        later.on("pageerror", lambda error: phone.traffic.errors.append(str(error)))
        later.goto("/")
        code = tracking_code(later)
        later.locator("#queue-status").wait_for(state="hidden")
        assert storage_left(later) == NOTHING_LEFT
    report = stored_report(db, server, code)
    assert report.text == "Sonraki ziyarette gönderildi."
    assert (report.occurred_on, report.time_band) == (last_night.date(), TimeBand.night)


def test_report_sent_from_the_outbox_does_not_replace_the_one_she_is_writing(server, db, chromium):
    with phone_context(chromium, server.url) as (context, phone):
        page = phone.page
        open_flow(page)
        step_when(page, now=True)
        centre_map(page, *KIZILAY)
        phone.tap_map_at(*KIZILAY)
        step_what(page, text="İlk bildirim.")
        step_consent(page)
        context.set_offline(True)
        page.get_by_role("button", name="Bildirimi gönder").click()
        page.locator("#done-queued").wait_for()
        page.get_by_role("button", name="Kapat").click()
        # A second report, half written, when the connection returns.
        page.get_by_role("button", name="Bir yer bildir").click()
        page.get_by_label("Şu an, burada oluyor").check()
        context.set_offline(False)
        notice = page.locator("#outbox-sent")
        notice.wait_for()
        code = page.locator("#outbox-codes").inner_text().strip()
        assert re.match(TRACKING_CODE, code)
        assert page.locator("#step-when").is_visible()  # her second report is still there
        assert page.locator("#when-now").is_checked()
        phone.screenshot("flow-offline-3-sent-while-writing")
        page.get_by_role("button", name="Not ettim").click()
        assert notice.is_hidden() and page.locator("#outbox-codes").inner_text() == ""
        assert storage_left(page) == NOTHING_LEFT
    assert stored_report(db, server, code).text == "İlk bildirim."
