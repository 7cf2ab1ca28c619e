"""Reports and indicators per municipality on the public side: the answer to a submission
names its municipality; the report layer, "me too" and the indicators take `municipality=`;
small cells are withheld below each mahalle's own municipality's k, whatever area is asked."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.models import Mahalle, Municipality, ReportStatus
from app.services.reference import mahalle_at
from tests.support.factories import KIZILAY, make_report, report_payload
from tests.support.planner_support import municipality_id

YENIMAHALLE_POINT = (32.7, 39.97)  # in Yeni Batı Mahallesi (Yenimahalle)
CUMHURIYET = ("Cumhuriyet Mahallesi", "Çankaya")  # holds KIZILAY
YENI_BATI = ("Yeni Batı Mahallesi", "Yenimahalle")  # holds YENIMAHALLE_POINT


def get_json(client, path: str, **params) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def publish(db, settings, where: tuple[float, float], n: int = 1, **overrides) -> list[str]:
    """`n` published reports at `where` (lon, lat); their public ids."""
    return [
        make_report(
            db, settings, lon=where[0], lat=where[1], status=ReportStatus.published, **overrides
        )[0].public_id
        for _ in range(n)
    ]


def set_k(db, code: str, k: int | None) -> None:
    db.execute(update(Municipality).where(Municipality.code == code).values(k_threshold=k))
    db.flush()


def test_a_report_is_answered_with_the_municipality_that_holds_it(client, db):
    in_cankaya = client.post("/api/v1/reports", json=report_payload(*KIZILAY))
    assert in_cankaya.status_code == 201, in_cankaya.text
    assert in_cankaya.json()["municipality"] == "cankaya"
    in_yenimahalle = client.post("/api/v1/reports", json=report_payload(*YENIMAHALLE_POINT))
    assert in_yenimahalle.status_code == 201, in_yenimahalle.text
    assert in_yenimahalle.json()["municipality"] == "yenimahalle"
    # Without the map, by a mahalle of Yenimahalle: the same.
    yeni_bati = mahalle_at(db, *YENIMAHALLE_POINT)
    assert yeni_bati is not None
    body = report_payload(mahalle_code=yeni_bati.code, place_description="Parkın arkası")
    del body["location"]
    by_list = client.post("/api/v1/reports", json=body)
    assert by_list.status_code == 201, by_list.text
    assert by_list.json()["municipality"] == "yenimahalle"


def test_report_layer_by_municipality(client, db, settings):
    cankaya = set(publish(db, settings, KIZILAY, 2))
    yenimahalle = set(publish(db, settings, YENIMAHALLE_POINT, 2))

    def shown(**params) -> set[str]:
        collection = get_json(client, "/api/v1/reports", **params)
        ids = {f["properties"]["public_id"] for f in collection["features"]}
        assert collection["numberMatched"] == len(ids)
        return ids

    assert shown(municipality="cankaya") == cankaya  # none of Yenimahalle's
    assert shown(municipality="yenimahalle") == yenimahalle
    assert shown(municipality="ankara") == shown() == cankaya | yenimahalle
    assert {
        f["properties"]["mahalle"]
        for f in get_json(client, "/api/v1/reports", municipality="cankaya")["features"]
    } == {CUMHURIYET[0]}


def test_me_too_by_municipality(client, db, settings):
    (there,) = publish(db, settings, YENIMAHALLE_POINT)
    lon, lat = YENIMAHALLE_POINT

    def nearby(**params) -> list[str]:
        found = get_json(
            client, "/api/v1/reports/nearby", lat=lat, lon=lon, category="dark_street", **params
        )
        return [r["public_id"] for r in found["items"]]

    assert nearby() == [there]
    assert nearby(municipality="yenimahalle") == nearby(municipality="ankara") == [there]
    assert nearby(municipality="cankaya") == []


def indicators(client, **params) -> tuple[dict, dict]:
    """(properties by (name, district), metadata) of GET /api/v1/indicators."""
    collection = get_json(client, "/api/v1/indicators", **params)
    features = {
        (f["properties"]["name"], f["properties"]["district"]): f["properties"]
        for f in collection["features"]
    }
    return features, collection["metadata"]


def test_indicators_by_municipality(client, db, settings):
    publish(db, settings, KIZILAY, 6)
    publish(db, settings, YENIMAHALLE_POINT, 6)
    cankaya_mahalle = set(
        db.scalars(
            select(Mahalle.code).where(Mahalle.municipality_id == municipality_id(db, "cankaya"))
        )
    )
    rows, meta = indicators(client, municipality="cankaya")
    assert {p["code"] for p in rows.values()} == cankaya_mahalle
    assert {district for _, district in rows} == {"Çankaya"}
    assert rows[CUMHURIYET]["reports"] == 6
    assert sum(p["reports"] or 0 for p in rows.values()) == 6  # Yenimahalle's are not counted
    assert meta["municipality"] == "cankaya"

    rows, _ = indicators(client, municipality="yenimahalle")
    assert {district for _, district in rows} == {"Yenimahalle"}
    assert rows[YENI_BATI]["reports"] == 6

    everything, meta = indicators(client)
    ankara, _ = indicators(client, municipality="ankara")
    assert ankara == everything and len(everything) == 184
    assert everything[CUMHURIYET]["reports"] == everything[YENI_BATI]["reports"] == 6
    assert meta["municipality"] is None


def test_a_stricter_district_is_not_undone_by_a_wider_query(client, db, settings):
    """Yenimahalle withholds counts below 10; Çankaya keeps the deployment's 5."""
    set_k(db, "yenimahalle", 10)
    publish(db, settings, KIZILAY, 7)
    publish(db, settings, YENIMAHALLE_POINT, 7)

    yenimahalle, meta = indicators(client, municipality="yenimahalle")
    assert meta["suppression_threshold_k"] == 10
    assert yenimahalle[YENI_BATI]["reports"] is None
    assert yenimahalle[YENI_BATI]["reports_suppressed"] is True
    assert yenimahalle[YENI_BATI]["reports_per_1000_women"] is None
    assert yenimahalle[YENI_BATI]["suppression_threshold_k"] == 10

    for params in ({}, {"municipality": "ankara"}):  # the whole deployment, Ankara BB
        rows, meta = indicators(client, **params)
        assert meta["suppression_threshold_k"] == settings.k_threshold == 5
        assert rows[YENI_BATI]["reports"] is None, params
        assert rows[YENI_BATI]["reports_suppressed"] is True
        assert rows[YENI_BATI]["suppression_threshold_k"] == 10
        assert rows[CUMHURIYET]["reports"] == 7, params
        assert rows[CUMHURIYET]["suppression_threshold_k"] == 5
        # Every Yenimahalle row is held to its k, every Çankaya row to the deployment's.
        ks: dict[str, set[int]] = {}
        for (_, district), p in rows.items():
            ks.setdefault(district, set()).add(p["suppression_threshold_k"])
        assert ks == {"Yenimahalle": {10}, "Çankaya": {5}}

    cankaya, meta = indicators(client, municipality="cankaya")
    assert meta["suppression_threshold_k"] == 5
    assert cankaya[CUMHURIYET]["reports"] == 7


def test_a_metropolitan_k_holds_in_its_districts(client, db, settings):
    set_k(db, "ankara", 8)
    publish(db, settings, KIZILAY, 7)
    for params in ({}, {"municipality": "ankara"}, {"municipality": "cankaya"}):
        rows, meta = indicators(client, **params)
        assert rows[CUMHURIYET]["reports"] is None, params
        assert rows[CUMHURIYET]["suppression_threshold_k"] == 8
    _, meta = indicators(client, municipality="cankaya")
    assert meta["suppression_threshold_k"] == 8  # the strictest on Çankaya's chain
    publish(db, settings, KIZILAY, 1)
    rows, _ = indicators(client, municipality="cankaya")
    assert rows[CUMHURIYET]["reports"] == 8


@pytest.mark.parametrize("k", [None, 3])
def test_a_municipality_never_lowers_the_deployment_k(client, db, settings, k):
    if k is not None:
        # The table refuses a k below 2 only; the service never goes below the deployment's.
        set_k(db, "cankaya", k)
    publish(db, settings, KIZILAY, 4)
    rows, meta = indicators(client, municipality="cankaya")
    assert meta["suppression_threshold_k"] == 5
    assert rows[CUMHURIYET]["reports"] is None
