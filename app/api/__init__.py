"""All JSON routers, gathered in one."""

from fastapi import APIRouter

from app.api import admin, auth, health, moderation, municipal, public

router = APIRouter()
router.include_router(health.router)
router.include_router(public.router)
router.include_router(auth.router)
router.include_router(moderation.router)
router.include_router(municipal.router)
router.include_router(admin.router)
