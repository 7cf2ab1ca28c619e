"""Administration API: staff accounts and the audit log. Administrators only."""

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
    """Every staff account."""
    return users.list_users(db)


@router.post("/users", response_model=UserAdmin, status_code=201)
def create_user(body: UserCreate, db: SessionDep, settings: SettingsDep, admin: Admin):
    """Create an account (minimum length and common-password check apply)."""
    return users.create_user(db, settings, admin, body.email, body.password, body.role)


@router.patch("/users/{user_id}", response_model=UserAdmin)
def update_user(user_id: int, body: UserUpdate, db: SessionDep, admin: Admin):
    """Change the role, or deactivate / reactivate (deactivation ends the user's sessions)."""
    user = users.user_by_id(db, user_id)
    return users.update_user(db, admin, user, role=body.role, active=body.active)
