"""DESIGN.md §2 as tests: no exact coordinates, unapproved content, personal data or small cells
in any public response."""

from __future__ import annotations

from sqlalchemy import select

from app.config import Settings
from app.models import Municipality, ReportStatus
from app.schemas.reporting import ReportCreate
from app.services.reporting import submission
from tests.support.citizen_support import leaks
from tests.support.factories import make_report, report_payload

# Unusual exact points, so a leak cannot be a coincidence.
EXACT = [(32.8541237, 39.9208761), (32.8602913, 39.9150437), (32.8477719, 39.9251593)]
PENDING_TEXT = "gizli-bekleyen-metin"
SENSITIVE_TEXT = "hassas-taciz-metni"


def public_bodies(client, codes: list[str]) -> dict[str, str]:
    urls = [
        "/api/v1/reports",
        "/api/v1/reports?limit=1",
        "/api/v1/reports?bbox=32.8,39.9,32.9,40.0",
        "/api/v1/reports?category=dark_street,verbal_harassment",
        "/api/v1/indicators",
        "/api/v1/indicators?group=harassment",
        "/api/v1/categories",
        "/",
    ]
    outputs = {url: client.get(url).text for url in urls}
    for code in codes:  # her own view, by tracking code
        outputs[f"POST /api/v1/track {code}"] = client.post(
            "/api/v1/track", json={"code": code}
        ).text
    return outputs


def test_no_exact_location_unapproved_text_or_demographics_in_public_output(client, db, settings):
    codes = []
    _, code = make_report(db, settings, lon=EXACT[0][0], lat=EXACT[0][1], text=PENDING_TEXT)
    codes.append(code)
    _, code = make_report(
        db,
        settings,
        lon=EXACT[1][0],
        lat=EXACT[1][1],
        status=ReportStatus.published,
        text="yayımlanmış metin",
    )
    codes.append(code)
    _, code = make_report(
        db,
        settings,
        lon=EXACT[2][0],
        lat=EXACT[2][1],
        text=SENSITIVE_TEXT,
        category="verbal_harassment",
        status=ReportStatus.published,
    )
    codes.append(code)
    # Posting over HTTP must not echo the location back either.
    posted = client.post("/api/v1/reports", json=report_payload(*EXACT[0]))
    assert posted.status_code == 201 and not leaks(posted.text, *EXACT[0])

    bodies = public_bodies(client, codes)
    assert "yayımlanmış metin" in bodies["/api/v1/reports"]  # the published one is there
    for url, body in bodies.items():
        for lon, lat in EXACT:
            assert not leaks(body, lon, lat), (url, leaks(body, lon, lat))
        assert PENDING_TEXT not in body, url
        assert SENSITIVE_TEXT not in body, url
        if url == "/":
            continue  # the page's form names these fields; its data comes from the API above
        for private in (
            "reporter_gender",
            "reporter_age_band",
            "tracking_code_hash",
            '"woman"',
            "25_34",
        ):
            assert private not in body, (url, private)


def test_small_cells_are_suppressed_in_public_indicators(client, db, settings):
    for _ in range(3):  # 3 < k = 5
        make_report(db, settings, category="verbal_harassment", status=ReportStatus.published)
    props = {
        (f["properties"]["name"], f["properties"]["district"]): f["properties"]
        for f in client.get("/api/v1/indicators").json()["features"]
    }
    cumhuriyet = props[("Cumhuriyet Mahallesi", "Çankaya")]
    assert cumhuriyet["reports"] is None and cumhuriyet["reports_suppressed"] is True
    assert cumhuriyet["reports_per_1000_women"] is None
    counts = [p["reports"] for p in props.values() if p["reports"] is not None]
    assert all(c == 0 or c >= settings.k_threshold for c in counts)


def test_deployment_area_admits_points_outside_every_mahalle(db, settings):
    area = "POLYGON ((28.9 40.9, 29.1 40.9, 29.1 41.1, 28.9 41.1, 28.9 40.9))"
    with_area = Settings(**{**settings.model_dump(), "deployment_area_wkt": area}, _env_file=None)
    report, _ = submission.create_report(
        db, with_area, ReportCreate(**report_payload(28.97, 41.01))
    )
    # Outside every mahalle, it goes to the one top-level municipality (Ankara BB).
    ankara = db.scalar(select(Municipality).where(Municipality.code == "ankara"))
    assert report.mahalle_id is None and report.municipality_id == ankara.id
    # Without the area the same point is refused (see test_validation).


def test_leak_detector_finds_the_forms_it_claims_to(settings):
    lon, lat = EXACT[0]
    assert leaks(f'{{"lon": {lon:.5f}, "lat": {lat:.5f}}}', lon, lat)
    assert leaks(f"[{lon:.5f}, {lat:.5f}]", lon, lat)
    assert leaks(f"{lat:.6f}", lon, lat)
    assert not leaks(f"[{lon + 0.001:.5f}, {lat:.5f}]", lon, lat)


def test_small_sensitive_counts_cannot_be_recovered_by_subtraction(client, db, settings):
    """Totals minus public points, or one group minus another, never yields 1..k-1 sensitive."""
    for i in range(6):  # six public points in Cumhuriyet ...
        make_report(db, settings, lon=32.8541 + i * 0.0002, status=ReportStatus.published)
    for _ in range(2):  # ... and two sensitive reports there
        make_report(db, settings, category="following", status=ReportStatus.published)

    def cumhuriyet(**params) -> dict:
        features = client.get("/api/v1/indicators", params=params).json()["features"]
        return next(
            f["properties"]
            for f in features
            if (f["properties"]["name"], f["properties"]["district"])
            == ("Cumhuriyet Mahallesi", "Çankaya")
        )

    points = [
        f
        for f in client.get("/api/v1/reports").json()["features"]
        if f["properties"]["mahalle"] == "Cumhuriyet Mahallesi"
    ]
    assert len(points) == 6
    total = cumhuriyet()
    assert total["reports"] is None and total["sensitive_reports"] is None
    by_group = {g: cumhuriyet(group=g)["reports"] for g in ("lighting", "harassment")}
    assert by_group == {"lighting": 6, "harassment": None}
    assert client.get("/api/v1/indicators", params={"category": "following"}).status_code == 200
    # A single-category filter is not offered on the public aggregates: it is ignored.
    assert cumhuriyet(category="following")["reports"] is None
