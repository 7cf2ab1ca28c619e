"""All JSON routers, one per domain, gathered in one (pages are in `app.api.pages`)."""

from fastapi import APIRouter

from app.api import (
    accounts,
    audits,
    health,
    moderation,
    monitoring,
    planning,
    reference,
    reporting,
    standards,
)

router = APIRouter()
# Routes are matched in order, one pattern after another (169 of them): the standards' tiles
# and features, which machines ask for most, first. No two routers share a path.
router.include_router(standards.router)
router.include_router(health.router)
router.include_router(reference.router)
router.include_router(reporting.router)
router.include_router(planning.router)
router.include_router(accounts.router)
router.include_router(moderation.router)
router.include_router(monitoring.router)
router.include_router(audits.router)
