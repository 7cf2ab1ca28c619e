"""All JSON routers, gathered in one."""

from fastapi import APIRouter

from app.api import (
    admin,
    auth,
    exports,
    health,
    moderation,
    municipal,
    planner,
    public,
    services_api,
    tracking,
)

router = APIRouter()
router.include_router(health.router)
router.include_router(public.router)
router.include_router(tracking.router)
router.include_router(services_api.router)
router.include_router(auth.router)
router.include_router(moderation.router)
router.include_router(planner.router)
router.include_router(exports.router)
router.include_router(municipal.router)
router.include_router(admin.router)
