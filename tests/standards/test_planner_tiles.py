"""The planners' report tiles (`planner-reports`): the dashboard's report layer from tiles,
through the one visibility rule, only for planners and only within their municipalities."""

from __future__ import annotations

from collections import Counter
from datetime import date
from math import log, pi, radians, tan

import pytest
from sqlalchemy import text

from app.models import ReportStatus, Role
from app.services.scope import default_period
from app.services.standards.tile_matrix import HALF_WORLD_M
from tests.standards.conftest import AREA, public_points
from tests.support.cell_key_support import SHIPPED, perturbing_client, perturbing_live_server
from tests.support.factories import login, make_report, make_user
from tests.support.tile_support import decode_strict, tile_of

__all__ = ["perturbing_client", "perturbing_live_server"]  # fixtures

K = 5
PUBLISHED = ReportStatus.published
URL = "/ogc/collections/{c}/tiles/WebMercatorQuad/{z}/{y}/{x}"


def tiles_over(bbox, z):
    x0, y0 = tile_of(bbox[0], bbox[3], z)
    x1, y1 = tile_of(bbox[2], bbox[1], z)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def cells_of(points, z):
    """{(x, y, i, j): (count, key sum)} of points in the 8 × 8 cells of each tile at zoom z."""
    size = 2 * HALF_WORLD_M / (1 << z)
    counts: Counter = Counter()
    keys: Counter = Counter()
    for p in points:
        tx, ty = (p.x + HALF_WORLD_M) / size, (HALF_WORLD_M - p.y) / size
        cell = (int(tx), int(ty), int((tx % 1) * 8), int((ty % 1) * 8))
        counts[cell] += 1
        keys[cell] += p.rk
    return {cell: (n, keys[cell]) for cell, n in counts.items()}


def clusters(client, collection, z, **params) -> dict:
    """{(x, y, i, j): properties} of the GeoJSON clusters over AREA at zoom z."""
    size = 2 * HALF_WORLD_M / (1 << z)
    found = {}
    for x, y in tiles_over(AREA, z):
        response = client.get(
            URL.format(c=collection, z=z, x=x, y=y), params={"f": "geojson", **params}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["layer"] == "clusters"
        for feature in body["features"]:
            lon, lat = feature["geometry"]["coordinates"]
            mx = lon / 180 * HALF_WORLD_M
            my = log(tan(pi / 4 + radians(lat) / 2)) / pi * HALF_WORLD_M
            tx, ty = (mx + HALF_WORLD_M) / size, (HALF_WORLD_M - my) / size
            found[(x, y, int((tx % 1) * 8), int((ty % 1) * 8))] = feature["properties"]
    return found


def planner_client(client, db, settings, municipalities=None, role=Role.planner):
    user = make_user(db, settings, role, municipalities)
    db.commit()
    login(client, user)
    return user


def test_a_planner_sees_every_report_of_her_filter_as_protected_clusters(
    perturbing_client, db, settings, populated
):
    planner_client(perturbing_client, db, settings)  # Ankara BB: both districts
    since, until = default_period()
    points = public_points(db)
    z = 12
    expected = cells_of(points, z)
    found = clusters(
        perturbing_client, "planner-reports", z, since=since.isoformat(), until=until.isoformat()
    )
    assert set(found) == {c for c, (n, rk) in expected.items() if SHIPPED.protect(n, rk % 256, K)}
    perturbed = 0
    for cell, props in found.items():
        n, rk = expected[cell]
        published = SHIPPED.protect(n, rk % 256, K)
        if published < K:
            assert props == {"suppressed": True, "k": K}  # never a small count
        else:
            assert props == {"suppressed": False, "k": K, "count": published}
            perturbed += published != n
    assert perturbed > 0  # the shipped table moves some counts
    # The same cells and counts as the public tiles: the planner's points are the public ones.
    assert found == clusters(perturbing_client, "reports", z)


def test_filters_and_scope_are_applied_on_the_server(client, db, settings, populated):
    planner_client(client, db, settings, ["cankaya"])
    points = [p for p in public_points(db) if p.municipality == "cankaya"]
    assert 0 < len(points) < len(public_points(db))
    z = 12
    mine = clusters(client, "planner-reports", z)  # her scope: Çankaya only
    assert sum(p.get("count", 0) for p in mine.values()) == sum(
        n for n, _ in cells_of(points, z).values() if n >= K
    )
    assert mine == clusters(client, "planner-reports.cankaya", z)
    # A category group.
    lighting = set(
        db.scalars(
            text(
                "SELECT r.public_id FROM report r JOIN category c ON c.id = r.category_id"
                " WHERE c.\"group\" = 'lighting'"
            )
        )
    )
    chosen = [p for p in points if p.public_id in lighting]
    assert 0 < len(chosen) < len(points)
    found = clusters(client, "planner-reports", z, group="lighting")
    assert sum(p.get("count", 0) for p in found.values()) == sum(
        n for n, _ in cells_of(chosen, z).values() if n >= K
    )
    # A district (ilçe) of her municipality's mahalle.
    district = db.scalar(
        text(
            "SELECT min(district) FROM mahalle m JOIN municipality u ON u.id = m.municipality_id WHERE u.code = 'cankaya'"
        )
    )
    in_district = set(
        db.scalars(
            text(
                "SELECT r.public_id FROM report r JOIN mahalle m ON m.id = r.mahalle_id"
                " WHERE m.district = :d"
            ),
            {"d": district},
        )
    )
    chosen = [p for p in points if p.public_id in in_district]
    found = clusters(client, "planner-reports", z, district=district)
    assert sum(p.get("count", 0) for p in found.values()) == sum(
        n for n, _ in cells_of(chosen, z).values() if n >= K
    )
    # A period without reports: nothing; the default period is the last twelve months.
    assert clusters(client, "planner-reports", z, since="2020-01-01", until="2020-12-31") == {}
    db.execute(text("UPDATE report SET occurred_on = :d"), {"d": date(2021, 3, 1)})
    db.commit()
    assert clusters(client, "planner-reports", z) == {}


def test_points_from_zoom_15_with_popups_in_geojson_and_mvt(client, db, settings, populated):
    planner_client(client, db, settings)
    points = public_points(db)
    target = points[0]
    z = 16
    x, y = tile_of(target.plon, target.plat, z)
    url = URL.format(c="planner-reports", z=z, x=x, y=y)
    body = client.get(url, params={"f": "geojson"}).json()
    assert body["layer"] == "reports"
    ids = {f["properties"]["public_id"] for f in body["features"]}
    assert target.public_id in ids
    props = next(
        f["properties"]
        for f in body["features"]
        if f["properties"]["public_id"] == target.public_id
    )
    assert props["category"] and props["occurred_month"] and "confirmations" in props
    lon, lat = next(
        f["geometry"]["coordinates"]
        for f in body["features"]
        if f["properties"]["public_id"] == target.public_id
    )
    assert abs(lon - target.plon) < 1e-5 and abs(lat - target.plat) < 1e-5  # displaced
    response = client.get(url)
    assert response.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert response.headers["cache-control"] == "private, max-age=60"
    assert "Cookie" in response.headers["vary"]
    layers = decode_strict(response.content)
    assert {f["properties"]["public_id"] for f in layers["reports"]["features"]} == ids
    again = client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("role", [Role.planner, Role.admin])
def test_unpublished_reports_never_reach_the_planner_tiles(client, db, settings, populated, role):
    # An administrator sees pending reports in moderation; never on a planning layer.
    pending, _code = make_report(db, settings, category="dark_street")
    published, _code = make_report(db, settings, category="dark_street", status=PUBLISHED)
    db.commit()
    planner_client(client, db, settings, role=role)
    for report in (pending, published):
        lon, lat = db.execute(
            text("SELECT ST_X(public_location), ST_Y(public_location) FROM report WHERE id = :i"),
            {"i": report.id},
        ).one()
        x, y = tile_of(lon, lat, 16)
        body = client.get(
            URL.format(c="planner-reports", z=16, x=x, y=y), params={"f": "geojson"}
        ).json()
        ids = {f["properties"]["public_id"] for f in body["features"]}
        assert (report.public_id in ids) is (report is published), role


def test_sensitive_reports_never_reach_the_planner_tiles(client, db, settings, populated):
    planner_client(client, db, settings)
    sensitive = set(
        db.scalars(
            text(
                "SELECT r.public_id FROM report r JOIN category c ON c.id = r.category_id"
                " WHERE c.sensitive"
            )
        )
    )
    assert sensitive
    lon, lat = db.execute(
        text(
            "SELECT ST_X(public_location), ST_Y(public_location) FROM report r"
            " JOIN category c ON c.id = r.category_id WHERE c.sensitive LIMIT 1"
        )
    ).one()
    z = 15
    x, y = tile_of(lon, lat, z)
    body = client.get(
        URL.format(c="planner-reports", z=z, x=x, y=y), params={"f": "geojson"}
    ).json()
    assert not {f["properties"]["public_id"] for f in body["features"]} & sensitive


@pytest.mark.parametrize(
    ("who", "collection", "status"),
    [
        (None, "planner-reports", 401),
        (None, "planner-reports.cankaya", 401),
        ((Role.planner, ["cankaya"]), "planner-reports.yenimahalle", 403),
        ((Role.planner, ["cankaya"]), "planner-reports.ankara", 403),
        ((Role.moderator, ["cankaya"]), "planner-reports.cankaya", 403),
        ((Role.moderator, None), "planner-reports", 403),
        ((Role.planner, ["cankaya"]), "planner-reports.nowhere", 404),
        ((Role.planner, ["cankaya"]), "planner-reports.cankaya", 200),
        ((Role.admin, None), "planner-reports.yenimahalle", 200),
    ],
)
def test_only_planners_of_the_municipality(
    client, db, settings, populated, who, collection, status
):
    if who is not None:
        planner_client(client, db, settings, who[1], who[0])
    x, y = tile_of(32.85, 39.92, 12)
    response = client.get(URL.format(c=collection, z=12, x=x, y=y), params={"f": "geojson"})
    assert response.status_code == status, response.text
    if status != 200:
        body = response.json()
        assert body["code"] == {401: "not_authenticated", 403: "not_permitted"}.get(
            status, "NotFound"
        )
        named = collection.partition(".")[2] or collection
        assert named in body["description"] or "planner" in body["description"]


def test_a_personal_api_token_reads_the_planner_tiles(client, db, settings, populated):
    planner_client(client, db, settings, ["cankaya"])
    token = client.post("/api/v1/tokens", json={"name": "QGIS"})
    assert token.status_code in (200, 201), token.text
    secret = token.json()["token"]
    client.cookies.clear()
    x, y = tile_of(32.85, 39.92, 12)
    url = URL.format(c="planner-reports.cankaya", z=12, x=x, y=y)
    assert client.get(url).status_code == 401
    response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    decode_strict(response.content)
    assert (
        client.get(
            URL.format(c="planner-reports.yenimahalle", z=12, x=x, y=y),
            headers={"Authorization": f"Bearer {secret}"},
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"district": "x" * 101}, "district"),
        ({"bbox": "1,2,3,4"}, "bbox"),
        ({"group": "nope"}, "group"),
        ({"since": "2026-01-15"}, "since"),
        ({"f": "png"}, "f"),
    ],
)
def test_bad_input_is_a_400_that_names_it(client, db, settings, params, field):
    planner_client(client, db, settings)
    response = client.get(URL.format(c="planner-reports", z=12, x=2421, y=1546), params=params)
    assert response.status_code == 400, response.text
    assert field in response.json()["description"]


def test_public_tiles_still_refuse_the_district_filter(client):
    response = client.get(
        URL.format(c="reports", z=12, x=2421, y=1546), params={"district": "Çankaya"}
    )
    assert response.status_code == 400
    assert "district" in response.json()["description"]


def test_an_out_of_range_tile_is_a_400(client, db, settings):
    planner_client(client, db, settings)
    response = client.get(URL.format(c="planner-reports", z=3, x=9, y=0))
    assert response.status_code == 400, response.text


def test_the_tileset_documents_need_a_planner_and_carry_her_filters(client, db, settings):
    base = "/ogc/collections/planner-reports.cankaya/tiles"
    assert client.get(base).status_code == 401
    assert client.get(base + "/WebMercatorQuad").status_code == 401
    planner_client(client, db, settings, ["cankaya"])
    listed = client.get(base)
    assert listed.status_code == 200
    assert listed.json()["tilesets"][0]["dataType"] == "vector"
    doc = client.get(base + "/WebMercatorQuad", params={"group": "lighting", "district": "Çankaya"})
    assert doc.status_code == 200, doc.text
    body = doc.json()
    assert {layer["id"] for layer in body["vector_layers"]} == {"clusters", "reports"}
    [template] = body["tiles"]
    assert "/collections/planner-reports.cankaya/tiles/WebMercatorQuad/{z}/{y}/{x}?" in template
    assert "group=lighting" in template and "district=%C3%87ankaya" in template
    assert 32.5 < body["center"][0] < 33.1  # Çankaya's box
    other = "/ogc/collections/planner-reports.yenimahalle/tiles/WebMercatorQuad"
    assert client.get(other).status_code == 403
    assert client.get(base + "/WebMercatorQuad", params={"group": "x"}).status_code == 400
