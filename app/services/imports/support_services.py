"""Support service points (counselling, ŞÖNİM, police, health) from GeoJSON/GPKG or CSV.

Shelter (sığınma evi, kadın konukevi) locations put the women living there in danger: a file
that contains one is refused as a whole, so it is never stored anywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import insert, select, text, tuple_, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import ServiceKind, ServicePoint
from app.services.imports.names import name_key
from app.services.imports.reading import (
    WGS84,
    expire_loaded,
    raise_if_problems,
    read_csv,
    read_vector,
    srid_for_crs,
    text_value,
)
from app.services.reference import indexes_inside_mahalle, rekey_service_points

K = ServiceKind
_KIND_ALIASES: dict[ServiceKind, tuple[str, ...]] = {
    K.counselling: (
        "counselling", "counseling", "counselling centre", "kadın danışma merkezi",
        "kadın danışma", "danışma merkezi", "kadın danışma ve dayanışma merkezi",
    ),
    K.sonim: ("sonim", "şönim", "şiddet önleme ve izleme merkezi"),
    K.police: ("police", "polis", "polis merkezi", "karakol", "emniyet", "jandarma"),
    K.health: (
        "health", "sağlık", "sağlık merkezi", "hastane", "hospital", "aile sağlığı merkezi",
    ),
    K.nursery: ("nursery", "kreş", "çocuk kreşi", "gündüz bakımevi"),
    K.womens_centre: (
        "womens_centre", "women's centre", "womens center", "kadın merkezi",
        "kadın dayanışma merkezi", "kadın kültür merkezi",
    ),
}  # fmt: skip
_KINDS = {name_key(alias): kind for kind, aliases in _KIND_ALIASES.items() for alias in aliases}
# Substrings of a name key that mean a shelter, in either language.
_SHELTER_MARKS = ("shelter", "siginma", "konukevi", "safe house", "safehouse")
_FIELD_ALIASES = {
    "kind": ("kind", "type", "tür", "tur", "kategori"),
    "name": ("name", "ad", "adı", "isim"),
    "address": ("address", "adres"),
    "phone": ("phone", "telefon", "tel"),
    "hours": ("hours", "saatler", "çalışma saatleri"),
}
_LAT_ALIASES = ("lat", "latitude", "enlem", "y")
_LON_ALIASES = ("lon", "lng", "long", "longitude", "boylam", "x")
_MAX_LENGTH = {"name": 200, "address": 300, "phone": 50, "hours": 200}


@dataclass
class ServiceImport:
    """What a service point import did."""

    source: str
    inserted: int
    updated: int
    by_kind: dict[str, int]
    is_sample: bool
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A summary a person reads in the terminal."""
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.by_kind.items()))
        sample = " (flagged as SAMPLE data)" if self.is_sample else ""
        return [
            f"{self.source}: {self.inserted + self.updated} service points ({kinds}); "
            f"{self.inserted} new, {self.updated} updated{sample}.",
            *(f"warning: {w}" for w in self.warnings),
        ]


def service_kind(value: str) -> ServiceKind | None:
    """The kind a (Turkish or English) label means, or None."""
    return _KINDS.get(name_key(value))


def looks_like_shelter(value: str) -> bool:
    """True when a kind or name says shelter (sığınma evi, konukevi)."""
    key = name_key(value)
    return any(mark in key for mark in _SHELTER_MARKS)


@dataclass
class _Point:
    label: str
    values: dict[str, str]
    x: float | None
    y: float | None
    problems: list[str] = field(default_factory=list)

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.label}: {message}")


def _first_found(find: Callable[[str], str | None], aliases: tuple[str, ...]) -> str | None:
    """The first of `aliases` that the file has, as the file spells it."""
    return next((found for alias in aliases if (found := find(alias))), None)


def _points_from_csv(path: Path) -> tuple[list[_Point], int]:
    table = read_csv(path)
    lat = _first_found(table.column, _LAT_ALIASES)
    lon = _first_found(table.column, _LON_ALIASES)
    columns = {role: _first_found(table.column, al) for role, al in _FIELD_ALIASES.items()}
    missing = [role for role in ("kind", "name") if columns[role] is None]
    missing += [role for role, found in (("lat", lat), ("lon", lon)) if found is None]
    if missing:
        raise_if_problems(
            [f"no column for {', '.join(missing)}; columns in the file: {', '.join(table.header)}"],
            path,
        )
    points = []
    for line, row in table.rows:
        values = {role: row.get(col, "") if col else "" for role, col in columns.items()}
        label = f"line {line} ('{values['name']}')"
        point = _Point(label, values, None, None)
        coords = []
        for axis, column in (("lat", lat), ("lon", lon)):
            raw_value = row.get(column or "", "")
            try:
                coords.append(float(raw_value.replace(",", ".")))
            except ValueError:
                point.problem(f"{axis} '{raw_value}' is not a number")
        if len(coords) == 2:
            point.y, point.x = coords
        points.append(point)
    return points, WGS84


def _points_from_vector(
    session: Session, path: Path, layer: str | None, warnings: list[str]
) -> tuple[list[_Point], int]:
    data = read_vector(path, layer)
    srid = srid_for_crs(session, data.crs, warnings)
    columns = {role: _first_found(data.field, al) for role, al in _FIELD_ALIASES.items()}
    missing = [role for role in ("kind", "name") if columns[role] is None]
    if missing:
        raise_if_problems(
            [f"no field for {', '.join(missing)}; fields in the file: {', '.join(data.fields)}"],
            path,
        )
    geoms = shapely.from_wkb(data.wkb, on_invalid="ignore")
    is_point = np.array(
        [g is not None and g.geom_type == "Point" and not g.is_empty for g in geoms]
    )
    xs, ys = shapely.get_x(geoms), shapely.get_y(geoms)
    points = []
    for i in range(len(data)):
        values = {
            role: text_value(data.fields[col][i]) if col else "" for role, col in columns.items()
        }
        label = f"feature #{i + 1} ('{values['name']}')"
        if is_point[i]:
            points.append(_Point(label, values, float(xs[i]), float(ys[i])))
        else:
            points.append(_Point(label, values, None, None, [f"{label}: geometry must be a Point"]))
    return points, srid


def _to_lonlat(session: Session, points: list[_Point], srid: int) -> None:
    """Reproject points in place (PostGIS does it; no pyproj)."""
    located = [p for p in points if p.x is not None and p.y is not None]
    if srid == WGS84 or not located:
        return
    rows = session.execute(
        text(
            "SELECT ST_X(g), ST_Y(g) FROM ("
            " SELECT ST_Transform(ST_SetSRID(ST_MakePoint(x, y), CAST(:srid AS integer)), 4326)"
            " AS g, i FROM unnest(CAST(:xs AS float8[]), CAST(:ys AS float8[]))"
            " WITH ORDINALITY AS p(x, y, i)) AS t ORDER BY i"
        ),
        {"srid": srid, "xs": [p.x for p in located], "ys": [p.y for p in located]},
    ).all()
    for point, (lon, lat) in zip(located, rows, strict=True):
        point.x, point.y = lon, lat


def _outside_area(session: Session, settings: Settings, points: list[_Point]) -> list[_Point]:
    """Points inside no imported mahalle and outside the configured deployment area."""
    if not points:
        return []
    inside = indexes_inside_mahalle(session, [p.x for p in points], [p.y for p in points])
    outside = [p for i, p in enumerate(points, start=1) if i not in inside]
    area = settings.deployment_area
    if area is not None and outside:
        in_area = shapely.intersects_xy(area, [p.x for p in outside], [p.y for p in outside])
        outside = [p for p, ok in zip(outside, in_area, strict=True) if not ok]
    return outside


def _check(point: _Point) -> ServiceKind | None:
    """Problems of one point's attributes; its kind when valid."""
    kind_text, name = point.values["kind"], point.values["name"]
    if looks_like_shelter(kind_text) or looks_like_shelter(name):
        point.problem(
            f"shelter locations are never stored (kind '{kind_text}'); remove this row from the file"
        )
        return None
    if not name:
        point.problem("name is missing")
    for role, limit in _MAX_LENGTH.items():
        if len(point.values[role]) > limit:
            point.problem(f"{role} is longer than {limit} characters")
    if (
        point.x is not None
        and point.y is not None
        and not (-180 <= point.x <= 180 and -90 <= point.y <= 90)
    ):
        point.problem(f"coordinates ({point.x}, {point.y}) are not lon/lat")
        point.x = point.y = None
    kind = service_kind(kind_text)
    if kind is None:
        known = ", ".join(k.value for k in ServiceKind)
        point.problem(f"unknown kind '{kind_text}' (use one of: {known})")
    return kind


def import_service_points(
    session: Session,
    settings: Settings,
    path: Path | str,
    *,
    layer: str | None = None,
    sample: bool = False,
    source: str | None = None,
) -> ServiceImport:
    """Upsert service points (keyed on name + kind) from a GeoJSON/GPKG or a CSV with lat/lon."""
    path = Path(path)
    warnings: list[str] = []
    if path.suffix.lower() in (".csv", ".txt"):
        points, srid = _points_from_csv(path)
    else:
        points, srid = _points_from_vector(session, path, layer, warnings)
    _to_lonlat(session, points, srid)
    kinds = [_check(p) for p in points]
    located = [p for p in points if p.x is not None and p.y is not None]
    for point in _outside_area(session, settings, located):
        point.problem(
            f"({point.x:.5f}, {point.y:.5f}) is outside every imported mahalle "
            "and the deployment area"
        )
    seen: dict[tuple[str, ServiceKind], str] = {}
    for point, kind in zip(points, kinds, strict=True):
        if kind is None:
            continue
        key = (point.values["name"], kind)
        if key in seen:
            point.problem(f"same name and kind as {seen[key]}")
        seen.setdefault(key, point.label)
    # Listed in file order, so a person can fix the file from top to bottom.
    raise_if_problems([p for point in points for p in point.problems], path)

    existing: dict[tuple[str, ServiceKind], int] = {}
    if seen:
        stored = session.execute(
            select(ServicePoint.name, ServicePoint.kind, ServicePoint.id).where(
                tuple_(ServicePoint.name, ServicePoint.kind).in_(list(seen))
            )
        )
        existing = {(name, kind): id_ for name, kind, id_ in stored}
    source_label = source or path.name
    new_rows, changed_rows = [], []
    for point, kind in zip(points, kinds, strict=True):
        assert kind is not None  # every point without a kind was a problem above
        row = {
            "kind": kind,
            "name": point.values["name"],
            "address": point.values["address"],
            "phone": point.values["phone"],
            "hours": point.values["hours"],
            "location": f"SRID=4326;POINT({point.x!r} {point.y!r})",
            "is_sample": sample,
            "source": source_label,
        }
        key = (point.values["name"], kind)
        if key in existing:
            changed_rows.append({"id": existing[key], **row})
        else:
            new_rows.append(row)
    if new_rows:
        session.execute(insert(ServicePoint), new_rows)
    if changed_rows:
        session.execute(update(ServicePoint), changed_rows)
    rekey_service_points(session)
    expire_loaded(session, ServicePoint)
    session.flush()
    return ServiceImport(
        source=path.name,
        inserted=len(new_rows),
        updated=len(changed_rows),
        by_kind=dict(Counter(str(k) for k in kinds)),
        is_sample=sample,
        warnings=warnings,
    )
