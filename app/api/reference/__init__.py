"""Reference routes: categories, support services, mahalle and the deployment area."""

from fastapi import APIRouter

from app.api.reference import categories, places

router = APIRouter()
router.include_router(categories.router)
router.include_router(places.router)
