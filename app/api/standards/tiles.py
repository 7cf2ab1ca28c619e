"""OGC API – Tiles: tilesets, the WebMercatorQuad tile matrix set, and MVT tiles."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from app.api.caching import conditional
from app.api.deps import PublicReadSession, SettingsDep
from app.api.filters import public_period_query
from app.api.standards.common import Viewer
from app.errors import InvalidInput
from app.models import CategoryGroup, TimeBand
from app.schemas.standards import (
    TileMatrixSetDocument,
    TileMatrixSetList,
    TilesetDocument,
    TilesetList,
)
from app.services import suppression
from app.services.scope import PlannerFilters, default_period
from app.services.standards import planner_tiles, tiles
from app.services.standards.tile_matrix import TMS_ID, tile_matrix_set, tile_matrix_sets

router = APIRouter(prefix="/ogc", tags=["standards"])
ERRORS: dict[int | str, dict] = {
    400: {"description": "Invalid parameter (OGC exception JSON)"},
    404: {"description": "Unknown collection, municipality or tile matrix set"},
}
FILTER_PARAMS = ("group", "since", "until", "time_band", "f")
PLANNER_FILTER_PARAMS = (*FILTER_PARAMS, "district")
CollectionId = Annotated[
    str,
    Path(max_length=80, description="reports, indicators, hotspots, or <kind>.<municipality code>"),
]
TileIndex = Annotated[int, Path(ge=0, le=2**30)]


def _enum_values(request: Request, name: str, enum) -> tuple:
    raw = [v.strip() for item in request.query_params.getlist(name) for v in item.split(",")]
    allowed = [m.value for m in enum]
    bad = [v for v in raw if v not in allowed]
    if bad:
        raise InvalidInput(
            f"Unknown {name} {bad[0]!r}: use one of {', '.join(allowed)}.", field=name
        )
    return tuple(dict.fromkeys(enum(v) for v in raw if v))


def _date(request: Request, name: str) -> date | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InvalidInput(f"'{name}' must be a date YYYY-MM-DD, not {value!r}.", field=name)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"'{name}' is not a valid date: {value!r}.", field=name) from exc


def _refuse_unknown(request: Request, known: tuple[str, ...]) -> None:
    unknown = sorted(set(request.query_params) - set(known))
    if unknown:
        raise InvalidInput(
            f"Unknown query parameter {unknown[0]!r}; these tiles take {', '.join(known)}.",
            field=unknown[0],
        )


def tile_filters(request: Request) -> tiles.TileFilters:
    """Server-side filters from the query string; unknown parameters and values: 400."""
    _refuse_unknown(request, FILTER_PARAMS)
    period = public_period_query(_date(request, "since"), _date(request, "until"))
    return tiles.TileFilters(
        groups=_enum_values(request, "group", CategoryGroup),
        since=period.since,
        until=period.until,
        time_bands=_enum_values(request, "time_band", TimeBand),
    )


def planner_tile_filters(request: Request) -> PlannerFilters:
    """The dashboard's filters of a planners' tile: as the planner API's, whole months
    (default: the last twelve), groups, time bands, districts; the area comes later."""
    _refuse_unknown(request, PLANNER_FILTER_PARAMS)
    period = public_period_query(_date(request, "since"), _date(request, "until"))
    default_since, default_until = default_period()
    districts = [v.strip() for v in request.query_params.getlist("district") if v.strip()]
    if any(len(d) > 100 for d in districts):
        raise InvalidInput("A district name is at most 100 characters.", field="district")
    return PlannerFilters(
        period.since or (default_since if period.until is None else period.until.replace(day=1)),
        period.until or default_until,
        _enum_values(request, "group", CategoryGroup),
        _enum_values(request, "time_band", TimeBand),
        tuple(dict.fromkeys(districts)),
    )


async def perturbation_table(settings: SettingsDep) -> suppression.PTable:
    """The cell key perturbation table of the settings (read and validated once)."""
    return suppression.perturbation_table(settings.perturbation_table)


PTableDep = Annotated[suppression.PTable, Depends(perturbation_table)]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/tileMatrixSets", response_model=TileMatrixSetList, responses=ERRORS)
def list_tile_matrix_sets(request: Request) -> dict:
    """The tile matrix sets tiles are served in (WebMercatorQuad)."""
    return tile_matrix_sets(_base(request))


@router.get("/tileMatrixSets/{tms_id}", response_model=TileMatrixSetDocument, responses=ERRORS)
def get_tile_matrix_set(tms_id: Annotated[str, Path(max_length=64)]) -> dict:
    """The WebMercatorQuad definition (OGC 17-083r4)."""
    _only_web_mercator(tms_id)
    return tile_matrix_set()


@router.get("/collections/{collection_id}/tiles", response_model=TilesetList, responses=ERRORS)
def list_tilesets(
    request: Request, db: PublicReadSession, viewer: Viewer, collection_id: CollectionId
) -> dict:
    """The vector tilesets of a collection."""
    if planner_tiles.is_planner_tileset(collection_id):
        return planner_tiles.planner_tilesets(db, viewer, _base(request), collection_id)
    tiles.parse_collection_id(db, collection_id)
    return tiles.tilesets(_base(request), collection_id)


@router.get(
    "/collections/{collection_id}/tiles/{tms_id}",
    response_model=TilesetDocument,
    responses=ERRORS,
)
def get_tileset(
    request: Request,
    db: PublicReadSession,
    collection_id: CollectionId,
    tms_id: Annotated[str, Path(max_length=64)],
    viewer: Viewer,
) -> dict:
    """The tileset: layers, zoom range, URL template (OGC tileset and TileJSON 3.0 fields)."""
    _only_web_mercator(tms_id)
    if planner_tiles.is_planner_tileset(collection_id):
        planner_tile_filters(request)  # validated: 400 before the template carries them
        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "f"])
        return planner_tiles.planner_tileset(db, viewer, _base(request), collection_id, query)
    return tiles.tileset_metadata(db, _base(request), collection_id, tile_filters(request))


@router.get(
    "/collections/{collection_id}/tiles/{tms_id}/{z}/{y}/{x}",
    response_class=Response,
    responses={
        **ERRORS,
        200: {
            "description": "A Mapbox vector tile (or, for report tiles with f=geojson, GeoJSON).",
            "content": {
                tiles.MVT_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
                "application/geo+json": {"schema": {"type": "string"}},
            },
        },
        304: {"description": "Not modified (If-None-Match)."},
    },
)
def get_tile(
    request: Request,
    db: PublicReadSession,
    settings: SettingsDep,
    ptable: PTableDep,
    collection_id: CollectionId,
    tms_id: Annotated[str, Path(max_length=64)],
    z: TileIndex,
    y: TileIndex,
    x: TileIndex,
    viewer: Viewer,
) -> Response:
    """One Mapbox vector tile ({tileMatrix}/{tileRow}/{tileCol}: z/y/x), or for reports with
    `f=geojson` the same tile as GeoJSON; 304 on a matching If-None-Match. The planners'
    report tiles (`planner-reports[.<code>]`) need a planner's login or token."""
    _only_web_mercator(tms_id)
    encoding = request.query_params.get("f", "mvt")
    headers = {"Cache-Control": tiles.CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if planner_tiles.is_planner_tileset(collection_id):
        tile = planner_tiles.planner_report_tile(
            db, viewer, collection_id, z, x, y, planner_tile_filters(request),
            settings.k_threshold, ptable, encoding,
        )  # fmt: skip
        headers = {"Cache-Control": planner_tiles.CACHE_CONTROL, "Vary": planner_tiles.VARY}
    else:
        kind, municipality = tiles.parse_collection_id(db, collection_id)
        tile = tiles.collection_tile(
            db, kind, municipality, z, x, y, tile_filters(request), settings.k_threshold,
            ptable, encoding,
        )  # fmt: skip
    return conditional(request, tile, headers)


def _only_web_mercator(tms_id: str) -> None:
    if tms_id != TMS_ID:
        raise tiles.CollectionNotFound(
            f"Unknown tile matrix set {tms_id!r}: tiles are served in {TMS_ID}."
        )
