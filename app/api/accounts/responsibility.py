"""Administration API: the responsibility table (which municipality acts on which category
group in which area). Administrators only; every change is audited (`responsibility.*`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.api.deps import Admin, SessionDep, require_role
from app.models import CategoryGroup, Role
from app.schemas.common import STAFF_ERRORS
from app.schemas.municipalities import ResponsibilityRow, ResponsibilitySet
from app.services import reference

router = APIRouter(
    prefix="/api/v1/admin/responsibility",
    tags=["admin"],
    dependencies=[Depends(require_role(Role.admin))],
    responses=STAFF_ERRORS,
)


@router.get("", response_model=list[ResponsibilityRow])
def list_responsibility(
    db: SessionDep,
    area: Annotated[
        str | None, Query(max_length=64, description="Only the rows of this area (a code).")
    ] = None,
):
    """The table, by area and category group: who acts, the department and its contact."""
    return reference.responsibility_table(db, area)


@router.put("/{area}/{category_group}", response_model=ResponsibilityRow)
def set_responsibility(
    area: str,
    category_group: CategoryGroup,
    body: ResponsibilitySet,
    db: SessionDep,
    admin: Admin,
):
    """Say who acts on a category group in an area (replacing the row that was there)."""
    return reference.set_responsibility(
        db, admin, area, category_group, body.responsible, body.department, body.contact_email
    )


@router.delete("/{area}/{category_group}", status_code=204, response_class=Response)
def remove_responsibility(
    area: str, category_group: CategoryGroup, db: SessionDep, admin: Admin
) -> None:
    """Remove a row: the duty falls back to the parent's row, or to the area itself."""
    reference.remove_responsibility(db, admin, area, category_group)
