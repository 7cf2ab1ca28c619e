"""Fixtures of the tile tests: a few thousand reports over Çankaya and Yenimahalle."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import text

from app.models import ReportStatus
from tests.support.factories import make_report
from tests.support.tile_support import insert_random_reports

# Over both districts: central Çankaya and the south of Yenimahalle.
AREA = (32.76, 39.88, 32.90, 39.97)
PUBLIC = ("dark_street", "broken_street_light", "unsafe_stop", "deserted_area", "unsafe_park")
SENSITIVE = ("verbal_harassment", "following", "physical_harassment")


@dataclass
class Populated:
    public: int
    sensitive: int


def public_points(db) -> list:
    """Every public point as the tiles must see it: (public_id, x, y in EPSG:3857, record
    key, lon, lat of the public point, lon, lat of the exact one, municipality code)."""
    return db.execute(
        text(
            """
            SELECT r.public_id, ST_X(ST_Transform(r.public_location, 3857)) AS x,
                   ST_Y(ST_Transform(r.public_location, 3857)) AS y, r.record_key AS rk,
                   ST_X(r.public_location) AS plon, ST_Y(r.public_location) AS plat,
                   ST_X(r.location) AS lon, ST_Y(r.location) AS lat, m.code AS municipality
            FROM report r JOIN category c ON c.id = r.category_id
            JOIN municipality m ON m.id = r.municipality_id
            WHERE r.status = 'published' AND NOT c.sensitive AND r.location_precision = 'point'
            """
        )
    ).all()


@pytest.fixture
def populated(db, settings) -> Populated:
    template, _ = make_report(db, settings, status=ReportStatus.published)
    public = insert_random_reports(db, template, 2500, AREA, PUBLIC, seed=0.25)
    sensitive = insert_random_reports(db, template, 400, AREA, SENSITIVE, seed=0.75)
    db.flush()
    return Populated(public + 1, sensitive)
