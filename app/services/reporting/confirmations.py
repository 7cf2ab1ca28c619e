""" "Me too": nearby published reports of the same category, and confirming one of them.

Distances are measured from a report's PUBLIC (displaced) location, never its exact one:
otherwise moving the query point around and watching which reports come and go would
triangulate the exact point. Sensitive categories are public only as counts per mahalle, so
they have no nearby list and cannot be confirmed one by one.
"""

from __future__ import annotations

import math

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import ReportNotFound
from app.models import Category, Confirmation, Report
from app.schemas.reporting import ConfirmationCreate
from app.services.reference import active_category_by_code, area_for_code, round_distance_m
from app.services.reporting import intake
from app.services.reporting.public_layer import (
    ConfirmationCounts,
    confirmation_cell_key,
    confirmation_count,
)
from app.services.suppression import cell_key
from app.services.visibility import public_point_reports, public_text_expr

NEARBY_LIMIT = 20
METRES_PER_DEGREE = 111_320.0  # along a meridian, and along the equator


def degrees_covering(metres: float, lat: float) -> float:
    """A distance in degrees at least as long as `metres` in any direction at this latitude."""
    return metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01)) * 1.01


def nearby_reports(
    session: Session,
    settings: Settings,
    lon: float,
    lat: float,
    category_code: str,
    radius_m: float,
    municipality: str | None = None,
) -> dict:
    """Published point reports of the category whose public location is within the radius
    (with `municipality`, only those in its area); "me too" counts as published counts."""
    area = area_for_code(session, municipality)
    category = active_category_by_code(session, category_code)
    if category.sensitive:
        return {"items": [], "sensitive": True}
    here_point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    here = cast(here_point, Geography)
    public = cast(Report.public_location, Geography)
    distance = func.ST_Distance(public, here)
    rows = session.execute(
        public_point_reports(area)
        .where(
            Category.id == category.id,
            # A planar search in degrees that holds every point within radius_m uses the
            # GiST index; the spheroid test then keeps the exact set.
            func.ST_DWithin(Report.public_location, here_point, degrees_covering(radius_m, lat)),
            func.ST_DWithin(public, here, radius_m),
        )
        .with_only_columns(
            Report.public_id,
            Report.occurred_on,
            public_text_expr().label("text"),
            distance.label("distance_m"),
            Report.municipality_id,
            confirmation_count().label("confirmations"),
            confirmation_cell_key().label("confirmations_ckey"),
        )
        .order_by(distance, Report.public_id)
        .limit(NEARBY_LIMIT)
    ).all()
    counts = ConfirmationCounts(session, settings)
    items = [
        {
            "public_id": r.public_id,
            "category": category.code,
            "distance_m": round_distance_m(r.distance_m),
            "period": r.occurred_on.strftime("%Y-%m"),
            **counts.publish(r.confirmations, r.confirmations_ckey, r.municipality_id),
            "text": r.text,
        }
        for r in rows
    ]
    return {"items": items, "sensitive": False}


def confirm_report(
    session: Session,
    settings: Settings,
    public_id: str,
    data: ConfirmationCreate,
    *,
    client: str | None = None,
) -> dict:
    """Add a "me too" to a published, non-sensitive report placed on the map (else not found).

    With `client` (a salted hash), the intake ceilings are counted: one "me too" per report
    from a client in a window, and the per-client and total ceilings. The answer carries the
    report's count as it is published (perturbed; withheld below k), never the exact one.
    """
    report = session.scalar(public_point_reports().where(Report.public_id == public_id))
    if report is None:
        raise ReportNotFound(
            "No published report with this id can be confirmed. It may have been removed, or "
            "it is of a kind that is shown only as counts."
        )
    if client is not None:
        intake.count(
            session, settings, intake.confirmation_ceilings(settings, client, report.public_id)
        )
    session.add(
        Confirmation(
            report_id=report.id,
            municipality_id=report.municipality_id,
            reporter_gender=data.reporter_gender,
            reporter_age_band=data.reporter_age_band,
        )
    )
    session.flush()
    count, ckey = session.execute(
        select(func.count(Confirmation.id), cell_key(Confirmation.record_key)).where(
            Confirmation.report_id == report.id
        )
    ).one()
    published = ConfirmationCounts(session, settings).publish(count, ckey, report.municipality_id)
    return {"public_id": report.public_id, **published}
