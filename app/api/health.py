"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import SessionDep
from app.schemas.common import HealthStatus
from app.services import health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthStatus,
    responses={503: {"model": HealthStatus, "description": "The database is unavailable."}},
)
def get_health(db: SessionDep) -> JSONResponse:
    """Database and PostGIS availability; 503 when either is missing."""
    result = health.check(db)
    return JSONResponse(result, status_code=200 if result["status"] == "ok" else 503)
