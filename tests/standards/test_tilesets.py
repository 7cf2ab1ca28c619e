"""Tileset documents, the tile matrix set, area tiles (indicators, hotspots) and bad input."""

from __future__ import annotations

import pytest

from tests.support.tile_support import decode_strict, tile_of

URL = "/ogc/collections/{c}/tiles/WebMercatorQuad/{z}/{y}/{x}"


def test_tile_matrix_sets(client):
    listed = client.get("/ogc/tileMatrixSets").json()
    assert [t["id"] for t in listed["tileMatrixSets"]] == ["WebMercatorQuad"]
    tms = client.get("/ogc/tileMatrixSets/WebMercatorQuad").json()
    assert tms["crs"].endswith("/EPSG/0/3857")
    assert len(tms["tileMatrices"]) == 25
    assert tms["tileMatrices"][3]["matrixWidth"] == 8
    assert client.get("/ogc/tileMatrixSets/WorldCRS84Quad").status_code == 404


@pytest.mark.parametrize("collection", ["reports", "indicators", "hotspots", "reports.cankaya"])
def test_tileset_documents(client, collection):
    listed = client.get(f"/ogc/collections/{collection}/tiles").json()
    assert listed["tilesets"][0]["dataType"] == "vector"
    tileset = client.get(f"/ogc/collections/{collection}/tiles/WebMercatorQuad").json()
    item = next(link for link in tileset["links"] if link["rel"] == "item")
    assert item["templated"] and item["type"] == "application/vnd.mapbox-vector-tile"
    assert item["href"].endswith(
        f"/ogc/collections/{collection}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"
    )
    assert tileset["layers"] and tileset["vector_layers"]
    assert tileset["tiles"][0].endswith("/{z}/{y}/{x}")
    west, south, east, north = tileset["bounds"]
    assert 32 < west < east < 33.5 and 39.5 < south < north < 40.5  # the Ankara mahalle


def test_tileset_template_carries_the_filters(client):
    tileset = client.get(
        "/ogc/collections/reports/tiles/WebMercatorQuad",
        params={"group": "lighting", "time_band": "night"},
    ).json()
    assert tileset["tiles"][0].endswith("?group=lighting&time_band=night")


def test_indicator_tiles_carry_the_public_layer_s_protected_values(client, populated):
    x, y = tile_of(32.8541, 39.9208, 12)
    response = client.get(URL.format(c="indicators", z=12, x=x, y=y))
    assert response.status_code == 200
    features = decode_strict(response.content)["indicators"]["features"]
    public = {
        f["properties"]["code"]: f["properties"]
        for f in client.get("/api/v1/indicators").json()["features"]
    }
    assert len(features) > 10
    suppressed = 0
    for feature in features:
        props = feature["properties"]
        expected = public[props["code"]]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert props["reports_suppressed"] == expected["reports_suppressed"]
        if expected["reports_suppressed"]:
            assert "reports" not in props  # withheld, never 0
            suppressed += 1
        else:
            assert props["reports"] == expected["reports"]
        if expected["sensitive_reports_suppressed"]:
            assert "sensitive_reports" not in props
    assert suppressed < len(features)


def test_a_municipality_s_indicator_tiles_hold_only_its_mahalle(client, populated):
    x, y = tile_of(32.8541, 39.9208, 11)
    codes = {
        f["properties"]["code"]
        for f in client.get("/api/v1/indicators", params={"municipality": "yenimahalle"}).json()[
            "features"
        ]
    }
    response = client.get(URL.format(c="indicators.yenimahalle", z=11, x=x, y=y))
    features = decode_strict(response.content)["indicators"]["features"]
    assert features and {f["properties"]["code"] for f in features} <= codes


def test_hotspot_tiles(client, populated):
    x, y = tile_of(32.8541, 39.9208, 13)
    response = client.get(URL.format(c="hotspots", z=13, x=x, y=y))
    assert response.status_code == 200
    features = decode_strict(response.content)["hotspots"]["features"]
    assert len(features) > 20
    for feature in features:
        props = feature["properties"]
        assert "hotspot_class" in props
        if props["reports_suppressed"]:
            assert "reports" not in props and "hotspot_z" not in props
        else:
            assert props["reports"] == 0 or props["reports"] >= 5


BAD = [
    (URL.format(c="reports", z=25, x=0, y=0), 400, "range"),
    (URL.format(c="reports", z=3, x=8, y=0), 400, "column"),
    (URL.format(c="reports", z=3, x=0, y=-1), 400, "y: "),
    (URL.format(c="reports", z="a", x=0, y=0), 400, "z"),
    (URL.format(c="reports", z=3, x=0, y=0) + "?group=nope", 400, "group"),
    (URL.format(c="reports", z=3, x=0, y=0) + "?time_band=dusk", 400, "time_band"),
    (URL.format(c="reports", z=3, x=0, y=0) + "?since=2026-01-15", 400, "first day"),
    (URL.format(c="reports", z=3, x=0, y=0) + "?since=2026-13-01", 400, "date"),
    (URL.format(c="reports", z=3, x=0, y=0) + "?bbox=1,2,3,4", 400, "bbox"),
    (URL.format(c="streets", z=3, x=0, y=0), 404, "streets"),
    (URL.format(c="reports.atlantis", z=3, x=0, y=0), 404, "atlantis"),
    ("/ogc/collections/reports/tiles/OtherQuad/3/0/0", 404, "OtherQuad"),
    ("/ogc/collections/nothing/tiles", 404, "nothing"),
]


@pytest.mark.parametrize(("path", "status", "says"), BAD)
def test_bad_input_is_answered_in_ogc_exception_json(client, path, status, says):
    response = client.get(path)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "description"}
    assert says in body["description"]
