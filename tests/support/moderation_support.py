"""Shared helpers for the moderation, municipal and admin tests."""

from __future__ import annotations

from sqlalchemy import select

from app.models import ModerationEvent, Report


def events_for(db, report: Report) -> list[ModerationEvent]:
    """The audit events of one report, oldest first."""
    return list(
        db.scalars(
            select(ModerationEvent)
            .where(ModerationEvent.report_id == report.id)
            .order_by(ModerationEvent.id)
        )
    )


def mod_url(report: Report, action: str) -> str:
    return f"/api/v1/moderation/reports/{report.public_id}/{action}"
