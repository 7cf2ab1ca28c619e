"""Atom feeds of newly published reports, per municipality and per mahalle."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.deps import PublicReadSession
from app.schemas.common import errors, file_answer
from app.services import standards

router = APIRouter(
    prefix="/feeds",
    tags=["feeds"],
    responses={200: {"content": {"application/atom+xml": {}}}, **errors(404, 422)},
)
ATOM = "application/atom+xml; charset=utf-8"


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


FEED = file_answer("An Atom 1.0 feed (GeoRSS points, displaced).", ATOM)


@router.get(
    "/{municipality}.atom",
    summary="Atom feed of a municipality's new reports",
    response_class=Response,
    responses=FEED,
)
def municipality_feed(request: Request, db: PublicReadSession, municipality: str) -> Response:
    return Response(standards.municipality_feed(db, _base(request), municipality), media_type=ATOM)


@router.get(
    "/{municipality}/{mahalle:path}.atom",
    summary="Atom feed of a mahalle's new reports",
    response_class=Response,
    responses=FEED,
)
def mahalle_feed(
    request: Request, db: PublicReadSession, municipality: str, mahalle: str
) -> Response:
    body = standards.mahalle_feed(db, _base(request), municipality, mahalle)
    return Response(body, media_type=ATOM)
