"""The municipalities this deployment serves: the choice a public page or API call makes."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.deps import PublicReadSession
from app.schemas.reference import MunicipalityList
from app.services.reference import municipalities

router = APIRouter(prefix="/api/v1", tags=["public"])
# Public reference data, like the mahalle list: a slow connection may keep it for an hour.
CACHE_AN_HOUR = "public, max-age=3600"


@router.get("/municipalities", response_model=MunicipalityList)
def list_municipalities(db: PublicReadSession, response: Response) -> MunicipalityList:
    """Every municipality: code (the `municipality=` of the public endpoints), name, kind,
    parent, bbox of its area, and its own map view, languages and contact."""
    response.headers["Cache-Control"] = CACHE_AN_HOUR
    return MunicipalityList.model_validate({"items": municipalities.municipality_list(db)})
