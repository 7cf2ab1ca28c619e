"""Municipalities (DESIGN.md §8): the tree, look-ups by code and by place, and their settings.

Codes are slugs (`ankara`, `cankaya`). A municipality's area is its mahalle and those of its
descendants: a metropolitan municipality covers its districts.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput, NotFound
from app.models import (
    Mahalle,
    Municipality,
)
from app.models.municipality import CODE_PATTERN

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


def municipality_code(session: Session, municipality_id: int | None) -> str | None:
    """The code of a municipality given its id (None for None)."""
    if municipality_id is None:
        return None
    return session.scalar(select(Municipality.code).where(Municipality.id == municipality_id))


def ancestors(session: Session, municipality_id: int | None) -> list[int]:
    """The municipality and those it lies in, nearest first (at most MAX_DEPTH + 1)."""
    chain: list[int] = []
    while municipality_id is not None and len(chain) <= MAX_DEPTH:
        chain.append(municipality_id)
        municipality_id = session.scalar(
            select(Municipality.parent_id).where(Municipality.id == municipality_id)
        )
    return chain
