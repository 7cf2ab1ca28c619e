"""Across plans (before `/plans/{code}`): the same indicator in the same period side by side,
and the plan items that name a mahalle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import OptionalUser, PublicReadSession, SettingsDep
from app.api.filters import MunicipalityCode
from app.schemas.common import PUBLIC_ERRORS
from app.schemas.plan_compare import Comparison, MahalleTargets
from app.services.monitoring.compare import compare
from app.services.monitoring.mahalle_targets import targets_naming
from app.services.reference import area_for_code

router = APIRouter(prefix="/api/v1", tags=["monitoring"])


@router.get("/plans/compare", response_model=Comparison, responses=PUBLIC_ERRORS)
def compare_plans(
    db: PublicReadSession,
    settings: SettingsDep,
    viewer: OptionalUser,
    municipality: MunicipalityCode,
    indicator: Annotated[str | None, Query(max_length=200)] = None,
    period: Annotated[str | None, Query(max_length=32)] = None,
) -> dict:
    """Each plan's value of one computed indicator (`options[].key`) in one period (a period
    label such as `2026-H1`), side by side; without `indicator`, only the options."""
    area = area_for_code(db, municipality)
    return compare(db, settings, viewer, indicator, period, area)


@router.get("/plans/targets", response_model=MahalleTargets, responses=PUBLIC_ERRORS)
def mahalle_targets(
    db: PublicReadSession,
    settings: SettingsDep,
    viewer: OptionalUser,
    mahalle: Annotated[str, Query(min_length=1, max_length=64, description="A mahalle code.")],
) -> dict:
    """The plan items whose target mahalle include this one (for its panel on the map)."""
    return targets_naming(db, settings, mahalle, viewer)
