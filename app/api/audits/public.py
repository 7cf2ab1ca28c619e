"""The public layer of approved audit points (displaced, scores only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from app.api.caching import conditional
from app.api.deps import PTableDep, PublicReadSession, SettingsDep
from app.api.filters import MunicipalityCode
from app.schemas.audits import AuditPointCollection, AuditTile
from app.schemas.common import PUBLIC_ERRORS
from app.services import audits, standards

MAX_POINTS = 10_000
router = APIRouter(prefix="/api/v1/audits", tags=["audits"], responses=PUBLIC_ERRORS)


@router.get("/points", response_model=AuditPointCollection)
def audit_points(
    request: Request,
    db: PublicReadSession,
    settings: SettingsDep,
    municipality: MunicipalityCode = None,
    limit: Annotated[int, Query(ge=1, le=MAX_POINTS, description="Points per page.")] = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Points to skip.")] = 0,
):
    """Points of approved audit walks: the displaced point, month and time band of the walk,
    the nine scores and their mean; only in mahalle with at least k approved points. A page
    at a time (`next` links the following one); the map reads them by tile
    (`/api/v1/audits/tiles/{z}/{y}/{x}`)."""
    features = audits.public_points(db, settings.k_threshold, municipality, limit + 1, offset)
    following = None
    if len(features) > limit:
        features = features[:limit]
        following = str(request.url.include_query_params(limit=limit, offset=offset + limit))
    return {
        "type": "FeatureCollection",
        "features": features,
        "parameters": list(audits.PARAMETERS),
        "next": following,
    }


TileIndex = Annotated[int, Path(ge=0, le=2**30)]


@router.get("/tiles/{z}/{y}/{x}", response_model=AuditTile)
def audit_tile(
    request: Request,
    z: TileIndex,
    y: TileIndex,
    x: TileIndex,
    db: PublicReadSession,
    settings: SettingsDep,
    ptable: PTableDep,
    municipality: MunicipalityCode = None,
):
    """One WebMercatorQuad tile (zoom, row, column) of the public audit layer as GeoJSON:
    below zoom 15 per-cell counts (cell-key perturbed, "fewer than k" below k) with their
    mean score, from zoom 15 the points themselves, as GET /api/v1/audits/points gives them.
    With an ETag; 304 on a matching If-None-Match."""
    tile = standards.audit_tile(db, z, x, y, settings.k_threshold, municipality, ptable)
    return conditional(request, tile, {"Cache-Control": standards.TILE_CACHE_CONTROL})
