"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import ReadRoutingDep, SessionDep
from app.schemas.common import HealthStatus
from app.services import health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthStatus,
    responses={503: {"model": HealthStatus, "description": "The database is unavailable."}},
)
def get_health(db: SessionDep, routing: ReadRoutingDep) -> JSONResponse:
    """Database and PostGIS availability (503 when either is missing), and the replica's."""
    result = {**health.check(db), "replica": routing.replica_health()}
    return JSONResponse(result, status_code=200 if result["status"] == "ok" else 503)
