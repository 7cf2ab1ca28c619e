"""The public HTML pages (the map). Staff pages are in app/api/pages/staff.py."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from app.api.deps import SessionDep, SettingsDep
from app.api.pages.templating import render
from app.services.pages import site

router = APIRouter(include_in_schema=False)
SERVICE_WORKER = Path(__file__).resolve().parents[3] / "frontend" / "static" / "sw.js"


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request, db: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The public map: choropleth, published reports and the report form."""
    config, options = site.citizen_page_config(settings, demo=site.demo_data_present(db))
    return render(request, "map.html", {"config": config, "options": options}, settings)


@router.get("/sw.js")
def service_worker() -> FileResponse:
    """The service worker, served from the root so its scope is the whole site."""
    return FileResponse(
        SERVICE_WORKER,
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


@router.get("/track", response_class=HTMLResponse)
def tracking_page(request: Request, db: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The reporter's tracking page: code in, status and timeline out (data via the JSON API)."""
    config = site.page_config(settings, demo=site.demo_data_present(db))
    return render(request, "track.html", {"config": config}, settings)
