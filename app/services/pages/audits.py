"""What the audit walk page needs: the mahalle a volunteer may walk, the nine parameters."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import gettext as _
from app.models import Mahalle, TimeBand, User
from app.services.reference import staff_scope


def parameter_labels() -> list[dict[str, str]]:
    """SafetiPin's nine parameters in the page's language: a name and what it asks."""
    return [
        {
            "code": "lighting",
            "name": _("Lighting"),
            "hint": _("Is there enough light to see all around?"),
        },
        {
            "code": "openness",
            "name": _("Openness"),
            "hint": _("Can you see and move ahead and around, with no blind corners?"),
        },
        {
            "code": "visibility",
            "name": _("Visibility"),
            "hint": _("Can people in shops, homes or stalls see you (eyes on the street)?"),
        },
        {"code": "people", "name": _("People"), "hint": _("How many people are around?")},
        {
            "code": "security",
            "name": _("Security"),
            "hint": _("Are police or security guards present?"),
        },
        {
            "code": "walk_path",
            "name": _("Walk path"),
            "hint": _("Is there a pavement or path that is usable to walk on?"),
        },
        {
            "code": "public_transport",
            "name": _("Public transport"),
            "hint": _("How near is a bus stop, metro or dolmuş?"),
        },
        {
            "code": "gender_usage",
            "name": _("Gender usage"),
            "hint": _("Are women and children present in the crowd?"),
        },
        {"code": "feeling", "name": _("Feeling"), "hint": _("How safe do you feel here?")},
    ]


def audit_page_config(session: Session, user: User) -> dict:
    """The mahalle of the volunteer's municipalities, the parameters and the time bands."""
    scope = staff_scope(session, user)
    stmt = select(Mahalle.code, Mahalle.name, Mahalle.district).order_by(
        Mahalle.district, Mahalle.name
    )
    if scope is not None:
        stmt = stmt.where(Mahalle.municipality_id.in_(scope))
    return {
        "mahalle": [{"code": c, "name": n, "district": d} for c, n, d in session.execute(stmt)],
        "parameters": parameter_labels(),
        "scores": [
            {"value": 0, "name": _("0 – poor")},
            {"value": 1, "name": _("1 – fair")},
            {"value": 2, "name": _("2 – good")},
            {"value": 3, "name": _("3 – very good")},
        ],
        "time_bands": [
            {"value": TimeBand.day.value, "name": _("Day (06–18)")},
            {"value": TimeBand.evening.value, "name": _("Evening (18–22)")},
            {"value": TimeBand.night.value, "name": _("Night (22–06)")},
        ],
    }
