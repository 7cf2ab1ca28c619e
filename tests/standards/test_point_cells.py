"""The kept cells of public points (low-zoom clusters without filters) are exactly the cells
of the public points (the one visibility rule), after publishing, unpublishing, moves,
recategorisation and a category turning sensitive."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.services.reference import covered_ids, municipality_by_code
from app.services.standards import tile_reports
from app.services.standards.tile_matrix import TileAddress
from app.services.standards.tile_reports import TileFilters
from app.services.suppression import perturbation_table
from tests.standards.conftest import AREA
from tests.support.tile_support import tile_of

# A filter that every point meets makes protected_cells read the points themselves.
EVERYTHING = TileFilters(since=date(1900, 1, 1))


@pytest.fixture
def ptable(settings):
    return perturbation_table(settings.perturbation_table)


def _tiles(z: int) -> list[TileAddress]:
    x0, y0 = tile_of(AREA[0], AREA[3], z)
    x1, y1 = tile_of(AREA[2], AREA[1], z)
    return [TileAddress(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def _same_cells(db, ptable, area=None) -> int:
    """Compare every tile's kept and live cells at z8..14; how many cells were compared."""
    compared = 0
    for z in (8, 10, 12, 13, 14):
        for tile in _tiles(z):
            kept = tile_reports._kept_cells(db, tile, area)
            live = tile_reports._cells(db, tile, area, EVERYTHING)
            assert [tuple(r) for r in kept] == [tuple(r) for r in live], (z, tile)
            assert tile_reports.protected_cells(
                db, tile, area, TileFilters(), 5, ptable
            ) == tile_reports.protected_cells(db, tile, area, EVERYTHING, 5, ptable)
            compared += len(kept)
    return compared


def test_kept_cells_are_the_public_points_cells_through_every_change(db, populated, ptable):
    assert _same_cells(db, ptable) > 100
    cankaya = covered_ids(db, [municipality_by_code(db, "cankaya").id])
    assert _same_cells(db, ptable, cankaya) > 50
    ids = [r[0] for r in db.execute(text("SELECT id FROM report ORDER BY id LIMIT 300"))]
    hidden, moved, recategorised = ids[:100], ids[100:200], ids[200:300]
    db.execute(text("UPDATE report SET status = 'hidden' WHERE id = ANY(:ids)"), {"ids": hidden})
    db.execute(
        text(
            "UPDATE report SET public_location = ST_Translate(public_location, 0.01, -0.005) "
            "WHERE id = ANY(:ids)"
        ),
        {"ids": moved},
    )
    db.execute(
        text(
            "UPDATE report SET category_id = (SELECT id FROM category WHERE code = "
            "'verbal_harassment') WHERE id = ANY(:ids)"
        ),
        {"ids": recategorised},
    )
    db.execute(
        text("UPDATE report SET status = 'published' WHERE id = ANY(:ids)"), {"ids": hidden[:50]}
    )
    db.execute(text("DELETE FROM report WHERE id = ANY(:ids)"), {"ids": ids[50:60]})
    assert _same_cells(db, ptable) > 100
    db.execute(text("UPDATE category SET sensitive = true WHERE code = 'dark_street'"))
    assert _same_cells(db, ptable, cankaya) > 50
