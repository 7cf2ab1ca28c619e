"""The OpenAPI 3.0 document of /ogc, written for it (FastAPI's is 3.1, which the OGC
conformance tools reject): the OGC building blocks (bbox, datetime, limit, offset, f),
with the collection ids as an enumeration."""

from __future__ import annotations

from fastapi import Request

from app.api.standards.common import base_url
from app.api.standards.params import DEFAULT_LIMIT, MAX_LIMIT
from app.services.standards import Collection

EXCEPTION = {"$ref": "#/components/responses/Exception"}
FORMAT = {"$ref": "#/components/parameters/f"}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


ITEMS_PARAMETERS = [
    _query(
        "bbox",
        "minx,miny,maxx,maxy in degrees (CRS84); 6 numbers with heights.",
        {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
    ),
    _query(
        "datetime",
        "An RFC 3339 instant or interval (open ends: '..'). Public figures are never finer "
        "than a month: reports match by the month they happened in, aggregates cover the "
        "whole months the interval touches.",
        {"type": "string"},
    ),
    _query(
        "limit",
        f"Features per page (a larger value is cut to {MAX_LIMIT}).",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    _query(
        "offset",
        "Features to skip (the next links carry it).",
        {"type": "integer", "minimum": 0, "default": 0},
    ),
    _query(
        "filter",
        "A Basic CQL2 text filter on the report collections' queryables (see /queryables): "
        "comparisons (=, <>, <, <=, >, >=, IS NULL) with AND, OR, NOT, e.g. "
        "category_group = 'lighting' AND perceived_safety <= 2.",
        {"type": "string"},
    ),
    _query("filter-lang", "The filter's language.", {"type": "string", "enum": ["cql2-text"]}),
]


def _ok(description: str, media_types: tuple[str, ...]) -> dict:
    content = {m: {"schema": {"type": "object"}} for m in media_types}
    content["text/html"] = {"schema": {"type": "string"}}
    return {
        "200": {"description": description, "content": content},
        "400": EXCEPTION,
        "404": EXCEPTION,
        "500": EXCEPTION,
    }


def _get(operation_id: str, summary: str, tag: str, parameters: list, responses: dict) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": [tag],
            "parameters": parameters,
            "responses": responses,
        }
    }


def document(request: Request, collections: list[Collection]) -> dict:
    """The API definition, with this server's URL."""
    collection_id = {
        "name": "collectionId",
        "in": "path",
        "required": True,
        "description": "A collection: a kind, optionally '.' and a municipality code. The "
        "planners' collections (planner-...) need a bearer token.",
        "schema": {"type": "string", "enum": [c.id for c in collections]},
    }
    feature_id = {
        "name": "featureId",
        "in": "path",
        "required": True,
        "description": "The feature's id (a report's public id, a mahalle code, a cell).",
        "schema": {"type": "string"},
    }
    # Written out, not as $ref: some validators read only an inline parameter's name.
    items_params = [*ITEMS_PARAMETERS, FORMAT]
    json = ("application/json",)
    geojson = ("application/geo+json",)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Mor Harita – OGC API Features",
            "version": "1.0.0",
            "description": "Public report points (displaced, never sensitive categories), "
            "protected indicators per mahalle, hotspot cells and support services; planners' "
            "collections with a personal API token. See docs/standards.md.",
            "license": {"name": "ODbL 1.0 (boundaries); reports: Mor Harita contributors"},
        },
        "servers": [{"url": base_url(request)}],
        "tags": [{"name": "Capabilities"}, {"name": "Data"}, {"name": "Tiles"}],
        "paths": {
            "/": _get(
                "getLandingPage",
                "The landing page",
                "Capabilities",
                [FORMAT],
                _ok("Links to the API's resources.", json),
            ),
            "/conformance": _get(
                "getConformanceDeclaration",
                "The conformance classes",
                "Capabilities",
                [FORMAT],
                _ok("The classes this API conforms to.", json),
            ),
            "/api": _get(
                "getApiDefinition",
                "This document",
                "Capabilities",
                [FORMAT],
                _ok("The API definition.", ("application/vnd.oai.openapi+json;version=3.0",)),
            ),
            "/collections": _get(
                "getCollections",
                "The collections",
                "Capabilities",
                [FORMAT],
                _ok("The collections.", json),
            ),
            "/collections/{collectionId}": _get(
                "describeCollection",
                "One collection",
                "Capabilities",
                [collection_id, FORMAT],
                _ok("The collection.", json),
            ),
            "/collections/{collectionId}/queryables": _get(
                "getQueryables",
                "What a filter may name in the collection",
                "Capabilities",
                [collection_id, FORMAT],
                _ok("The queryables (JSON Schema).", ("application/schema+json",)),
            ),
            "/collections/{collectionId}/items": _get(
                "getFeatures",
                "The features of a collection",
                "Data",
                [collection_id, *items_params],
                _ok("A FeatureCollection.", geojson),
            ),
            "/collections/{collectionId}/items/{featureId}": _get(
                "getFeature",
                "One feature",
                "Data",
                [collection_id, feature_id, FORMAT],
                _ok("A Feature.", geojson),
            ),
            **tile_paths(
                {
                    **collection_id,
                    "schema": {"type": "string", "enum": [c.id for c in collections if c.tiled]},
                }
            ),
        },
        "components": {
            "parameters": {
                "f": {
                    "name": "f",
                    "in": "query",
                    "required": False,
                    "description": "The format (else the Accept header decides).",
                    "schema": {"type": "string", "enum": ["json", "html"]},
                    "style": "form",
                    "explode": False,
                },
            },
            "responses": {
                "Exception": {
                    "description": "An OGC API exception: what is wrong.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["code"],
                                "properties": {
                                    "code": {"type": "string"},
                                    "description": {"type": "string"},
                                },
                            }
                        }
                    },
                }
            },
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A planner's personal API token (mh_...), for planner-... collections.",
                }
            },
        },
    }


MVT = "application/vnd.mapbox-vector-tile"


def _path_param(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def tile_paths(collection_id: dict) -> dict:
    """The OGC API – Tiles resources (vector tiles of the tiled collections, WebMercatorQuad)."""
    matrix_set = _path_param(
        "tileMatrixSetId", "The tile matrix set.", {"type": "string", "enum": ["WebMercatorQuad"]}
    )
    tile = [
        _path_param("tileMatrix", "The zoom level.", {"type": "string"}),
        _path_param("tileRow", "The row (y).", {"type": "integer", "minimum": 0}),
        _path_param("tileCol", "The column (x).", {"type": "integer", "minimum": 0}),
    ]
    json = ("application/json",)
    mvt = {
        "200": {
            "description": "A Mapbox vector tile.",
            "content": {MVT: {"schema": {"type": "string", "format": "binary"}}},
        },
        "400": EXCEPTION,
        "404": EXCEPTION,
    }
    return {
        "/tileMatrixSets": _get(
            "getTileMatrixSets",
            "The tile matrix sets",
            "Tiles",
            [FORMAT],
            _ok("The tile matrix sets.", json),
        ),
        "/tileMatrixSets/{tileMatrixSetId}": _get(
            "getTileMatrixSet",
            "One tile matrix set",
            "Tiles",
            [matrix_set, FORMAT],
            _ok("The tile matrix set.", json),
        ),
        "/collections/{collectionId}/tiles": _get(
            "getCollectionTileSets",
            "A collection's tilesets",
            "Tiles",
            [collection_id, FORMAT],
            _ok("The tilesets.", json),
        ),
        "/collections/{collectionId}/tiles/{tileMatrixSetId}": _get(
            "getCollectionTileSet",
            "A collection's tileset",
            "Tiles",
            [collection_id, matrix_set, FORMAT],
            _ok("The tileset.", json),
        ),
        "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}": _get(
            "getCollectionTile", "A vector tile", "Tiles", [collection_id, matrix_set, *tile], mvt
        ),
    }
