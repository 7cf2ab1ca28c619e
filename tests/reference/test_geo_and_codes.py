"""Pure helpers: displacement, bbox parsing, codes, settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.config import Settings
from app.geo.bbox import parse_bbox
from app.geo.displacement import donut_candidates, haversine_m, offset, ring_offsets
from app.services.clock import time_band_at
from app.services.reporting.codes import (
    hash_tracking_code,
    new_public_id,
    new_tracking_code,
    normalise_tracking_code,
)


def test_offset_moves_the_requested_distance():
    lon, lat = offset(32.85, 39.92, 150.0, 1.0)
    assert haversine_m(32.85, 39.92, lon, lat) == pytest.approx(150.0, rel=1e-6)


def test_ring_offsets_stay_in_the_ring_and_spread_round():
    offsets = ring_offsets(b"seed", 50, 200, count=500)
    points = donut_candidates(32.85, 39.92, offsets)
    distances = [haversine_m(32.85, 39.92, lon, lat) for lon, lat in points]
    assert distances == pytest.approx([d for d, _ in offsets], rel=1e-6)
    assert min(distances) >= 50 - 1e-6 and max(distances) <= 200 + 1e-6
    # Uniform by area: the median radius is sqrt((50² + 200²) / 2) ≈ 146 m.
    distances.sort()
    assert 130 < distances[250] < 160
    quadrants = {(lon > 32.85, lat > 39.92) for lon, lat in points}
    assert len(quadrants) == 4


def test_ring_offsets_are_a_function_of_their_seed():
    assert ring_offsets(b"report-1", 50, 200) == ring_offsets(b"report-1", 50, 200)
    assert ring_offsets(b"report-1", 50, 200) != ring_offsets(b"report-2", 50, 200)
    assert len(set(ring_offsets(b"report-1", 50, 200))) == 16
    # The same offsets from another true point: the same distances and bearings.
    here, there = (
        donut_candidates(lon, lat, ring_offsets(b"r", 50, 200))
        for lon, lat in ((32.85, 39.92), (32.86, 39.93))
    )
    for (x1, y1), (x2, y2) in zip(here, there, strict=True):
        assert haversine_m(32.85, 39.92, x1, y1) == pytest.approx(
            haversine_m(32.86, 39.93, x2, y2), rel=1e-9
        )


def test_parse_bbox():
    assert parse_bbox("32.7,39.8,32.9,40.0") == (32.7, 39.8, 32.9, 40.0)
    for bad in ["1,2,3", "a,b,c,d", "33,39,32,40", "32,39,33,99"]:
        with pytest.raises(ValueError):
            parse_bbox(bad)


def test_tracking_codes_are_random_and_hash_is_forgiving():
    codes = {new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    code = next(iter(codes))
    assert len(code) == 19 and all(len(g) == 4 for g in code.split("-"))
    assert hash_tracking_code(code) == hash_tracking_code(code.lower().replace("-", " "))
    assert normalise_tracking_code("ab0o-1il") == "AB00111"
    assert hash_tracking_code(code) != hash_tracking_code(new_tracking_code())
    ids = {new_public_id() for _ in range(200)}
    assert len(ids) == 200 and all(len(i) == 10 for i in ids)


@pytest.mark.parametrize(
    ("iso", "band"),
    [
        ("2026-11-21T05:59:00+03:00", "night"),
        ("2026-11-21T06:00:00+03:00", "day"),
        ("2026-11-21T17:59:00+03:00", "day"),
        ("2026-11-21T18:00:00+03:00", "evening"),
        ("2026-11-21T21:59:00+03:00", "evening"),
        ("2026-11-21T22:00:00+03:00", "night"),
        ("2026-11-21T16:00:00+00:00", "evening"),  # 19:00 in Istanbul
    ],
)
def test_time_band_uses_istanbul_time(iso, band):
    from datetime import datetime

    assert time_band_at(datetime.fromisoformat(iso)).value == band


def test_settings_validate_once_with_clear_errors():
    s = Settings(_env_file=None, DATABASE_URL="postgres://u:p@h:5432/db")
    assert s.database_url == "postgresql+psycopg://u:p@h:5432/db"
    with pytest.raises(ValidationError, match="PostgreSQL URL"):
        Settings(_env_file=None, DATABASE_URL="mysql://h/db")
    with pytest.raises(ValidationError, match="MORHARITA_SECRET_KEY"):
        Settings(_env_file=None, environment="production")
    with pytest.raises(ValidationError, match="Polygon"):
        Settings(_env_file=None, deployment_area_wkt="POINT (1 2)")
    with pytest.raises(ValidationError, match="greater than displacement_min_m"):
        Settings(_env_file=None, displacement_min_m=100, displacement_max_m=50)
    area = Settings(_env_file=None, deployment_area_wkt="POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")
    assert area.deployment_area.area == 1.0
