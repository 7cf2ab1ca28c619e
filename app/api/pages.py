"""The public HTML pages (the map). Staff pages are in app/api/staff_pages.py."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.deps import SessionDep, SettingsDep
from app.api.templating import render
from app.services import site

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request, db: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The public map: choropleth, published reports and the report form."""
    config = site.page_config(settings, demo=site.demo_data_present(db))
    return render(request, "map.html", {"config": config}, settings)
