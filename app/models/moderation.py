"""The append-only log of moderation and account actions (a trigger forbids UPDATE/DELETE)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class RejectReason(enum.StrEnum):
    """Why a moderator rejected a report (stored in ModerationEvent.reason)."""

    spam = "spam"
    off_topic = "off_topic"
    personal_data = "personal_data"
    duplicate = "duplicate"
    abusive = "abusive"
    other = "other"


class ModerationEvent(Base):
    __tablename__ = "moderation_event"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False, index=True
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    report_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("report.id"), index=True
    )
    target_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    # The report's municipality (or the one acted on); NULL for platform-wide actions.
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(64))
    reason: Mapped[str | None] = mapped_column(sa.String(64))
    note: Mapped[str | None] = mapped_column(sa.Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
