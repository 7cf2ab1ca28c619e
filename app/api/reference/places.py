"""Public layers that help a reporter: support services, the mahalle list, the area outline.

Each takes `municipality=` (a code from GET /api/v1/municipalities): only that municipality's
area, its districts included; without it, the whole deployment.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import PublicReadSession, SettingsDep
from app.api.filters import MunicipalityCode
from app.schemas.common import ErrorResponse
from app.schemas.reference import AreaFeature, MahalleList, NearestServices, ServiceCollection
from app.schemas.reporting import NearbyService
from app.services.reference import areas, service_points

router = APIRouter(prefix="/api/v1", tags=["public"])
ERRORS: dict[int | str, dict] = {422: {"model": ErrorResponse}}
# Public reference data, the same for everyone: a slow connection may keep it for an hour.
CACHE_AN_HOUR = "public, max-age=3600"


@router.get("/services", response_model=ServiceCollection, responses=ERRORS)
def list_services(
    db: PublicReadSession, response: Response, municipality: MunicipalityCode
) -> dict:
    """Support services (counselling, ŞÖNİM, police, health) as GeoJSON, at their real places.

    These are public institutions; shelters are never in this layer.
    """
    collection = service_points.service_collection(db, municipality)
    response.headers["Cache-Control"] = CACHE_AN_HOUR
    return collection


@router.get("/services/nearest", response_model=NearestServices, responses=ERRORS)
def nearest_services(
    db: PublicReadSession,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    municipality: MunicipalityCode,
    limit: Annotated[int, Query(ge=1, le=service_points.MAX_NEAREST)] = 3,
) -> NearestServices:
    """The nearest support services to a point, with distances rounded to 10 m (with
    `municipality`, only its own; without, the nearest overall, across borders)."""
    items = service_points.nearest_services(db, lon, lat, limit, municipality)
    return NearestServices(items=[NearbyService(**i) for i in items])


@router.get("/mahalle", response_model=MahalleList, responses=ERRORS)
def list_mahalle(
    db: PublicReadSession, response: Response, municipality: MunicipalityCode
) -> MahalleList:
    """Every mahalle (code, name, district) in Turkish alphabetical order, for the no-map path."""
    items = areas.mahalle_list(db, municipality)
    response.headers["Cache-Control"] = CACHE_AN_HOUR
    return MahalleList(items=items)


@router.get("/area", response_model=AreaFeature, responses=ERRORS)
def deployment_area(
    db: PublicReadSession, settings: SettingsDep, response: Response, municipality: MunicipalityCode
) -> dict:
    """The area this map covers (the municipality's mahalle, or the whole deployment), as a
    GeoJSON Feature simplified to about 20 m.

    For the page's "outside the area" hint only; the server decides exactly on submission.
    """
    outline = areas.area_outline(db, settings, municipality)
    response.headers["Cache-Control"] = CACHE_AN_HOUR
    return outline
