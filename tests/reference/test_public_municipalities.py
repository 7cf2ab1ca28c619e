"""The public side of municipalities: the list, and `municipality=` on the reference layers
(mahalle list, area outline, support services), with bad codes refused naming the code."""

from __future__ import annotations

import pytest
from geoalchemy2.shape import from_shape
from shapely import Point
from shapely.geometry import shape
from sqlalchemy import func, select, update

from app.models import Mahalle, Municipality, ServiceKind, ServicePoint
from app.services.reference import municipality_by_code
from tests.support.factories import KIZILAY
from tests.support.planner_support import municipality_id

YENIMAHALLE_POINT = (32.7, 39.97)  # in Yeni Batı Mahallesi (Yenimahalle)


def get_json(client, path: str, **params) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def municipalities(client) -> dict[str, dict]:
    return {m["code"]: m for m in get_json(client, "/api/v1/municipalities")["items"]}


def inside(box: list[float], lon: float, lat: float) -> bool:
    west, south, east, north = box
    return west <= lon <= east and south <= lat <= north


def test_municipality_list_names_the_tree_with_bbox_view_languages_and_contact(client, db):
    response = client.get("/api/v1/municipalities")  # no login
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=3600"
    found = {m["code"]: m for m in response.json()["items"]}
    assert set(found) == {"ankara", "cankaya", "yenimahalle"}
    ankara, cankaya, yenimahalle = found["ankara"], found["cankaya"], found["yenimahalle"]
    assert (ankara["kind"], ankara["parent"]) == ("metropolitan", None)
    assert ankara["name"] == "Ankara Büyükşehir Belediyesi"
    assert (cankaya["kind"], cankaya["parent"]) == ("district", "ankara")
    assert (yenimahalle["kind"], yenimahalle["parent"]) == ("district", "ankara")
    assert inside(cankaya["bbox"], *KIZILAY) and not inside(cankaya["bbox"], *YENIMAHALLE_POINT)
    assert inside(yenimahalle["bbox"], *YENIMAHALLE_POINT)
    # The metropolitan municipality's box holds both districts'.
    west, south, east, north = ankara["bbox"]
    for box in (cankaya["bbox"], yenimahalle["bbox"]):
        assert west <= box[0] and south <= box[1] and east >= box[2] and north >= box[3]
    assert cankaya["map_view"] is None and cankaya["languages"] is None
    assert cankaya["contact"] == {"email": None, "phone": None, "web": None}
    # Its own settings where they differ; the threshold k is not the public's business.
    db.execute(
        update(Municipality)
        .where(Municipality.code == "cankaya")
        .values(
            map_center_lat=39.9,
            map_center_lon=32.86,
            map_zoom=13,
            languages=["tr"],
            k_threshold=10,
            contact_email="esitlik@cankaya.example",
        )
    )
    db.flush()
    cankaya = municipalities(client)["cankaya"]
    assert cankaya["map_view"] == {"lat": 39.9, "lon": 32.86, "zoom": 13}
    assert cankaya["languages"] == ["tr"]
    assert cankaya["contact"]["email"] == "esitlik@cankaya.example"
    assert "k_threshold" not in cankaya


def test_mahalle_list_by_municipality(client, db):
    def districts(**params) -> tuple[set[str], int]:
        items = get_json(client, "/api/v1/mahalle", **params)["items"]
        return {m["district"] for m in items}, len(items)

    everything, total = districts()
    assert everything == {"Çankaya", "Yenimahalle"}
    cankaya, in_cankaya = districts(municipality="cankaya")
    yenimahalle, in_yenimahalle = districts(municipality="yenimahalle")
    assert cankaya == {"Çankaya"} and yenimahalle == {"Yenimahalle"}
    expected = db.scalar(
        select(func.count(Mahalle.id)).where(
            Mahalle.municipality_id == municipality_id(db, "cankaya")
        )
    )
    assert in_cankaya == expected and in_cankaya + in_yenimahalle == total
    assert districts(municipality="ankara") == (everything, total)  # its districts included
    assert districts(municipality="") == (everything, total)  # empty: the whole deployment


def test_area_outline_of_a_municipality(client):
    def outline(**params):
        return get_json(client, "/api/v1/area", **params)

    cankaya = outline(municipality="cankaya")
    assert cankaya["properties"]["source"] == "municipality"
    assert cankaya["properties"]["municipality"] == "cankaya"
    area = shape(cankaya["geometry"])
    assert area.contains(Point(*KIZILAY)) and not area.contains(Point(*YENIMAHALLE_POINT))
    ankara = shape(outline(municipality="ankara")["geometry"])
    assert ankara.contains(Point(*KIZILAY)) and ankara.contains(Point(*YENIMAHALLE_POINT))
    whole = outline()
    assert whole["properties"]["source"] == "mahalle"
    assert shape(whole["geometry"]).contains(Point(*YENIMAHALLE_POINT))


@pytest.fixture
def two_services(db):
    """A counselling centre in Çankaya (by Kızılay) and a police station in Yenimahalle, each
    keyed to its municipality as the importer does."""
    for kind, name, (lon, lat), code in (
        (ServiceKind.counselling, "Kızılay Danışma", (KIZILAY[0] + 0.001, KIZILAY[1]), "cankaya"),
        (ServiceKind.police, "Yeni Batı Karakolu", (32.701, 39.97), "yenimahalle"),
    ):
        db.add(
            ServicePoint(
                kind=kind,
                name=name,
                location=from_shape(Point(lon, lat), srid=4326),
                municipality_id=municipality_id(db, code),
                is_sample=True,
            )
        )
    db.flush()


def test_services_layer_by_municipality(client, two_services):
    def names(**params) -> set[str]:
        features = get_json(client, "/api/v1/services", **params)["features"]
        return {f["properties"]["name"] for f in features}

    assert names(municipality="cankaya") == {"Kızılay Danışma"}
    assert names(municipality="yenimahalle") == {"Yeni Batı Karakolu"}
    assert names(municipality="ankara") == names() == {"Kızılay Danışma", "Yeni Batı Karakolu"}


def test_nearest_services_across_borders_unless_a_municipality_is_asked(client, two_services):
    lon, lat = YENIMAHALLE_POINT

    def nearest(**params) -> list[str]:
        found = get_json(client, "/api/v1/services/nearest", lat=lat, lon=lon, limit=1, **params)
        return [s["name"] for s in found["items"]]

    assert nearest() == ["Yeni Batı Karakolu"]  # the nearest overall
    assert nearest(municipality="ankara") == ["Yeni Batı Karakolu"]
    assert nearest(municipality="cankaya") == ["Kızılay Danışma"]  # Çankaya's own only


PUBLIC_ENDPOINTS = [
    ("/api/v1/reports", {}),
    ("/api/v1/reports/nearby", {"lat": 39.92, "lon": 32.85, "category": "dark_street"}),
    ("/api/v1/indicators", {}),
    ("/api/v1/services", {}),
    ("/api/v1/services/nearest", {"lat": 39.92, "lon": 32.85}),
    ("/api/v1/mahalle", {}),
    ("/api/v1/area", {}),
]


@pytest.mark.parametrize(("path", "params"), PUBLIC_ENDPOINTS)
def test_every_public_endpoint_refuses_an_unknown_municipality_naming_it(client, path, params):
    response = client.get(path, params={**params, "municipality": "atlantis"})
    assert response.status_code == 422, response.text
    fields = response.json()["error"]["fields"]
    assert [f["field"] for f in fields] == ["municipality"]
    assert "'atlantis'" in fields[0]["message"]
    assert "/api/v1/municipalities" in fields[0]["message"]


@pytest.mark.parametrize(("path", "params"), PUBLIC_ENDPOINTS)
@pytest.mark.parametrize("code", ["x" * 65, "can\x00kaya", "Çankaya", "../ankara", " - "])
def test_bad_municipality_codes_are_422_never_500(client, path, params, code):
    response = client.get(path, params={**params, "municipality": code})
    assert response.status_code == 422, (code, response.text)
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["municipality"]


def test_a_code_that_cannot_exist_is_not_looked_up(db):
    from app.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        municipality_by_code(db, "a\x00b", field="municipality")
    assert refused.value.field == "municipality"
