"""Fixtures for the planners' tests: a small grid of square mahalle with known populations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from geoalchemy2.shape import from_shape
from shapely import MultiPolygon, box
from sqlalchemy import delete, select

from app.models import Mahalle, Municipality, MunicipalStatus, ReportStatus
from app.services.scope import PlannerFilters
from app.services.suppression import perturbation_table
from tests.support.dates import month_end, month_start
from tests.support.factories import make_report

# The zero-noise table the test settings use (tests/conftest.py): exact counts.
ZERO_NOISE = perturbation_table(Path(__file__).with_name("ptable_identity.csv"))
SIDE = 0.01  # degrees; squares touch their neighbours (queen contiguity)
ORIGIN = (10.0, 10.0)
THIS_MONTH = month_start(0)
PERIOD = PlannerFilters(month_start(2), month_end(0))  # three whole months, this one included


def cell_box(col: int, row: int):
    x, y = ORIGIN[0] + col * SIDE, ORIGIN[1] + row * SIDE
    return box(x, y, x + SIDE, y + SIDE)


def centre(col: int, row: int) -> tuple[float, float]:
    return ORIGIN[0] + (col + 0.5) * SIDE, ORIGIN[1] + (row + 0.5) * SIDE


def municipality_id(db, code: str) -> int:
    """The id of the base data's municipality with this code (ankara, cankaya, yenimahalle)."""
    return db.scalar(select(Municipality.id).where(Municipality.code == code))


@pytest.fixture
def grid_mahalle(db):
    """A 3 × 3 grid of mahalle M<col><row> in district "Test"; women: 1000 × (1 + col + row).

    M00 is estimated; M22 has no population figure.
    """
    db.execute(delete(Mahalle))
    # "Test" in Çankaya's municipality, "Other" in Yenimahalle's (both under Ankara BB).
    districts = {
        "Test": municipality_id(db, "cankaya"),
        "Other": municipality_id(db, "yenimahalle"),
    }
    for col in range(3):
        for row in range(3):
            code = f"M{col}{row}"
            db.add(
                Mahalle(
                    code=code,
                    name=f"{code} Mahallesi",
                    name_key=code.lower(),
                    district="Test" if col < 2 else "Other",
                    province="Test",
                    municipality_id=districts["Test" if col < 2 else "Other"],
                    geom=from_shape(MultiPolygon([cell_box(col, row)]), srid=4326),
                    area_km2=1.0 + col,
                    women_residents=None if code == "M22" else 1000 * (1 + col + row),
                    women_is_estimate=code == "M00",
                )
            )
    db.flush()


def add_reports(db, settings, col, row, n, *, status=ReportStatus.published, **kw):
    """n reports at the centre of mahalle M<col><row> (this month unless occurred_on given)."""
    lon, lat = centre(col, row)
    kw.setdefault("occurred_on", THIS_MONTH.isoformat())
    made = []
    for _ in range(n):
        report, _code = make_report(db, settings, lon=lon, lat=lat, status=status, **kw)
        made.append(report)
    return made


def resolve(db, report, forwarded_days_before: float, resolved_after_days: float) -> None:
    """Mark a report forwarded and resolved with known times (what the workflow records)."""
    forwarded = datetime.now(UTC) - timedelta(days=forwarded_days_before)
    report.forwarded_at = forwarded
    report.resolved_at = forwarded + timedelta(days=resolved_after_days)
    report.municipal_status = MunicipalStatus.resolved
    db.flush()
