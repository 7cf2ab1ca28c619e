"""Planners' API: the full indicator set, hotspots, one mahalle, definitions, API tokens.

Data routes admit planners and administrators with a session or a personal API token
(`Authorization: Bearer <token>`); token management needs the session.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from app.api.deps import PlannerApi, SessionDep, SettingsDep
from app.api.filters import GroupsDep, MunicipalityCode, public_period_query
from app.models import TimeBand
from app.schemas.common import STAFF_ERRORS
from app.schemas.planning import (
    ClassBreaks,
    IndicatorDefinitions,
    MahalleDetail,
    PlannerLayer,
)
from app.services import reference, suppression
from app.services.planning import definitions, layers
from app.services.scope import PlannerFilters, default_period

router = APIRouter(prefix="/api/v1", tags=["planner"])
ERRORS = STAFF_ERRORS


def planner_filters(
    user: PlannerApi,
    db: SessionDep,
    municipality: MunicipalityCode,
    group: GroupsDep,
    since: Annotated[date | None, Query(description="First day of a month.")] = None,
    until: Annotated[date | None, Query(description="Last day of a month.")] = None,
    time_band: Annotated[
        list[TimeBand] | None, Query(description="Time of day; repeat for several.")
    ] = None,
    district: Annotated[
        list[str] | None, Query(max_length=100, description="District (ilçe); repeat.")
    ] = None,
) -> PlannerFilters:
    """Whole months (default: the last twelve), category groups, time bands, districts, and
    the municipality (within the viewer's; default: all of the viewer's)."""
    period = public_period_query(since, until)
    default_since, default_until = default_period()
    return PlannerFilters(
        period.since or (default_since if period.until is None else period.until.replace(day=1)),
        period.until or default_until,
        group,
        tuple(dict.fromkeys(time_band or [])),
        tuple(dict.fromkeys(d.strip() for d in district or [] if d.strip())),
        reference.staff_area(db, user, municipality),
        municipality,
    )


def perturbation_table(settings: SettingsDep) -> suppression.PTable:
    """The cell key perturbation table of the settings (read and validated once)."""
    return suppression.perturbation_table(settings.perturbation_table)


PTableDep = Annotated[suppression.PTable, Depends(perturbation_table)]
FiltersDep = Annotated[PlannerFilters, Depends(planner_filters)]
HexSize = Annotated[
    int, Query(description="Hexagon side in metres: one of MORHARITA_HEX_SIZES_M (250, 500).")
]


@router.get("/indicators/definitions", response_model=IndicatorDefinitions)
def indicator_definitions() -> dict:
    """Every indicator: code, names (tr, en), definition, formula, unit, caveats, YEEP theme."""
    return {
        "themes": definitions.themes(),
        "indicators": definitions.definitions(),
        "method_notes": definitions.METHOD_NOTES[2:],
    }


@router.get("/planner/indicators", response_model=PlannerLayer, responses=ERRORS)
def planner_indicators(
    user: PlannerApi, db: SessionDep, settings: SettingsDep, filters: FiltersDep, ptable: PTableDep
) -> dict:
    """Every indicator per mahalle (GeoJSON), small cells withheld, with metadata."""
    return layers.indicator_layer(db, filters, settings.k_threshold, ptable)


@router.get("/planner/hotspots", response_model=PlannerLayer, responses=ERRORS)
def planner_hotspots(
    user: PlannerApi,
    db: SessionDep,
    settings: SettingsDep,
    filters: FiltersDep,
    ptable: PTableDep,
    size: HexSize = 250,
) -> dict:
    """The hexagon Gi* hotspot layer (GeoJSON); counts below k withheld, classes kept."""
    return layers.hotspot_layer(
        db, filters, size, settings.k_threshold, ptable, settings.hex_sizes_m
    )


@router.get("/planner/classes", response_model=ClassBreaks, responses=ERRORS)
def planner_classes(
    user: PlannerApi,
    db: SessionDep,
    settings: SettingsDep,
    filters: FiltersDep,
    ptable: PTableDep,
    indicator: Annotated[str, Query(max_length=64)] = "reports_per_1000_women_eb",
    method: Annotated[str, Query(description="quantiles or natural_breaks")] = "quantiles",
    classes: Annotated[int, Query(ge=2, le=9)] = 5,
) -> dict:
    """Choropleth classes (mapclassify) of one indicator, on the values shown (not withheld)."""
    return layers.indicator_classes(
        db, filters, settings.k_threshold, ptable, indicator, method, classes
    )


@router.get("/planner/mahalle/{code:path}", response_model=MahalleDetail, responses=ERRORS)
def planner_mahalle(
    code: Annotated[str, Path(max_length=64)],
    user: PlannerApi,
    db: SessionDep,
    settings: SettingsDep,
    filters: FiltersDep,
    ptable: PTableDep,
) -> dict:
    """One mahalle: indicators, reports by category and by month, municipal response."""
    return layers.mahalle_detail(db, code, filters, settings.k_threshold, ptable)
