"""Equality plans: the public list, a plan's tree, exports; the equality unit's edits.

Reading is public for plans past their draft; writing needs a logged-in account whose role
the service admits (`app.services.monitoring.access`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, status
from fastapi.responses import Response

from app.api.deps import CurrentUser, OptionalUser, PublicReadSession, SessionDep, SettingsDep
from app.api.filters import MunicipalityCode
from app.schemas.common import PUBLIC_ERRORS, STAFF_ERRORS, file_answer
from app.schemas.monitoring import (
    IndicatorCreate,
    IndicatorFields,
    ItemCreate,
    ItemFields,
    PlanCreate,
    PlanFields,
    PlanStateChange,
    UnitCreate,
    UnitReporterAttach,
)
from app.schemas.monitoring_views import (
    IndicatorRef,
    ItemRef,
    ObservationCollection,
    PlanData,
    PlanDetail,
    PlanList,
    PlanSummary,
    UnitList,
    UnitRef,
    UnitReporterAttached,
)
from app.services.monitoring import access, exports, indicators, plans, units, views
from app.services.reference import area_for_code

router = APIRouter(prefix="/api/v1", tags=["monitoring"])
PlanCode = Annotated[str, Path(max_length=64)]
ItemCode = Annotated[str, Path(max_length=64)]


@router.get("/plans", response_model=PlanList, responses=PUBLIC_ERRORS)
def list_plans(db: PublicReadSession, viewer: OptionalUser, municipality: MunicipalityCode) -> dict:
    """Equality plans (YEEP), newest first; `municipality=` narrows to its area."""
    return views.plan_list(db, plans.plans_of(db, viewer, area_for_code(db, municipality)))


@router.get("/plans/{code}", response_model=PlanDetail, responses=PUBLIC_ERRORS)
def get_plan(
    code: PlanCode, db: PublicReadSession, settings: SettingsDep, viewer: OptionalUser
) -> dict:
    """The plan: its tree with progress, indicators with on-track status, updates, the
    board's published assessments and the municipality's responses."""
    return views.plan_detail(db, settings, access.plan_or_404(db, code, viewer), viewer)


@router.get(
    "/plans/{code}/data.csv",
    response_class=Response,
    responses={**PUBLIC_ERRORS, **file_answer("open-sdg's long CSV.", "text/csv")},
)
def plan_data_csv(
    code: PlanCode, db: PublicReadSession, settings: SettingsDep, viewer: OptionalUser
) -> Response:
    """Observations in open-sdg's long CSV format (UTF-8 with BOM)."""
    plan = access.plan_or_404(db, code, viewer)
    body = exports.long_csv(exports.long_rows(db, settings, plan, viewer))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{plan.code}-data.csv"'},
    )


@router.get("/plans/{code}/data.json", response_model=PlanData, responses=PUBLIC_ERRORS)
def plan_data_json(
    code: PlanCode, db: PublicReadSession, settings: SettingsDep, viewer: OptionalUser
) -> dict:
    """The same observations as JSON records."""
    plan = access.plan_or_404(db, code, viewer)
    return {"plan": plan.code, "data": exports.long_rows(db, settings, plan, viewer)}


GEOJSON_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "GeoJSON (RFC 7946).",
        "content": {
            "application/geo+json": {
                "schema": {"$ref": "#/components/schemas/ObservationCollection"}
            }
        },
    }
}


@router.get(
    "/plans/{code}/data.geojson",
    response_model=ObservationCollection,
    responses={**PUBLIC_ERRORS, **GEOJSON_ANSWER},
)
def plan_data_geojson(
    code: PlanCode, db: PublicReadSession, settings: SettingsDep, viewer: OptionalUser
) -> Response:
    """The values by mahalle as GeoJSON, on the mahalle outlines (for GIS)."""
    plan = access.plan_or_404(db, code, viewer)
    body = ObservationCollection.model_validate(
        exports.observation_features(db, settings, plan, viewer)
    )
    return Response(body.model_dump_json(), media_type="application/geo+json")


@router.post(
    "/plans",
    status_code=status.HTTP_201_CREATED,
    response_model=PlanSummary,
    responses=STAFF_ERRORS,
)
def create_plan(body: PlanCreate, db: SessionDep, user: CurrentUser) -> dict:
    """Create a plan (as a draft) for a municipality within the planner's."""
    return views.plan_summary(db, plans.create_plan(db, user, body))


@router.patch("/plans/{code}", response_model=PlanSummary, responses=STAFF_ERRORS)
def update_plan(code: PlanCode, body: PlanFields, db: SessionDep, user: CurrentUser) -> dict:
    plan = access.plan_or_404(db, code, user)
    plans.update_plan(db, user, plan, body)
    return views.plan_summary(db, plan)


@router.post("/plans/{code}/state", response_model=PlanSummary, responses=STAFF_ERRORS)
def change_plan_state(
    code: PlanCode, body: PlanStateChange, db: SessionDep, user: CurrentUser
) -> dict:
    """Move the plan along its lifecycle (draft → consultation → approved → in force → …)."""
    plan = access.plan_or_404(db, code, user)
    plans.change_plan_state(db, user, plan, body.state)
    return views.plan_summary(db, plan)


@router.post(
    "/plans/{code}/items",
    status_code=status.HTTP_201_CREATED,
    response_model=ItemRef,
    responses=STAFF_ERRORS,
)
def create_item(code: PlanCode, body: ItemCreate, db: SessionDep, user: CurrentUser) -> dict:
    plan = access.plan_or_404(db, code, user)
    item = plans.create_item(db, user, plan, body)
    return {"plan": plan.code, "code": item.code, "kind": item.kind.value}


@router.patch("/plans/{code}/items/{item}", response_model=ItemRef, responses=STAFF_ERRORS)
def update_item(
    code: PlanCode, item: ItemCode, body: ItemFields, db: SessionDep, user: CurrentUser
) -> dict:
    plan = access.plan_or_404(db, code, user)
    found = plans.item_by_code(db, plan, item)
    plans.update_item(db, user, plan, found, body)
    return {"plan": plan.code, "code": found.code, "kind": found.kind.value}


@router.post(
    "/plans/{code}/indicators",
    status_code=status.HTTP_201_CREATED,
    response_model=IndicatorRef,
    responses=STAFF_ERRORS,
)
def create_indicator(
    code: PlanCode, body: IndicatorCreate, db: SessionDep, user: CurrentUser
) -> dict:
    plan = access.plan_or_404(db, code, user)
    indicator = indicators.create_indicator(db, user, plan, body)
    return {"plan": plan.code, "code": indicator.code}


@router.patch(
    "/plans/{code}/indicators/{indicator}", response_model=IndicatorRef, responses=STAFF_ERRORS
)
def update_indicator(
    code: PlanCode, indicator: ItemCode, body: IndicatorFields, db: SessionDep, user: CurrentUser
) -> dict:
    plan = access.plan_or_404(db, code, user)
    found = indicators.indicator_by_code(db, plan, indicator)
    indicators.update_indicator(db, user, plan, found, body)
    return {"plan": plan.code, "code": found.code}


@router.get("/monitoring/units", response_model=UnitList, responses=STAFF_ERRORS)
def list_units(db: SessionDep, user: CurrentUser, municipality: MunicipalityCode) -> dict:
    """A municipality's units (müdürlükler), for its monitoring staff."""
    return {"units": units.unit_list(db, user, municipality)}


@router.post(
    "/monitoring/units",
    status_code=status.HTTP_201_CREATED,
    response_model=UnitRef,
    responses=STAFF_ERRORS,
)
def create_unit(body: UnitCreate, db: SessionDep, user: CurrentUser) -> dict:
    unit = units.create_unit(db, user, body)
    return {"code": unit.code, "name": unit.name}


@router.post(
    "/monitoring/unit-reporters",
    status_code=status.HTTP_201_CREATED,
    response_model=UnitReporterAttached,
    responses=STAFF_ERRORS,
)
def attach_unit_reporter(body: UnitReporterAttach, db: SessionDep, user: CurrentUser) -> dict:
    """Attach a unit reporter's account to a unit (the equality unit)."""
    units.attach_unit_reporter(db, user, body.municipality, body.unit, body.email)
    return {"email": body.email, "unit": body.unit}
