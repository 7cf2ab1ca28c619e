"""Public API v1: categories, reports, tracking, indicators. No login; no private data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from app.api.deps import SessionDep, SettingsDep
from app.api.filters import BBoxDep, CategoriesDep, GroupsDep, PageDep, PublicPeriodDep
from app.schemas.categories import CategoryPublic
from app.schemas.common import ErrorResponse
from app.schemas.geojson import IndicatorCollection, ReportCollection
from app.schemas.reports import ReportCreate, ReportCreated, TrackedReport
from app.services import categories, indicators, reports

router = APIRouter(prefix="/api/v1", tags=["public"])
ERRORS: dict[int | str, dict] = {422: {"model": ErrorResponse}, 404: {"model": ErrorResponse}}


@router.get("/categories", response_model=list[CategoryPublic])
def list_categories(db: SessionDep):
    """Active report categories with their labels in Turkish and English."""
    return categories.active_categories(db)


@router.post(
    "/reports", status_code=status.HTTP_201_CREATED, response_model=ReportCreated, responses=ERRORS
)
def create_report(body: ReportCreate, db: SessionDep, settings: SettingsDep) -> ReportCreated:
    """Submit a report. It stays private until a volunteer approves it.

    The tracking code in the response is shown only once: only its hash is stored.
    """
    return reports.submit_report(db, settings, body)


@router.get("/reports", response_model=ReportCollection, responses=ERRORS)
def list_reports(
    db: SessionDep, bbox: BBoxDep, period: PublicPeriodDep, category: CategoriesDep, page: PageDep
) -> dict:
    """Published reports of non-sensitive categories as GeoJSON, at their displaced points.

    Sensitive categories (harassment, following, assault) are never points: see
    /api/v1/indicators for counts per mahalle.
    """
    filters = reports.ReportFilters(bbox, category, period.since, period.until)
    return reports.public_report_collection(db, filters, limit=page.limit, offset=page.offset)


@router.get("/track/{code}", response_model=TrackedReport, responses=ERRORS)
def track_report(
    code: Annotated[str, Path(min_length=4, max_length=40)], db: SessionDep
) -> TrackedReport:
    """The reporter's own view of her report, by the tracking code she was given."""
    return reports.tracked_report(db, code)


@router.get("/indicators", response_model=IndicatorCollection, responses=ERRORS)
def list_indicators(
    db: SessionDep, settings: SettingsDep, period: PublicPeriodDep, group: GroupsDep
) -> dict:
    """Per-mahalle indicators for a period of whole months, as GeoJSON (simplified polygons).

    Counts from 1 to k-1 are suppressed (null, with `reports_suppressed: true`); a total is
    withheld too when its sensitive part is that small. Filter by category group only.
    """
    filters = indicators.IndicatorFilters(period.since, period.until, group)
    return indicators.indicator_collection(db, filters, settings.k_threshold)
