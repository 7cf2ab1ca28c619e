"""The public layer of approved audit points (displaced, scores only)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import PublicReadSession, SettingsDep
from app.api.filters import MunicipalityCode
from app.schemas.audits import AuditPointCollection
from app.schemas.common import PUBLIC_ERRORS
from app.services import audits

router = APIRouter(prefix="/api/v1/audits", tags=["audits"], responses=PUBLIC_ERRORS)


@router.get("/points", response_model=AuditPointCollection)
def audit_points(
    db: PublicReadSession, settings: SettingsDep, municipality: MunicipalityCode = None
):
    """Points of approved audit walks: the displaced point, month and time band of the walk,
    the nine scores and their mean; only in mahalle with at least k approved points."""
    features = audits.public_points(db, settings.k_threshold, municipality)
    return {
        "type": "FeatureCollection",
        "features": features,
        "parameters": list(audits.PARAMETERS),
    }
