"""The items page's plan, chosen on purpose: by place in a small box, by time for a big one,
and the same features either way."""

from __future__ import annotations

import json

from sqlalchemy import text

from app.services.reporting import ReportFilters, page_plan, public_points_json
from app.services.reporting.public_layer import public_points
from tests.standards.conftest import AREA

SMALL = (32.850, 39.915, 32.856, 39.920)  # about 500 m at Kızılay


def _page(db, settings, bbox, limit, offset) -> list[dict]:
    features, returned, _more = public_points_json(
        db, settings, ReportFilters(bbox), limit=limit, offset=offset
    )
    found = json.loads(features)
    assert len(found) == returned
    return found


def test_a_small_box_is_read_by_place_and_a_big_one_by_time(db, settings, populated):
    db.execute(text("ANALYZE report"))
    small = public_points(db, ReportFilters(SMALL))
    whole = public_points(db, ReportFilters(AREA))
    assert page_plan.by_place(db, small, 11)
    assert not page_plan.by_place(db, whole, 11)


def test_both_plans_give_the_same_newest_first_pages(db, settings, populated, monkeypatch):
    db.execute(text("ANALYZE report"))
    for bbox in (SMALL, AREA):
        for limit, offset in ((5, 0), (7, 3), (1000, 0)):
            monkeypatch.setattr(page_plan, "BY_PLACE_FACTOR", 10**12)  # always by place
            by_place = _page(db, settings, bbox, limit, offset)
            monkeypatch.setattr(page_plan, "BY_PLACE_FACTOR", 0)  # never
            by_time = _page(db, settings, bbox, limit, offset)
            assert by_place == by_time
            assert by_place, bbox
    # Newest first (published_at, then public_id, descending), every point inside the box.
    rows = db.execute(
        public_points(db, ReportFilters(SMALL)).with_only_columns(
            text("report.public_id"), text("report.published_at")
        )
    ).all()
    expected = [r[0] for r in sorted(rows, key=lambda r: (r[1], r[0]), reverse=True)]
    monkeypatch.setattr(page_plan, "BY_PLACE_FACTOR", 10**12)
    assert [f["id"] for f in _page(db, settings, SMALL, 1000, 0)] == expected
    west, south, east, north = SMALL
    for feature in _page(db, settings, SMALL, 1000, 0):
        lon, lat = feature["geometry"]["coordinates"]
        assert west <= lon <= east and south <= lat <= north
