"""Which municipalities a question covers: an area asked for, a staff member's scope, their k."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.errors import NotPermitted
from app.models import (
    Municipality,
    StaffMembership,
    User,
)
from app.services import audit
from app.services.reference.municipalities import municipality_by_code
from app.services.reference.public_scope import strictest_k
from app.services.visibility import covered_municipalities, staff_municipalities


def covered_ids(session: Session, roots: Iterable[int]) -> tuple[int, ...]:
    """The ids of `roots` and of every municipality below them."""
    root_list = list(roots)
    if not root_list:
        return ()
    roots_select = select(Municipality.id).where(Municipality.id.in_(root_list))
    return tuple(sorted(session.scalars(covered_municipalities(roots_select))))


def area_for_code(session: Session, code: str | None, field: str = "municipality"):
    """The municipality ids a `municipality=` parameter asks about; None for the whole area."""
    if code is None:
        return None
    return covered_ids(session, [municipality_by_code(session, code, field=field).id])


def staff_scope(session: Session, user: User) -> tuple[int, ...] | None:
    """The ids of the municipalities `user`'s role covers; None: every one (platform admin)."""
    scope = staff_municipalities(user)
    return None if scope is None else tuple(sorted(session.scalars(scope)))


def memberships(session: Session, user_id: int) -> list[str]:
    """The codes of the municipalities a staff member's role is held in."""
    return list(
        session.scalars(
            select(Municipality.code)
            .join(StaffMembership, StaffMembership.municipality_id == Municipality.id)
            .where(StaffMembership.user_id == user_id)
            .order_by(Municipality.code)
        )
    )


def memberships_by_user(session: Session) -> dict[int, list[str]]:
    """{user id: the codes of the municipalities its role is held in}, in one query."""
    rows = session.execute(
        select(StaffMembership.user_id, Municipality.code)
        .join(Municipality, Municipality.id == StaffMembership.municipality_id)
        .order_by(StaffMembership.user_id, Municipality.code)
    )
    found: dict[int, list[str]] = {}
    for user_id, code in rows:
        found.setdefault(user_id, []).append(code)
    return found


def set_memberships(
    session: Session, user: User, codes: Iterable[str], actor: User | None = None
) -> list[str]:
    """Replace the municipalities `user`'s role is held in; return their codes (audited)."""
    before = memberships(session, user.id)
    wanted = {municipality_by_code(session, c, field="municipalities").id for c in codes}
    current = set(
        session.scalars(
            select(StaffMembership.municipality_id).where(StaffMembership.user_id == user.id)
        )
    )
    for municipality_id in current - wanted:
        session.delete(session.get(StaffMembership, (user.id, municipality_id)))
    for municipality_id in wanted - current:
        session.add(StaffMembership(user_id=user.id, municipality_id=municipality_id))
    session.flush()
    after = memberships(session, user.id)
    if after != before:
        audit.record(
            session,
            "user.municipalities",
            actor=actor,
            target_user_id=user.id,
            before={"municipalities": before},
            after={"municipalities": after},
        )
    return after


def staff_area(session: Session, user: User, code: str | None) -> tuple[int, ...] | None:
    """The municipalities a staff request covers: the `municipality=` asked for (which must be
    inside the viewer's scope, else 403), or the whole scope; None: every municipality."""
    scope = staff_scope(session, user)
    if code is None:
        return scope
    requested = area_for_code(session, code)
    assert requested is not None
    if scope is not None and not set(requested) <= set(scope):
        raise NotPermitted(f"Your role does not cover the municipality {code!r}.")
    return requested


def municipality_k(session: Session, floor: int) -> dict[int, int]:
    """The small-cell threshold in each municipality's area (`strictest_k`: the highest k on
    its chain of parents, never below the deployment's `floor`), as a mapping by id."""
    return {int(m): int(k) for m, k in session.execute(_municipality_k_select(floor))}


@lru_cache(maxsize=16)
def _municipality_k_select(floor: int) -> Select:
    ks = strictest_k(floor)
    return select(ks.c.municipality_id, ks.c.k)


def area_k(session: Session, floor: int, area: tuple[int, ...] | None) -> int:
    """One k for an output over several municipalities (hexagons cross borders): the
    strictest of the area's (of every municipality when `area` is None)."""
    ks = municipality_k(session, floor)
    chosen = ks.values() if area is None else (ks.get(i, floor) for i in area)
    return max([floor, *chosen])
