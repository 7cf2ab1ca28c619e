from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.models import Role
from app.schemas.common import CleanStr


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: CleanStr = Field(min_length=3, max_length=254)
    password: CleanStr = Field(min_length=1, max_length=1024)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    email: str
    role: Role


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: CleanStr = Field(min_length=1, max_length=1024)
    new_password: CleanStr = Field(min_length=1, max_length=1024)


# Codes of municipalities (GET /api/v1/admin/municipalities) a staff role is held in.
MunicipalityCodes = Annotated[
    list[Annotated[CleanStr, Field(max_length=64)]], Field(max_length=100)
]


class UserAdmin(BaseModel):
    """A staff account as administrators see it (never the password hash)."""

    id: int
    email: str
    role: Role
    active: bool
    created_at: datetime
    last_login_at: datetime | None
    municipalities: list[str] = Field(
        description="Codes of the municipalities the role is held in (it covers the ones "
        "inside them); empty for a platform administrator, who sees every municipality."
    )


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: CleanStr = Field(min_length=3, max_length=254)
    role: Role
    password: CleanStr = Field(min_length=1, max_length=1024)
    municipalities: MunicipalityCodes = Field(
        default_factory=list,
        description="Required (at least one) for moderators and planners; empty for admins.",
    )


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    active: bool | None = None
    municipalities: MunicipalityCodes | None = Field(
        default=None,
        description="Replaces the municipalities; left as they are when omitted (becoming an "
        "admin drops them).",
    )


class AuditEvent(BaseModel):
    id: int
    created_at: datetime
    actor: str | None
    action: str
    report: str | None
    target_user: str | None
    reason: str | None
    note: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(BaseModel):
    items: list[AuditEvent]
    total: int


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="What the token is for.")


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="The token itself: shown only this once, store it safely.")
