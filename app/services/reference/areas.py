"""The areas a reporter can choose from: the mahalle list and the deployment area's outline."""

from __future__ import annotations

import json
from collections.abc import Sequence

from shapely import to_geojson
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput
from app.geo.geojson import feature
from app.models import Mahalle
from app.services.reference.scopes import area_for_code

# ~20 m at Turkey's latitudes: the page only needs to say "outside the area" roughly; the
# server decides exactly on submission.
AREA_TOLERANCE_DEG = 0.0002
AREA_DECIMALS = 4
TURKISH_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
_ORDER = {c: i for i, c in enumerate(TURKISH_ALPHABET)}


def turkish_lower(text: str) -> str:
    """Lower case with the Turkish dotted and dotless i (I -> ı, İ -> i)."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def turkish_sort_key(text: str) -> tuple:
    """Sort key in Turkish alphabetical order (ç after c, ğ after g, ı before i, ...)."""
    lowered = turkish_lower(text)
    return tuple((_ORDER.get(c, 100 + ord(c)), c) for c in lowered), text


def mahalle_list(session: Session, municipality: str | None = None) -> list[dict]:
    """Every mahalle (code, name, district) of the municipality's area (None: the whole
    deployment), in Turkish alphabetical order of name, district."""
    stmt = select(Mahalle.code, Mahalle.name, Mahalle.district)
    area = area_for_code(session, municipality)
    if area is not None:
        stmt = stmt.where(Mahalle.municipality_id.in_(area))
    rows = session.execute(stmt).all()
    items = [{"code": r.code, "name": r.name, "district": r.district} for r in rows]
    items.sort(key=lambda m: (turkish_sort_key(m["name"]), turkish_sort_key(m["district"])))
    return items


def mahalle_by_code(session: Session, code: str) -> Mahalle:
    """The mahalle with this code, or InvalidInput naming the field."""
    found = session.scalar(select(Mahalle).where(Mahalle.code == code))
    if found is None:
        raise InvalidInput(
            "Unknown mahalle. Choose one from the list (GET /api/v1/mahalle).",
            field="mahalle_code",
        )
    return found


def area_outline(session: Session, settings: Settings, municipality: str | None = None) -> dict:
    """The area a map covers as a simplified GeoJSON Feature: the union of the municipality's
    mahalle (its districts' included), or, for the whole deployment, `deployment_area`."""
    area = area_for_code(session, municipality)
    if area is None:
        return deployment_area(session, settings)
    return feature(
        _mahalle_union(session, Mahalle.municipality_id.in_(area)),
        {
            "source": "municipality",
            "municipality": municipality,
            "tolerance_m": 20,
            "note": "Simplified; the server checks exactly.",
        },
    )


def _mahalle_union(session: Session, *where) -> dict | None:
    """The union of the mahalle (matching `where`), simplified, as GeoJSON; None for none."""
    union = func.ST_SimplifyPreserveTopology(
        func.ST_UnaryUnion(func.ST_Collect(Mahalle.geom)), AREA_TOLERANCE_DEG
    )
    text = session.scalar(select(func.ST_AsGeoJSON(union, AREA_DECIMALS)).where(*where))
    return json.loads(text) if text else None


def deployment_area(session: Session, settings: Settings) -> dict:
    """The deployment area as a simplified GeoJSON Feature (configured area, else all mahalle)."""
    if settings.deployment_area is not None:
        simplified = settings.deployment_area.simplify(AREA_TOLERANCE_DEG, preserve_topology=True)
        geometry = json.loads(to_geojson(simplified))
        geometry = _rounded(geometry)
        source = "settings"
    else:
        geometry = _mahalle_union(session)
        source = "mahalle"
    return feature(
        geometry,
        {"source": source, "tolerance_m": 20, "note": "Simplified; the server checks exactly."},
    )


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, float):
            return round(value, AREA_DECIMALS)
        return value

    return {**geometry, "coordinates": walk(geometry["coordinates"])}


def mahalle_at(session: Session, lon: float, lat: float) -> Mahalle | None:
    """The mahalle containing the point (boundary points count), by the GiST index."""
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    return session.scalar(
        select(Mahalle).where(func.ST_Intersects(Mahalle.geom, point)).order_by(Mahalle.id).limit(1)
    )


def indexes_inside_mahalle(
    session: Session, lons: Sequence[float | None], lats: Sequence[float | None]
) -> set[int]:
    """1-based positions of the points that lie in some mahalle, in one set-based query.

    A point with a missing coordinate lies in none.
    """
    if not lons:
        return set()
    return set(
        session.scalars(
            text(
                "SELECT i FROM unnest(CAST(:xs AS float8[]), CAST(:ys AS float8[]))"
                " WITH ORDINALITY AS p(x, y, i) WHERE EXISTS (SELECT 1 FROM mahalle AS m"
                " WHERE ST_Intersects(m.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)))"
            ),
            {"xs": lons, "ys": lats},
        )
    )


def mahalle_name(session: Session, mahalle_id: int | None) -> str | None:
    """The mahalle's name, or None."""
    if mahalle_id is None:
        return None
    return session.scalar(select(Mahalle.name).where(Mahalle.id == mahalle_id))
