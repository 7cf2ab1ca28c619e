"""Report tiles, tried as an attacker would: counts protected, no exact point, nothing
sensitive, each municipality's tiles only its own, filters applied on the server."""

from __future__ import annotations

import random
import subprocess
from collections import Counter

from sqlalchemy import text

from app.models import ReportStatus
from app.services.standards.tile_matrix import HALF_WORLD_M
from tests.standards.conftest import AREA, SENSITIVE, public_points
from tests.support.cell_key_support import SHIPPED, perturbing_client, perturbing_live_server
from tests.support.factories import make_report
from tests.support.tile_support import (
    decode_strict,
    distance_m,
    insert_random_reports,
    tile_lonlat,
    tile_of,
)

__all__ = ["perturbing_client", "perturbing_live_server"]  # fixtures

K = 5
MVT = "application/vnd.mapbox-vector-tile"
URL = "/ogc/collections/{c}/tiles/WebMercatorQuad/{z}/{y}/{x}"


def get_tile(client, z, x, y, collection="reports", **params):
    response = client.get(URL.format(c=collection, z=z, x=x, y=y), params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MVT
    return response


def tiles_over(bbox, z):
    x0, y0 = tile_of(bbox[0], bbox[3], z)
    x1, y1 = tile_of(bbox[2], bbox[1], z)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def expected_cells(points, z):
    """{(x, y, i, j): count} of the public points in 8 × 8 cells of each tile at zoom z."""
    size = 2 * HALF_WORLD_M / (1 << z)
    cells: Counter = Counter()
    for p in points:
        tx, ty = (p.x + HALF_WORLD_M) / size, (HALF_WORLD_M - p.y) / size
        cells[(int(tx), int(ty), int((tx % 1) * 8), int((ty % 1) * 8))] += 1
    return cells


def test_clusters_count_every_public_report_and_withhold_small_ones(client, db, populated):
    points = public_points(db)
    z = 12
    expected = expected_cells(points, z)
    shown = hidden = 0
    for x, y in tiles_over(AREA, z):
        layers = decode_strict(get_tile(client, z, x, y).content)
        assert set(layers) <= {"clusters"}  # no point below zoom 15
        for feature in layers.get("clusters", {}).get("features", []):
            px, py = feature["geometry"]["coordinates"]
            cell = (x, y, int(px // 512), int((4096 - py) // 512))
            props = feature["properties"]
            assert (px % 512, py % 512) == (256, 256)  # drawn at the cell's centre
            n = expected.pop(cell)
            if n < K:
                assert props["suppressed"] is True and "count" not in props
                hidden += 1
            else:
                assert props["suppressed"] is False and props["count"] == n  # zero-noise table
                shown += n
    assert not expected, "cells with reports missing from the tiles"
    # The map's total: every report is in a cluster; only small clusters lack their count.
    assert shown > 0.9 * len(points)
    assert shown + hidden * (K - 1) >= len(points) >= shown


def test_cluster_counts_are_perturbed_with_the_records_keys(perturbing_client, db, populated):
    points = public_points(db)
    z = 13
    x, y = tile_of(32.8541, 39.9208, z)  # Kızılay
    keys: Counter = Counter()
    counts: Counter = Counter()
    size = 2 * HALF_WORLD_M / (1 << z)
    for p in points:
        tx, ty = (p.x + HALF_WORLD_M) / size, (HALF_WORLD_M - p.y) / size
        if (int(tx), int(ty)) == (x, y):
            cell = (int((tx % 1) * 8), int((ty % 1) * 8))
            counts[cell] += 1
            keys[cell] += p.rk
    layers = decode_strict(get_tile(perturbing_client, z, x, y).content)
    features = layers["clusters"]["features"]
    assert len(features) == len(counts)
    differs = 0
    for feature in features:
        px, py = feature["geometry"]["coordinates"]
        cell = (int(px // 512), int((4096 - py) // 512))
        published = SHIPPED.protect(counts[cell], keys[cell] % 256, K)
        if published < K:
            assert "count" not in feature["properties"]
        else:
            assert feature["properties"]["count"] == published
            differs += published != counts[cell]
    assert differs > 0, "no cluster count was perturbed"


def test_no_tile_holds_an_exact_point_or_a_sensitive_report(client, db, settings, populated):
    points = public_points(db)
    exact = {p.public_id: (p.lon, p.lat) for p in points}
    public = {p.public_id: (p.plon, p.plat) for p in points}
    sensitive_ids = set(
        db.scalars(
            text(
                "SELECT r.public_id FROM report r JOIN category c ON c.id = r.category_id "
                "WHERE c.sensitive"
            )
        )
    )
    assert len(sensitive_ids) >= 200
    z = 16
    sample = random.Random(7).sample(points, 25)
    seen = 0
    for p in sample:
        x, y = tile_of(p.plon, p.plat, z)
        layers = decode_strict(get_tile(client, z, x, y).content, tile_lonlat(z, x, y))
        assert set(layers) == {"reports"}
        for feature in layers["reports"]["features"]:
            props = feature["properties"]
            assert props["category"] not in SENSITIVE
            assert props["public_id"] not in sensitive_ids
            lonlat = tuple(feature["geometry"]["coordinates"])
            assert distance_m(lonlat, public[props["public_id"]]) < 1.0  # the displaced one
            assert distance_m(lonlat, exact[props["public_id"]]) >= 45.0  # never the exact
            assert set(props) == {
                "public_id",
                "category",
                "category_group",
                "occurred_month",
                "time_band",
                "perceived_safety",
            }
            seen += 1
    assert seen >= 25


def test_sensitive_reports_change_no_cluster(client, db, settings, populated):
    z = 13
    x, y = tile_of(32.8541, 39.9208, z)
    before = get_tile(client, z, x, y)
    template, _ = make_report(db, settings, category="verbal_harassment")
    template.status = ReportStatus.published
    added = insert_random_reports(db, template, 300, AREA, SENSITIVE, seed=0.1)
    db.flush()
    assert added > 100
    after = get_tile(client, z, x, y)
    assert after.content == before.content
    assert after.headers["etag"] == before.headers["etag"]


def test_a_municipality_s_tiles_carry_only_its_own(client, db, populated):
    points = public_points(db)
    owner = {p.public_id: p.municipality for p in points}
    z = 15
    found = Counter()
    for code in ("cankaya", "yenimahalle"):
        for p in random.Random(3).sample(points, 12):
            x, y = tile_of(p.plon, p.plat, z)
            layers = decode_strict(get_tile(client, z, x, y, f"reports.{code}").content)
            for feature in layers.get("reports", {}).get("features", []):
                assert owner[feature["properties"]["public_id"]] == code
                found[code] += 1
    assert found["cankaya"] > 0 and found["yenimahalle"] > 0
    # Clusters too: Yenimahalle's z12 tiles count no Çankaya report.
    z = 12
    yenimahalle = [p for p in points if p.municipality == "yenimahalle"]
    total = 0
    for x, y in tiles_over(AREA, z):
        layers = decode_strict(get_tile(client, z, x, y, "reports.yenimahalle").content)
        for f in layers.get("clusters", {}).get("features", []):
            total += f["properties"].get("count", 0)
    assert 0.9 * len(yenimahalle) <= total <= len(yenimahalle)


def test_filters_are_applied_on_the_server(client, db, populated):
    z = 15
    points = public_points(db)
    (x, y), _ = Counter(tile_of(p.plon, p.plat, z) for p in points).most_common(1)[0]
    p = points[0]
    everything = decode_strict(get_tile(client, z, x, y).content)["reports"]["features"]
    lighting = decode_strict(get_tile(client, z, x, y, group="lighting").content)
    groups = {
        f["properties"]["category_group"] for f in lighting.get("reports", {}).get("features", [])
    }
    assert groups <= {"lighting"}
    kinds = Counter(f["properties"]["category_group"] for f in everything)
    assert len(kinds) > 1 and 0 < kinds["lighting"] < len(everything)
    assert len(lighting.get("reports", {}).get("features", [])) == kinds["lighting"]
    # Every test report happened at night: the day's tile is empty, the night's is all.
    assert get_tile(client, z, x, y, time_band="day").content == b""
    night = get_tile(client, z, x, y, time_band="night").content
    assert len(decode_strict(night)["reports"]["features"]) == len(everything)
    # A period before the reports: nothing.
    assert (
        get_tile(
            client, 12, *tile_of(p.plon, p.plat, 12), since="2001-01-01", until="2001-12-31"
        ).content
        == b""
    )


def test_etag_and_cache_headers(client, populated):
    x, y = tile_of(32.8541, 39.9208, 12)
    first = get_tile(client, 12, x, y)
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.headers["cache-control"].startswith("public")
    again = client.get(URL.format(c="reports", z=12, x=x, y=y), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = client.get(
        URL.format(c="reports", z=12, x=x, y=y), headers={"If-None-Match": '"something-else"'}
    )
    assert other.status_code == 200 and other.content == first.content


def test_gdal_reads_a_tile(client, populated, tmp_path):
    z = 12
    x, y = tile_of(32.8541, 39.9208, z)
    content = get_tile(client, z, x, y).content
    features = decode_strict(content)["clusters"]["features"]
    path = tmp_path / str(z) / str(x) / f"{y}.mvt"  # GDAL georeferences by z/x/y in the path
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    out = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", f"MVT:{path}"], capture_output=True, text=True, check=True
    ).stdout
    assert "Layer name: clusters" in out
    assert f"Feature Count: {len(features)}" in out
    assert "Pseudo-Mercator" in out or "3857" in out
    listed = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", f"MVT:{path}"], capture_output=True, text=True, check=True
    ).stdout
    # Every cluster's centre falls in the tile as GDAL places it (EPSG:3857 metres).
    size = 2 * HALF_WORLD_M / (1 << z)
    xmin = -HALF_WORLD_M + x * size
    xs = [float(line.split("(")[1].split()[0]) for line in listed.splitlines() if "POINT (" in line]
    assert len(xs) == len(features) and all(xmin <= v <= xmin + size for v in xs)


def test_the_geojson_encoding_carries_the_same_tile(client, db, populated):
    x, y = tile_of(32.8541, 39.9208, 12)
    mvt = decode_strict(get_tile(client, 12, x, y).content)["clusters"]["features"]
    response = client.get(URL.format(c="reports", z=12, x=x, y=y), params={"f": "geojson"})
    assert response.headers["content-type"] == "application/geo+json"
    geojson = response.json()
    assert geojson["layer"] == "clusters"
    counts = sorted(f["properties"].get("count", 0) for f in geojson["features"])
    assert counts == sorted(f["properties"].get("count", 0) for f in mvt)
    points = public_points(db)
    (x, y), _ = Counter(tile_of(p.plon, p.plat, 16) for p in points).most_common(1)[0]
    public = {p.public_id: (p.plon, p.plat) for p in points}
    exact = {p.public_id: (p.lon, p.lat) for p in points}
    features = client.get(URL.format(c="reports", z=16, x=x, y=y), params={"f": "geojson"}).json()[
        "features"
    ]
    mvt = decode_strict(get_tile(client, 16, x, y).content)["reports"]["features"]
    assert {f["properties"]["public_id"] for f in features} == {
        f["properties"]["public_id"] for f in mvt
    }
    for f in features:
        lonlat = tuple(f["geometry"]["coordinates"])
        assert distance_m(lonlat, public[f["properties"]["public_id"]]) < 0.5
        assert distance_m(lonlat, exact[f["properties"]["public_id"]]) >= 45
    bad = client.get(
        URL.format(c="indicators", z=12, x=x // 16, y=y // 16), params={"f": "geojson"}
    )
    assert bad.status_code == 400 and "f=geojson" in bad.json()["description"]
