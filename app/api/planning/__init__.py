"""Planning routes: public indicators, the planners' layers and exports."""

from fastapi import APIRouter

from app.api.planning import exports, planner, public

router = APIRouter()
router.include_router(public.router)
router.include_router(planner.router)
router.include_router(exports.router)
