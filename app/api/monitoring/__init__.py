"""Monitoring routes: equality plans, their work (periods, updates, observations), the board."""

from fastapi import APIRouter

from app.api.monitoring import compare, imports, interventions, plans, work

router = APIRouter()
# Before plans: /plans/import and /plans/compare are not plan codes.
router.include_router(imports.router)
router.include_router(compare.router)
router.include_router(plans.router)
router.include_router(work.router)
router.include_router(interventions.router)
