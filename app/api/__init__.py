"""All JSON routers, one per domain, gathered in one (pages are in `app.api.pages`)."""

from fastapi import APIRouter

from app.api import (
    accounts,
    health,
    moderation,
    monitoring,
    planning,
    reference,
    reporting,
    standards,
)

router = APIRouter()
router.include_router(health.router)
router.include_router(reference.router)
router.include_router(reporting.router)
router.include_router(planning.router)
router.include_router(accounts.router)
router.include_router(moderation.router)
router.include_router(monitoring.router)
router.include_router(standards.router)
