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
    items_params = [
        {"$ref": "#/components/parameters/bbox"},
        {"$ref": "#/components/parameters/datetime"},
        {"$ref": "#/components/parameters/limit"},
        {"$ref": "#/components/parameters/offset"},
        FORMAT,
    ]
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
        "tags": [{"name": "Capabilities"}, {"name": "Data"}],
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
                "bbox": {
                    "name": "bbox",
                    "in": "query",
                    "required": False,
                    "description": "minx,miny,maxx,maxy in degrees (CRS84); 6 numbers with heights.",
                    "schema": {
                        "type": "array",
                        "minItems": 4,
                        "maxItems": 6,
                        "items": {"type": "number"},
                    },
                    "style": "form",
                    "explode": False,
                },
                "datetime": {
                    "name": "datetime",
                    "in": "query",
                    "required": False,
                    "description": "An RFC 3339 instant or interval (open ends: '..'). Public "
                    "figures are never finer than a month: reports match by the month they "
                    "happened in, aggregates cover the whole months the interval touches.",
                    "schema": {"type": "string"},
                    "style": "form",
                    "explode": False,
                },
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "description": f"Features per page (a larger value is cut to {MAX_LIMIT}).",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_LIMIT,
                        "default": DEFAULT_LIMIT,
                    },
                    "style": "form",
                    "explode": False,
                },
                "offset": {
                    "name": "offset",
                    "in": "query",
                    "required": False,
                    "description": "Features to skip (the next links carry it).",
                    "schema": {"type": "integer", "minimum": 0, "default": 0},
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
