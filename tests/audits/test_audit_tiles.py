"""The public audit layer by tile (GET /api/v1/audits/tiles/{z}/{y}/{x}): the same points as
the whole layer, approved and in mahalle that pass k only, displaced; counts per cell below
zoom 15, withheld below k; bad addresses refused with a message."""

from __future__ import annotations

import math
from collections import Counter

from geoalchemy2.shape import to_shape
from sqlalchemy import select

from app.models import AuditPoint
from tests.audits.audit_support import mahalle_code, published_walk
from tests.support.factories import KIZILAY
from tests.support.tile_support import tile_of

# Another Çankaya mahalle, away from Kızılay's.
AYRANCI = (32.8600, 39.9040)


def _tile(client, z: int, lon: float, lat: float, **params) -> dict:
    x, y = tile_of(lon, lat, z)
    response = client.get(f"/api/v1/audits/tiles/{z}/{y}/{x}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_tiles_carry_the_public_layer_and_nothing_else(client, db, settings):
    assert settings.k_threshold == 5
    dense = published_walk(db, settings, *KIZILAY, 6, lighting=0, note="Ayşe 0532 123 45 67")
    published_walk(db, settings, *AYRANCI, 3)  # below k in its mahalle: never shown
    published_walk(db, settings, KIZILAY[0], KIZILAY[1] + 0.0004, 4, approve=False)  # pending
    assert mahalle_code(db, *KIZILAY) != mahalle_code(db, *AYRANCI)

    # From zoom 15: each point of the approved walk, at its displaced point, scores only.
    rows = db.scalars(select(AuditPoint).where(AuditPoint.walk_id == dense)).all()
    public = {(round(p.x, 6), round(p.y, 6)) for p in (to_shape(r.public_location) for r in rows)}
    exact = {(round(p.x, 6), round(p.y, 6)) for p in (to_shape(r.location) for r in rows)}
    first = sorted(public)[0]
    tile = _tile(client, 16, *first)
    assert tile["layer"] == "audit_points"
    found = {tuple(f["geometry"]["coordinates"]) for f in tile["features"]}
    in_tile = {c for c in public if tile_of(*c, 16) == tile_of(*first, 16)}
    assert found == in_tile and found and not found & exact
    props = tile["features"][0]["properties"]
    assert props["scores"]["lighting"] == 0 and props["mahalle"]
    assert props["walked_month"].count("-") == 1 and props["example"] is False
    assert "0532" not in str(tile) and "note" not in str(tile)

    # The tiles together hold exactly the whole layer's points.
    whole = client.get("/api/v1/audits/points").json()["features"]
    assert {tuple(f["geometry"]["coordinates"]) for f in whole} == public
    seen: set = set()
    for lon, lat in public:
        seen |= {
            tuple(f["geometry"]["coordinates"]) for f in _tile(client, 15, lon, lat)["features"]
        }
    assert seen == public

    # Below zoom 15: counts per cell (zero noise in tests), never the pending or small ones.
    low = _tile(client, 12, *first)
    assert low["layer"] == "audit_clusters"
    assert sum(f["properties"].get("count") or 0 for f in low["features"]) == 6
    (cluster,) = low["features"]
    assert cluster["properties"]["suppressed"] is False and cluster["properties"]["k"] == 5
    assert 0 <= cluster["properties"]["score"] <= 3
    # One municipality's tile, and another municipality's (nothing there).
    assert _tile(client, 12, *first, municipality="cankaya")["features"] == low["features"]
    assert _tile(client, 12, *first, municipality="yenimahalle")["features"] == []


def _cell(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The grid cell (8 × 8 per tile) of a point at zoom z, as the tiles count them."""
    n = (1 << z) * 8
    i = math.floor((lon + 180.0) / 360.0 * n)
    j = math.floor((1.0 - math.log(math.tan(math.radians(45.0 + lat / 2.0))) / math.pi) / 2.0 * n)
    return i, j


def test_each_cell_shows_its_count_or_fewer_than_k(client, db, settings):
    # Six points of one walk, displaced: the finer grids split them into cells of fewer
    # than k (every cell is checked against the points the whole layer shows).
    published_walk(db, settings, *KIZILAY, 6)
    layer = client.get("/api/v1/audits/points").json()["features"]
    public = [f["geometry"]["coordinates"] for f in layer]
    assert len(public) == 6
    for z in (10, 12, 13, 14):
        expected = Counter(_cell(lon, lat, z) for lon, lat in public)
        tiles = {tile_of(lon, lat, z) for lon, lat in public}
        got = {}
        for x, y in tiles:
            for f in client.get(f"/api/v1/audits/tiles/{z}/{y}/{x}").json()["features"]:
                lon, lat = f["geometry"]["coordinates"]
                got[_cell(lon, lat, z)] = f["properties"]
        assert got.keys() == expected.keys(), z
        for cell, n in expected.items():
            props = got[cell]
            if n >= 5:
                assert props["count"] == n and props["suppressed"] is False, (z, n)
            else:  # withheld: neither the count nor the mean score of so few points
                assert props["suppressed"] is True and props["count"] is None, (z, n)
                assert props["score"] is None


def test_bad_tile_addresses_are_refused_with_a_message(client):
    for path, field in (
        ("/api/v1/audits/tiles/23/0/0", "tileMatrix"),
        ("/api/v1/audits/tiles/2/0/9", "tileCol"),
        ("/api/v1/audits/tiles/2/9/0", "tileRow"),
    ):
        response = client.get(path)
        assert response.status_code == 422, response.text
        assert field in response.text and "outside" in response.json()["error"]["message"]
    assert client.get("/api/v1/audits/tiles/1/a/0").status_code == 422
    unknown = client.get("/api/v1/audits/tiles/1/0/0", params={"municipality": "nowhere"})
    assert unknown.status_code == 422 and "nowhere" in unknown.text


def test_tiles_carry_an_etag_and_answer_304_until_the_layer_changes(client, db, settings):
    published_walk(db, settings, *KIZILAY, 6)
    x, y = tile_of(*KIZILAY, 12)
    path = f"/api/v1/audits/tiles/12/{y}/{x}"
    first = client.get(path)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"') and len(etag) == 34
    assert first.headers["cache-control"] == "public, max-age=60"
    assert first.headers["content-type"].startswith("application/json")
    again = client.get(path, headers={"If-None-Match": f'W/{etag}, "other"'})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    # Another approved walk nearby: a new tile, a new ETag, a full answer to the old one.
    published_walk(db, settings, KIZILAY[0] + 0.001, KIZILAY[1], 6)
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    before = sum(f["properties"]["count"] or 0 for f in first.json()["features"])
    after = sum(f["properties"]["count"] or 0 for f in changed.json()["features"])
    assert before == 6 and after > before


def test_the_whole_layer_comes_a_page_at_a_time(client, db, settings):
    published_walk(db, settings, *KIZILAY, 6)
    whole = client.get("/api/v1/audits/points").json()
    assert len(whole["features"]) == 6 and whole["next"] is None
    seen, url, pages = [], "/api/v1/audits/points?limit=4", 0
    while url:
        page = client.get(url).json()
        seen += [tuple(f["geometry"]["coordinates"]) for f in page["features"]]
        url, pages = page["next"], pages + 1
    assert pages == 2 and seen == [tuple(f["geometry"]["coordinates"]) for f in whole["features"]]
    refused = client.get("/api/v1/audits/points", params={"limit": 0})
    assert refused.status_code == 422 and "limit" in refused.text
    assert client.get("/api/v1/audits/points", params={"limit": 10_001}).status_code == 422
