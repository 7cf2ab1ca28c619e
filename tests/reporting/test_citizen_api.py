"""Citizen API: no-map reports, nearest services, areas, "me too" and the services layer."""

from __future__ import annotations

from geoalchemy2.shape import to_shape
from shapely import Point
from shapely.geometry import shape
from sqlalchemy import func, select, update

from app.geo.displacement import haversine_m
from app.models import Confirmation, LocationPrecision, Mahalle, Report, ReportStatus, ServiceKind
from app.services.reference.areas import turkish_sort_key
from tests.support.citizen_support import add_service, leaks, set_status
from tests.support.factories import KIZILAY, make_report, report_payload

CUMHURIYET = "relation/6777209"  # Cumhuriyet Mahallesi, Çankaya (contains KIZILAY)


def no_map_payload(**overrides) -> dict:
    body = report_payload(
        mahalle_code=CUMHURIYET, place_description="Metro çıkışının arkasındaki geçit"
    )
    del body["location"]
    body.update(overrides)
    return body


def indicator_of(client, code: str) -> dict:
    body = client.get("/api/v1/indicators").json()
    [feature] = [f for f in body["features"] if f["id"] == code]
    return feature["properties"]


# --- no-map path -------------------------------------------------------------------------


def test_no_map_report_is_stored_inside_its_mahalle_with_mahalle_precision(client, db):
    response = client.post("/api/v1/reports", json=no_map_payload())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["location_precision"] == "mahalle"
    assert body["mahalle"] == "Cumhuriyet Mahallesi"
    report = db.scalar(select(Report).where(Report.public_id == body["public_id"]))
    assert report.location_precision is LocationPrecision.mahalle
    assert report.place_description == "Metro çıkışının arkasındaki geçit"
    mahalle = db.scalar(select(Mahalle).where(Mahalle.code == CUMHURIYET))
    assert report.mahalle_id == mahalle.id
    area = to_shape(mahalle.geom)
    assert area.contains(to_shape(report.location))
    assert area.contains(to_shape(report.public_location))
    expected = db.scalar(
        select(func.ST_AsText(func.ST_PointOnSurface(Mahalle.geom))).where(Mahalle.id == mahalle.id)
    )
    assert to_shape(report.location).equals_exact(Point(*map(float, expected[6:-1].split())), 1e-9)


def test_no_map_report_counts_in_indicators_but_is_never_a_point(client, db, settings):
    ids = []
    for _ in range(5):
        response = client.post("/api/v1/reports", json=no_map_payload())
        assert response.status_code == 201
        ids.append(response.json()["public_id"])
    for public_id in ids:
        set_status(db, public_id, ReportStatus.published)
    assert indicator_of(client, CUMHURIYET)["reports"] == 5
    listed = client.get("/api/v1/reports").json()
    assert listed["numberMatched"] == 0 and listed["features"] == []
    nearby = client.get(
        "/api/v1/reports/nearby",
        params={"lon": KIZILAY[0], "lat": KIZILAY[1], "category": "dark_street", "radius_m": 500},
    ).json()
    assert nearby["items"] == []
    confirm = client.post(
        f"/api/v1/reports/{ids[0]}/confirmations",
        json={"consent": True, "consent_version": "2026-11-v1"},
    )
    assert confirm.status_code == 404


def test_location_or_mahalle_exactly_one_of_them(client):
    both = report_payload(mahalle_code=CUMHURIYET, place_description="köşe")
    neither = report_payload()
    del neither["location"]
    for body in (both, neither):
        response = client.post("/api/v1/reports", json=body)
        assert response.status_code == 422, response.text
        assert "either location" in response.json()["error"]["message"]


def test_no_map_report_needs_a_place_description_and_a_known_mahalle(client, db):
    before = db.scalar(select(func.count(Report.id)))
    for bad in (None, "", "   ", "x" * 301):
        response = client.post("/api/v1/reports", json=no_map_payload(place_description=bad))
        assert response.status_code == 422, (bad, response.text)
        assert "place_description" in response.json()["error"]["message"]
    response = client.post("/api/v1/reports", json=no_map_payload(mahalle_code="relation/0"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "mahalle_code", "message": response.json()["error"]["message"]}
    ]
    assert db.scalar(select(func.count(Report.id))) == before


# --- nearest services ----------------------------------------------------------------------


def add_four_services(db) -> None:
    add_service(db, ServiceKind.counselling, "Yakın danışma", 32.8552, 39.9186)
    add_service(db, ServiceKind.police, "Polis noktası", 32.8600, 39.9250)
    add_service(db, ServiceKind.health, "Sağlık ocağı", 32.8400, 39.9100)
    add_service(db, ServiceKind.sonim, "Uzak ŞÖNİM", 32.7000, 39.8800)


def test_created_report_lists_the_three_nearest_services_without_echoing_the_point(client, db):
    add_four_services(db)
    exact = (32.8541237, 39.9208761)
    response = client.post("/api/v1/reports", json=report_payload(*exact))
    assert response.status_code == 201
    services = response.json()["nearest_services"]
    assert [s["name"] for s in services] == ["Yakın danışma", "Polis noktası", "Sağlık ocağı"]
    first = services[0]
    assert first["kind"] == "counselling"
    assert first["kind_label"] == {
        "tr": "Kadın danışma merkezi",
        "en": "Women's counselling centre",
        "ar": "مركز استشارات للنساء",
        "ku": "Navenda şêwirmendiyê ya jinan",
    }
    assert first["phone"] == "0312 000 00 00" and first["hours"] == "09:00-17:00"
    true_distance = haversine_m(*exact, 32.8552, 39.9186)
    assert first["distance_m"] % 10 == 0
    assert abs(first["distance_m"] - true_distance) <= 6
    assert leaks(response.text, *exact) == []


def test_services_layer_and_nearest(client, db):
    add_four_services(db)
    body = client.get("/api/v1/services").json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 4
    props = {f["properties"]["name"]: f for f in body["features"]}
    sonim = props["Uzak ŞÖNİM"]
    assert sonim["geometry"]["coordinates"] == [32.7, 39.88]
    assert sonim["properties"]["kind_label"]["tr"].startswith("ŞÖNİM")
    assert sonim["properties"]["is_sample"] is True

    nearest = client.get(
        "/api/v1/services/nearest", params={"lat": 39.88, "lon": 32.70, "limit": 2}
    ).json()["items"]
    assert [s["name"] for s in nearest] == ["Uzak ŞÖNİM", "Sağlık ocağı"]
    assert nearest[0]["distance_m"] == 0
    assert nearest[1]["distance_m"] > nearest[0]["distance_m"]
    default = client.get("/api/v1/services/nearest", params={"lat": 39.92, "lon": 32.85})
    assert len(default.json()["items"]) == 3
    for params in (
        {"lat": 39.92},
        {"lat": 91, "lon": 32.8},
        {"lat": 39.9, "lon": 32.8, "limit": 11},
    ):
        assert client.get("/api/v1/services/nearest", params=params).status_code == 422


# --- areas ---------------------------------------------------------------------------------


def test_mahalle_list_in_turkish_order(client, db):
    items = client.get("/api/v1/mahalle").json()["items"]
    assert len(items) == db.scalar(select(func.count(Mahalle.id)))
    assert set(items[0]) == {"code", "name", "district"}
    names = [i["name"] for i in items]
    assert names == sorted(names, key=turkish_sort_key)
    # Turkish, not code-point order: Ç after C and before D; Ü after U; İ after I.
    first_c_cedilla = names.index(next(n for n in names if n.startswith("Ç")))
    assert names[first_c_cedilla - 1].startswith("C")
    assert not any(n.startswith("D") for n in names[:first_c_cedilla])
    assert names.index("Cumhuriyet Mahallesi") < first_c_cedilla
    assert {"code": CUMHURIYET, "name": "Cumhuriyet Mahallesi", "district": "Çankaya"} in items


def test_turkish_sort_key_orders_dotless_i_and_cedillas():
    words = ["Zafer", "Ihlamur", "İncesu", "Çiğdem", "Cebeci", "Öveçler", "Ortaköy", "Şehit"]
    assert sorted(words, key=turkish_sort_key) == [
        "Cebeci", "Çiğdem", "Ihlamur", "İncesu", "Ortaköy", "Öveçler", "Şehit", "Zafer",
    ]  # fmt: skip


def test_area_is_a_simplified_feature_that_contains_the_mahalle(client, db):
    body = client.get("/api/v1/area").json()
    assert body["type"] == "Feature"
    assert body["geometry"]["type"] in ("Polygon", "MultiPolygon")
    area = shape(body["geometry"])
    assert area.contains(Point(*KIZILAY))
    assert not area.contains(Point(29.0, 41.0))  # Istanbul
    numbers = list(flat(body["geometry"]["coordinates"]))
    assert len(numbers) > 100
    assert all(round(n, 4) == n for n in numbers)
    assert len(client.get("/api/v1/area").content) < 200_000


def flat(value):
    if isinstance(value, list):
        for v in value:
            yield from flat(v)
    else:
        yield value


# --- "me too" ------------------------------------------------------------------------------


def nearby(client, lon: float, lat: float, **params) -> dict:
    query = {"lon": lon, "lat": lat, "category": "dark_street", **params}
    response = client.get("/api/v1/reports/nearby", params=query)
    assert response.status_code == 200, response.text
    return response.json()


def public_point(db, report: Report) -> tuple[float, float]:
    db.refresh(report)
    p = to_shape(report.public_location)
    return p.x, p.y


def test_nearby_lists_published_reports_of_the_category(client, db, settings):
    published, _ = make_report(db, settings, status=ReportStatus.published, text="Lamba yok")
    make_report(db, settings)  # pending
    make_report(db, settings, status=ReportStatus.published, category="broken_sidewalk")
    db.add(Confirmation(report_id=published.id, municipality_id=published.municipality_id))
    db.flush()
    lon, lat = public_point(db, published)
    body = nearby(client, lon, lat)
    assert body["sensitive"] is False
    assert body["items"] == [
        {
            "public_id": published.public_id,
            "category": "dark_street",
            "distance_m": 0,
            "period": published.occurred_on.strftime("%Y-%m"),
            "confirmations": None,  # one "me too": fewer than k, withheld
            "confirmations_suppressed": True,
            "text": "Lamba yok",
        }
    ]
    published.redacted_text = "Lamba [gizlendi]"
    db.flush()
    assert nearby(client, lon, lat)["items"][0]["text"] == "Lamba [gizlendi]"


def test_nearby_uses_the_displaced_location_not_the_exact_one(client, db, settings):
    report, _ = make_report(db, settings, status=ReportStatus.published)
    public = public_point(db, report)
    gap = haversine_m(*KIZILAY, *public)
    assert gap >= settings.displacement_min_m - 1
    # Standing on the exact point finds it (the search allows for the displacement), at the
    # distance of the public point, never 0.
    found = nearby(client, *KIZILAY, radius_m=10)["items"]
    assert [i["public_id"] for i in found] == [report.public_id]
    assert abs(found[0]["distance_m"] - gap) <= 6
    # Standing on the public point finds it at 0 m, whatever the radius.
    assert nearby(client, *public, radius_m=5)["items"][0]["distance_m"] == 0
    # The answer depends on the public point only: moving the exact point changes nothing.
    before = {r: nearby(client, *public, radius_m=r) for r in (5, 150, 500)}
    db.execute(
        update(Report)
        .where(Report.id == report.id)
        .values(location=func.ST_SetSRID(func.ST_MakePoint(32.90, 39.95), 4326))
    )
    db.flush()
    assert {r: nearby(client, *public, radius_m=r) for r in (5, 150, 500)} == before


def test_nearby_radius_default_and_limits(client, db, settings):
    report, _ = make_report(db, settings, status=ReportStatus.published)
    lon, lat = public_point(db, report)
    # Default radius 150 m, plus the largest displacement (the public point may be that far
    # from where it happened).
    reach = 150 + settings.displacement_max_m
    beyond = (lon + (reach + 20) / (111_320 * 0.766), lat)
    assert nearby(client, *beyond)["items"] == []
    assert len(nearby(client, *beyond, radius_m=200)["items"]) == 1
    for radius in (0, 501, -5):
        response = client.get(
            "/api/v1/reports/nearby",
            params={"lon": lon, "lat": lat, "category": "dark_street", "radius_m": radius},
        )
        assert response.status_code == 422
    unknown = client.get(
        "/api/v1/reports/nearby", params={"lon": lon, "lat": lat, "category": "no_such"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["fields"][0]["field"] == "category"


def test_nearby_for_a_sensitive_category_lists_nothing(client, db, settings):
    report, _ = make_report(
        db, settings, status=ReportStatus.published, category="verbal_harassment"
    )
    lon, lat = public_point(db, report)
    body = nearby(client, lon, lat, category="verbal_harassment", radius_m=500)
    assert body == {"items": [], "sensitive": True}


def test_confirming_a_published_report(client, db, settings):
    report, _ = make_report(db, settings, status=ReportStatus.published)
    url = f"/api/v1/reports/{report.public_id}/confirmations"
    body = {"consent": True, "consent_version": "2026-11-v1", "reporter_gender": "woman"}
    first = client.post(url, json={**body, "reporter_age_band": "18_24"})
    assert first.status_code == 201, first.text
    # Fewer than k "me too": withheld, as every small public count (test_confirmation_counts.py)
    withheld = {"confirmations": None, "confirmations_suppressed": True}
    assert first.json() == {"public_id": report.public_id, **withheld}
    other_device = {"X-Forwarded-For": "203.0.113.7"}
    second = client.post(url, json={"consent": True, "consent_version": "v"}, headers=other_device)
    assert second.json() == first.json()
    # The same device again: one "me too" per report from a device (tests/reporting/test_intake_limits.py)
    assert client.post(url, json=body).status_code == 429
    stored = db.scalars(select(Confirmation).where(Confirmation.report_id == report.id)).all()
    assert sorted(str(c.reporter_age_band) for c in stored) == ["18_24", "None"]
    listed = client.get("/api/v1/reports").json()["features"][0]["properties"]
    assert listed["confirmations"] is None and listed["confirmations_suppressed"] is True


def test_confirmation_needs_consent_and_a_confirmable_report(client, db, settings):
    published, _ = make_report(db, settings, status=ReportStatus.published)
    pending, _ = make_report(db, settings)
    sensitive, _ = make_report(
        db, settings, status=ReportStatus.published, category="verbal_harassment"
    )
    ok = {"consent": True, "consent_version": "2026-11-v1"}
    for bad in ({"consent": False, "consent_version": "x"}, {"consent_version": "x"}, {}):
        response = client.post(f"/api/v1/reports/{published.public_id}/confirmations", json=bad)
        assert response.status_code == 422
    refused = client.post(
        f"/api/v1/reports/{published.public_id}/confirmations",
        json={"consent": False, "consent_version": "x"},
    )
    assert "consent is required" in refused.json()["error"]["message"]
    for public_id in (pending.public_id, sensitive.public_id, "nosuchid00"):
        response = client.post(f"/api/v1/reports/{public_id}/confirmations", json=ok)
        assert response.status_code == 404, public_id
    assert db.scalar(select(func.count(Confirmation.id))) == 0


def test_new_public_outputs_carry_no_exact_point_or_unapproved_text(client, db, settings):
    exact = (32.8541237, 39.9208761)
    pending, _ = make_report(db, settings, lon=exact[0], lat=exact[1], text="gizli-bekleyen")
    published, _ = make_report(db, settings, lon=exact[0], lat=exact[1], text="yayimda")
    set_status(db, published.public_id, ReportStatus.published)
    add_four_services(db)
    urls = [
        f"/api/v1/reports/nearby?lon={exact[0]}&lat={exact[1]}&category=dark_street&radius_m=500",
        "/api/v1/services",
        f"/api/v1/services/nearest?lon={exact[0]}&lat={exact[1]}",
        "/api/v1/mahalle",
        "/api/v1/area",
    ]
    for url in urls:
        text = client.get(url).text
        assert leaks(text, *exact) == [], url
        assert "gizli-bekleyen" not in text and pending.public_id not in text, url
    assert "yayimda" in client.get(urls[0]).text


def test_openapi_documents_both_submission_forms_without_dangling_references(client):
    import json
    import re

    spec = client.get("/openapi.json").json()
    text = json.dumps(spec)
    referenced = set(re.findall(r"#/components/schemas/([A-Za-z0-9_]+)", text))
    assert referenced <= set(spec["components"]["schemas"])
    body = spec["paths"]["/api/v1/reports"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert "mahalle_code" in body["application/json"]["schema"]["properties"]
    for path in ("/api/v1/track", "/api/v1/track/comments", "/api/v1/track/delete"):
        assert "post" in spec["paths"][path]


def test_reference_layers_may_be_cached_but_personal_answers_not(client, db, settings):
    for url in ("/api/v1/mahalle", "/api/v1/area", "/api/v1/services"):
        assert client.get(url).headers["cache-control"] == "public, max-age=3600", url
    _, code = make_report(db, settings)
    assert client.post("/api/v1/track", json={"code": code}).headers["cache-control"] == (
        "no-store"
    )
    nearest = client.get("/api/v1/services/nearest", params={"lat": 39.92, "lon": 32.85})
    assert nearest.headers["cache-control"] == "no-store"


def test_a_json_report_body_above_256_kb_is_refused(client):
    response = client.post(
        "/api/v1/reports",
        content=b'{"text": "' + b"x" * 300_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["fields"][0]["field"] == "body"
