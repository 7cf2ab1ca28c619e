"""The API documentation: Swagger UI at /docs and ReDoc at /redoc, from local assets.

Both viewers come from npm packages served under /vendor/ (no CDN), under the same
Content-Security-Policy as every page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.deps import SettingsDep
from app.api.pages.templating import templates
from app.services.pages import site

router = APIRouter(include_in_schema=False)


def _viewer(request: Request, settings: SettingsDep, viewer: str, title: str) -> HTMLResponse:
    context = {"viewer": viewer, "title": title, "openapi_url": request.app.openapi_url}
    return templates.TemplateResponse(
        request, "api_docs.html", context, headers=site.page_headers(settings)
    )


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The interactive API documentation (Swagger UI)."""
    return _viewer(request, settings, "swagger", f"{request.app.title} — Swagger UI")


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The API reference (ReDoc)."""
    return _viewer(request, settings, "redoc", f"{request.app.title} — ReDoc")
