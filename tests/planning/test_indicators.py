"""Per-mahalle indicators on a small hand-computed fixture, and against a count in SQL."""

from __future__ import annotations

import pytest
from geoalchemy2.shape import from_shape
from shapely import MultiPolygon, box
from sqlalchemy import delete, text

from app.models import Mahalle, ReportStatus
from app.services.planning.public_indicators import suppress
from tests.support.dates import month_end, month_start
from tests.support.factories import make_report
from tests.support.planner_support import municipality_id

THIS_MONTH = month_start(0)
EARLIER = month_start(5).replace(day=10)


def square(x: float) -> MultiPolygon:
    return MultiPolygon([box(x, 10.0, x + 0.01, 10.01)])


@pytest.fixture
def four_mahalle(db):
    """A: 2,000 women (estimated); B: 500 women (given); C and D: population unknown."""
    db.execute(delete(Mahalle))
    specs = [
        ("A", 10.00, 2000, True),
        ("B", 10.02, 500, False),
        ("C", 10.04, None, False),
        ("D", 10.06, None, False),
    ]
    for code, x, women, estimate in specs:
        db.add(
            Mahalle(
                code=code,
                name=f"{code} Mahallesi",
                name_key=code.lower(),
                district="Test",
                province="Test",
                municipality_id=municipality_id(db, "cankaya"),
                geom=from_shape(square(x), srid=4326),
                area_km2=1.2,
                women_residents=women,
                women_is_estimate=estimate,
            )
        )
    db.flush()


def add_reports(db, settings, x, n, status=ReportStatus.published, occurred_on=None, **kw):
    for _ in range(n):
        make_report(
            db,
            settings,
            lon=x + 0.005,
            lat=10.005,
            status=status,
            occurred_on=(occurred_on or THIS_MONTH).isoformat(),
            **kw,
        )


def indicators(client, **params) -> dict:
    response = client.get("/api/v1/indicators", params=params)
    assert response.status_code == 200, response.text
    return {f["properties"]["code"]: f["properties"] for f in response.json()["features"]}


def test_hand_computed_counts_rates_and_suppression(client, db, settings, four_mahalle):
    add_reports(db, settings, 10.00, 5)  # A, this month
    add_reports(db, settings, 10.00, 1, occurred_on=EARLIER)  # A, five months ago
    add_reports(db, settings, 10.00, 2, status=ReportStatus.pending)  # never counted
    add_reports(db, settings, 10.00, 1, status=ReportStatus.rejected)  # never counted
    add_reports(db, settings, 10.02, 3)  # B: below k = 5
    add_reports(db, settings, 10.04, 5, category="verbal_harassment")  # C: sensitive only
    add_reports(db, settings, 10.06, 6)  # D: 6 points ...
    add_reports(db, settings, 10.06, 2, category="following")  # ... and 2 sensitive

    body = client.get("/api/v1/indicators").json()
    assert body["metadata"]["suppression_threshold_k"] == 5
    props = indicators(client)
    assert set(props) == {"A", "B", "C", "D"}
    assert props["A"]["reports"] == 6 and props["A"]["sensitive_reports"] == 0
    assert props["A"]["reports_per_1000_women"] == pytest.approx(6 * 1000 / 2000)
    assert props["A"]["rate_is_estimate"] is True
    assert props["B"]["reports"] is None and props["B"]["reports_suppressed"] is True
    assert props["B"]["reports_per_1000_women"] is None
    assert props["C"]["reports"] == 5 and props["C"]["sensitive_reports"] == 5
    assert props["C"]["reports_per_1000_women"] is None and props["C"]["rate_is_estimate"] is False
    # D: 8 in all, but 8 minus its 6 public points would reveal 2 sensitive reports.
    assert props["D"]["reports"] is None and props["D"]["reports_suppressed"] is True
    assert props["D"]["sensitive_reports"] is None
    assert props["D"]["sensitive_reports_suppressed"] is True
    assert body["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")

    recent = indicators(client, since=THIS_MONTH.isoformat())
    assert recent["A"]["reports"] == 5
    assert recent["A"]["reports_per_1000_women"] == pytest.approx(2.5)

    older = indicators(client, until=month_end(1).isoformat())
    assert older["A"]["reports"] is None and older["A"]["reports_suppressed"] is True
    assert older["C"]["reports"] == 0 and older["C"]["reports_suppressed"] is False

    harassment = indicators(client, group="harassment")
    assert harassment["A"]["reports"] == 0 and harassment["C"]["reports"] == 5
    assert harassment["D"]["reports"] is None
    lighting = indicators(client, group="lighting")
    assert lighting["D"]["reports"] == 6 and lighting["D"]["sensitive_reports"] == 0


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
    props = indicators(client)
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


def test_period_is_whole_months_inclusive(client, db, settings, four_mahalle):
    add_reports(db, settings, 10.00, 5, occurred_on=month_end(1))  # last day of last month
    one_month = indicators(client, since=month_start(1).isoformat(), until=month_end(1).isoformat())
    assert one_month["A"]["reports"] == 5
    assert indicators(client, since=THIS_MONTH.isoformat())["A"]["reports"] == 0
