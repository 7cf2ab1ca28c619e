"""The administration page's Open311 and webhooks section: keys, hooks, latest deliveries."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import User
from app.services import standards
from app.services.reference import staff_scope

LATEST_DELIVERIES = 20


def integrations(session: Session, viewer: User) -> dict:
    """What the section lists, within the municipalities the viewer's role covers."""
    area = staff_scope(session, viewer)
    return {
        "keys": standards.list_keys(session, area),
        "hooks": standards.list_hooks(session, area),
        "deliveries": standards.delivery_log(session, area, None, LATEST_DELIVERIES),
    }
