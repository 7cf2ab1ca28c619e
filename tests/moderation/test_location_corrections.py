"""Location corrections move the public point with the exact one: however many corrections a
moderator makes, the public output shows one displacement, never fresh samples around the
true point that could be averaged back to it."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select, text

from app.geo.displacement import donut_candidates, haversine_m
from app.models import Mahalle, Report, Role
from app.services.reference.areas import mahalle_at
from app.services.reporting import displacement_offsets, place_report
from tests.support.factories import KIZILAY, login, make_report, make_user
from tests.support.moderation_support import mod_url


def points(db, report: Report) -> tuple[tuple[float, float], tuple[float, float]]:
    """(exact, public) as (lon, lat)."""
    row = db.execute(
        select(
            func.ST_X(Report.location),
            func.ST_Y(Report.location),
            func.ST_X(Report.public_location),
            func.ST_Y(Report.public_location),
        ).where(Report.id == report.id)
    ).one()
    return (row[0], row[1]), (row[2], row[3])


def offset(db, report: Report) -> tuple[float, float]:
    (ex, ey), (px, py) = points(db, report)
    return px - ex, py - ey


def correct(client, report: Report, lon: float, lat: float) -> None:
    response = client.post(mod_url(report, "location"), json={"location": {"lon": lon, "lat": lat}})
    assert response.status_code == 200, response.text


def deep_inside(db) -> tuple[float, float]:
    """A point at least 500 m inside a mahalle (so kept offsets cannot leave it)."""
    surface = func.ST_PointOnSurface(Mahalle.geom)
    depth = func.ST_Distance(
        func.Geography(func.ST_Boundary(Mahalle.geom)), func.Geography(surface)
    )
    row = db.execute(
        select(func.ST_X(surface), func.ST_Y(surface))
        .where(depth > 500)
        .order_by(Mahalle.id)
        .limit(1)
    ).one()
    return row[0], row[1]


def index_of(settings, public_id: str, exact, public) -> int | None:
    """Which of the report's own offsets `public` shows from `exact` (None: none of them)."""
    candidates = donut_candidates(*exact, displacement_offsets(settings, public_id))
    for i, candidate in enumerate(candidates):
        if candidate == pytest.approx(public, abs=1e-9):
            return i
    return None


def offset_index(db, settings, report: Report) -> int | None:
    return index_of(settings, report.public_id, *points(db, report))


def test_many_corrections_keep_one_offset(client, db, settings):
    start = deep_inside(db)
    report, _ = make_report(db, settings, lon=start[0], lat=start[1])
    login(client, make_user(db, settings, Role.moderator))
    first = offset_index(db, settings, report)
    assert first is not None  # the submission drew from the report's own offsets
    (ex, ey), (px, py) = points(db, report)
    assert settings.displacement_min_m - 1 <= haversine_m(ex, ey, px, py)
    assert haversine_m(ex, ey, px, py) <= settings.displacement_max_m + 1
    home = mahalle_at(db, *start).id
    rng = random.Random(7)
    shown = []
    for _ in range(10):
        # Small moves (a few metres, the usual correction) that stay in the same mahalle.
        (ex, ey), _public = points(db, report)
        lon, lat = ex + rng.uniform(-0.00015, 0.00015), ey + rng.uniform(-0.00015, 0.00015)
        if mahalle_at(db, lon, lat).id != home:
            continue
        correct(client, report, lon, lat)
        db.refresh(report)
        shown.append(offset_index(db, settings, report))
    assert len(shown) >= 8
    assert set(shown) == {first}  # the same offset (distance and bearing), not a new draw


def border_crossing(db, settings, report: Report) -> tuple[float, float]:
    """A point of a neighbouring mahalle, within the correction limit, where the report's
    offset at KIZILAY would leave that mahalle (so crossing needs another of its offsets)."""
    (ex, ey), _public = points(db, report)
    at_home = offset_index(db, settings, report)
    home = mahalle_at(db, ex, ey).id
    spots = db.execute(
        text(
            "SELECT ST_X(d.geom), ST_Y(d.geom) FROM mahalle AS m, ST_Dump(ST_GeneratePoints("
            "ST_Difference(ST_Buffer(ST_SetSRID(ST_MakePoint(:x, :y), 4326)::geography, 200)"
            "::geometry, m.geom), 60, 12)) AS d WHERE m.id = :home"
        ),
        {"x": ex, "y": ey, "home": home},
    ).all()
    for lon, lat in spots:
        placed = place_report(db, settings, lon, lat, report.public_id)
        if placed.mahalle is None or placed.mahalle.id == home:
            continue
        shown = index_of(settings, report.public_id, (lon, lat), placed.public_point.coords[0])
        if shown is not None and shown != at_home:
            return lon, lat
    raise AssertionError("no border crossing that needs another offset near KIZILAY")


def test_corrections_across_a_border_show_one_offset_per_mahalle(client, db, settings):
    """Submission, a correction across a mahalle border, back, and so on: in each mahalle the
    report shows one offset, the same every time, and every point shown is one of the
    report's own offsets (the submission's included): no correction draws a new sample."""
    report, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    start = points(db, report)
    home = mahalle_at(db, *KIZILAY).id
    across = border_crossing(db, settings, report)
    seen = [start]
    for lon, lat in [across, KIZILAY, across, KIZILAY, across, across, KIZILAY]:
        correct(client, report, lon, lat)
        db.refresh(report)
        seen.append(points(db, report))
    by_mahalle: dict[int, set[int | None]] = {}
    for exact, public in seen:
        mahalle = mahalle_at(db, *exact).id
        assert mahalle_at(db, *public).id == mahalle  # counts per mahalle stay true
        assert settings.displacement_min_m - 1 <= haversine_m(*exact, *public)
        assert haversine_m(*exact, *public) <= settings.displacement_max_m + 1
        by_mahalle.setdefault(mahalle, set()).add(
            index_of(settings, report.public_id, exact, public)
        )
    assert len(by_mahalle) == 2 and home in by_mahalle
    assert None not in set().union(*by_mahalle.values())  # always one of its own offsets
    assert all(len(shown) == 1 for shown in by_mahalle.values()), by_mahalle
    other = next(m for m in by_mahalle if m != home)
    assert by_mahalle[home] != by_mahalle[other]  # the crossing needed another offset
    # Back at the start, exactly the submission's public point.
    assert seen[-1][1] == pytest.approx(start[1], abs=1e-12)
    assert seen[2][1] == pytest.approx(start[1], abs=1e-12)


def test_a_report_placed_by_its_mahalle_gets_a_fixed_draw(client, db, settings):
    report, _ = make_report(db, settings)
    db.execute(
        text(
            "UPDATE report SET location_precision = 'mahalle', public_location = location "
            "WHERE id = :id"
        ),
        {"id": report.id},
    )
    db.expire_all()
    login(client, make_user(db, settings, Role.moderator))
    target = (KIZILAY[0] + 0.0002, KIZILAY[1])
    correct(client, report, *target)
    db.refresh(report)
    exact, public = points(db, report)
    assert settings.displacement_min_m - 1 <= haversine_m(*exact, *public)  # not the exact one
    correct(client, report, KIZILAY[0] + 0.0001, KIZILAY[1])
    correct(client, report, *target)
    db.refresh(report)
    assert points(db, report)[1] == pytest.approx(public, abs=1e-9)
