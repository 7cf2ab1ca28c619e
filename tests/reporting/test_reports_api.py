"""Creating, listing and tracking reports over HTTP."""

from __future__ import annotations

from sqlalchemy import func, select

from app.geo.displacement import haversine_m
from app.models import Mahalle, ModerationEvent, Municipality, Report, ReportStatus
from tests.support.dates import month_end, month_start
from tests.support.factories import KIZILAY, make_report, report_payload


def count_reports(db) -> int:
    return db.scalar(select(func.count(Report.id)))


def test_create_report_returns_public_id_and_tracking_code_stored_only_as_hash(client, db):
    response = client.post("/api/v1/reports", json=report_payload())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "pending"
    assert body["mahalle"] == "Cumhuriyet Mahallesi"
    code = body["tracking_code"]
    assert len(code) == 19 and code.count("-") == 3
    report = db.scalar(select(Report).where(Report.public_id == body["public_id"]))
    assert report is not None and report.status is ReportStatus.pending
    assert code not in report.tracking_code_hash
    assert len(report.tracking_code_hash) == 64
    assert body["municipality"] == "cankaya"
    assert report.municipality_id == db.scalar(
        select(Municipality.id).where(Municipality.code == "cankaya")
    )


def test_public_location_is_displaced_once_within_the_ring(client, db, settings):
    response = client.post("/api/v1/reports", json=report_payload())
    public_id = response.json()["public_id"]
    row = db.execute(
        select(
            func.ST_X(Report.location),
            func.ST_Y(Report.location),
            func.ST_X(Report.public_location),
            func.ST_Y(Report.public_location),
        ).where(Report.public_id == public_id)
    ).one()
    distance = haversine_m(row[0], row[1], row[2], row[3])
    assert settings.displacement_min_m - 0.5 <= distance <= settings.displacement_max_m + 0.5
    assert (row[0], row[1]) == KIZILAY


def test_displaced_point_stays_in_the_same_mahalle(db, settings):
    # A small mahalle near its edge is the hard case: Kızılay is about 0.3 km² in size.
    ids = [
        make_report(db, settings, lon=32.8541 + i * 0.0002, lat=39.9208)[0].id for i in range(20)
    ]
    outside = db.scalar(
        select(func.count(Report.id))
        .join(Mahalle, Mahalle.id == Report.mahalle_id)
        .where(Report.id.in_(ids), ~func.ST_Intersects(Mahalle.geom, Report.public_location))
    )
    assert outside == 0
    assert db.scalar(select(func.count(Report.id)).where(Report.id.in_(ids))) == 20


def test_pending_reports_are_not_public(client, db, settings):
    make_report(db, settings)
    body = client.get("/api/v1/reports").json()
    assert body["type"] == "FeatureCollection"
    assert body["features"] == [] and body["numberMatched"] == 0


def test_published_report_is_listed_at_its_displaced_point(client, db, settings):
    report, _ = make_report(db, settings, status=ReportStatus.published)
    body = client.get("/api/v1/reports").json()
    assert body["numberMatched"] == 1
    feature = body["features"][0]
    assert feature["id"] == report.public_id
    lon, lat = feature["geometry"]["coordinates"]
    assert haversine_m(lon, lat, *KIZILAY) >= settings.displacement_min_m - 1
    props = feature["properties"]
    assert props["category"] == "dark_street"
    assert props["mahalle"] == "Cumhuriyet Mahallesi"
    assert "reporter_gender" not in props and "tracking_code_hash" not in props
    assert props["occurred_month"] == report.occurred_on.strftime("%Y-%m")
    # Chosen once: the same point on every request.
    again = client.get("/api/v1/reports").json()["features"][0]["geometry"]
    assert again == feature["geometry"]


def test_sensitive_categories_never_appear_as_points(client, db, settings):
    make_report(db, settings, category="verbal_harassment", status=ReportStatus.published)
    make_report(db, settings, category="dark_street", status=ReportStatus.published)
    features = client.get("/api/v1/reports").json()["features"]
    assert [f["properties"]["category"] for f in features] == ["dark_street"]


def test_filters_bbox_category_period_and_paging(client, db, settings):
    make_report(
        db,
        settings,
        status=ReportStatus.published,
        category="dark_street",
        occurred_on=month_start(4).replace(day=10).isoformat(),
    )
    make_report(
        db,
        settings,
        status=ReportStatus.published,
        category="unsafe_park",
        occurred_on=month_start(1).replace(day=10).isoformat(),
    )
    # A report in Yenimahalle, far from the Kızılay bbox.
    make_report(
        db,
        settings,
        lon=32.80,
        lat=39.955,
        status=ReportStatus.published,
        category="unsafe_park",
        occurred_on=month_start(1).replace(day=12).isoformat(),
    )

    def ids(**params):
        body = client.get("/api/v1/reports", params=params).json()
        return sorted(f["properties"]["category"] for f in body["features"])

    assert ids() == ["dark_street", "unsafe_park", "unsafe_park"]
    assert ids(category="dark_street") == ["dark_street"]
    assert ids(category="dark_street,unsafe_park") == ["dark_street", "unsafe_park", "unsafe_park"]
    assert ids(since=month_start(1).isoformat()) == ["unsafe_park", "unsafe_park"]
    assert ids(until=month_end(2).isoformat()) == ["dark_street"]
    assert ids(bbox="32.84,39.91,32.87,39.93") == ["dark_street", "unsafe_park"]
    page = client.get("/api/v1/reports", params={"limit": 2}).json()
    assert page["numberReturned"] == 2 and page["numberMatched"] == 3 and page["next_offset"] == 2
    rest = client.get("/api/v1/reports", params={"limit": 2, "offset": 2}).json()
    assert rest["numberReturned"] == 1 and rest["next_offset"] is None
    first_ids = {f["id"] for f in page["features"]}
    assert first_ids.isdisjoint({f["id"] for f in rest["features"]})


def test_tracking_code_shows_status_and_wrong_code_is_404(client, db, settings):
    created = client.post("/api/v1/reports", json=report_payload()).json()
    tracked = client.post("/api/v1/track", json={"code": created["tracking_code"]})
    assert tracked.status_code == 200
    body = tracked.json()
    assert body["public_id"] == created["public_id"]
    assert body["status"] == "pending" and body["municipal_status"] == "none"
    assert body["category"] == "dark_street"
    assert "location" not in body
    # Lower case and without dashes works too.
    relaxed = created["tracking_code"].replace("-", "").lower()
    assert (
        client.post("/api/v1/track", json={"code": relaxed}).json()["public_id"]
        == created["public_id"]
    )
    wrong = client.post("/api/v1/track", json={"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 404
    assert "tracking code" in wrong.json()["error"]["message"]


def test_categories_list_labels_in_every_language(client):
    body = client.get("/api/v1/categories").json()
    codes = [c["code"] for c in body]
    assert len(codes) == 16 and codes[0] == "dark_street"
    harassment = next(c for c in body if c["code"] == "following")
    assert harassment["sensitive"] is True
    assert harassment["labels"] == {
        "tr": "Takip edilme / ısrarlı takip",
        "en": "Following / stalking",
        "ar": "ملاحقة / تعقّب",
        "ku": "Şopandin / dûketina bi israr",
    }


def test_health_reports_database_and_postgis(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["database"] is True
    assert body["postgis"].startswith("3.")


def test_creating_a_report_writes_no_moderation_event(client, db):
    before = db.scalar(select(func.count(ModerationEvent.id)))
    client.post("/api/v1/reports", json=report_payload())
    assert db.scalar(select(func.count(ModerationEvent.id))) == before
