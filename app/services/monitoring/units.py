"""Municipal units (müdürlükler) and the unit reporters attached to them, audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, NotPermitted
from app.models import MunicipalUnit, Role, UnitReporter, User
from app.schemas.monitoring import UnitCreate
from app.services import audit
from app.services.monitoring import access
from app.services.reference import municipality_by_code


def unit_by_code(session: Session, municipality_id: int, code: str, field: str) -> MunicipalUnit:
    unit = session.scalar(
        select(MunicipalUnit).where(
            MunicipalUnit.municipality_id == municipality_id, MunicipalUnit.code == code
        )
    )
    if unit is None:
        raise InvalidInput(
            f"Unknown municipal unit {code!r} in this municipality (create it first: POST "
            "/api/v1/monitoring/units).",
            field=field,
        )
    return unit


def create_unit(session: Session, user: User, data: UnitCreate) -> MunicipalUnit:
    municipality = municipality_by_code(session, data.municipality, field="municipality")
    access.require_manager(session, user, municipality.id)
    parent = (
        unit_by_code(session, municipality.id, data.parent_code, "parent_code")
        if data.parent_code
        else None
    )
    if session.scalar(
        select(MunicipalUnit.id).where(
            MunicipalUnit.municipality_id == municipality.id, MunicipalUnit.code == data.code
        )
    ):
        raise Conflict(f"The unit {data.code!r} exists already.", field="code")
    unit = MunicipalUnit(
        municipality_id=municipality.id,
        code=data.code,
        name=data.name,
        parent_unit_id=parent.id if parent else None,
        contact_email=data.contact_email,
    )
    session.add(unit)
    session.flush()
    audit.record(
        session,
        "monitoring.unit.create",
        actor=user,
        municipality_id=municipality.id,
        after={"code": unit.code, "name": unit.name},
    )
    return unit


def units_of(session: Session, municipality_id: int) -> list[MunicipalUnit]:
    return list(
        session.scalars(
            select(MunicipalUnit)
            .where(MunicipalUnit.municipality_id == municipality_id)
            .order_by(MunicipalUnit.code)
        )
    )


def attach_unit_reporter(
    session: Session, user: User, municipality_code: str, unit_code: str, email: str
) -> UnitReporter:
    """Attach a unit reporter's account to a unit (the equality unit does it; audited)."""
    municipality = municipality_by_code(session, municipality_code, field="municipality")
    access.require_manager(session, user, municipality.id)
    unit = unit_by_code(session, municipality.id, unit_code, "unit")
    reporter = session.scalar(select(User).where(User.email == email.strip().lower()))
    if reporter is None or reporter.role is not Role.unit_reporter:
        raise InvalidInput(
            f"No unit reporter account {email!r} (its role must be unit_reporter).",
            field="email",
        )
    if not access.covers(session, reporter, municipality.id):
        raise InvalidInput(
            "The account's role is not held in this municipality (set its municipalities).",
            field="email",
        )
    link = session.get(UnitReporter, (reporter.id, unit.id))
    if link is None:
        link = UnitReporter(user_id=reporter.id, unit_id=unit.id, municipality_id=municipality.id)
        session.add(link)
        session.flush()
        audit.record(
            session,
            "monitoring.unit.reporter",
            actor=user,
            target_user_id=reporter.id,
            municipality_id=municipality.id,
            after={"unit": unit.code},
        )
    return link


def unit_list(session: Session, user: User, municipality_code: str | None) -> list[dict]:
    """A municipality's units for its monitoring staff (a code is needed but for one scope)."""
    if municipality_code is None:
        raise InvalidInput("Give municipality= (a code).", field="municipality")
    municipality = municipality_by_code(session, municipality_code, field="municipality")
    if not access.is_inside(session, user, municipality.id):
        raise NotPermitted(f"Your role does not cover the municipality {municipality_code!r}.")
    return [
        {"code": u.code, "name": u.name, "contact_email": u.contact_email}
        for u in units_of(session, municipality.id)
    ]
