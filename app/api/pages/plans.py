"""The public equality-plan (YEEP) pages: the list, and one plan's tree, indicators and the
Monitoring Board's ratings with the municipality's responses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import OptionalUser, PublicReadSession, SessionDep, SettingsDep
from app.api.pages.staff import PageLoginRequired, page_role
from app.api.pages.templating import render
from app.models import Role, User
from app.services import monitoring
from app.services.clock import LOCAL_TZ
from app.services.pages import site

router = APIRouter(include_in_schema=False)
# The equality unit: planners (of their municipalities) and administrators.
ManagerUser = Annotated[User, Depends(page_role(Role.planner))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/plans", response_class=HTMLResponse)
def plans_page(
    request: Request, db: PublicReadSession, settings: SettingsDep, viewer: OptionalUser
) -> HTMLResponse:
    """Every equality plan past its draft; the equality unit also sees hers in every state."""
    config = site.page_config(settings, demo=site.demo_data_present(db))
    data = monitoring.plans_page(db, viewer)
    return render(request, "plans.html", {"config": config, "data": data}, settings)


@router.get("/plans/import", response_class=HTMLResponse)
def import_page(
    request: Request, db: SessionDep, settings: SettingsDep, user: ManagerUser
) -> HTMLResponse:
    """The equality unit imports a plan from a spreadsheet (as a draft)."""
    config = site.page_config(settings, demo=site.demo_data_present(db))
    config["user"] = {"email": user.email, "role": user.role.value}
    data = monitoring.import_page(db, user)
    return render(request, "plan_import.html", {"config": config, "data": data}, settings)


@router.get("/plans/import/template.xlsx", response_class=Response)
def import_template_xlsx(user: ManagerUser) -> Response:
    """The import template as XLSX: the importer's columns, and the sample on a 2nd sheet."""
    return Response(
        monitoring.template_xlsx(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="yeep-template.xlsx"'},
    )


@router.get("/plans/import/template.csv", response_class=Response)
def import_template_csv(user: ManagerUser) -> Response:
    """The import template as CSV (UTF-8 with BOM): the importer's header row."""
    return Response(
        monitoring.template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="yeep-template.csv"'},
    )


@router.get("/plans/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    db: PublicReadSession,
    settings: SettingsDep,
    viewer: OptionalUser,
    indicator: Annotated[str | None, Query(max_length=200)] = None,
    period: Annotated[str | None, Query(max_length=32)] = None,
) -> HTMLResponse:
    """One computed indicator in one period across the municipalities' plans."""
    config = site.page_config(settings, demo=site.demo_data_present(db))
    data = monitoring.compare_plans(db, settings, viewer, indicator or None, period or None)
    return render(request, "plans_compare.html", {"config": config, "data": data}, settings)


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


@router.get("/plans/{code}/interventions/{intervention}", response_class=HTMLResponse)
def intervention_page(
    request: Request,
    code: Annotated[str, Path(max_length=64)],
    intervention: Annotated[str, Path(max_length=64)],
    db: PublicReadSession,
    settings: SettingsDep,
    viewer: OptionalUser,
) -> HTMLResponse:
    """One intervention: where and when, and report rates near it before and after."""
    config = site.page_config(settings, demo=site.demo_data_present(db))
    today = datetime.now(LOCAL_TZ).date()
    data = monitoring.intervention_page(db, settings, code, intervention, viewer, today)
    return render(request, "intervention.html", {"config": config, "intervention": data}, settings)


@router.get("/plans/{code}/work", response_class=HTMLResponse)
def plan_work_page(
    request: Request,
    code: Annotated[str, Path(max_length=64)],
    db: SessionDep,
    settings: SettingsDep,
    user: OptionalUser,
) -> HTMLResponse:
    """The plan's staff page: progress updates, observations, review, board assessments."""
    if user is None:
        raise PageLoginRequired()
    config = site.page_config(settings, demo=site.demo_data_present(db))
    config["user"] = {"email": user.email, "role": user.role.value}
    data = monitoring.work_page(db, settings, code, user)
    return render(request, "plan_work.html", {"config": config, "plan": data}, settings)
