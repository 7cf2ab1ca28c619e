"""Categories API: the active taxonomy with labels in every interface language."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import PublicReadSession
from app.schemas.reference import CategoryPublic
from app.services.reference import categories

router = APIRouter(prefix="/api/v1", tags=["public"])


@router.get("/categories", response_model=list[CategoryPublic])
def list_categories(db: PublicReadSession):
    """Active report categories with their labels in Turkish and English."""
    return categories.active_categories(db)
