"""Neighbourhoods (mahalle): the unit of every indicator."""

from __future__ import annotations

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps


class Mahalle(Timestamps, Base):
    __tablename__ = "mahalle"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_key: Mapped[str] = mapped_column(sa.String(200), index=True)  # Turkish-aware normalised
    district: Mapped[str] = mapped_column(sa.String(100), index=True)
    province: Mapped[str] = mapped_column(sa.String(100))
    # The municipality the mahalle belongs to (one, a district as a rule).
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="RESTRICT"), index=True
    )
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)
    area_km2: Mapped[float] = mapped_column(sa.Float)
    population_total: Mapped[int | None]
    women_residents: Mapped[int | None]
    women_is_estimate: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    population_year: Mapped[int | None]
