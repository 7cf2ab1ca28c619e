"""The webhook outbox: a report's public state change, written in the change's transaction.

Moderation calls `emit` beside the change (approve, forward, resolve), so the event commits or
rolls back with it: no event is lost, none is sent for a change that did not happen. The
webhook worker (`services.standards`) turns each event into signed deliveries later. Nothing
is written while no webhook is active.
"""

from __future__ import annotations

from sqlalchemy import insert, literal, select
from sqlalchemy.orm import Session

from app.models import Report, Webhook, WebhookEvent, WebhookEventKind

PUBLISHED = WebhookEventKind.published


def emit(session: Session, kind: WebhookEventKind, report: Report) -> None:
    """Queue `kind` for `report` in the current transaction (only if any webhook is active)."""
    session.flush()
    any_hook = (
        select(Webhook.id).where(Webhook.active, Webhook.events.contains([kind.value])).exists()
    )
    session.execute(
        insert(WebhookEvent).from_select(
            ["kind", "report_id", "municipality_id"],
            select(literal(kind.value), literal(report.id), literal(report.municipality_id)).where(
                any_hook
            ),
        )
    )
