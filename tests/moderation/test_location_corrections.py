"""Location corrections move the public point with the exact one: however many corrections a
moderator makes, the public output shows one displacement, never fresh samples around the
true point that could be averaged back to it."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select, text, update

from app.geo.displacement import haversine_m
from app.models import Mahalle, Report, Role
from app.services.reference.areas import mahalle_at
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


def test_many_corrections_keep_one_offset(client, db, settings):
    start = deep_inside(db)
    report, _ = make_report(db, settings, lon=start[0], lat=start[1])
    login(client, make_user(db, settings, Role.moderator))
    first = offset(db, report)
    distance = haversine_m(*start, start[0] + first[0], start[1] + first[1])
    assert settings.displacement_min_m - 1 <= distance <= settings.displacement_max_m + 1
    home = mahalle_at(db, *start).id
    rng = random.Random(7)
    offsets = []
    for _ in range(10):
        # Small moves (a few metres, the usual correction) that stay in the same mahalle.
        (ex, ey), (px, py) = points(db, report)
        lon, lat = ex + rng.uniform(-0.00015, 0.00015), ey + rng.uniform(-0.00015, 0.00015)
        if mahalle_at(db, lon, lat).id != home:
            continue
        moved_public = (px + lon - ex, py + lat - ey)
        correct(client, report, lon, lat)
        db.refresh(report)
        if mahalle_at(db, *moved_public).id != home:
            continue  # the kept offset would leave the mahalle: tested below
        offsets.append(offset(db, report))
    assert len(offsets) >= 8
    for o in offsets:
        assert o == pytest.approx(first, abs=1e-9)  # the same vector, not a new draw


def neighbour_point(db, lon: float, lat: float) -> tuple[float, float]:
    """A point of another mahalle within 200 m of (lon, lat)."""
    here = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    near = func.geometry(func.ST_Buffer(func.Geography(here), 200))
    row = db.execute(
        select(
            func.ST_X(func.ST_PointOnSurface(func.ST_Intersection(Mahalle.geom, near))),
            func.ST_Y(func.ST_PointOnSurface(func.ST_Intersection(Mahalle.geom, near))),
        )
        .where(func.ST_Intersects(Mahalle.geom, near), ~func.ST_Contains(Mahalle.geom, here))
        .order_by(Mahalle.id)
        .limit(1)
    ).one_or_none()
    assert row is not None, "the fixture has no neighbouring mahalle within 200 m"
    return row[0], row[1]


def test_corrections_across_a_border_are_a_deterministic_function(client, db, settings):
    """Back and forth across a mahalle border: when the kept offset would leave the new
    mahalle, the point is drawn from the report's own fixed source, so the same sequence of
    corrections always gives the same public points (no new sample per correction)."""
    report, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    start_exact, start_public = points(db, report)
    across = neighbour_point(db, *KIZILAY)
    path = [across, KIZILAY, across, KIZILAY, across]

    def run() -> list[tuple[tuple[float, float], tuple[float, float]]]:
        seen = []
        for lon, lat in path:
            correct(client, report, lon, lat)
            db.refresh(report)
            seen.append(points(db, report))
        return seen

    first = run()
    # The same report, put back where it was: the same corrections give the same points.
    db.execute(
        update(Report)
        .where(Report.id == report.id)
        .values(
            location=func.ST_SetSRID(func.ST_MakePoint(*start_exact), 4326),
            public_location=func.ST_SetSRID(func.ST_MakePoint(*start_public), 4326),
        )
    )
    db.expire_all()
    second = run()
    for a, b in zip(first, second, strict=True):
        assert a[1] == pytest.approx(b[1], abs=1e-9)
    # Every public point stays in the mahalle of its exact point, and in the ring.
    for exact, public in first:
        assert mahalle_at(db, *public).id == mahalle_at(db, *exact).id
        assert haversine_m(*exact, *public) <= settings.displacement_max_m + 1
    # At most two displacements were ever shown: the stored one and the report's fixed one
    # per mahalle, whichever way she moved it.
    shown = {
        tuple(round(p - e, 9) for p, e in zip(public, exact, strict=True))
        for exact, public in first
    }
    assert len(shown) <= 3


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
