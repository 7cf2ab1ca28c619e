"""Public reports API: submission, the public layer, photos and "me too". No login; no private
data. Tracking by code is in `tracking`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from app.api.deps import OptionalUser, PublicReadSession, SessionDep, SettingsDep
from app.api.filters import BBoxDep, CategoriesDep, MunicipalityCode, PageDep, PublicPeriodDep
from app.api.reporting.submission import SUBMISSION_BODY, Submission, report_submission
from app.schemas.common import PUBLIC_ERRORS, ErrorResponse, file_answer
from app.schemas.geojson import ReportCollection
from app.schemas.reporting import (
    ConfirmationCreate,
    ConfirmationCreated,
    NearbyReports,
    ReportCreated,
)
from app.services.reporting import confirmations, intake, photos, public_layer, submission

router = APIRouter(prefix="/api/v1", tags=["public"])
ERRORS = PUBLIC_ERRORS
LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorResponse, "description": "An intake ceiling is reached (Retry-After)."},
    503: {"model": ErrorResponse, "description": "The database is unavailable (Retry-After)."},
}


def intake_client(request: Request, settings: SettingsDep) -> str:
    """The sender as a salted hash of its address that changes daily (never the address)."""
    host = request.client.host if request.client else "unknown"
    return intake.client_hash(settings, host)


IntakeClient = Annotated[str, Depends(intake_client)]


@router.post(
    "/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportCreated,
    responses={**ERRORS, **LIMITED, 413: {"model": ErrorResponse}},
    openapi_extra=SUBMISSION_BODY,
)
def create_report(
    sent: Annotated[Submission, Depends(report_submission)],
    db: SessionDep,
    settings: SettingsDep,
    client: IntakeClient,
) -> ReportCreated:
    """Submit a report (JSON, or multipart with 0-3 photos). Private until a volunteer approves.

    The tracking code in the response is shown only once: only its hash is stored. Report and
    photos are stored together or not at all.
    """
    return submission.submit_report(db, settings, sent.data, sent.photos, client)


@router.get("/reports/nearby", response_model=NearbyReports, responses=ERRORS)
def nearby_reports(
    db: PublicReadSession,
    settings: SettingsDep,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    category: Annotated[str, Query(min_length=1, max_length=64)],
    municipality: MunicipalityCode,
    radius_m: Annotated[float, Query(gt=0, le=500)] = 150,
) -> dict:
    """ "Me too" candidates: published reports of the category that may lie within the radius.

    Only public (displaced) points are used: a report is listed when its public point is
    within `radius_m` plus the largest displacement, so one made at her very spot is found
    whatever its displacement; `distance_m` is to the public point. Sensitive categories list
    nothing (`sensitive: true`): they are public only as counts per mahalle. With
    `municipality`, only reports in its area.
    """
    return confirmations.nearby_reports(
        db, settings, lon, lat, category, radius_m + settings.displacement_max_m, municipality
    )


@router.post(
    "/reports/{public_id}/confirmations",
    status_code=status.HTTP_201_CREATED,
    response_model=ConfirmationCreated,
    responses={**ERRORS, **LIMITED},
)
def confirm_report(
    public_id: Annotated[str, Path(min_length=1, max_length=16)],
    body: ConfirmationCreate,
    db: SessionDep,
    settings: SettingsDep,
    client: IntakeClient,
) -> dict:
    """Add a "me too" to a published, non-sensitive report instead of filing a duplicate.

    One "me too" per report from a device in each intake window; ceilings as for reports."""
    return confirmations.confirm_report(db, settings, public_id, body, client=client)


@router.get(
    "/photos/{photo_id}",
    response_class=Response,
    responses={
        **file_answer("The photo (JPEG, no metadata).", "image/jpeg"),
        404: {"model": ErrorResponse},
    },
)
def get_photo(
    photo_id: Annotated[str, Path(max_length=36)], db: PublicReadSession, viewer: OptionalUser
):
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
    db: PublicReadSession,
    settings: SettingsDep,
    bbox: BBoxDep,
    period: PublicPeriodDep,
    category: CategoriesDep,
    page: PageDep,
    municipality: MunicipalityCode,
) -> dict:
    """Published reports of non-sensitive categories as GeoJSON, at their displaced points;
    with `municipality`, only those in its area (its districts included).

    Sensitive categories (harassment, following, assault) are never points: see
    /api/v1/indicators for counts per mahalle.
    """
    filters = public_layer.ReportFilters(bbox, category, period.since, period.until, municipality)
    return public_layer.public_report_collection(
        db, settings, filters, limit=page.limit, offset=page.offset
    )
