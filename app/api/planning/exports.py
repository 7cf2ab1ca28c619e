"""Planners' exports: the dashboard's layers as files, with a session or an API token."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import PlannerApi, SessionDep, SettingsDep
from app.api.planning.planner import ERRORS, FiltersDep, HexSize, PTableDep
from app.services.planning import exports

router = APIRouter(prefix="/api/v1/planner/exports", tags=["planner"])


@router.get(
    "/{layer}",
    response_class=Response,
    responses={
        **ERRORS,
        200: {
            "description": "The layer as a file (format=geojson, csv, gpkg or shp).",
            "content": {
                "application/geo+json": {"schema": {"type": "string"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
                "application/geopackage+sqlite3": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        },
    },
)
def export_layer(
    layer: Annotated[Literal["indicators", "hotspots", "reports", "sensitive"], Path()],
    user: PlannerApi,
    db: SessionDep,
    settings: SettingsDep,
    filters: FiltersDep,
    ptable: PTableDep,
    format: Annotated[Literal["geojson", "csv", "gpkg", "shp"], Query()] = "gpkg",
    size: HexSize = 250,
) -> Response:
    """A layer as GeoJSON, CSV (zip), GeoPackage or Shapefile (zip), with its metadata.

    Same filters as the dashboard; counts perturbed (cell key method), and below k
    withheld, in every format.
    """
    export = exports.export_layer(
        db, layer, format, filters, settings.k_threshold, ptable, size, settings.hex_sizes_m
    )
    return Response(
        export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )
