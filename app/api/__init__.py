"""All JSON routers, gathered in one."""

from fastapi import APIRouter

from app.api import auth, health, moderation, public, services_api, tracking

router = APIRouter()
router.include_router(health.router)
router.include_router(public.router)
router.include_router(tracking.router)
router.include_router(services_api.router)
router.include_router(auth.router)
router.include_router(moderation.router)
