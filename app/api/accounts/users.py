"""Administration API: staff accounts and the municipalities their roles are held in.
Administrators only."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.api.deps import Admin, SessionDep, SettingsDep, require_role
from app.models import Role
from app.schemas.accounts import UserAdmin, UserCreate, UserUpdate
from app.schemas.common import STAFF_ERRORS
from app.services.accounts import users

router = APIRouter(
    prefix="/api/v1/admin",
    tags=["admin"],
    dependencies=[Depends(require_role(Role.admin))],
    responses=STAFF_ERRORS,
)


@router.get("/users", response_model=list[UserAdmin])
def list_users(db: SessionDep):
    """Every staff account, with the codes of the municipalities its role is held in."""
    return users.account_list(db)


@router.post("/users", response_model=UserAdmin, status_code=201)
def create_user(body: UserCreate, db: SessionDep, settings: SettingsDep, admin: Admin):
    """Create an account (minimum length and common-password check apply).

    Moderators and planners need at least one municipality; administrators take none
    (422 on `municipalities` otherwise, or naming an unknown code).
    """
    return users.add_account(
        db, settings, admin, body.email, body.password, body.role, body.municipalities
    )


@router.patch("/users/{user_id}", response_model=UserAdmin)
def update_user(user_id: int, body: UserUpdate, db: SessionDep, admin: Admin):
    """Change the role or the municipalities, or deactivate / reactivate (deactivation ends
    the user's sessions). Becoming an administrator drops the municipalities."""
    return users.edit_account(
        db, admin, user_id, role=body.role, active=body.active, municipalities=body.municipalities
    )
