"""Reference routes: categories, municipalities, support services, mahalle and areas."""

from fastapi import APIRouter

from app.api.reference import categories, municipalities, places

router = APIRouter()
router.include_router(categories.router)
router.include_router(municipalities.router)
router.include_router(places.router)
