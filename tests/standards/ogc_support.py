"""Reports for the OGC API tests: public, sensitive, pending, in two districts."""

from __future__ import annotations

from dataclasses import dataclass

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import func, select

from app.models import Report, ReportStatus, ServiceKind, ServicePoint
from app.services.reference import municipality_by_code
from tests.support.factories import KIZILAY, make_report

YENIMAHALLE_POINT = (32.7, 39.97)  # in Yeni Batı Mahallesi (Yenimahalle)


@dataclass
class Reports:
    public_cankaya: list[Report]
    public_yenimahalle: list[Report]
    sensitive: Report
    pending: Report


def add_reports(db, settings, n_cankaya: int = 3) -> Reports:
    """Published dark-street reports in both districts, a sensitive one, a pending one."""
    cankaya = [
        make_report(
            db, settings, lon=KIZILAY[0] + i * 0.002, lat=KIZILAY[1], status=ReportStatus.published
        )[0]
        for i in range(n_cankaya)
    ]
    yenimahalle = [
        make_report(
            db,
            settings,
            lon=YENIMAHALLE_POINT[0],
            lat=YENIMAHALLE_POINT[1],
            status=ReportStatus.published,
        )[0]
    ]
    sensitive = make_report(
        db, settings, category="verbal_harassment", status=ReportStatus.published
    )[0]
    pending = make_report(db, settings)[0]
    # A support service in each district, so that every collection has features.
    for code, (lon, lat) in (("cankaya", KIZILAY), ("yenimahalle", YENIMAHALLE_POINT)):
        db.add(
            ServicePoint(
                kind=ServiceKind.counselling,
                name=f"Kadın Danışma Merkezi ({code})",
                location=from_shape(Point(lon + 0.001, lat), srid=4326),
                municipality_id=municipality_by_code(db, code).id,
            )
        )
    db.flush()
    return Reports(cankaya, yenimahalle, sensitive, pending)


def exact_points(db) -> set[tuple[float, float]]:
    """Every report's exact location, rounded as the public output rounds."""
    rows = db.execute(select(func.ST_X(Report.location), func.ST_Y(Report.location))).all()
    return {(round(x, 5), round(y, 5)) for x, y in rows}
