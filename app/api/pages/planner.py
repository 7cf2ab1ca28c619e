"""The planners' dashboard page (planners and administrators); its data comes from the API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.deps import OptionalUser, SessionDep, SettingsDep
from app.api.pages.templating import render
from app.services.pages import dashboard

router = APIRouter(include_in_schema=False)
LOGIN_URL = "/login?next=/dashboard"


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request, user: OptionalUser, db: SessionDep, settings: SettingsDep
) -> Response:
    """Choropleth, hotspots, table, detail and exports; anonymous visitors go to the login."""
    if user is None:
        return RedirectResponse(LOGIN_URL, status_code=303)
    config = dashboard.dashboard_config(db, settings, user)
    status = 200 if config["permitted"] else 403
    response = render(
        request, "dashboard.html", {"config": config, "login_url": LOGIN_URL}, settings
    )
    response.status_code = status
    return response
