"""The public equality-plan (YEEP) pages: the list, and one plan's tree, indicators and the
Monitoring Board's ratings with the municipality's responses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from app.api.deps import OptionalUser, PublicReadSession, SettingsDep
from app.api.pages.templating import render
from app.services import monitoring
from app.services.pages import site

router = APIRouter(include_in_schema=False)


@router.get("/plans", response_class=HTMLResponse)
def plans_page(
    request: Request, db: PublicReadSession, settings: SettingsDep, viewer: OptionalUser
) -> HTMLResponse:
    """Every equality plan past its draft (and drafts for the municipality's staff)."""
    config = site.page_config(settings, demo=site.demo_data_present(db))
    data = monitoring.plan_index(db, viewer)
    return render(request, "plans.html", {"config": config, "data": data}, settings)


@router.get("/plans/{code}", response_class=HTMLResponse)
def plan_page(
    request: Request,
    code: Annotated[str, Path(max_length=64)],
    db: PublicReadSession,
    settings: SettingsDep,
    viewer: OptionalUser,
) -> HTMLResponse:
    """One plan: the tree with progress bars, indicators, board ratings and responses."""
    config = site.page_config(settings, demo=site.demo_data_present(db))
    plan = monitoring.plan_page(db, settings, code, viewer)
    return render(request, "plan.html", {"config": config, "plan": plan}, settings)
