"""The OGC API documents: landing page, conformance, collections and the items envelope."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi import Request

from app.api.standards.common import (
    GEOJSON,
    HTML,
    JSON,
    OPENAPI,
    TILESETS_VECTOR,
    href,
    link,
    self_links,
)
from app.i18n import gettext as _
from app.services.standards import FILTER_CONFORMANCE, Collection, ItemQuery, ItemsPage

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
SCHEMA = "application/schema+json"
FEATURES = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf"
TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    f"{FEATURES}/core",
    f"{FEATURES}/geojson",
    f"{FEATURES}/html",
    f"{FEATURES}/oas30",
    # Served by the tiles routes (/ogc/collections/{id}/tiles, /ogc/tileMatrixSets).
    f"{TILES}/core",
    f"{TILES}/tileset",
    f"{TILES}/tilesets-list",
    f"{TILES}/geodata-tilesets",
    f"{TILES}/mvt",
    # Part 3 and CQL2 (basic, text) on the report collections; the others have no queryables.
    *FILTER_CONFORMANCE,
]


def landing(request: Request, fmt: str) -> dict:
    """The landing page: what this is, and links to everything else."""
    return {
        "title": "Mor Harita – OGC API",
        "description": _(
            "Published reports (displaced points, never sensitive categories), protected "
            "indicators per mahalle, hotspot cells and support services, for planners' tools "
            "(QGIS, ArcGIS, GDAL)."
        ),
        "links": [
            *self_links(request, "", fmt),
            link(href(request, "/api"), "service-desc", OPENAPI, _("The API definition")),
            link(href(request, "/api", f="html"), "service-doc", HTML, _("The API definition")),
            link(href(request, "/conformance"), "conformance", JSON, _("Conformance classes")),
            link(href(request, "/collections"), "data", JSON, _("Collections")),
            link(
                href(request, "/tileMatrixSets"),
                "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                JSON,
                _("Tile matrix sets"),
            ),
        ],
    }


def conformance(request: Request, fmt: str) -> dict:
    """The conformance classes this API declares."""
    return {"conformsTo": CONFORMANCE, "links": self_links(request, "/conformance", fmt)}


def collection(request: Request, item: Collection, fmt: str = "json") -> dict:
    """One collection's description, extent and links (items, tiles)."""
    path = f"/collections/{item.id}"
    links = [
        *self_links(request, path, fmt),
        link(href(request, f"{path}/items", f="json"), "items", GEOJSON, _("Features")),
        link(href(request, f"{path}/items", f="html"), "items", HTML, _("Features")),
    ]
    if item.tiled:
        links.append(link(href(request, f"{path}/tiles"), TILESETS_VECTOR, JSON, _("Vector tiles")))
    links.append(link(href(request, f"{path}/queryables"), QUERYABLES_REL, SCHEMA, _("Queryables")))
    extent: dict = {"spatial": {"bbox": [list(item.bbox or (-180, -90, 180, 90))], "crs": CRS84}}
    if item.temporal:
        extent["temporal"] = {
            "interval": [[None, None]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return {
        "id": item.id,
        "title": item.title,
        "description": item.description,
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": extent,
        "links": links,
    }


def collections(request: Request, items: list[Collection], fmt: str) -> dict:
    """Every collection the viewer may read."""
    return {
        "links": self_links(request, "/collections", fmt),
        "collections": [collection(request, c) for c in items],
    }


def _query(query: ItemQuery, request: Request) -> dict:
    return {
        "bbox": request.query_params.get("bbox"),
        "datetime": request.query_params.get("datetime"),
        "limit": query.limit,
    }


def items_envelope(
    request: Request, item: Collection, query: ItemQuery, page: ItemsPage, fmt: str
) -> str:
    """The FeatureCollection as JSON text around the features PostgreSQL (or the layer)
    assembled: links (self, alternate, next, prev, collection), counts and time stamp."""
    path = f"/collections/{item.id}/items"
    params = _query(query, request)
    links = self_links(request, path, fmt, GEOJSON, **params, offset=query.offset or None)
    if page.more:
        after = query.offset + page.returned
        links.append(
            link(href(request, path, **params, offset=after), "next", GEOJSON, _("Next page"))
        )
    if query.offset > 0:
        before = max(query.offset - query.limit, 0)
        links.append(
            link(
                href(request, path, **params, offset=before or None),
                "prev",
                GEOJSON,
                _("Previous page"),
            )
        )
    links.append(link(href(request, f"/collections/{item.id}"), "collection", JSON, item.title))
    members: dict = {
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "numberReturned": page.returned,
    }
    if page.matched is not None:
        members["numberMatched"] = page.matched
    if page.period is not None:
        since, until = page.period
        members["period"] = {
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
        }
    members["links"] = links
    tail = json.dumps(members, ensure_ascii=False, separators=(",", ":"))
    return '{"type":"FeatureCollection","features":' + page.features + "," + tail[1:]


def feature_with_links(
    request: Request, item: Collection, feature_id: str, text: str, fmt: str
) -> str:
    """One feature's JSON text with its links (self, alternate, collection)."""
    path = f"/collections/{item.id}/items/{feature_id}"
    links = [
        *self_links(request, path, fmt, GEOJSON),
        link(href(request, f"/collections/{item.id}"), "collection", JSON, item.title),
    ]
    return text[:-1] + ',"links":' + json.dumps(links, ensure_ascii=False) + "}"
