"""OGC API Features at /ogc: documents, items, parameters, bad input, privacy, scope, tokens."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import Role
from app.services.accounts import tokens
from tests.standards.ogc_support import add_reports, exact_points
from tests.support.factories import make_user


def _items(client, collection: str, **params):
    response = client.get(f"/ogc/collections/{collection}/items", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    return response.json()


def test_landing_conformance_and_api_document(client, db):
    landing = client.get("/ogc").json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    for name in ("core", "geojson", "html", "oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{name}" in classes
    for name in ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt"):
        assert f"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/{name}" in classes
    api = client.get("/ogc/api")
    assert api.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    document = api.json()
    assert document["openapi"].startswith("3.0")
    from openapi_spec_validator import validate

    validate(document)


def test_collections_list_kinds_per_municipality_with_tiles_links(client, db):
    found = {c["id"]: c for c in client.get("/ogc/collections").json()["collections"]}
    for kind in ("reports", "indicators", "hotspots", "services"):
        assert kind in found
        assert f"{kind}.cankaya" in found and f"{kind}.yenimahalle" in found
    assert not [c for c in found if c.startswith("planner-")]  # not for the public
    tiles = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
    links = {link["rel"]: link["href"] for link in found["reports.cankaya"]["links"]}
    assert links[tiles].endswith("/ogc/collections/reports.cankaya/tiles")
    assert tiles not in {link["rel"] for link in found["services"]["links"]}
    one = client.get("/ogc/collections/indicators.cankaya").json()
    assert one["id"] == "indicators.cankaya"
    west, south, east, north = one["extent"]["spatial"]["bbox"][0]
    assert west < 32.85 < east and south < 39.92 < north


def test_report_items_are_public_displaced_non_sensitive_points(client, db, settings):
    made = add_reports(db, settings)
    body = _items(client, "reports")
    ids = {f["id"] for f in body["features"]}
    public = {r.public_id for r in made.public_cankaya + made.public_yenimahalle}
    assert ids == public
    assert made.sensitive.public_id not in ids and made.pending.public_id not in ids
    exact = exact_points(db)
    for feature in body["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert (round(lon, 5), round(lat, 5)) not in exact
        assert feature["properties"]["category"] == "dark_street"
        assert len(feature["properties"]["occurred_month"]) == 7  # a month, never a day
    assert body["numberReturned"] == body["numberMatched"] == len(public)
    # The same feature as the JSON API's layer (one query behind both).
    api = client.get("/api/v1/reports").json()["features"]
    by_id = {f["id"]: f for f in api}
    for feature in body["features"]:
        assert feature["properties"] == by_id[feature["id"]]["properties"]
        assert feature["geometry"] == by_id[feature["id"]]["geometry"]
    one = client.get(f"/ogc/collections/reports/items/{made.public_cankaya[0].public_id}")
    assert one.status_code == 200 and one.json()["id"] == made.public_cankaya[0].public_id
    for hidden in (made.sensitive, made.pending):
        response = client.get(f"/ogc/collections/reports/items/{hidden.public_id}")
        assert response.status_code == 404
        assert response.json()["code"] == "NotFound"


def test_per_municipality_collections_hold_only_their_own(client, db, settings):
    made = add_reports(db, settings)
    cankaya = {f["id"] for f in _items(client, "reports.cankaya")["features"]}
    yenimahalle = {f["id"] for f in _items(client, "reports.yenimahalle")["features"]}
    assert cankaya == {r.public_id for r in made.public_cankaya}
    assert yenimahalle == {r.public_id for r in made.public_yenimahalle}
    ankara = {f["id"] for f in _items(client, "reports.ankara")["features"]}
    assert ankara == cankaya | yenimahalle
    other = made.public_yenimahalle[0].public_id
    assert client.get(f"/ogc/collections/reports.cankaya/items/{other}").status_code == 404
    districts = {
        f["properties"]["district"]
        for f in _items(client, "indicators.yenimahalle", limit=1000)["features"]
    }
    assert districts == {"Yenimahalle"}


def test_bbox_datetime_and_paging(client, db, settings):
    made = add_reports(db, settings, n_cankaya=7)
    everything = _items(client, "reports.cankaya")
    assert everything["numberReturned"] == 7
    near = _items(client, "reports", bbox="32.80,39.88,32.90,39.96")
    assert {f["id"] for f in near["features"]} >= {r.public_id for r in made.public_cankaya[:1]}
    assert made.public_yenimahalle[0].public_id not in {f["id"] for f in near["features"]}
    far = _items(client, "reports", bbox="30.0,38.0,30.1,38.1")
    assert far["features"] == [] and far["numberMatched"] == 0
    this_month = date.today().replace(day=1)
    assert (
        _items(client, "reports.cankaya", datetime=f"{this_month}T12:00:00Z")["numberReturned"] == 7
    )
    assert (
        _items(
            client, "reports.cankaya", datetime=f"../{this_month.replace(year=this_month.year - 2)}"
        )["numberReturned"]
        == 0
    )
    assert _items(client, "reports.cankaya", datetime=f"{this_month}/..")["numberReturned"] == 7
    # Paging: next links walk every feature once, prev links back.
    seen, url, pages = [], "/ogc/collections/reports.cankaya/items?limit=3", 0
    while url:
        page = client.get(url).json()
        seen += [f["id"] for f in page["features"]]
        nxt = [link["href"] for link in page["links"] if link["rel"] == "next"]
        url = nxt[0] if nxt else None
        pages += 1
        if pages > 1:
            assert any(link["rel"] == "prev" for link in page["links"])
    assert pages == 3 and len(seen) == 7 == len(set(seen))
    first = client.get("/ogc/collections/reports.cankaya/items?limit=3").json()
    assert "numberMatched" not in first  # not counted: more pages follow
    last = client.get("/ogc/collections/reports.cankaya/items?limit=3&offset=6").json()
    assert last["numberMatched"] == 7
    # Aggregates: a bbox selects mahalle, paging slices them, numberMatched is exact.
    indicators = _items(client, "indicators.cankaya", limit=5, offset=5)
    assert indicators["numberReturned"] == 5 and indicators["numberMatched"] > 100
    boxed = _items(client, "indicators", bbox="32.853,39.919,32.855,39.921")
    assert 1 <= boxed["numberMatched"] <= 4


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("bbox=32.9,39.8,32.8,39.9", "greater than maxx"),
        ("bbox=190,39.8,191,39.9", "between -180 and 180"),
        ("bbox=32.8,-95,32.9,39.9", "between -90 and 90"),
        ("bbox=32.8,39.8,32.9", "has 3 numbers"),
        ("bbox=a,b,c,d", "numbers"),
        ("datetime=2026-13-45", "RFC 3339"),
        ("datetime=2026-03-01T10:00:00", "RFC 3339"),  # no time zone
        ("datetime=2026-03-01/2026-02-01", "ends before it starts"),
        ("datetime=../..", "open at both ends"),
        ("limit=0", "at least 1"),
        ("limit=ten", "whole number"),
        ("offset=-1", "at least 0"),
        ("colour=purple", "Unknown query parameter"),
        ("f=xml", "json or html"),
    ],
)
def test_bad_input_is_400_with_a_message(client, db, query, words):
    response = client.get(f"/ogc/collections/reports/items?{query}")
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert words in body["description"]


def test_unknown_collection_or_municipality_is_404(client, db):
    for path, words in [
        ("/ogc/collections/crimes", "no collection"),
        ("/ogc/collections/reports.atlantis/items", "no municipality"),
        ("/ogc/collections/indicators.atlantis", "no municipality"),
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert words in response.json()["description"]
    assert client.get("/ogc/conformance?bbox=1,2,3,4").status_code == 400
    assert client.get("/ogc/collections/reports/items?limit=1000000").status_code == 200


def test_planner_collections_need_a_token_of_the_municipality(client, db, settings):
    add_reports(db, settings)
    url = "/ogc/collections/planner-indicators.cankaya/items"
    refused = client.get(url)
    assert refused.status_code == 401 and "token" in refused.json()["description"]
    assert client.get(url, headers={"Authorization": "Bearer mh_wrong"}).status_code == 401
    cankaya = make_user(db, settings, Role.planner, ["cankaya"])
    yenimahalle = make_user(db, settings, Role.planner, ["yenimahalle"])
    moderator = make_user(db, settings, Role.moderator, ["cankaya"])
    own = {"Authorization": f"Bearer {tokens.create_token(db, cankaya, 'qgis')[1]}"}
    other = {"Authorization": f"Bearer {tokens.create_token(db, yenimahalle, 'qgis')[1]}"}
    mod = {"Authorization": f"Bearer {tokens.create_token(db, moderator, 'x')[1]}"}
    db.flush()
    body = client.get(url, headers=own, params={"limit": 1000}).json()
    assert body["numberMatched"] > 100
    assert {f["properties"]["district"] for f in body["features"]} == {"Çankaya"}
    assert "reports_per_1000_women_eb" in body["features"][0]["properties"]
    assert client.get(url, headers=other).status_code == 403
    assert client.get(url, headers=mod).status_code == 403
    # Her whole scope: only her municipality's mahalle.
    scoped = client.get(
        "/ogc/collections/planner-indicators/items", headers=other, params={"limit": 1000}
    ).json()
    assert {f["properties"]["district"] for f in scoped["features"]} == {"Yenimahalle"}
    listed = {c["id"] for c in client.get("/ogc/collections", headers=other).json()["collections"]}
    assert "planner-indicators.yenimahalle" in listed
    assert "planner-indicators.cankaya" not in listed
    sensitive = client.get("/ogc/collections/planner-sensitive.cankaya/items", headers=own)
    assert sensitive.status_code == 200


def test_protected_aggregates_have_no_small_counts(client, db, settings):
    add_reports(db, settings)
    k = settings.k_threshold
    for collection in ("indicators", "hotspots"):
        for feature in _items(client, collection, limit=10000)["features"]:
            count = feature["properties"]["reports"]
            assert count is None or count == 0 or count >= k, (collection, feature)


def test_html_pages(client, db, settings):
    made = add_reports(db, settings)
    for path in (
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/reports",
        "/ogc/collections/reports/items",
        f"/ogc/collections/reports/items/{made.public_cankaya[0].public_id}",
        "/ogc/api",
    ):
        response = client.get(path, headers={"Accept": "text/html,application/xhtml+xml"})
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert '<html lang="tr"' in response.text
    page = client.get("/ogc/collections/reports/items?f=html&lang=en").text
    assert "Public report points" in page and 'id="ogc-data"' in page
    assert (
        client.get("/ogc/collections/reports/items?f=json")
        .headers["content-type"]
        .startswith("application/geo+json")
    )
