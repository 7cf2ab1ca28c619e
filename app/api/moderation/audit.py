"""Audit log API: the append-only record of staff actions, filtered, paged and as CSV. Administrators only."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from app.api.deps import SessionDep, require_role
from app.api.filters import PageDep, bounded_date
from app.models import Role
from app.schemas.accounts import AuditPage
from app.schemas.common import STAFF_ERRORS, file_answer
from app.services import audit

router = APIRouter(
    prefix="/api/v1/admin",
    tags=["admin"],
    dependencies=[Depends(require_role(Role.admin))],
    responses=STAFF_ERRORS,
)


def audit_filters(
    actor: Annotated[str | None, Query(max_length=254, description="Actor's e-mail")] = None,
    action: Annotated[
        str | None, Query(max_length=64, description="Exact, or a prefix such as 'report.'")
    ] = None,
    since: Annotated[date | None, Query(description="First day, inclusive")] = None,
    until: Annotated[date | None, Query(description="Last day, inclusive")] = None,
    report: Annotated[str | None, Query(max_length=16, description="Report public id")] = None,
) -> audit.AuditFilters:
    since, until = bounded_date(since, "since"), bounded_date(until, "until")
    return audit.AuditFilters(actor or None, action or None, since, until, report or None)


AuditFiltersDep = Annotated[audit.AuditFilters, Depends(audit_filters)]


@router.get("/audit", response_model=AuditPage)
def audit_log(db: SessionDep, filters: AuditFiltersDep, page: PageDep):
    """The audit log, newest first, filtered and paged."""
    total, items = audit.audit_page(db, filters, limit=page.limit, offset=page.offset)
    return {"items": items, "total": total}


@router.get(
    "/audit.csv",
    response_class=Response,
    responses=file_answer("The audit log as CSV.", "text/csv"),
)
def audit_export(db: SessionDep, filters: AuditFiltersDep) -> Response:
    """The filtered audit log as CSV (UTF-8 with BOM, for Excel)."""
    return Response(
        audit.audit_csv(db, filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
