"""OGC API – Features at /ogc: landing page, conformance, API definition, collections, items.

Every resource is JSON (GeoJSON for features) or HTML (`f=json|html`, else the Accept
header); errors are OGC exception documents; unknown query parameters are refused (400).
Its own OpenAPI 3.0 document is /ogc/api (the app's /openapi.json is 3.1, which the
conformance tools reject), so these routes stay out of the app's document.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Path, Request, Response

from app.api.deps import PublicReadSession, SettingsDep
from app.api.pages import render
from app.api.standards import documents, openapi
from app.api.standards.common import (
    GEOJSON,
    OPENAPI,
    OgcRoute,
    PTableDep,
    Viewer,
    base_url,
    json_response,
)
from app.api.standards.params import COMMON, ITEMS, FormatDep, ItemQueryDep, only
from app.services import pages, standards

router = APIRouter(prefix="/ogc", route_class=OgcRoute, include_in_schema=False)
CollectionId = Path(max_length=100, description="e.g. reports or reports.cankaya")


def _answer(
    request: Request,
    fmt: str,
    body: dict,
    db,
    settings,
    view: str,
    media_type: str = "application/json",
) -> Response:
    """The document as JSON, or as the HTML page of `view`."""
    if fmt == "html":
        config = pages.page_config(settings, pages.demo_data_present(db))
        return render(request, "ogc.html", {"config": config, "view": view, "data": body}, settings)
    return json_response(body, media_type)


@router.get("", dependencies=[Depends(only(*COMMON))])
@router.get("/", dependencies=[Depends(only(*COMMON))])  # tools ask for {root}/
def landing_page(
    request: Request, fmt: FormatDep, db: PublicReadSession, settings: SettingsDep
) -> Response:
    """The landing page."""
    return _answer(request, fmt, documents.landing(request, fmt), db, settings, "landing")


@router.get("/conformance", dependencies=[Depends(only(*COMMON))])
def conformance(
    request: Request, fmt: FormatDep, db: PublicReadSession, settings: SettingsDep
) -> Response:
    """The conformance classes declared."""
    return _answer(request, fmt, documents.conformance(request, fmt), db, settings, "conformance")


@router.get("/api", dependencies=[Depends(only(*COMMON))])
def api_definition(
    request: Request, fmt: FormatDep, db: PublicReadSession, settings: SettingsDep
) -> Response:
    """The OpenAPI 3.0 definition of /ogc."""
    body = openapi.document(request, standards.public_collections(db))
    return _answer(request, fmt, body, db, settings, "api", OPENAPI)


@router.get("/collections", dependencies=[Depends(only(*COMMON))])
def collections(
    request: Request, fmt: FormatDep, db: PublicReadSession, settings: SettingsDep, viewer: Viewer
) -> Response:
    """Every public collection, and a planner's own with her token."""
    found = standards.public_collections(db) + standards.planner_collections(db, viewer)
    return _answer(
        request, fmt, documents.collections(request, found, fmt), db, settings, "collections"
    )


@router.get("/collections/{collection_id}", dependencies=[Depends(only(*COMMON))])
def collection(
    request: Request,
    fmt: FormatDep,
    db: PublicReadSession,
    settings: SettingsDep,
    viewer: Viewer,
    collection_id: str = CollectionId,
) -> Response:
    """One collection."""
    found = standards.collection_for(db, collection_id, viewer)
    body = documents.collection(request, found, fmt)
    return _answer(request, fmt, body, db, settings, "collection")


@router.get("/collections/{collection_id}/queryables", dependencies=[Depends(only(*COMMON))])
def queryables(
    request: Request, db: PublicReadSession, viewer: Viewer, collection_id: str = CollectionId
) -> Response:
    """What `filter` (CQL2 text) may name in the collection, as a JSON Schema."""
    found = standards.collection_for(db, collection_id, viewer)
    url = f"{base_url(request)}/collections/{found.id}/queryables"
    body = standards.queryables(url, found.title, found.kind == "reports")
    return json_response(body, "application/schema+json")


@router.get("/collections/{collection_id}/items", dependencies=[Depends(only(*ITEMS))])
def items(
    request: Request,
    fmt: FormatDep,
    query: ItemQueryDep,
    db: PublicReadSession,
    settings: SettingsDep,
    viewer: Viewer,
    ptable: PTableDep,
    collection_id: str = CollectionId,
) -> Response:
    """The collection's features: bbox, datetime (whole months), limit, offset, and a CQL2
    text `filter` on the report collections."""
    found = standards.collection_for(db, collection_id, viewer)
    page = standards.items_page(db, settings, ptable, found, query, viewer)
    text = documents.items_envelope(request, found, query, page, fmt)
    if fmt == "html":
        return _answer(
            request,
            fmt,
            {"collection": documents.collection(request, found), "items": json.loads(text)},
            db,
            settings,
            "items",
        )
    return Response(text, media_type=GEOJSON)


@router.get(
    "/collections/{collection_id}/items/{feature_id:path}", dependencies=[Depends(only(*COMMON))]
)
def item(
    request: Request,
    fmt: FormatDep,
    db: PublicReadSession,
    settings: SettingsDep,
    viewer: Viewer,
    ptable: PTableDep,
    feature_id: str,
    collection_id: str = CollectionId,
) -> Response:
    """One feature."""
    found = standards.collection_for(db, collection_id, viewer)
    text = standards.item(db, settings, ptable, found, feature_id, viewer)
    feature = documents.feature_with_links(request, found, feature_id, text, fmt)
    if fmt == "html":
        body = {"collection": documents.collection(request, found), "feature": json.loads(feature)}
        return _answer(request, fmt, body, db, settings, "item")
    return Response(feature, media_type=GEOJSON)
