"""Public indicators API: per-mahalle counts and rates, small cells withheld."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import PublicReadSession, SettingsDep
from app.api.filters import GroupsDep, MunicipalityCode, PublicPeriodDep
from app.api.planning.planner import PTableDep
from app.schemas.common import PUBLIC_ERRORS
from app.schemas.geojson import IndicatorCollection, PerturbationTable
from app.services.planning import public_indicators

router = APIRouter(prefix="/api/v1", tags=["public"])
ERRORS = PUBLIC_ERRORS


@router.get("/indicators", response_model=IndicatorCollection, responses=ERRORS)
def list_indicators(
    db: PublicReadSession,
    settings: SettingsDep,
    period: PublicPeriodDep,
    group: GroupsDep,
    municipality: MunicipalityCode,
    ptable: PTableDep,
) -> dict:
    """Per-mahalle indicators for a period of whole months, as GeoJSON (simplified polygons);
    with `municipality`, only the mahalle of its area (its districts included).

    Counts from 1 to k-1 are suppressed (null, with `reports_suppressed: true`), k being that
    of the mahalle's municipality; a total is withheld too when its sensitive part is that
    small. Filter by category group only.
    """
    filters = public_indicators.IndicatorFilters(period.since, period.until, group, municipality)
    return public_indicators.indicator_collection(db, filters, settings.k_threshold, ptable)


@router.get("/indicators/perturbation", response_model=PerturbationTable, responses=ERRORS)
def perturbation_table(ptable: PTableDep) -> dict:
    """The cell key perturbation table every published count goes through (ONS format: a
    count `pcv` whose cell key is `ckey` is published as pcv + pvalue), with its noise per
    count; see docs/privacy.md."""
    return public_indicators.perturbation_description(ptable)
