"""Interventions (MONITORING.md, issue 10 item 7): what a plan built on the ground — new
street lights, a lit underpass, a night bus line — with its place and date, so its page can
compare report rates before and after it against similar mahalle."""

from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps, str_enum


class InterventionKind(enum.StrEnum):
    lighting = "lighting"
    underpass = "underpass"
    transport = "transport"
    walkway = "walkway"
    green_space = "green_space"
    surveillance = "surveillance"
    other = "other"


class Intervention(Timestamps, Base):
    """One intervention of a plan, at a point, along a line or over a mahalle."""

    __tablename__ = "intervention"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "code"),
        sa.CheckConstraint("radius_m BETWEEN 300 AND 2000", name="radius_range"),
        sa.CheckConstraint("geom IS NOT NULL OR mahalle_id IS NOT NULL", name="has_place"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="RESTRICT"), index=True
    )
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("equality_plan.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_item.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[InterventionKind] = mapped_column(str_enum(InterventionKind, "intervention_kind"))
    title_tr: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    completed_on: Mapped[date]
    # Where it is: a point or line (public infrastructure, not a person), or a whole mahalle.
    geom = mapped_column(Geometry("GEOMETRY", srid=4326, spatial_index=True), nullable=True)
    mahalle_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mahalle.id", ondelete="RESTRICT"))
    radius_m: Mapped[int] = mapped_column(sa.SmallInteger, default=400, server_default="400")
    # The report category groups it should change (empty: every group).
    category_groups: Mapped[list[str]] = mapped_column(
        ARRAY(sa.String(32)), default=list, server_default="{}"
    )
    is_public: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
