"""Area tiles: indicator polygons per mahalle and hotspot hexagons, with their protected values.

The values are those of the public layers themselves (`planning.indicator_features`, the
hexagon Gi* layer `planning.hotspot_layer`): perturbed with the cell key method, small cells
withheld, secondary suppression applied over the whole layer, never per tile (a tile's
cells alone would not see the partition they belong to). Only the geometry is cut per tile.
"""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services.planning import IndicatorFilters, hotspot_layer, indicator_features
from app.services.scope import PlannerFilters, default_period
from app.services.standards import layer_cache
from app.services.standards.tile_matrix import EXTENT, TileAddress
from app.services.standards.tile_reports import TileFilters
from app.services.suppression import PTable

# The layers themselves are kept per public data version (`layer_cache`): a new tile of the
# same layer cuts the kept one instead of recomputing the indicator set or Gi*.
LAYER_INDICATORS = "indicators"
LAYER_HOTSPOTS = "hotspots"
HOTSPOT_SIZE_M = 250

# Mahalle geometry from the table (GiST index on geom), simplified to a tenth of a pixel of
# this zoom; the protected values join by code.
INDICATORS_MVT_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
vals AS (SELECT key AS code, value AS props FROM jsonb_each(CAST(:values AS jsonb)))
SELECT ST_AsMVT(t, :layer, :extent, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_Simplify(ST_Transform(m.geom, 3857), :tolerance), env.e,
                        :extent, 64, true) AS geom,
           vals.props
    FROM mahalle m JOIN vals ON vals.code = m.code, env
    WHERE m.geom && ST_Transform(env.e, 4326)
) t WHERE t.geom IS NOT NULL
"""

FEATURES_MVT_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
f AS (
    SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(item->'geometry'), 4326), 3857) AS g,
           item->'properties' AS props
    FROM jsonb_array_elements(CAST(:features AS jsonb)) AS item
)
SELECT ST_AsMVT(t, :layer, :extent, 'geom') FROM (
    SELECT ST_AsMVTGeom(f.g, env.e, :extent, 64, true) AS geom, f.props
    FROM f, env WHERE f.g && env.e
) t WHERE t.geom IS NOT NULL
"""


def _scalars(properties: dict) -> dict:
    """The properties an MVT feature can carry (nulls left out: absent means withheld)."""
    return {
        key: value
        for key, value in properties.items()
        if value is not None and isinstance(value, str | int | float | bool)
    }


def indicator_tile(
    session: Session,
    tile: TileAddress,
    municipality: str | None,
    filters: TileFilters,
    k: int,
    ptable: PTable,
) -> bytes:
    """The indicator polygons of a tile with the public layer's protected values."""
    layer_filters = IndicatorFilters(filters.since, filters.until, filters.groups, municipality)
    features = layer_cache.LAYERS.get_or_compute(
        session,
        ("indicator tiles", layer_filters, k, ptable.source),
        lambda: indicator_features(session, layer_filters, k, ptable),
    )
    values = {f["properties"]["code"]: _scalars(f["properties"]) for f in features}
    if not values:
        return b""
    found = session.execute(
        text(INDICATORS_MVT_SQL),
        {
            "z": tile.z,
            "x": tile.x,
            "y": tile.y,
            "values": json.dumps(values),
            "layer": LAYER_INDICATORS,
            "extent": EXTENT,
            "tolerance": tile.size_m / EXTENT / 10,
        },
    ).scalar_one()
    return bytes(found or b"")


def hotspot_tile(
    session: Session,
    tile: TileAddress,
    area: tuple[int, ...] | None,
    municipality: str | None,
    filters: TileFilters,
    k: int,
    ptable: PTable,
) -> bytes:
    """The hotspot hexagons of a tile, as the hexagon layer publishes them."""
    since, until = default_period()
    layer_filters = PlannerFilters(
        since=filters.since or since,
        until=filters.until or until,
        groups=filters.groups,
        time_bands=filters.time_bands,
        municipalities=area,
        municipality=municipality,
    )
    layer = layer_cache.LAYERS.get_or_compute(
        session,
        ("hotspot tiles", repr(layer_filters), k, ptable.source),
        lambda: hotspot_layer(session, layer_filters, HOTSPOT_SIZE_M, k, ptable),
    )
    features = [
        {"geometry": f["geometry"], "properties": _scalars(f["properties"])}
        for f in layer["features"]
    ]
    if not features:
        return b""
    found = session.execute(
        text(FEATURES_MVT_SQL),
        {
            "z": tile.z,
            "x": tile.x,
            "y": tile.y,
            "features": json.dumps(features),
            "layer": LAYER_HOTSPOTS,
            "extent": EXTENT,
        },
    ).scalar_one()
    return bytes(found or b"")
