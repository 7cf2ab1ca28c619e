"""The values by mahalle as GeoJSON: the same values and withholding as data.json, on the
mahalle outline (never a report's point); the public and other municipalities' staff see
published periods only."""

from __future__ import annotations

from shapely.geometry import Point, shape

from app.models import PeriodState, ReportStatus, Role
from app.services.monitoring import periods
from tests.monitoring.support import YEAR, build_plan
from tests.support.factories import KIZILAY, login, make_report, make_user

PLAN = "/api/v1/plans/YEEP-TEST"


def _move(db, settings, world, *states) -> None:
    period = periods.period_by_label(db, world.plan, str(YEAR))
    for state in states:
        periods.change_period_state(db, settings, world.planner, world.plan, period, state)


def test_values_by_mahalle_on_their_outline(client, db, settings):
    world = build_plan(db, settings)
    for _ in range(6):
        make_report(db, settings, status=ReportStatus.published)
    _move(db, settings, world, PeriodState.collecting, PeriodState.under_review)

    # Under review: the public, and a planner of another municipality, see nothing yet.
    assert client.get(f"{PLAN}/data.geojson").json()["features"] == []
    login(client, make_user(db, settings, Role.planner, ["yenimahalle"]))
    assert client.get(f"{PLAN}/data.geojson").json()["features"] == []
    client.post("/api/v1/auth/logout")
    client.cookies.clear()

    _move(db, settings, world, PeriodState.published)
    answer = client.get(f"{PLAN}/data.geojson")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/geo+json")
    body = answer.json()
    assert body["type"] == "FeatureCollection" and body["plan"] == "YEEP-TEST"
    (feature,) = body["features"]
    props = feature["properties"]
    assert props["Indicator"] == "G1" and props["GeoCode"] == world.mahalle_code
    assert props["State"] == "final" and props["Suppressed"] is False
    assert props["MahalleName"]
    # The same value as the long JSON's row for that mahalle.
    rows = client.get(f"{PLAN}/data.json").json()["data"]
    (row,) = [r for r in rows if r["GeoCode"] == world.mahalle_code]
    assert props["Value"] == row["Value"] and props["Value"] is not None
    # The geometry is the mahalle's outline, which holds the reports' place.
    outline = shape(feature["geometry"])
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert outline.contains(Point(*KIZILAY)) and outline.area > 1e-6


def test_small_values_stay_withheld(client, db, settings):
    world = build_plan(db, settings)
    for _ in range(2):  # below k
        make_report(db, settings, status=ReportStatus.published)
    _move(
        db,
        settings,
        world,
        PeriodState.collecting,
        PeriodState.under_review,
        PeriodState.published,
    )
    (feature,) = client.get(f"{PLAN}/data.geojson").json()["features"]
    assert feature["properties"]["Value"] is None
    assert feature["properties"]["Suppressed"] is True


def test_unknown_plan_is_404(client):
    answer = client.get("/api/v1/plans/NO-SUCH-PLAN/data.geojson")
    assert answer.status_code == 404
    assert "NO-SUCH-PLAN" in answer.text
