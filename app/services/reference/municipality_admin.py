"""Administering municipalities: create, edit and delete them (audited), their default duties,
and the table administrators work from.

Events about a municipality's own record (`municipality.*`) are platform-wide actions: they
name the municipality by code in `before`/`after` and carry no municipality key, because the
audit log is never changed and a key would keep a deleted municipality alive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput
from app.models import (
    CategoryGroup,
    Mahalle,
    ModerationEvent,
    Municipality,
    MunicipalityKind,
    Report,
    Responsibility,
    ServicePoint,
    StaffMembership,
    User,
)
from app.services import audit
from app.services.reference.municipalities import (
    MAX_DEPTH,
    all_municipalities,
    ancestors,
    check_code,
    map_view,
    municipality_by_code,
)

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class MunicipalityFields:
    """What an administrator may set on a municipality (None: leave as it is).

    Text fields and languages set to "" / [] are cleared; `clear_map_view` and `clear_k`
    return those settings to the deployment's.
    """

    name: str | None = None
    kind: MunicipalityKind | None = None
    parent: str | None = None  # a code; "" detaches it (top level)
    contact_email: str | None = None
    contact_phone: str | None = None
    website: str | None = None
    map_center_lat: float | None = None
    map_center_lon: float | None = None
    map_zoom: int | None = None
    k_threshold: int | None = None
    languages: list[str] | None = None
    clear_map_view: bool = False
    clear_k: bool = False


def _languages(codes: list[str]) -> list[str] | None:
    """Language codes as stored (lower case, each once, in the given order); None for none."""
    found: list[str] = []
    for code in (c.strip().lower() for c in codes):
        if not _LANGUAGE.match(code):
            raise InvalidInput(
                f"{code!r} is not a language code: use two or three letters (tr, en, ku, ar).",
                field="languages",
            )
        if code not in found:
            found.append(code)
    return found or None


def _apply_parent(session: Session, m: Municipality, parent_code: str) -> None:
    if parent_code == "":
        m.parent_id = None
        return
    parent = municipality_by_code(session, parent_code, field="parent")
    chain = ancestors(session, parent.id)
    if m.id is not None and m.id in chain:
        raise InvalidInput(
            f"{parent.code!r} is inside {m.code!r}: a municipality cannot be its own ancestor.",
            field="parent",
        )
    if len(chain) >= MAX_DEPTH:
        raise InvalidInput("Municipalities nest at most five deep.", field="parent")
    m.parent_id = parent.id


def _apply_map_view(m: Municipality, fields: MunicipalityFields) -> None:
    if fields.clear_map_view:
        m.map_center_lat = m.map_center_lon = m.map_zoom = None
        return
    if (fields.map_center_lat is None) != (fields.map_center_lon is None):
        raise InvalidInput(
            "Give both the latitude and the longitude of the map centre.", field="map_center_lat"
        )
    if fields.map_center_lat is not None:
        m.map_center_lat, m.map_center_lon = fields.map_center_lat, fields.map_center_lon
    if fields.map_zoom is not None:
        if not 1 <= fields.map_zoom <= 19:
            raise InvalidInput("The map zoom must be between 1 and 19.", field="map_zoom")
        m.map_zoom = fields.map_zoom


def _apply(session: Session, m: Municipality, fields: MunicipalityFields) -> None:
    if fields.name is not None:
        if not fields.name.strip():
            raise InvalidInput("A municipality needs a name.", field="name")
        m.name = fields.name.strip()
    if fields.kind is not None:
        m.kind = fields.kind
    if fields.parent is not None:
        _apply_parent(session, m, fields.parent)
    for name in ("contact_email", "contact_phone", "website"):
        value = getattr(fields, name)
        if value is not None:
            setattr(m, name, value.strip() or None)
    if fields.languages is not None:
        m.languages = _languages(fields.languages)
    _apply_map_view(m, fields)
    if fields.clear_k:
        m.k_threshold = None
    elif fields.k_threshold is not None:
        if not 2 <= fields.k_threshold <= 100:
            raise InvalidInput("k must be between 2 and 100.", field="k_threshold")
        m.k_threshold = fields.k_threshold


def _snapshot(session: Session, m: Municipality) -> dict:
    parent = None
    if m.parent_id is not None:
        parent = session.scalar(select(Municipality.code).where(Municipality.id == m.parent_id))
    return {
        "code": m.code,
        "name": m.name,
        "kind": m.kind.value,
        "parent": parent,
        "contact_email": m.contact_email,
        "contact_phone": m.contact_phone,
        "website": m.website,
        "map_view": map_view(m),
        "k_threshold": m.k_threshold,
        "languages": m.languages,
    }


# Who acts by default (DESIGN.md §8): districts on lighting, sidewalks and crossings
# (infrastructure) and parks and the built environment; metropolitan municipalities on
# transport. Harassment and "other" are not forwarded to a municipality.
DEFAULT_DUTIES = {
    MunicipalityKind.district: (
        CategoryGroup.lighting,
        CategoryGroup.infrastructure,
        CategoryGroup.environment,
    ),
    MunicipalityKind.metropolitan: (CategoryGroup.transport,),
    MunicipalityKind.provincial: (
        CategoryGroup.lighting,
        CategoryGroup.infrastructure,
        CategoryGroup.environment,
        CategoryGroup.transport,
    ),
}


def seed_responsibilities(session: Session, m: Municipality) -> None:
    """The default duties of a new municipality in its own area (editable afterwards)."""
    for group in DEFAULT_DUTIES.get(m.kind, ()):
        session.add(Responsibility(area_id=m.id, category_group=group, responsible_id=m.id))
    session.flush()


def create_municipality(
    session: Session,
    actor: User | None,
    code: str,
    name: str,
    kind: MunicipalityKind,
    fields: MunicipalityFields | None = None,
) -> Municipality:
    """A new municipality, with the default responsibilities of its kind."""
    check_code(code)
    if not name.strip():
        raise InvalidInput("A municipality needs a name.", field="name")
    if session.scalar(select(Municipality.id).where(Municipality.code == code)) is not None:
        raise Conflict(f"A municipality with code {code!r} exists already.", field="code")
    m = Municipality(code=code, name=name.strip(), kind=kind)
    _apply(session, m, fields or MunicipalityFields(name=name))
    session.add(m)
    session.flush()
    seed_responsibilities(session, m)
    audit.record(session, "municipality.create", actor=actor, after=_snapshot(session, m))
    return m


def update_municipality(
    session: Session, actor: User | None, m: Municipality, fields: MunicipalityFields
) -> Municipality:
    """Change a municipality's name, kind, parent, contact or settings (audited if changed)."""
    before = _snapshot(session, m)
    _apply(session, m, fields)
    session.flush()
    after = _snapshot(session, m)
    if after != before:
        audit.record(session, "municipality.update", actor=actor, before=before, after=after)
    return m


def _still_held(session: Session, m: Municipality) -> dict[str, int]:
    """What keeps a municipality from being deleted, with how many of each."""
    uses = {
        "reports": select(func.count()).where(Report.municipality_id == m.id),
        "mahalle": select(func.count()).where(Mahalle.municipality_id == m.id),
        "municipalities inside it": select(func.count()).where(Municipality.parent_id == m.id),
        "staff memberships": select(func.count()).where(StaffMembership.municipality_id == m.id),
        "service points": select(func.count()).where(ServicePoint.municipality_id == m.id),
        "responsibilities for other areas": select(func.count()).where(
            Responsibility.responsible_id == m.id, Responsibility.area_id != m.id
        ),
        # The audit log is never changed, so events recorded in it keep it.
        "audit events": select(func.count()).where(ModerationEvent.municipality_id == m.id),
    }
    held = {what: session.scalar(q) or 0 for what, q in uses.items()}
    return {what: n for what, n in held.items() if n}


def delete_municipality(session: Session, actor: User | None, m: Municipality) -> None:
    """Delete a municipality that nothing depends on; refuse (Conflict), saying what, otherwise."""
    blocking = _still_held(session, m)
    if blocking:
        listed = ", ".join(f"{what} ({n})" for what, n in blocking.items())
        raise Conflict(f"Municipality {m.code!r} cannot be deleted: it still has {listed}.")
    before = _snapshot(session, m)
    session.execute(delete(Responsibility).where(Responsibility.area_id == m.id))
    audit.record(session, "municipality.delete", actor=actor, before=before)
    session.delete(m)
    session.flush()


def ensure_municipality(
    session: Session,
    code: str,
    name: str,
    kind: MunicipalityKind,
    parent: str | None = None,
) -> Municipality:
    """The municipality with this code, created (with its default duties) if missing."""
    found = session.scalar(select(Municipality).where(Municipality.code == code))
    if found is not None:
        return found
    return create_municipality(
        session, None, code, name, kind, MunicipalityFields(name=name, parent=parent)
    )


def _row(m: Municipality, codes: dict[int, str], mahalle: int) -> dict:
    return {
        "code": m.code,
        "name": m.name,
        "kind": m.kind.value,
        "parent": codes.get(m.parent_id) if m.parent_id else None,
        "mahalle": mahalle,
        "k_threshold": m.k_threshold,
        "languages": m.languages,
        "map_view": map_view(m),
        "contact_email": m.contact_email,
        "contact_phone": m.contact_phone,
        "website": m.website,
    }


def municipality_table(session: Session) -> list[dict]:
    """Every municipality with its parent's code and its number of mahalle (for admins),
    each after its parent."""
    counts = dict(
        session.execute(
            select(Mahalle.municipality_id, func.count()).group_by(Mahalle.municipality_id)
        ).all()
    )
    items = all_municipalities(session)
    codes = {m.id: m.code for m in items}
    parents = {m.id: m.parent_id for m in items}

    def path(m: Municipality) -> list[str]:  # its ancestors' codes, then its own
        chain: list[str] = []
        node: int | None = m.id
        while node is not None and len(chain) <= MAX_DEPTH:
            chain.append(codes[node])
            node = parents.get(node)
        return chain[::-1]

    # Each municipality right after its parent, so the tree reads from the table.
    return [_row(m, codes, counts.get(m.id, 0)) for m in sorted(items, key=path)]


def municipality_row(session: Session, m: Municipality) -> dict:
    """One municipality as in `municipality_table`."""
    codes: dict[int, str] = {}
    if m.parent_id is not None:
        parent = session.get(Municipality, m.parent_id)
        if parent is not None:
            codes[m.parent_id] = parent.code
    mahalle = session.scalar(select(func.count()).where(Mahalle.municipality_id == m.id))
    return _row(m, codes, mahalle or 0)


def add_municipality(
    session: Session,
    actor: User,
    code: str,
    name: str,
    kind: MunicipalityKind,
    fields: MunicipalityFields,
) -> dict:
    """Create a municipality (an administrator's request); its row for the table."""
    return municipality_row(session, create_municipality(session, actor, code, name, kind, fields))


def edit_municipality(session: Session, actor: User, code: str, fields: MunicipalityFields) -> dict:
    """Change the municipality with this code (404 naming it when unknown); its new row."""
    m = municipality_by_code(session, code)
    return municipality_row(session, update_municipality(session, actor, m, fields))


def remove_municipality(session: Session, actor: User, code: str) -> None:
    """Delete the municipality with this code (404 naming it; 409 saying what it still has)."""
    delete_municipality(session, actor, municipality_by_code(session, code))
