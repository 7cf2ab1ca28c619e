"""Responsibility: which municipality acts on which category group in which area.

A report in municipality D of group G is the duty of the row for (D, G), else of the row for
D's parent, and so on up the tree; with no row at all, of D itself. The municipal response
loop and the moderators' "forward" step route by it.

Changes are audited as platform-wide events (`responsibility.set` / `.remove`) naming the
area and the responsible municipality by code, like the `municipality.*` events.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.errors import InvalidInput, NotFound
from app.models import CategoryGroup, Municipality, Responsibility, User
from app.services import audit
from app.services.reference.municipalities import (
    ancestors,
    municipality_by_code,
    municipality_code,
)


@dataclass(frozen=True)
class Duty:
    """Who acts: the municipality, and the department and contact when known."""

    municipality_id: int
    code: str
    name: str
    department: str | None = None
    contact_email: str | None = None

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "department": self.department,
            "contact_email": self.contact_email,
        }


def responsible_for(session: Session, municipality_id: int, group: CategoryGroup) -> Duty:
    """Who acts on a report of `group` in municipality `municipality_id`."""
    chain = ancestors(session, municipality_id)
    rows = session.execute(
        select(Responsibility, Municipality)
        .join(Municipality, Municipality.id == Responsibility.responsible_id)
        .where(Responsibility.area_id.in_(chain), Responsibility.category_group == group)
    ).all()
    by_area = {duty.area_id: (duty, body) for duty, body in rows}
    for node in chain:  # the nearest row on the chain decides
        if node in by_area:
            duty, body = by_area[node]
            return Duty(body.id, body.code, body.name, duty.department, duty.contact_email)
    own = session.get(Municipality, municipality_id)
    assert own is not None
    return Duty(own.id, own.code, own.name)


def _row(row: Responsibility, area_code: str, body_code: str, body_name: str) -> dict:
    return {
        "area": area_code,
        "category_group": row.category_group,
        "responsible": body_code,
        "responsible_name": body_name,
        "department": row.department,
        "contact_email": row.contact_email,
    }


def responsibility_list(session: Session, area_ids: tuple[int, ...] | None = None) -> list[dict]:
    """The table, optionally for some areas: area, group, who, department, contact."""
    area = aliased(Municipality)
    body = aliased(Municipality)
    stmt = (
        select(Responsibility, area.code, body.code, body.name)
        .join(area, area.id == Responsibility.area_id)
        .join(body, body.id == Responsibility.responsible_id)
        .order_by(area.code, Responsibility.category_group)
    )
    if area_ids is not None:
        stmt = stmt.where(Responsibility.area_id.in_(area_ids))
    return [_row(*found) for found in session.execute(stmt)]


def responsibility_table(session: Session, area_code: str | None = None) -> list[dict]:
    """The rows of one area (by code; unknown: 422 on `area`), or of every area."""
    if area_code is None:
        return responsibility_list(session)
    return responsibility_list(
        session, (municipality_by_code(session, area_code, field="area").id,)
    )


def set_responsibility(
    session: Session,
    actor: User | None,
    area_code: str,
    group: CategoryGroup,
    responsible_code: str,
    department: str | None = None,
    contact_email: str | None = None,
) -> dict:
    """Say who acts on `group` in the area of `area_code` (replacing what was there)."""
    area = municipality_by_code(session, area_code, field="area")
    body = municipality_by_code(session, responsible_code, field="responsible")
    if body.id not in ancestors(session, area.id):
        raise InvalidInput(
            f"{body.code!r} is not {area.code!r} or a municipality it is part of: the body "
            "that acts in an area is the area's own municipality or one above it.",
            field="responsible",
        )
    row = session.scalar(
        select(Responsibility).where(
            Responsibility.area_id == area.id, Responsibility.category_group == group
        )
    )
    before = None
    if row is None:
        row = Responsibility(area_id=area.id, category_group=group, responsible_id=body.id)
        session.add(row)
    else:
        before = _snapshot(session, area.code, row)
    row.responsible_id = body.id
    row.department = (department or "").strip() or None
    row.contact_email = (contact_email or "").strip() or None
    session.flush()
    after = _snapshot(session, area.code, row)
    if after != before:
        audit.record(session, "responsibility.set", actor=actor, before=before, after=after)
    return _row(row, area.code, body.code, body.name)


def _snapshot(session: Session, area_code: str, row: Responsibility) -> dict:
    return {
        "area": area_code,
        "category_group": row.category_group.value,
        "responsible": municipality_code(session, row.responsible_id),
        "department": row.department,
        "contact_email": row.contact_email,
    }


def remove_responsibility(
    session: Session, actor: User | None, area_code: str, group: CategoryGroup
) -> None:
    """Remove a row: the duty falls back to the parent's row, or to the municipality itself."""
    area = municipality_by_code(session, area_code, field="area")
    row = session.scalar(
        select(Responsibility).where(
            Responsibility.area_id == area.id, Responsibility.category_group == group
        )
    )
    if row is None:
        raise NotFound(f"No responsibility is set for {group.value} in {area.code!r}.")
    audit.record(
        session, "responsibility.remove", actor=actor, before=_snapshot(session, area.code, row)
    )
    session.delete(row)
    session.flush()


def check_group(value: str) -> CategoryGroup:
    """A category group by value, or InvalidInput listing the groups."""
    try:
        return CategoryGroup(value)
    except ValueError:
        raise InvalidInput(
            f"Unknown category group {value!r}; one of "
            f"{', '.join(g.value for g in CategoryGroup)}.",
            field="category_group",
        ) from None
