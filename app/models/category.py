"""Report categories: a fixed taxonomy, managed by administrators."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, str_enum


class CategoryGroup(enum.StrEnum):
    lighting = "lighting"
    transport = "transport"
    harassment = "harassment"  # harassment / personal safety
    environment = "environment"  # deserted areas, blind corners, parks: the built environment
    infrastructure = "infrastructure"
    other = "other"


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    group: Mapped[CategoryGroup] = mapped_column(str_enum(CategoryGroup, "category_group"))
    sensitive: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    labels: Mapped[dict[str, str]] = mapped_column(JSONB)
    icon: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    sort_order: Mapped[int] = mapped_column(default=0, server_default="0")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("tr") or self.code
