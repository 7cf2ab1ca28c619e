"""Intake counters: how many reports, photos and "me too" arrived per key in a time bucket."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class IntakeCount(Base):
    """One counter per (bucket, key); a bucket is one intake window (epoch seconds // window).

    Keys name a client by a salted hash that changes daily, a mahalle by its id, or the
    whole deployment; the mahalle and total counters are split into shards so that
    concurrent submissions do not queue on one row. No address is stored (DESIGN.md §2.5).
    Old buckets are deleted as new ones fill.
    """

    __tablename__ = "intake_count"

    bucket: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    n: Mapped[int] = mapped_column(sa.Integer, nullable=False)
