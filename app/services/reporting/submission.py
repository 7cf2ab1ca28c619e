"""Submitting a report: validation of when and where, storage, the reporter's answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import RECEIPT
from app.errors import InvalidInput
from app.models import (
    LocationPrecision,
    Report,
    ReportSource,
    TimeBand,
)
from app.schemas.reporting import CONSENT_VERSION, NearbyService, ReportCreate, ReportCreated
from app.services.clock import LOCAL_TZ, time_band_at
from app.services.reference import (
    active_category_by_code,
    mahalle_name,
    municipality_code,
    nearest_services,
)
from app.services.reporting import intake, photos
from app.services.reporting.codes import hash_tracking_code, new_public_id, new_tracking_code
from app.services.reporting.locate import Located, locate_report
from app.services.reporting.placement import place_in_mahalle

MAX_PAST_DAYS = 730  # "it happened earlier" reaches back two years at most


def _when(data: ReportCreate, now: datetime) -> tuple[date, TimeBand]:
    today = now.astimezone(LOCAL_TZ).date()
    if data.happening_now:
        return today, time_band_at(now)
    if data.occurred_on is None:
        raise InvalidInput(
            "Say when it happened (occurred_on), or that it is happening now.", field="occurred_on"
        )
    if data.time_band is None:
        raise InvalidInput(
            "Choose the time of day it happened (day, evening or night).", field="time_band"
        )
    if data.occurred_on > today:
        raise InvalidInput("The date cannot be in the future.", field="occurred_on")
    if data.occurred_on < today - timedelta(days=MAX_PAST_DAYS):
        raise InvalidInput("The date can be at most two years ago.", field="occurred_on")
    return data.occurred_on, data.time_band


def create_report(
    session: Session, settings: Settings, data: ReportCreate, *, now: datetime | None = None
) -> tuple[Report, str]:
    """Store a new pending report (no intake ceilings); return it with its tracking code."""
    report, code, _ = _store_report(session, settings, data, now=now)
    return report, code


def _store_report(
    session: Session,
    settings: Settings,
    data: ReportCreate,
    *,
    now: datetime | None = None,
    client: str | None = None,
    photo_count: int = 0,
    source: ReportSource = ReportSource.web,
) -> tuple[Report, str, Located]:
    """Store a new pending report; return it with its tracking code (shown once, never stored).

    With `client` (a salted hash of the sender's address), the intake ceilings are counted
    for it, its mahalle and the whole deployment first (429 beyond one of them).
    """
    if data.website:
        # The honeypot: a field people never see, filled only by scripts that fill every field.
        raise InvalidInput(
            "This report could not be accepted. Please send it from the page itself.",
            field="website",
        )
    now = now or datetime.now(LOCAL_TZ)
    occurred_on, band = _when(data, now)
    public_id = new_public_id()  # first: the displaced point is drawn from it
    if data.location is not None:
        exact = Point(data.location.lon, data.location.lat)
        located = locate_report(session, settings, data.category, exact.x, exact.y, public_id)
        precision = LocationPrecision.point
    else:
        assert data.mahalle_code is not None  # the schema demands one of the two
        category = active_category_by_code(session, data.category)
        exact, placement = place_in_mahalle(session, data.mahalle_code)
        mahalle_id = placement.mahalle.id if placement.mahalle else None
        located = Located(
            category.id,
            mahalle_id,
            placement.municipality_id,
            placement.public_point,
            mahalle_name(session, mahalle_id),
            municipality_code(session, placement.municipality_id),
            nearest_services(session, exact.x, exact.y),
        )
        precision = LocationPrecision.mahalle
    if client is not None:
        intake.count(
            session,
            settings,
            intake.report_ceilings(settings, client, located.mahalle_id, photo_count),
        )
    code = new_tracking_code()
    report = Report(
        public_id=public_id,
        category_id=located.category_id,
        location=from_shape(exact, srid=4326),
        public_location=from_shape(located.public_point, srid=4326),
        location_precision=precision,
        place_description=data.place_description or None,
        mahalle_id=located.mahalle_id,
        municipality_id=located.municipality_id,
        happening_now=data.happening_now,
        occurred_on=occurred_on,
        time_band=band,
        perceived_safety=data.perceived_safety,
        text=data.text,
        reporter_gender=data.reporter_gender,
        reporter_age_band=data.reporter_age_band,
        tracking_code_hash=hash_tracking_code(code),
        source=source,
        consent_version=CONSENT_VERSION,
    )
    session.add(report)
    session.flush()
    return report, code, located


def submit_report(
    session: Session,
    settings: Settings,
    data: ReportCreate,
    uploads: Sequence[bytes] = (),
    client: str | None = None,
    source: ReportSource = ReportSource.web,
) -> ReportCreated:
    """A reporter's submission with 0-3 photos, stored together or not at all.

    Answers with the public id, the tracking code (shown once) and the nearest support
    services, measured from the place she gave (that place itself is not echoed).
    """
    cleaned = photos.clean_photos(uploads, settings)  # every photo checked before any write
    report, code, located = _store_report(
        session, settings, data, client=client, photo_count=len(cleaned), source=source
    )
    photos.store_photos(session, report, cleaned)
    # Should the commit's outcome be unknown (the connection lost), the sender still learns
    # how to check: the 503 carries this receipt (app.db.unit_of_work).
    session.info[RECEIPT] = {"public_id": report.public_id, "tracking_code": code}
    return ReportCreated(
        public_id=report.public_id,
        tracking_code=code,
        status=report.status,
        mahalle=located.mahalle_name,
        municipality=located.municipality_code or "",
        location_precision=report.location_precision,
        photos=len(cleaned),
        nearest_services=[NearbyService(**s) for s in located.nearest_services],
    )
