"""Standards for other systems' tools: OGC API Features and Tiles at /ogc, Open311 GeoReport
v2, Atom feeds, webhooks."""

from fastapi import APIRouter

from app.api.standards import admin, features, feeds, open311, tiles

router = APIRouter()
router.include_router(features.router)
router.include_router(tiles.router)
router.include_router(open311.router)
router.include_router(feeds.router)
router.include_router(admin.router)
