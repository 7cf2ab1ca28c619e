"""Municipalities and the responsibility table as administrators see and edit them
(the reference domain's administration; the public list is in `app.schemas.reference`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.models import CategoryGroup, MunicipalityKind
from app.schemas.common import CleanStr
from app.schemas.reference import MapView

Code = Annotated[CleanStr, Field(min_length=1, max_length=64)]
Language = Annotated[CleanStr, Field(min_length=2, max_length=3, pattern=r"^[a-z]{2,3}$")]


class MunicipalitySettings(BaseModel):
    """What an administrator may set on a municipality; omitted fields are left as they are.

    Text set to "" and `languages` set to [] are cleared; `map_view` and `k_threshold` set to
    null return to the deployment's.
    """

    model_config = ConfigDict(extra="forbid")

    kind: MunicipalityKind | None = None
    parent: Annotated[CleanStr, Field(max_length=64)] | None = Field(
        default=None, description='Code of the municipality it is part of; "" for none.'
    )
    contact_email: CleanStr | None = Field(default=None, max_length=254)
    contact_phone: CleanStr | None = Field(default=None, max_length=40)
    website: CleanStr | None = Field(default=None, max_length=300)
    map_view: MapView | None = None
    k_threshold: int | None = Field(
        default=None, ge=2, le=100, description="Its own k (never below the deployment's)."
    )
    languages: list[Language] | None = Field(default=None, max_length=10)


class MunicipalityCreate(MunicipalitySettings):
    code: Code = Field(description="A slug: lower-case letters, digits, hyphens (cankaya).")
    name: CleanStr = Field(min_length=1, max_length=200)
    kind: MunicipalityKind  # type: ignore[assignment]  # required here


class MunicipalityUpdate(MunicipalitySettings):
    name: CleanStr | None = Field(default=None, min_length=1, max_length=200)


class MunicipalityAdmin(BaseModel):
    """A row of the administrators' municipality table."""

    code: str
    name: str
    kind: MunicipalityKind
    parent: str | None
    mahalle: int = Field(description="How many mahalle it holds itself.")
    k_threshold: int | None
    languages: list[str] | None
    map_view: MapView | None
    contact_email: str | None
    contact_phone: str | None
    website: str | None


class ResponsibilitySet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    responsible: Code = Field(description="Code of the municipality that acts.")
    department: CleanStr | None = Field(
        default=None, max_length=200, description="e.g. Fen İşleri Müdürlüğü."
    )
    contact_email: CleanStr | None = Field(default=None, max_length=254)


class ResponsibilityRow(BaseModel):
    """Who acts on a category group in an area (its descendants follow unless they have
    their own row)."""

    area: str
    category_group: CategoryGroup
    responsible: str
    responsible_name: str
    department: str | None
    contact_email: str | None
