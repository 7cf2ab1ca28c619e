"""Administration API: municipalities (create, edit, delete). Administrators only.

The public list of municipalities is a reference route; this is the administrators' table,
with each one's settings and number of mahalle. Every change is audited (`municipality.*`).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from app.api.deps import Admin, SessionDep, require_role
from app.models import Role
from app.schemas.common import STAFF_ERRORS
from app.schemas.municipalities import (
    MunicipalityAdmin,
    MunicipalityCreate,
    MunicipalitySettings,
    MunicipalityUpdate,
)
from app.services import reference

router = APIRouter(
    prefix="/api/v1/admin/municipalities",
    tags=["admin"],
    dependencies=[Depends(require_role(Role.admin))],
    responses=STAFF_ERRORS,
)


def _fields(body: MunicipalitySettings, name: str | None) -> reference.MunicipalityFields:
    """The service's fields from a request body: an explicit null clears a setting."""
    given = body.model_fields_set
    view = body.map_view
    return reference.MunicipalityFields(
        name=name,
        kind=body.kind,
        parent=body.parent,
        contact_email=body.contact_email,
        contact_phone=body.contact_phone,
        website=body.website,
        map_center_lat=view.lat if view else None,
        map_center_lon=view.lon if view else None,
        map_zoom=view.zoom if view else None,
        k_threshold=body.k_threshold,
        languages=body.languages,
        clear_map_view="map_view" in given and view is None,
        clear_k="k_threshold" in given and body.k_threshold is None,
    )


@router.get("", response_model=list[MunicipalityAdmin])
def list_municipalities(db: SessionDep):
    """Every municipality with its parent's code, its number of mahalle and its settings."""
    return reference.municipality_table(db)


@router.post("", response_model=MunicipalityAdmin, status_code=201)
def create_municipality(body: MunicipalityCreate, db: SessionDep, admin: Admin):
    """Create a municipality, with the default duties of its kind (409 if the code exists)."""
    fields = _fields(body, body.name)
    return reference.add_municipality(db, admin, body.code, body.name, body.kind, fields)


@router.patch("/{code}", response_model=MunicipalityAdmin)
def update_municipality(code: str, body: MunicipalityUpdate, db: SessionDep, admin: Admin):
    """Change the name, kind, parent, contact, map view, k or languages."""
    return reference.edit_municipality(db, admin, code, _fields(body, body.name))


@router.delete("/{code}", status_code=204, response_class=Response)
def delete_municipality(code: str, db: SessionDep, admin: Admin) -> None:
    """Delete a municipality; refused (409, naming what) while it still has reports, mahalle,
    staff, service points, municipalities inside it or audit events."""
    reference.remove_municipality(db, admin, code)
