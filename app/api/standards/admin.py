"""Administration of the standards: Open311 client keys and webhooks with their log.

Administrators only; each sees the municipalities their role covers (platform administrators
all of them), so the service calls take the viewer's scope.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from app.api.deps import Admin, SessionDep, require_role
from app.models import Role
from app.schemas.common import STAFF_ERRORS
from app.schemas.standards import (
    Open311KeyCreate,
    Open311KeyCreated,
    Open311KeyPublic,
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryPublic,
    WebhookPublic,
)
from app.services import standards
from app.services.reference import staff_scope

router = APIRouter(
    prefix="/api/v1/admin",
    tags=["admin"],
    dependencies=[Depends(require_role(Role.admin))],
    responses=STAFF_ERRORS,
)


@router.get("/open311/keys", response_model=list[Open311KeyPublic])
def list_keys(db: SessionDep, admin: Admin) -> list[dict]:
    """Open311 client keys (never the keys themselves)."""
    return standards.list_keys(db, staff_scope(db, admin))


@router.post("/open311/keys", response_model=Open311KeyCreated, status_code=201)
def create_key(body: Open311KeyCreate, db: SessionDep, admin: Admin) -> dict:
    """A client system's key to POST requests for one municipality (shown once)."""
    key, plain = standards.create_key(
        db, body.municipality, body.name, admin, staff_scope(db, admin)
    )
    row = next(k for k in standards.list_keys(db, None) if k["id"] == key.id)
    return {**row, "api_key": plain}


@router.post("/open311/keys/{key_id}/revoke", status_code=status.HTTP_204_NO_CONTENT)
def revoke_key(key_id: int, db: SessionDep, admin: Admin) -> None:
    """Revoke a client key; its POSTs are refused from then on."""
    standards.revoke_key(db, key_id, staff_scope(db, admin), admin)


@router.get("/webhooks", response_model=list[WebhookPublic])
def list_hooks(db: SessionDep, admin: Admin) -> list[dict]:
    """Webhooks (their secrets are never shown again)."""
    return standards.list_hooks(db, staff_scope(db, admin))


@router.post("/webhooks", response_model=WebhookCreated, status_code=201)
def create_hook(body: WebhookCreate, db: SessionDep, admin: Admin) -> dict:
    """A webhook of a municipality for the events chosen; answers its secret once."""
    hook, secret = standards.create_hook(
        db,
        admin,
        staff_scope(db, admin),
        body.municipality,
        body.url,
        [e.value for e in body.events],
    )
    row = next(h for h in standards.list_hooks(db, None) if h["id"] == hook.id)
    return {**row, "secret": secret}


@router.post("/webhooks/{hook_id}/deactivate", status_code=status.HTTP_204_NO_CONTENT)
def deactivate_hook(hook_id: int, db: SessionDep, admin: Admin) -> None:
    """Stop a webhook; its log stays."""
    standards.deactivate_hook(db, admin, staff_scope(db, admin), hook_id)


@router.get("/webhooks/deliveries", response_model=list[WebhookDeliveryPublic])
def deliveries(
    db: SessionDep,
    admin: Admin,
    webhook_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict]:
    """The delivery log, newest first: attempts, last status or error, next attempt."""
    return standards.delivery_log(db, staff_scope(db, admin), webhook_id, limit)
