"""The public map page beyond the report flow: the offline shell, quick exit, language,
filters, the services layer and an accessibility scan, in Chromium on a phone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import Report, ReportStatus
from tests.support.browser import axe_serious, phone_context
from tests.support.citizen_browser_support import (
    KIZILAY,
    centre_map,
    load_sample_services,
    open_flow,
    step_consent,
    step_what,
    step_when,
    tab_to,
    tracking_code,
    wait_for_map,
)
from tests.support.factories import make_report

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

NEUTRAL = "https://www.google.com/search?q=hava+durumu"


def neutral_site(page) -> None:
    page.context.route(
        "https://www.google.com/**",
        lambda route: route.fulfill(content_type="text/html", body="<title>hava</title>"),
    )


def test_quick_exit_with_escape_pressed_twice(server, phone):
    page = phone.page
    neutral_site(page)
    page.goto("about:blank")
    open_flow(page)  # in the middle of a report
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)
    assert page.url.startswith(phone.base_url)  # one Esc is not enough (dialogs use it)
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)
    page.go_back()
    assert page.url == "about:blank"  # the map is no longer in the history


def test_quick_exit_link_describes_the_escape_key(server, phone):
    page = phone.page
    page.goto("/")
    link = page.get_by_role("link", name="Hızlı çıkış")
    assert link.get_attribute("aria-describedby") == "quick-exit-hint"
    assert "Esc" in page.locator("#quick-exit-hint").inner_text()
    box = link.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44


def test_language_switch_to_english_and_back(server, phone):
    page = phone.page
    page.goto("/")
    wait_for_map(page)
    page.get_by_role("link", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    wait_for_map(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Map of unsafe places"
    page.get_by_role("button", name="Report a place").click()
    assert page.locator("#step-counter").inner_text() == "Step 1 of 4: When?"
    page.get_by_role("button", name="Next").click()
    assert "When: choose whether" in page.locator("#form-errors").inner_text()
    assert page.get_by_role("link", name="Quick exit").is_visible()
    phone.screenshot("lang-1-english")
    page.get_by_role("link", name="Türkçe").click()
    page.wait_for_function("document.documentElement.lang === 'tr'")
    assert page.get_by_role("button", name="Bir yer bildir").is_visible()


def test_map_filters_services_layer_and_accessibility(server, db, settings, chromium):
    services = load_sample_services(db, settings)
    make_report(db, settings, status=ReportStatus.published, time_band="night")
    make_report(db, settings, status=ReportStatus.published, time_band="day")
    make_report(db, settings, status=ReportStatus.published, category="unsafe_stop")
    make_report(db, settings, status=ReportStatus.published, category="verbal_harassment")
    db.commit()
    with phone_context(chromium, server.url) as (_, phone):
        page = phone.page
        page.goto("/")
        wait_for_map(page)
        # Points from zoom 15 (below it, clusters of fewer than k show no count).
        centre_map(page, *KIZILAY, zoom=15)
        page.wait_for_function("() => document.getElementById('map').dataset.reports === '3'")
        page.locator("#legend summary").click()
        assert axe_serious(page, "map-legend-open") == []
        phone.screenshot("map-filters-1-legend")

        page.select_option("#filter-group", "transport")
        page.wait_for_function("() => document.getElementById('map').dataset.reports === '1'")
        page.select_option("#filter-group", "harassment")  # never points: none drawn
        page.wait_for_function("() => document.getElementById('map').dataset.reports === '0'")
        page.select_option("#filter-group", "")
        page.wait_for_function("() => document.getElementById('map').dataset.reports === '3'")
        page.select_option("#filter-time-band", "day")
        page.wait_for_function("() => document.getElementById('map').dataset.reports === '1'")
        page.select_option("#filter-time-band", "")
        page.wait_for_function("() => document.getElementById('map').dataset.reports === '3'")

        page.get_by_label("Destek hizmetlerini göster").check()
        page.wait_for_function(
            "n => document.getElementById('map').dataset.services === String(n)", arg=services
        )
        assert page.locator(".mh-service").count() == services
        page.get_by_label("Destek hizmetlerini göster").uncheck()
        assert page.locator(".mh-service").count() == 0
        phone.screenshot("map-filters-2-services")

        # Clustering: three points at Kızılay, far out, are one cluster of fewer than k,
        # which never shows its count.
        page.evaluate(
            "([lat, lon]) => window.__mh.map.setView([lat, lon], 11, {animate: false})",
            [KIZILAY[1], KIZILAY[0]],
        )
        page.locator(".mh-cluster").first.wait_for()
        assert page.locator(".mh-cluster").first.inner_text() == "<5"
        assert page.locator(".mh-cluster").first.get_attribute("title") == "5 bildirimden az"
        assert axe_serious(page, "map-clustered") == []
        paths = phone.requested_paths()
        assert "/vendor/leaflet.markercluster/leaflet.markercluster.js" in paths


def test_service_worker_opens_the_shell_offline_without_report_data(server, db, settings, chromium):
    published, _ = make_report(db, settings, status=ReportStatus.published, text="Işık yok.")
    db.commit()
    options = {"service_workers": "allow"}
    with phone_context(chromium, server.url, route=False, **options) as (context, phone):
        page = phone.page
        page.goto("/")
        wait_for_map(page)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.wait_for_function(
            """async () => (await (await caches.open('static-v3')).keys()).length >= 10"""
        )
        cached = page.evaluate(
            """async () => {
                const cache = await caches.open('static-v3');
                const keys = (await cache.keys()).map(r => new URL(r.url).pathname);
                const shell = await (await cache.match('/')).text();
                return {keys, shell};
            }"""
        )
        assert "/" in cached["keys"] and "/static/js/report-form.js" in cached["keys"]
        # Of the API, only the public reference lists the form needs offline.
        api = sorted(k for k in cached["keys"] if k.startswith("/api/"))
        assert api == [
            "/api/v1/area",
            "/api/v1/categories",
            "/api/v1/mahalle",
            "/api/v1/municipalities",
        ]
        assert published.public_id not in cached["shell"]
        assert "Işık yok." not in cached["shell"]

        context.set_offline(True)
        page.reload()
        page.locator("#open-report").wait_for()
        assert page.title() == "Harita"
        assert page.evaluate("typeof window.__mh.map") == "object"  # the scripts ran
        # A whole report written offline, categories included, kept until the connection is back.
        page.get_by_role("button", name="Bir yer bildir").click()
        assert page.locator("#step-counter").inner_text() == "Adım 1 / 4: Ne zaman?"
        phone.screenshot("offline-shell")
        step_when(page, now=True)
        centre_map(page, *KIZILAY)
        page.get_by_role("button", name="İşareti haritanın ortasına koy").click()
        step_what(page, text="Çevrimdışı açıldı, çevrimdışı yazıldı.")
        step_consent(page)
        page.get_by_role("button", name="Bildirimi gönder").click()
        page.locator("#done-queued").wait_for()
        context.set_offline(False)
        tracking_code(page)  # shown once the outbox has sent it
    with server.lock:
        texts = db.scalars(select(Report.text)).all()
    assert "Çevrimdışı açıldı, çevrimdışı yazıldı." in texts


def test_published_report_shows_its_photo_in_the_popup_pending_one_nothing(
    server, db, client, phone
):
    import io
    import json

    from PIL import Image
    from sqlalchemy import update

    from tests.support.factories import report_payload

    def post(lon: float, text: str) -> str:
        out = io.BytesIO()
        Image.new("RGB", (80, 60), (30, 90, 160)).save(out, "JPEG")
        body = report_payload(lon=lon, text=text)
        response = client.post(
            "/api/v1/reports",
            data={"report": json.dumps(body)},
            files=[("photos", ("a.jpg", out.getvalue(), "image/jpeg"))],
        )
        assert response.status_code == 201, response.text
        return response.json()["public_id"]

    shown = post(KIZILAY[0], "Fotoğraflı ve onaylı.")
    pending = post(KIZILAY[0] + 0.01, "Fotoğraflı, onay sırasında.")
    with server.lock:
        db.execute(
            update(Report)
            .where(Report.public_id == shown)
            .values(status=ReportStatus.published, published_at=func.now())
        )
        db.commit()
        # Centred on where the map draws it: displaced up to 200 m, it could fall outside a
        # phone's view at zoom 17 if centred on the exact point.
        lon, lat = db.execute(
            select(func.ST_X(Report.public_location), func.ST_Y(Report.public_location)).where(
                Report.public_id == shown
            )
        ).one()
    page = phone.page
    page.goto("/")
    wait_for_map(page)
    page.evaluate(
        "([lat, lon]) => window.__mh.map.setView([lat, lon], 17, {animate: false})",
        [lat, lon],
    )
    page.wait_for_function("() => document.getElementById('map').dataset.reports === '1'")
    page.locator(".mh-report").first.click()
    photo = page.locator(".leaflet-popup-content img.popup__photo")
    photo.wait_for()
    page.wait_for_function(
        "() => document.querySelector('img.popup__photo').complete"
        " && document.querySelector('img.popup__photo').naturalWidth === 80"
    )
    assert photo.get_attribute("alt") == "Bildirimle gönderilen fotoğraf"
    phone.screenshot("map-6-photo-popup")
    for url, body in [("page", page.content()), *phone.traffic.bodies()]:
        assert pending not in body and "onay sırasında" not in body, url


def test_report_points_open_by_keyboard(server, db, settings, phone):
    make_report(db, settings, status=ReportStatus.published, text="Klavyeyle açıldı.")
    db.commit()
    page = phone.page
    page.goto("/")
    wait_for_map(page)
    centre_map(page, *KIZILAY)
    page.wait_for_function("() => document.getElementById('map').dataset.reports === '1'")
    point = page.locator(".mh-report")
    assert point.get_attribute("title") == "Karanlık sokak"
    # Markers are no Tab stops (issue 13.3): the keyboard reads the points as one list.
    assert point.get_attribute("tabindex") in (None, "-1")
    tab_to(page, "#report-list summary")
    page.keyboard.press("Enter")
    page.locator("#report-list-items").get_by_text("Klavyeyle açıldı.").wait_for()
