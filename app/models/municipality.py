"""Municipalities (DESIGN.md §8): who serves where, who is responsible for what, and staff.

Turkish municipalities nest: a metropolitan municipality (büyükşehir) contains district
municipalities (ilçe). Every mahalle belongs to one municipality (a district, as a rule); a
report belongs to the municipality of its mahalle and, through the parents, to theirs too.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps, str_enum
from app.models.category import CategoryGroup

CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class MunicipalityKind(enum.StrEnum):
    metropolitan = "metropolitan"  # büyükşehir belediyesi
    district = "district"  # ilçe belediyesi
    provincial = "provincial"  # il belediyesi (a province without a metropolitan municipality)
    other = "other"  # belde, a union of municipalities, a deployment-wide body


class Municipality(Timestamps, Base):
    __tablename__ = "municipality"
    __table_args__ = (
        sa.CheckConstraint(f"code ~ '{CODE_PATTERN}'", name="code_slug"),
        sa.CheckConstraint("parent_id IS DISTINCT FROM id", name="not_own_parent"),
        sa.CheckConstraint("k_threshold IS NULL OR k_threshold BETWEEN 2 AND 100", name="k_range"),
        sa.CheckConstraint("map_zoom IS NULL OR map_zoom BETWEEN 1 AND 19", name="zoom_range"),
        sa.CheckConstraint(
            "(map_center_lat IS NULL) = (map_center_lon IS NULL)"
            " AND (map_center_lat IS NULL OR map_center_lat BETWEEN -90 AND 90)"
            " AND (map_center_lon IS NULL OR map_center_lon BETWEEN -180 AND 180)",
            name="map_center",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)  # a slug: ankara, cankaya
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[MunicipalityKind] = mapped_column(str_enum(MunicipalityKind, "municipality_kind"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="RESTRICT"), index=True
    )
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    # Its own settings where they differ from the deployment's (NULL: the deployment's).
    map_center_lat: Mapped[float | None]
    map_center_lon: Mapped[float | None]
    map_zoom: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # Raises the small-cell threshold for its area; never lowers it below the deployment's.
    k_threshold: Mapped[int | None] = mapped_column(sa.SmallInteger)
    languages: Mapped[list[str] | None] = mapped_column(ARRAY(sa.String(8)))


class Responsibility(Timestamps, Base):
    """Which municipality acts on a category group in an area (FixMyStreet's bodies).

    A report in municipality D of group G is the duty of the row for (D, G), else of the row
    for D's parent, and so on up; with no row at all, of D itself.
    """

    __tablename__ = "responsibility"
    __table_args__ = (sa.UniqueConstraint("area_id", "category_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    category_group: Mapped[CategoryGroup] = mapped_column(
        str_enum(CategoryGroup, "responsibility_group")
    )
    responsible_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="RESTRICT"), index=True
    )
    department: Mapped[str | None] = mapped_column(sa.String(200))  # e.g. Fen İşleri Müdürlüğü
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))


class StaffMembership(Base):
    """A staff member's role is held in this municipality (and so in its descendants).

    Platform administrators (role admin) hold no membership: they see every municipality.
    """

    __tablename__ = "staff_membership"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )
