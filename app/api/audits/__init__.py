"""Audit walk routes: recording and moderating walks, and the public layer of points."""

from fastapi import APIRouter

from app.api.audits import public, walks

router = APIRouter()
router.include_router(public.router)
router.include_router(walks.router)
