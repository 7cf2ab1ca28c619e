"""The public HTML pages (the map). Staff pages are in app/api/pages/staff.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from app.api.deps import PublicReadSession, SettingsDep
from app.api.pages.templating import render
from app.services.pages import site
from app.services.reference import MunicipalityNotFound

router = APIRouter(include_in_schema=False)
SERVICE_WORKER = Path(__file__).resolve().parents[3] / "frontend" / "static" / "sw.js"


class MunicipalityPageNotFound(Exception):
    """A public page was asked for a municipality this deployment does not serve."""

    def __init__(self, code: str, choices: list[dict]) -> None:
        super().__init__(code)
        self.code = code
        self.choices = choices


def page_municipality(
    db: PublicReadSession,
    municipality: Annotated[str | None, Query(include_in_schema=False)] = None,
) -> dict | None:
    """The municipality the page is about (`?municipality=`), None for the whole deployment;
    an unknown code is the 404 page."""
    try:
        return site.chosen_municipality(db, municipality)
    except MunicipalityNotFound as exc:
        raise MunicipalityPageNotFound(municipality or "", site.municipality_choices(db)) from exc


PageMunicipality = Annotated[dict | None, Depends(page_municipality)]


@router.get("/", response_class=HTMLResponse)
def map_page(
    request: Request, db: PublicReadSession, settings: SettingsDep, municipality: PageMunicipality
) -> HTMLResponse:
    """The public map: choropleth, published reports and the report form (`?municipality=`:
    one municipality's area; remembered only in the address)."""
    config, options = site.citizen_page_config(
        settings, demo=site.demo_data_present(db), municipality=municipality
    )
    return render(request, "map.html", {"config": config, "options": options}, settings)


@router.get("/m/{code}")
def municipality_map(request: Request, code: str, db: PublicReadSession) -> RedirectResponse:
    """The map of one municipality by path: the same page as `/?municipality=CODE`."""
    found = page_municipality(db, code)
    assert found is not None
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "municipality"]
    query = urlencode([("municipality", found["code"]), *kept])
    return RedirectResponse(f"/?{query}", status_code=307)


@router.get("/sw.js")
def service_worker() -> FileResponse:
    """The service worker, served from the root so its scope is the whole site."""
    return FileResponse(
        SERVICE_WORKER,
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


@router.get("/track", response_class=HTMLResponse)
def tracking_page(request: Request, db: PublicReadSession, settings: SettingsDep) -> HTMLResponse:
    """The reporter's tracking page: code in, status and timeline out (data via the JSON API)."""
    config = site.page_config(settings, demo=site.demo_data_present(db))
    return render(request, "track.html", {"config": config}, settings)


def install(app: FastAPI) -> None:
    """Answer a public page about an unknown municipality with a 404 page, not JSON."""

    @app.exception_handler(MunicipalityPageNotFound)
    async def unknown_municipality(request: Request, exc: MunicipalityPageNotFound):
        settings = request.app.state.settings
        config = site.page_config(settings, demo=False)
        context = {"config": config, "code": exc.code, "choices": exc.choices}
        response = render(request, "municipality_not_found.html", context, settings)
        response.status_code = 404
        return response
