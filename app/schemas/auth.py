from __future__ import annotations

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
