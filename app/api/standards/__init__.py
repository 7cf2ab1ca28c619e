"""Live standards for planners' tools (DESIGN.md §10): OGC API – Tiles."""

from fastapi import APIRouter

from app.api.standards import tiles

router = APIRouter()
router.include_router(tiles.router)
