"""What every OGC API route shares: its error format, the viewer, links and responses."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.api.deps import SESSION_COOKIE, SessionDep, SettingsDep, optional_user
from app.errors import DomainError, InvalidInput, NotAuthenticated, status_for
from app.models import User
from app.services import accounts, suppression

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
# OGC API's exception codes for the statuses these routes answer.
EXCEPTION_CODES = {
    400: "InvalidParameterValue",
    401: "NotAuthenticated",
    403: "Forbidden",
    404: "NotFound",
    503: "ServiceUnavailable",
}


def ogc_error(status: int, description: str) -> JSONResponse:
    """The OGC API exception document (code, description) with its status."""
    body = {"code": EXCEPTION_CODES.get(status, "Error"), "description": description}
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


class OgcRoute(APIRoute):
    """A route whose errors are OGC exception documents: a refused value is 400, as the
    standard asks (the JSON API answers 422), the other statuses as in `app.errors`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
                    for e in exc.errors()
                )
                return ogc_error(400, f"Please correct: {problems}")
            except DomainError as exc:
                status = 400 if isinstance(exc, InvalidInput) else status_for(exc)
                response = ogc_error(status, exc.message)
                if status == 401:
                    response.headers["WWW-Authenticate"] = "Bearer"
                return response

        return route


async def ogc_viewer(request: Request, db: SessionDep) -> User | None:
    """The planner behind a personal API token (`Authorization: Bearer ...`) or a login
    session; None for the public. An unknown or revoked token is refused (401)."""
    if "authorization" not in request.headers and SESSION_COOKIE not in request.cookies:
        return None  # the public: nothing to look up (no hand-over to a worker thread)
    return await run_in_threadpool(_token_or_session_user, request, db)


def _token_or_session_user(request: Request, db: Session) -> User | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        user = accounts.user_for_api_token(db, value.strip())
        if user is None:
            raise NotAuthenticated(
                "This API token is unknown or revoked. Create a new one on the dashboard."
            )
        return user
    return optional_user(request, db)


async def perturbation_table(settings: SettingsDep) -> suppression.PTable:
    """The cell key perturbation table of the settings (read and validated once)."""
    return suppression.perturbation_table(settings.perturbation_table)


Viewer = Annotated[User | None, Depends(ogc_viewer)]
PTableDep = Annotated[suppression.PTable, Depends(perturbation_table)]


def base_url(request: Request) -> str:
    """The URL of /ogc on this server, as the client reached it."""
    return str(request.base_url).rstrip("/") + "/ogc"


def href(request: Request, path: str, **params: Any) -> str:
    """An absolute link to `path` under /ogc with the query `params` (None values left out)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{base_url(request)}{path}" + (f"?{query}" if query else "")


def link(href_: str, rel: str, type_: str, title: str | None = None) -> dict:
    item = {"href": href_, "rel": rel, "type": type_}
    if title:
        item["title"] = title
    return item


def self_links(
    request: Request, path: str, fmt: str, json_type: str = JSON, **params: Any
) -> list[dict]:
    """`self` and `alternate` links of a resource offered as JSON (or GeoJSON) and HTML."""
    as_json = link(href(request, path, **params, f="json"), "self", json_type, "JSON")
    as_html = link(href(request, path, **params, f="html"), "alternate", HTML, "HTML")
    if fmt == "html":
        as_json["rel"], as_html["rel"] = "alternate", "self"
    return [as_json, as_html]


def json_response(body: dict, media_type: str = JSON) -> Response:
    """A JSON document as is (no response model re-validates it)."""
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        media_type=media_type,
        headers={"Cache-Control": "no-store"},
    )
