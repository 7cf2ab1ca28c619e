"""Per-mahalle indicators on a small hand-computed fixture, and against a count in SQL."""

from __future__ import annotations

from datetime import date

import pytest
from geoalchemy2.shape import from_shape
from shapely import MultiPolygon, box
from sqlalchemy import delete, text

from app.models import Mahalle, ReportStatus
from app.services.indicators import suppress
from tests.factories import make_report


def square(x: float) -> MultiPolygon:
    return MultiPolygon([box(x, 10.0, x + 0.01, 10.01)])


@pytest.fixture
def three_mahalle(db):
    """A: 2,000 women (estimated); B: 500 women (given); C: population unknown."""
    db.execute(delete(Mahalle))
    specs = [
        ("A", 10.00, 2000, True),
        ("B", 10.02, 500, False),
        ("C", 10.04, None, False),
    ]
    for code, x, women, estimate in specs:
        db.add(
            Mahalle(
                code=code,
                name=f"{code} Mahallesi",
                name_key=code.lower(),
                district="Test",
                province="Test",
                geom=from_shape(square(x), srid=4326),
                area_km2=1.2,
                women_residents=women,
                women_is_estimate=estimate,
            )
        )
    db.flush()


def at(x: float) -> dict:
    return {"lon": x + 0.005, "lat": 10.005}


def add_reports(db, settings, x, n, status=ReportStatus.published, occurred_on="2026-01-15", **kw):
    for _ in range(n):
        make_report(db, settings, **at(x), status=status, occurred_on=occurred_on, **kw)


def by_code(body) -> dict:
    return {f["properties"]["code"]: f["properties"] for f in body["features"]}


def test_hand_computed_counts_rates_and_suppression(client, db, settings, three_mahalle):
    add_reports(db, settings, 10.00, 5)  # A, January
    add_reports(db, settings, 10.00, 1, occurred_on="2025-06-10")  # A, earlier
    add_reports(db, settings, 10.00, 2, status=ReportStatus.pending)  # never counted
    add_reports(db, settings, 10.00, 1, status=ReportStatus.rejected)  # never counted
    add_reports(db, settings, 10.02, 3)  # B: below k = 5
    add_reports(db, settings, 10.04, 5, category="verbal_harassment")  # C: sensitive, counted

    body = client.get("/api/v1/indicators").json()
    assert body["metadata"]["suppression_threshold_k"] == 5
    props = by_code(body)
    assert set(props) == {"A", "B", "C"}
    assert props["A"]["reports"] == 6
    assert props["A"]["reports_per_1000_women"] == pytest.approx(6 * 1000 / 2000)
    assert props["A"]["rate_is_estimate"] is True
    assert props["B"]["reports"] is None and props["B"]["reports_suppressed"] is True
    assert props["B"]["reports_per_1000_women"] is None
    assert props["C"]["reports"] == 5 and props["C"]["reports_per_1000_women"] is None
    assert props["C"]["rate_is_estimate"] is False
    assert body["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")

    january = by_code(client.get("/api/v1/indicators", params={"since": "2026-01-01"}).json())
    assert january["A"]["reports"] == 5
    assert january["A"]["reports_per_1000_women"] == pytest.approx(2.5)

    earlier = by_code(client.get("/api/v1/indicators", params={"until": "2025-12-31"}).json())
    assert earlier["A"]["reports"] is None and earlier["A"]["reports_suppressed"] is True
    assert earlier["C"]["reports"] == 0 and earlier["C"]["reports_suppressed"] is False

    only_dark = by_code(
        client.get("/api/v1/indicators", params={"category": "verbal_harassment"}).json()
    )
    assert only_dark["A"]["reports"] == 0 and only_dark["C"]["reports"] == 5


def test_indicator_matches_a_count_made_in_sql(client, db, settings):
    for i in range(7):
        make_report(db, settings, lon=32.8541 + i * 0.0001, status=ReportStatus.published)
    make_report(db, settings, status=ReportStatus.pending)
    expected = db.execute(
        text(
            "SELECT m.code, count(r.id) FROM mahalle m JOIN report r ON r.mahalle_id = m.id "
            "WHERE r.status = 'published' GROUP BY m.code"
        )
    ).all()
    props = by_code(client.get("/api/v1/indicators").json())
    assert len(props) == 184
    for code, count in expected:
        assert props[code]["reports"] == count
    women = db.execute(
        text("SELECT women_residents FROM mahalle WHERE code = :c"), {"c": expected[0][0]}
    ).scalar()
    assert props[expected[0][0]]["reports_per_1000_women"] == pytest.approx(
        expected[0][1] * 1000 / women, abs=1e-3
    )


@pytest.mark.parametrize(
    ("count", "k", "expected"),
    [
        (0, 5, (0, False)),
        (1, 5, (None, True)),
        (4, 5, (None, True)),
        (5, 5, (5, False)),
        (None, 5, (None, False)),
        (2, 1, (2, False)),
    ],
)
def test_suppress(count, k, expected):
    assert suppress(count, k) == expected


def test_period_dates_are_inclusive(client, db, settings, three_mahalle):
    add_reports(db, settings, 10.00, 5, occurred_on=date(2026, 2, 1).isoformat())
    assert (
        by_code(
            client.get(
                "/api/v1/indicators", params={"since": "2026-02-01", "until": "2026-02-01"}
            ).json()
        )["A"]["reports"]
        == 5
    )
    assert (
        by_code(client.get("/api/v1/indicators", params={"since": "2026-02-02"}).json())["A"][
            "reports"
        ]
        == 0
    )
