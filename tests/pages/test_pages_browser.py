"""The map and moderation pages in a real Chromium on a 360×740 phone, against the live app."""

from __future__ import annotations

import pytest
from geoalchemy2.shape import to_shape
from sqlalchemy import func, select

from app.models import Confirmation, Mahalle, Report, ReportSource, ReportStatus, Role
from app.services.reference.areas import mahalle_at
from tests.support.citizen_browser_support import (
    centre_map,
    open_flow,
    step_consent,
    step_what,
    step_when,
    wait_for_map,
)
from tests.support.factories import make_report, make_user

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

MAHALLE_IN_BASE_DATA = 184
DARKEST = "#54278f"  # top class of the purple scale in map.js
SUPPRESSED_GREY = "#bdbdbd"
# Exact points whose 6-decimal spellings occur nowhere in the boundary data, so finding one in
# a response can only mean a leak.
PUBLISHED_AT = (32.854163, 39.920857)  # by Kızılay, Çankaya
PENDING_AT = (32.836271, 39.908436)  # Çankaya
PASSWORD = "moderator-password-123"
PUBLISHED = ReportStatus.published


def report_at(db, settings, point: tuple[float, float], **overrides) -> Report:
    """A report made by the real service at `point` (lon, lat)."""
    return make_report(db, settings, lon=point[0], lat=point[1], **overrides)[0]


def spellings(lon: float, lat: float) -> list[str]:
    return [f"{lon:.6f}", f"{lat:.6f}"]


def test_map_page_on_a_phone_shows_published_reports_and_never_exact_points(
    server, db, settings, phone
):
    page, traffic = phone.page, phone.traffic
    published = report_at(
        db, settings, PUBLISHED_AT, status=PUBLISHED, text="Bu sokakta hiç lamba yok."
    )
    pending = report_at(
        db, settings, PENDING_AT, category="unsafe_park", text="Bekleyen bildirim: park karanlık."
    )
    # Sensitive reports are counted per mahalle but never drawn: k of them beside the
    # published point (so that mahalle shows k+1; with k-1 it would be withheld, or the total
    # minus the one point would give the sensitive count away), and one in the pending
    # report's mahalle (suppressed).
    k = settings.k_threshold
    sensitive = [
        report_at(db, settings, PUBLISHED_AT, category="verbal_harassment", status=PUBLISHED)
        for _ in range(k)
    ]
    sensitive.append(report_at(db, settings, PENDING_AT, category="following", status=PUBLISHED))
    # Two "me too": fewer than k, so the popup says only "a few people" (docs/privacy.md).
    for _ in range(2):
        db.add(Confirmation(report_id=published.id, municipality_id=published.municipality_id))
    db.commit()
    counted = mahalle_at(db, *PUBLISHED_AT)  # k+1 reports: the published one and k sensitive
    suppressed = mahalle_at(db, *PENDING_AT)  # one published report: fewer than k
    assert counted.id != suppressed.id
    inside_counted = to_shape(
        db.scalar(select(func.ST_PointOnSurface(Mahalle.geom)).where(Mahalle.id == counted.id))
    )

    page.goto("/")
    wait_for_map(page)
    phone.screenshot("map-1-loaded")

    assert page.title() == "Harita"
    assert page.get_by_role("heading", level=1).inner_text() == "Güvensiz yerler haritası"
    quick_exit = page.locator("#quick-exit")
    assert quick_exit.is_visible()
    assert "Hızlı çıkış" in quick_exit.inner_text()
    exit_box = quick_exit.bounding_box()
    for link in page.locator(".language a, .language [aria-current]").all():
        box = link.bounding_box()  # no language hides under the fixed quick exit
        assert (
            box["y"] >= exit_box["y"] + exit_box["height"]
            or box["x"] + box["width"] <= exit_box["x"]
        ), link.inner_text()
    emergency = page.locator(".emergency")
    assert emergency.is_visible()
    numbers = [a.get_attribute("href") for a in emergency.locator("a").all()]
    assert numbers == ["tel:112", "tel:155", "tel:183"]
    assert page.locator(".demo-banner").count() == 0  # no demo data in this test

    # Leaflet from npm, served by the app; nothing was fetched from anywhere else.
    paths = phone.requested_paths()
    assert "/vendor/leaflet/leaflet.js" in paths
    assert "/vendor/leaflet/leaflet.css" in paths
    assert page.evaluate("L.version") == "1.9.4"
    assert traffic.hosts() == {"127.0.0.1"}
    assert traffic.blocked == []

    # One drawn path per mahalle, and the attributions for OSM boundaries and TÜİK population.
    assert page.locator("path.mh-mahalle").count() == MAHALLE_IN_BASE_DATA
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "© OpenStreetMap contributors" in attribution
    assert "Kaynak: TÜİK" in attribution

    # The published report is a marker (from zoom 15, where reports are points); the pending
    # one is not.
    centre_map(page, *PUBLISHED_AT)
    wait_for_map(page, reports=1)
    assert page.locator(".mh-report").count() == 1
    collection = {
        "features": [
            f
            for r in traffic.responses
            if "/ogc/collections/reports/tiles/" in r.url
            and "geo+json" in r.headers.get("content-type", "")
            and r.json().get("layer") == "reports"
            for f in r.json()["features"]
        ]
    }
    assert {f["properties"]["public_id"] for f in collection["features"]} == {published.public_id}
    page.locator(".mh-report").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    page.wait_for_function(  # the fade-in has finished
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    assert "Karanlık sokak" in popup.inner_text()
    assert "Bu sokakta hiç lamba yok." in popup.inner_text()
    assert "2 — Güvensiz" in popup.inner_text()
    assert "Ben de\nBirkaç kişi" in popup.inner_text()
    phone.screenshot("map-2-report-popup")

    # The choropleth: five quantile classes collapse to two here (zeros, and the one rate);
    # the mahalle with fewer than k reports is grey and says "< k".
    assert page.locator(f'path.mh-mahalle[fill="{DARKEST}"]').count() == 1
    assert page.locator(f'path.mh-mahalle[fill="{SUPPRESSED_GREY}"]').count() == 1
    page.locator(".leaflet-popup-close-button").click()
    page.locator("#legend summary").click()
    legend = page.locator("#legend")
    assert "1.000 kadın başına bildirim" in legend.inner_text()
    rate = (k + 1) * 1000 / counted.women_residents
    assert [li.inner_text() for li in legend.locator("#legend-classes li").all()] == [
        "0",
        f"> 0 – {rate:.2f}".replace(".", ","),
        f"{k} bildirimden az, gizlendi",
        "Veri yok",
    ]
    assert legend.locator("#legend-estimate").is_visible()  # Çankaya's women are estimated
    phone.screenshot("map-3-legend")
    page.locator("#legend summary").click()

    centre_map(page, inside_counted.x, inside_counted.y)
    phone.tap_map_at(inside_counted.x, inside_counted.y, on="path.mh-mahalle")
    page.get_by_role("heading", name=counted.name).wait_for()
    area = page.locator(".leaflet-popup-content").inner_text()
    assert f"Bildirimler\n{k + 1}" in area
    assert "1.000 kadın başına\n" + f"{rate:.2f}".replace(".", ",") + " (tahmin)" in area
    phone.screenshot("map-4-mahalle-popup")

    # Neither exact point, nor anything unpublished or sensitive, reached the browser.
    texts = [page.content()] + [body for _, body in traffic.bodies()]
    everything = "\n".join(texts)
    assert published.public_id in everything  # the search does see what was sent
    hidden = [pending.public_id, "Bekleyen bildirim", *(r.public_id for r in sensitive)]
    for secret in [*spellings(*PUBLISHED_AT), *spellings(*PENDING_AT), *hidden]:
        assert secret not in everything, f"{secret!r} reached the browser"
    shown = collection["features"][0]["geometry"]["coordinates"]
    public = to_shape(published.public_location)
    assert shown == pytest.approx([public.x, public.y], abs=1e-5)  # tiles round to ~0.1 m


def test_report_without_consent_shows_the_error_and_sends_nothing(server, db, phone):
    page, traffic = phone.page, phone.traffic
    before = db.scalar(select(func.count(Report.id)))
    open_flow(page)
    step_when(page, now=False)
    centre_map(page, *PENDING_AT)
    phone.tap_map_at(*PENDING_AT)
    step_what(page)
    step_consent(page)
    page.get_by_label("kabul ediyorum").set_checked(False)
    page.get_by_role("button", name="Bildirimi gönder").click()

    errors = page.locator("#form-errors")
    errors.locator("li").first.wait_for()
    assert errors.get_attribute("role") == "alert"
    assert "Onay: kabul etmek için kutuyu işaretleyin" in errors.inner_text()
    assert page.locator("#consent").get_attribute("aria-invalid") == "true"
    assert page.locator("#tracking-code").inner_text() == ""
    assert [r for r in traffic.responses if r.url.endswith("/api/v1/reports")] == []
    phone.screenshot("form-3-consent-error")
    with server.lock:
        assert db.scalar(select(func.count(Report.id))) == before


def test_moderator_logs_in_approves_and_rejects(server, db, settings, phone):
    page = phone.page
    make_user(db, settings, Role.moderator, email="gonullu@example.org", password=PASSWORD)
    to_approve = report_at(db, settings, PUBLISHED_AT, text="Köşedeki lamba kırık.")
    to_reject = report_at(db, settings, PENDING_AT, text="Telefonum 0532 000 00 00")
    db.commit()

    page.goto("/moderation")  # staff pages send an anonymous visitor to the log-in page
    page.locator("#login-form").wait_for()
    assert page.url.endswith("/login?next=/moderation")
    assert "Köşedeki lamba" not in page.content()  # nothing before logging in
    phone.screenshot("moderation-1-login")

    page.get_by_label("E-posta").fill("gonullu@example.org")
    page.get_by_label("Parola").fill("wrong-password-000")
    page.get_by_role("button", name="Giriş yap").click()
    page.get_by_text("E-posta veya parola yanlış").wait_for()

    page.get_by_label("Parola").fill(PASSWORD)
    page.get_by_role("button", name="Giriş yap").click()
    first = page.locator(f'li[data-public-id="{to_approve.public_id}"]')
    second = page.locator(f'li[data-public-id="{to_reject.public_id}"]')
    first.wait_for()
    assert page.locator("#whoami").inner_text() == "gonullu@example.org (moderatör)"
    assert page.locator("#queue-total").inner_text() == "2"
    assert "Karanlık sokak" in first.inner_text()
    assert "Köşedeki lamba kırık." in first.inner_text()
    phone.screenshot("moderation-2-queue")

    first.get_by_role("button", name="Onayla", exact=True).click()
    first.wait_for(state="detached")
    assert page.locator("#page-status").inner_text() == f"Onaylandı: {to_approve.public_id}"

    second.get_by_label("Ret nedeni").select_option("personal_data")
    second.get_by_label("Not", exact=True).fill("Telefon numarası var.")
    second.get_by_role("button", name="Reddet", exact=True).click()
    second.wait_for(state="detached")
    assert page.locator("#queue-total").inner_text() == "0"
    phone.screenshot("moderation-3-decided")

    with server.lock:
        db.expire_all()
        approved = db.get(Report, to_approve.id)
        rejected = db.get(Report, to_reject.id)
    assert approved.status is ReportStatus.published
    assert approved.published_at is not None
    assert rejected.status is ReportStatus.rejected

    page.get_by_role("button", name="Çıkış yap").click()
    page.locator("#login-form").wait_for()
    assert page.evaluate("fetch('/api/v1/auth/me').then(r => r.status)") == 401


def test_quick_exit_replaces_the_page(server, phone):
    page = phone.page
    page.context.route(
        "https://www.google.com/**",
        lambda route: route.fulfill(content_type="text/html", body="<title>hava</title>"),
    )
    page.goto("about:blank")
    page.goto("/")
    wait_for_map(page)
    page.get_by_role("link", name="Hızlı çıkış").click()
    page.wait_for_url("https://www.google.com/search?q=hava+durumu")
    page.go_back()
    assert page.url == "about:blank"  # the map is no longer in the history


def test_demo_data_is_labelled(server, db, settings, phone):
    page = phone.page
    report = report_at(db, settings, PUBLISHED_AT, status=PUBLISHED, text="Örnek metin.")
    report.source = ReportSource.demo
    db.commit()
    page.goto("/")
    wait_for_map(page)
    centre_map(page, *PUBLISHED_AT)
    wait_for_map(page, reports=1)
    banner = page.locator(".demo-banner")
    assert banner.is_visible()
    assert banner.inner_text() == "Demo verisi — gerçek bildirimler değildir"
    page.locator(".mh-report").click()
    assert "Demo verisi" in page.locator(".leaflet-popup-content").inner_text()
    phone.screenshot("map-5-demo")
