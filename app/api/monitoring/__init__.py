"""Monitoring routes: equality plans, their work (periods, updates, observations), the board."""

from fastapi import APIRouter

from app.api.monitoring import imports, interventions, plans, work

router = APIRouter()
router.include_router(imports.router)  # before plans: /plans/import is not a plan code
router.include_router(plans.router)
router.include_router(work.router)
router.include_router(interventions.router)
