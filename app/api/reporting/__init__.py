"""Reporting routes: submission, the public report layer, photos, "me too", tracking."""

from fastapi import APIRouter

from app.api.reporting import reports, tracking

router = APIRouter()
router.include_router(reports.router)
router.include_router(tracking.router)
