"""Moderation routes: the queue and its actions, the municipal response, the audit log."""

from fastapi import APIRouter

from app.api.moderation import audit, municipal, reports

router = APIRouter()
router.include_router(reports.router)
router.include_router(municipal.router)
router.include_router(audit.router)
