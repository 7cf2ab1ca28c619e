"""Support services shown to reporters: counselling, ŞÖNİM, police, health. Never shelters."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps, str_enum


class ServiceKind(enum.StrEnum):
    counselling = "counselling"  # kadın danışma merkezi
    sonim = "sonim"  # Şiddet Önleme ve İzleme Merkezi
    police = "police"
    health = "health"
    nursery = "nursery"
    womens_centre = "womens_centre"


class ServicePoint(Timestamps, Base):
    __tablename__ = "service_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ServiceKind] = mapped_column(str_enum(ServiceKind, "service_kind"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="", server_default="")
    hours: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    is_sample: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    source: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    # The municipality whose area holds it (NULL outside every mahalle).
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id"), index=True
    )
