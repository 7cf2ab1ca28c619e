"""The planners' dashboard draws its reports from the planners' tiles, in a real Chromium:
the clusters' counts sum to the protected total of the reports in view for the filters, and a
filter changes the tile requests' query string (applied on the server)."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from app.models import Role
from app.services.standards.tile_matrix import HALF_WORLD_M
from tests.standards.conftest import public_points
from tests.support.browser import browser_page
from tests.support.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser
pytest_plugins = ("tests.support.browser",)
K = 5
TILES = "/ogc/collections/planner-reports/tiles/WebMercatorQuad/"


def tile_requests(traffic) -> list[tuple[int, int, int, dict]]:
    """(z, y, x, query) of every planners' tile the page asked for."""
    found = []
    for url in traffic.requests:
        parts = urlsplit(url)
        if parts.path.startswith(TILES):
            z, y, x = (int(v) for v in parts.path.removeprefix(TILES).split("/"))
            found.append((z, y, x, parse_qs(parts.query)))
    return found


def protected_total(points, z: int, tiles: set[tuple[int, int]]) -> int:
    """The sum of the published counts (the tests' zero-noise table: n, or withheld below k)
    of the 8 × 8 cells of `tiles` at zoom z."""
    size = 2 * HALF_WORLD_M / (1 << z)
    cells: Counter = Counter()
    for p in points:
        tx, ty = (p.x + HALF_WORLD_M) / size, (HALF_WORLD_M - p.y) / size
        if (int(tx), int(ty)) in tiles:
            cells[(int(tx), int(ty), int((tx % 1) * 8), int((ty % 1) * 8))] += 1
    return sum(n for n in cells.values() if n >= K)


def drawn(page, traffic, query_has: dict) -> tuple[int, int, set, list[str]]:
    """Once the tiles of the current filters are drawn: (zoom, the count the map shows,
    the tiles asked for at that zoom, the clusters' labels)."""
    page.wait_for_function(
        "() => document.getElementById('dashboard-map').dataset.reports !== undefined",
        timeout=30_000,
    )
    page.wait_for_load_state("networkidle")
    wanted = [
        r for r in tile_requests(traffic) if all(r[3].get(k) == v for k, v in query_has.items())
    ]
    assert wanted, "no planners' tile was asked for with these filters"
    zoom = max(r[0] for r in wanted)
    tiles = {(x, y) for z, y, x, _ in wanted if z == zoom}
    shown = int(page.locator("#dashboard-map").get_attribute("data-reports") or "0")
    labels = page.locator("#dashboard-map .mh-cluster").all_inner_texts()
    return zoom, shown, tiles, labels


def test_the_dashboard_draws_reports_from_the_planner_tiles(
    chromium, server, db, settings, populated
):
    planner = make_user(db, settings, Role.planner, ["cankaya"])
    db.commit()
    mine = [p for p in public_points(db) if p.municipality == "cankaya"]
    with browser_page(
        chromium,
        server.url,
        timeout_ms=30_000,
        viewport={"width": 1366, "height": 900},
        locale="tr-TR",
    ) as (context, page, traffic):
        assert context.request.post(
            "/api/v1/auth/login", data={"email": planner.email, "password": PASSWORD}
        ).ok
        page.goto("/dashboard")
        page.locator("#table tbody tr").first.wait_for()
        since = page.locator("#f-since").input_value() + "-01"
        zoom, shown, tiles, labels = drawn(page, traffic, {"since": [since], "f": ["geojson"]})
        assert zoom < 15  # the dashboard opens on the whole area: clusters
        total = protected_total(mine, zoom, tiles)
        assert total > 0.8 * len(mine)
        assert shown == total  # the clusters' counts sum to the protected total
        assert labels and all((t.isdigit() and int(t) >= K) or t == f"<{K}" for t in labels)
        assert sum(int(t) for t in labels if t.isdigit()) == total
        # Never the public collection, never a page of points; nothing outside her scope.
        paths = [urlsplit(url).path for url in traffic.requests]
        assert not any(p.startswith("/ogc/collections/reports/") for p in paths)
        assert "/api/v1/reports" not in paths

        # A filter changes the tile requests' query string and what is drawn.
        page.select_option("#f-group", "lighting")
        page.get_by_role("button", name="Uygula").click()
        lighting = set(
            db.scalars(
                text(
                    "SELECT r.public_id FROM report r JOIN category c ON c.id = r.category_id"
                    " WHERE c.\"group\" = 'lighting'"
                )
            )
        )
        chosen = [p for p in mine if p.public_id in lighting]
        page.wait_for_function(
            f"() => document.getElementById('dashboard-map').dataset.reports !== '{shown}'",
            timeout=30_000,
        )
        zoom2, shown2, tiles2, _ = drawn(page, traffic, {"group": ["lighting"]})
        assert zoom2 == zoom
        expected = protected_total(chosen, zoom2, tiles2)
        assert 0 < expected < total
        assert shown2 == expected
        assert traffic.errors == []
