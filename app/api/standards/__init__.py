"""The live standards: OGC API Features at /ogc (the tiles and Open311 join here)."""

from fastapi import APIRouter

from app.api.standards import features

router = APIRouter()
router.include_router(features.router)
