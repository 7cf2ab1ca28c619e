"""Open311 client keys, webhooks, their event outbox and delivery queue (DESIGN.md §10)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, str_enum


class Open311Key(Base):
    """An API key of one client system, allowed to post requests for one municipality.

    Only the key's SHA-256 is stored; the key itself is shown once, when it is created.
    """

    __tablename__ = "open311_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # shown in lists, to tell keys apart
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Open311Request(Base):
    """A report posted through Open311: which client key sent it, and its token's hash."""

    __tablename__ = "open311_request"

    report_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("report.id"), primary_key=True
    )
    # The municipality key (DESIGN.md §12): every row that grows with use carries it.
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    key_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("open311_key.id", ondelete="SET NULL"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


class WebhookEventKind(enum.StrEnum):
    published = "published"
    forwarded = "forwarded"
    resolved = "resolved"


class Webhook(Base):
    """An endpoint of a municipal system that receives signed events about its reports."""

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(500))
    # Kept to sign the bodies (HMAC-SHA256); shown once to the admin who creates the hook.
    secret: Mapped[str] = mapped_column(sa.String(128))
    events: Mapped[list[str]] = mapped_column(ARRAY(sa.String(32)))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


class WebhookEvent(Base):
    """The outbox: a state change, written in the transaction that made it."""

    __tablename__ = "webhook_event"
    __table_args__ = (
        sa.Index(
            "ix_webhook_event_undispatched", "id", postgresql_where=sa.text("dispatched_at IS NULL")
        ),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    kind: Mapped[WebhookEventKind] = mapped_column(str_enum(WebhookEventKind, "webhook_event_kind"))
    report_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("report.id"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )
    dispatched_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class DeliveryState(enum.StrEnum):
    pending = "pending"  # waiting for its (next) attempt
    delivered = "delivered"  # the receiver answered 2xx
    failed = "failed"  # gave up after the last attempt


class WebhookDelivery(Base):
    """One event for one hook: its fixed body, its attempts and its outcome (the log)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.Index(
            "ix_webhook_delivery_due",
            "next_attempt_at",
            postgresql_where=sa.text("state = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_event.id"), index=True)
    kind: Mapped[WebhookEventKind] = mapped_column(str_enum(WebhookEventKind, "webhook_event_kind"))
    body: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[DeliveryState] = mapped_column(
        str_enum(DeliveryState, "delivery_state"), default=DeliveryState.pending
    )
    attempts: Mapped[int] = mapped_column(sa.SmallInteger, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )
    last_status: Mapped[int | None] = mapped_column(sa.SmallInteger)
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )
    delivered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class PublicDataVersion(Base):
    """One row: a number that changes (from a sequence, so it is never reused, even after a
    rollback) whenever what a public layer shows may change: a report published, unpublished,
    moved or recategorised; a category, mahalle or municipality changed. Database triggers
    keep it (migration 20261201_0014); caches of tiles and layers are keyed on it."""

    __tablename__ = "public_data_version"

    id: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger)


class PublicPointCell(Base):
    """Public report points per cell of the WebMercatorQuad grid at level 17 (the cluster
    cells of z14 tiles; a cell of a lower zoom is a block of these) and municipality: their
    number and the sum of their record keys (the cluster's cell key, mod 256). Kept by the
    same triggers as the data version; low-zoom tiles without filters sum these cells."""

    __tablename__ = "public_point_cell"

    i: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    j: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    n: Mapped[int] = mapped_column(sa.Integer)
    rk: Mapped[int] = mapped_column(sa.BigInteger)
