"""The public map draws its reports from the tiles: all of them at any zoom, filtered by the
server through the tile URL, with clusters' protected counts and the points' popups."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from app.models import ReportStatus
from tests.standards.conftest import AREA, PUBLIC, SENSITIVE
from tests.support.citizen_browser_support import wait_for_map
from tests.support.factories import make_report
from tests.support.tile_support import insert_random_reports

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser
K = 5
TILES = "/ogc/collections/reports/tiles/WebMercatorQuad/"


def public_count(db, group: str | None = None) -> int:
    return db.scalar(
        text(
            "SELECT count(*) FROM report r JOIN category c ON c.id = r.category_id "
            "WHERE r.status = 'published' AND NOT c.sensitive AND r.location_precision = 'point'"
            ' AND (CAST(:group AS text) IS NULL OR c."group"::text = :group)'
        ),
        {"group": group},
    )


def drawn(page) -> dict:
    return page.evaluate(
        "() => { const d = document.getElementById('map').dataset;"
        " return {reports: Number(d.reports), few: Number(d.fewClusters),"
        " clusters: Number(d.clusters), zoom: window.__mh.map.getZoom()}; }"
    )


def wait_for_all(page, total: int, zoom: int) -> dict:
    """Until the clusters drawn at `zoom` account for `total` reports (small ones: < k)."""
    page.wait_for_function(
        """([total, zoom, k]) => {
            const d = document.getElementById('map').dataset;
            const shown = Number(d.reports), few = Number(d.fewClusters);
            return window.__mh.map.getZoom() === zoom && shown <= total
                && shown + few * (k - 1) >= total;
        }""",
        arg=[total, zoom, K],
        timeout=30_000,
    )
    return drawn(page)


def test_the_map_draws_every_report_from_tiles_and_filters_on_the_server(
    server, db, settings, laptop
):
    template, _ = make_report(db, settings, status=ReportStatus.published)
    insert_random_reports(db, template, 4000, AREA, PUBLIC, seed=0.3)
    insert_random_reports(db, template, 300, AREA, SENSITIVE, seed=0.6)
    db.commit()
    total = public_count(db)
    assert total > 2500
    page = laptop.page
    page.goto("/")
    wait_for_map(page)
    page.evaluate(
        "([w, s, e, n]) => window.__mh.map.setView([(s + n) / 2, (w + e) / 2], 12,"
        " {animate: false})",
        list(AREA),
    )
    seen = wait_for_all(page, total, 12)
    assert seen["reports"] >= 0.9 * total  # the sum of the clusters' counts
    assert 0 < seen["clusters"] <= 64 * 20
    # The page asked the tiles for the reports, never for a page of points.
    paths = [urlsplit(url).path for url in laptop.traffic.requests]
    assert any(p.startswith(TILES + "12/") for p in paths)
    assert "/api/v1/reports" not in paths
    # A cluster shows its count; small ones "<5", never their count.
    labels = page.locator(".mh-cluster").all_inner_texts()
    assert labels and all((t.isdigit() and int(t) >= K) or t == f"<{K}" for t in labels)

    # A filter goes into the tile URL and changes what is drawn.
    page.select_option("#filter-group", "lighting")
    lighting = public_count(db, "lighting")
    assert 0 < lighting < total
    seen = wait_for_all(page, lighting, 12)
    assert seen["reports"] >= 0.8 * lighting
    queries = [
        parse_qs(urlsplit(url).query)
        for url in laptop.traffic.requests
        if urlsplit(url).path.startswith(TILES)
    ]
    assert any(q.get("group") == ["lighting"] for q in queries)
    page.select_option("#filter-time-band", "day")  # every test report happened at night
    page.wait_for_function(
        "() => document.getElementById('map').dataset.reports === '0'", timeout=30_000
    )
    assert page.locator(".mh-cluster").count() == 0
    page.select_option("#filter-time-band", "")
    page.select_option("#filter-group", "")
    wait_for_all(page, total, 12)

    # From zoom 15 each report is a point with its popup (category and month).
    lon, lat = db.execute(
        text(
            "SELECT ST_X(r.public_location), ST_Y(r.public_location) FROM report r"
            " JOIN category c ON c.id = r.category_id WHERE c.code = 'dark_street'"
            " AND r.status = 'published' ORDER BY r.public_id LIMIT 1"
        )
    ).one()
    page.evaluate(
        "([lat, lon]) => window.__mh.map.setView([lat, lon], 17, {animate: false})", [lat, lon]
    )
    page.wait_for_function(
        "() => window.__mh.map.getZoom() === 17 && Number(document.getElementById('map')"
        ".dataset.reports) > 0 && document.querySelector('.mh-report')",
        timeout=30_000,
    )
    assert page.locator(".mh-cluster").count() == 0
    page.locator(".mh-report").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("h3").inner_text() != ""
    assert "·" in popup.inner_text()  # "YYYY-MM · band"
