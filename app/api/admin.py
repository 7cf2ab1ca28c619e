"""Administration API: staff accounts and the audit log. Administrators only."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from app.api.deps import Admin, SessionDep, require_role
from app.api.filters import PageDep
from app.models import Role
from app.schemas.auth import AuditPage, UserAdmin, UserCreate, UserUpdate
from app.schemas.common import STAFF_ERRORS
from app.services import audit, users

router = APIRouter(
    prefix="/api/v1/admin",
    tags=["admin"],
    dependencies=[Depends(require_role(Role.admin))],
    responses=STAFF_ERRORS,
)


@router.get("/users", response_model=list[UserAdmin])
def list_users(db: SessionDep):
    """Every staff account."""
    return users.list_users(db)


@router.post("/users", response_model=UserAdmin, status_code=201)
def create_user(body: UserCreate, db: SessionDep, admin: Admin):
    """Create an account (minimum length and common-password check apply)."""
    return users.create_user(db, admin, body.email, body.password, body.role)


@router.patch("/users/{user_id}", response_model=UserAdmin)
def update_user(user_id: int, body: UserUpdate, db: SessionDep, admin: Admin):
    """Change the role, or deactivate / reactivate (deactivation ends the user's sessions)."""
    user = users.user_by_id(db, user_id)
    return users.update_user(db, admin, user, role=body.role, active=body.active)


def audit_filters(
    actor: Annotated[str | None, Query(max_length=254, description="Actor's e-mail")] = None,
    action: Annotated[
        str | None, Query(max_length=64, description="Exact, or a prefix such as 'report.'")
    ] = None,
    since: Annotated[date | None, Query(description="First day, inclusive")] = None,
    until: Annotated[date | None, Query(description="Last day, inclusive")] = None,
    report: Annotated[str | None, Query(max_length=16, description="Report public id")] = None,
) -> audit.AuditFilters:
    return audit.AuditFilters(actor or None, action or None, since, until, report or None)


AuditFiltersDep = Annotated[audit.AuditFilters, Depends(audit_filters)]


@router.get("/audit", response_model=AuditPage)
def audit_log(db: SessionDep, filters: AuditFiltersDep, page: PageDep):
    """The audit log, newest first, filtered and paged."""
    total, items = audit.audit_page(db, filters, limit=page.limit, offset=page.offset)
    return {"items": items, "total": total}


@router.get("/audit.csv", response_class=Response)
def audit_export(db: SessionDep, filters: AuditFiltersDep) -> Response:
    """The filtered audit log as CSV (UTF-8 with BOM, for Excel)."""
    return Response(
        audit.audit_csv(db, filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
