"""Municipalities (DESIGN.md §8): the tree, look-ups by code and by place, and their settings.

Codes are slugs (`ankara`, `cankaya`). A municipality's area is its mahalle and those of its
descendants: a metropolitan municipality covers its districts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Conflict, InvalidInput, NotFound
from app.models import (
    CategoryGroup,
    Mahalle,
    Municipality,
    MunicipalityKind,
    Report,
    Responsibility,
    ServicePoint,
    StaffMembership,
    User,
)
from app.models.municipality import CODE_PATTERN
from app.services import audit

_FOLD = str.maketrans("çğıİöşüÇĞÖŞÜâîû", "cgiiosucgosuaiu")
_CODE = re.compile(CODE_PATTERN)
MAX_DEPTH = 5  # metropolitan → district is two; deeper trees are a data error


class MunicipalityNotFound(NotFound):
    code = "municipality_not_found"


def code_for(name: str) -> str:
    """A municipality code from a Turkish name: "Çankaya" -> "cankaya"."""
    folded = name.replace("I", "ı").translate(_FOLD).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def check_code(code: str, field: str = "code") -> str:
    """A valid code (lower-case letters, digits and single hyphens), or InvalidInput."""
    if not _CODE.match(code or "") or len(code) > 64:
        raise InvalidInput(
            f"Municipality code {code!r} is not valid: use lower-case letters a-z, digits and "
            "single hyphens (e.g. 'cankaya', 'kars-merkez'), at most 64 characters.",
            field=field,
        )
    return code


def municipality_by_code(session: Session, code: str, *, field: str | None = None) -> Municipality:
    """The municipality with this code. Unknown: 404 naming the code, or 422 on `field`."""
    found = None
    if _CODE.match(code or "") and len(code) <= 64:  # no other string can be a code (or NUL)
        found = session.scalar(select(Municipality).where(Municipality.code == code))
    if found is None:
        message = f"Unknown municipality {code!r}. The list is at GET /api/v1/municipalities."
        if field is not None:
            raise InvalidInput(message, field=field)
        raise MunicipalityNotFound(message)
    return found


def municipality_at(session: Session, lon: float, lat: float) -> Municipality | None:
    """The municipality of the mahalle holding the point (lowest mahalle id on a border)."""
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    return session.scalar(
        select(Municipality)
        .join(Mahalle, Mahalle.municipality_id == Municipality.id)
        .where(func.ST_Intersects(Mahalle.geom, point))
        .order_by(Mahalle.id)
        .limit(1)
    )


def fallback_municipality(session: Session, settings: Settings) -> Municipality | None:
    """Where a report inside the deployment area but outside every mahalle goes: the
    configured municipality, else the only top-level one (None when there are several)."""
    if settings.deployment_municipality:
        return municipality_by_code(session, settings.deployment_municipality)
    roots = session.scalars(select(Municipality).where(Municipality.parent_id.is_(None))).all()
    return roots[0] if len(roots) == 1 else None


def effective_k(settings: Settings, municipality: Municipality | None) -> int:
    """The small-cell threshold for a municipality's area: its own, never below the
    deployment's (a municipality may protect more, not less)."""
    own = municipality.k_threshold if municipality is not None else None
    return max(settings.k_threshold, own or 0)


def _bboxes(session: Session, municipalities: list[Municipality]) -> dict[int, list[float]]:
    """Bounding boxes (west, south, east, north) of each municipality's area, in one query."""
    boxes: dict[int, list[float]] = {}
    parents = {m.id: m.parent_id for m in municipalities}
    extent = func.ST_Extent(Mahalle.geom)
    rows = session.execute(
        select(
            Mahalle.municipality_id,
            func.ST_XMin(extent),
            func.ST_YMin(extent),
            func.ST_XMax(extent),
            func.ST_YMax(extent),
        ).group_by(Mahalle.municipality_id)
    ).all()
    for municipality_id, *box in rows:
        node: int | None = municipality_id
        for _ in range(MAX_DEPTH + 1):  # the mahalle's municipality and each ancestor
            if node is None:
                break
            if node in boxes:
                old = boxes[node]
                boxes[node] = [
                    min(old[0], box[0]),
                    min(old[1], box[1]),
                    max(old[2], box[2]),
                    max(old[3], box[3]),
                ]
            else:
                boxes[node] = [float(v) for v in box]
            node = parents.get(node)
    return {k: [round(v, 5) for v in b] for k, b in boxes.items()}


def all_municipalities(session: Session) -> list[Municipality]:
    """Every municipality, parents before children, by name."""
    return list(session.scalars(select(Municipality).order_by(Municipality.name)))


def municipality_list(session: Session) -> list[dict]:
    """The public list: code, name, kind, parent code, bbox, and its own map settings."""
    items = all_municipalities(session)
    codes = {m.id: m.code for m in items}
    boxes = _bboxes(session, items)
    return [
        {
            "code": m.code,
            "name": m.name,
            "kind": m.kind,
            "parent": codes.get(m.parent_id) if m.parent_id else None,
            "bbox": boxes.get(m.id),
            "map_view": map_view(m),
            "languages": m.languages,
            "contact": {"email": m.contact_email, "phone": m.contact_phone, "web": m.website},
        }
        for m in items
    ]


def map_view(m: Municipality) -> dict | None:
    """The municipality's own initial map view, when it has one."""
    if m.map_center_lat is None or m.map_center_lon is None:
        return None
    return {"lat": m.map_center_lat, "lon": m.map_center_lon, "zoom": m.map_zoom}


@dataclass(frozen=True)
class MunicipalityFields:
    """What an administrator may set on a municipality (None: leave as it is)."""

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


def _ancestors(session: Session, municipality_id: int | None) -> list[int]:
    chain: list[int] = []
    while municipality_id is not None and len(chain) <= MAX_DEPTH:
        chain.append(municipality_id)
        municipality_id = session.scalar(
            select(Municipality.parent_id).where(Municipality.id == municipality_id)
        )
    return chain


def _apply(session: Session, m: Municipality, fields: MunicipalityFields) -> None:
    if fields.name is not None:
        if not fields.name.strip():
            raise InvalidInput("A municipality needs a name.", field="name")
        m.name = fields.name.strip()
    if fields.kind is not None:
        m.kind = fields.kind
    if fields.parent is not None:
        if fields.parent == "":
            m.parent_id = None
        else:
            parent = municipality_by_code(session, fields.parent, field="parent")
            chain = _ancestors(session, parent.id)
            if m.id is not None and m.id in chain:
                raise InvalidInput(
                    f"{parent.code!r} is inside {m.code!r}: a municipality cannot be its own "
                    "ancestor.",
                    field="parent",
                )
            if len(chain) >= MAX_DEPTH:
                raise InvalidInput("Municipalities nest at most five deep.", field="parent")
            m.parent_id = parent.id
    for name in ("contact_email", "contact_phone", "website", "map_zoom", "languages"):
        value = getattr(fields, name)
        if value is not None:
            setattr(m, name, value or None)
    if (fields.map_center_lat is None) != (fields.map_center_lon is None):
        raise InvalidInput(
            "Give both the latitude and the longitude of the map centre.", field="map_center_lat"
        )
    if fields.map_center_lat is not None:
        m.map_center_lat, m.map_center_lon = fields.map_center_lat, fields.map_center_lon
    if fields.k_threshold is not None:
        if not 2 <= fields.k_threshold <= 100:
            raise InvalidInput("k must be between 2 and 100.", field="k_threshold")
        m.k_threshold = fields.k_threshold


def _snapshot(m: Municipality) -> dict:
    return {
        "code": m.code,
        "name": m.name,
        "kind": m.kind.value,
        "parent_id": m.parent_id,
        "k_threshold": m.k_threshold,
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
    if session.scalar(select(Municipality.id).where(Municipality.code == code)) is not None:
        raise Conflict(f"A municipality with code {code!r} exists already.", field="code")
    m = Municipality(code=code, name=name, kind=kind)
    _apply(session, m, fields or MunicipalityFields(name=name))
    session.add(m)
    session.flush()
    seed_responsibilities(session, m)
    audit.record(
        session, "municipality.create", actor=actor, municipality_id=m.id, after=_snapshot(m)
    )
    return m


def update_municipality(
    session: Session, actor: User | None, m: Municipality, fields: MunicipalityFields
) -> Municipality:
    """Change a municipality's name, kind, parent, contact or settings."""
    before = _snapshot(m)
    _apply(session, m, fields)
    session.flush()
    audit.record(
        session,
        "municipality.update",
        actor=actor,
        municipality_id=m.id,
        before=before,
        after=_snapshot(m),
    )
    return m


def delete_municipality(session: Session, actor: User | None, m: Municipality) -> None:
    """Delete a municipality that nothing depends on; refuse, saying what, otherwise."""
    uses = {
        "reports": select(func.count()).where(Report.municipality_id == m.id),
        "mahalle": select(func.count()).where(Mahalle.municipality_id == m.id),
        "municipalities inside it": select(func.count()).where(Municipality.parent_id == m.id),
        "staff memberships": select(func.count()).where(StaffMembership.municipality_id == m.id),
        "service points": select(func.count()).where(ServicePoint.municipality_id == m.id),
        "responsibilities for other areas": select(func.count()).where(
            Responsibility.responsible_id == m.id, Responsibility.area_id != m.id
        ),
    }
    held = {what: session.scalar(q) or 0 for what, q in uses.items()}
    blocking = {what: n for what, n in held.items() if n}
    if blocking:
        listed = ", ".join(f"{n} {what}" for what, n in blocking.items())
        raise Conflict(f"Municipality {m.code!r} cannot be deleted: it still has {listed}.")
    before = _snapshot(m)
    session.execute(delete(Responsibility).where(Responsibility.area_id == m.id))
    audit.record(session, "municipality.delete", actor=actor, before=before)
    session.delete(m)
    session.flush()


def municipality_code(session: Session, municipality_id: int | None) -> str | None:
    """The code of a municipality given its id (None for None)."""
    if municipality_id is None:
        return None
    return session.scalar(select(Municipality.code).where(Municipality.id == municipality_id))


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


def municipality_table(session: Session) -> list[dict]:
    """Every municipality with its parent's code and its number of mahalle (for admins)."""
    counts = dict(
        session.execute(
            select(Mahalle.municipality_id, func.count()).group_by(Mahalle.municipality_id)
        ).all()
    )
    items = all_municipalities(session)
    codes = {m.id: m.code for m in items}
    return [
        {
            "code": m.code,
            "name": m.name,
            "kind": m.kind.value,
            "parent": codes.get(m.parent_id) if m.parent_id else None,
            "mahalle": counts.get(m.id, 0),
            "k_threshold": m.k_threshold,
            "languages": m.languages,
            "map_view": map_view(m),
            "contact_email": m.contact_email,
            "contact_phone": m.contact_phone,
            "website": m.website,
        }
        for m in items
    ]
