"""Public API v1: categories, reports, photos, "me too", indicators. No login; no private data.

Tracking by code is in app.api.tracking; services and areas in app.api.services_api.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from app.api.deps import OptionalUser, SessionDep, SettingsDep
from app.api.filters import BBoxDep, CategoriesDep, GroupsDep, PageDep, PublicPeriodDep
from app.api.submission import SUBMISSION_BODY, Submission, report_submission
from app.schemas.categories import CategoryPublic
from app.schemas.common import ErrorResponse
from app.schemas.confirmations import ConfirmationCreate, ConfirmationCreated, NearbyReports
from app.schemas.geojson import IndicatorCollection, ReportCollection
from app.schemas.reports import ReportCreated
from app.services import categories, confirmations, indicators, photos, reports

router = APIRouter(prefix="/api/v1", tags=["public"])
ERRORS: dict[int | str, dict] = {422: {"model": ErrorResponse}, 404: {"model": ErrorResponse}}


@router.get("/categories", response_model=list[CategoryPublic])
def list_categories(db: SessionDep):
    """Active report categories with their labels in Turkish and English."""
    return categories.active_categories(db)


@router.post(
    "/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportCreated,
    responses={**ERRORS, 413: {"model": ErrorResponse}},
    openapi_extra=SUBMISSION_BODY,
)
def create_report(
    submission: Annotated[Submission, Depends(report_submission)],
    db: SessionDep,
    settings: SettingsDep,
) -> ReportCreated:
    """Submit a report (JSON, or multipart with 0-3 photos). Private until a volunteer approves.

    The tracking code in the response is shown only once: only its hash is stored. Report and
    photos are stored together or not at all.
    """
    return reports.submit_report(db, settings, submission.data, submission.photos)


@router.get("/reports/nearby", response_model=NearbyReports, responses=ERRORS)
def nearby_reports(
    db: SessionDep,
    settings: SettingsDep,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    category: Annotated[str, Query(min_length=1, max_length=64)],
    radius_m: Annotated[float, Query(gt=0, le=500)] = 150,
) -> dict:
    """ "Me too" candidates: published reports of the category that may lie within the radius.

    Only public (displaced) points are used: a report is listed when its public point is
    within `radius_m` plus the largest displacement, so one made at her very spot is found
    whatever its displacement; `distance_m` is to the public point. Sensitive categories list
    nothing (`sensitive: true`): they are public only as counts per mahalle.
    """
    return confirmations.nearby_reports(
        db, lon, lat, category, radius_m + settings.displacement_max_m
    )


@router.post(
    "/reports/{public_id}/confirmations",
    status_code=status.HTTP_201_CREATED,
    response_model=ConfirmationCreated,
    responses=ERRORS,
)
def confirm_report(
    public_id: Annotated[str, Path(min_length=1, max_length=16)],
    body: ConfirmationCreate,
    db: SessionDep,
) -> dict:
    """Add a "me too" to a published, non-sensitive report instead of filing a duplicate."""
    return confirmations.confirm_report(db, public_id, body)


@router.get(
    "/photos/{photo_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}, 404: {"model": ErrorResponse}},
)
def get_photo(photo_id: Annotated[str, Path(max_length=36)], db: SessionDep, viewer: OptionalUser):
    """A report photo (JPEG, no metadata): public once the report is published, unless its
    category is sensitive; moderators see all. Otherwise 404, so existence is not revealed."""
    photo = photos.photo_for_viewer(db, viewer, photo_id)
    cache = "public, max-age=300" if photo.public else "no-store"
    return Response(
        photo.content,
        media_type=photos.MEDIA_TYPE,
        headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"},
    )


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
