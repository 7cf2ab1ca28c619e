"""Mahalle boundaries from GeoJSON, GeoPackage or Shapefile, upserted by code, each in one
municipality (see `municipality_assignment`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import shapely
from sqlalchemy import CursorResult, select, text
from sqlalchemy.orm import Session

from app.models import Mahalle, Report
from app.services.imports.municipality_assignment import (
    MunicipalityChoice,
    assign,
    overlap_problems,
)
from app.services.imports.names import name_key
from app.services.imports.reading import (
    WGS84,
    VectorLayer,
    expire_loaded,
    raise_if_problems,
    read_vector,
    srid_for_crs,
    text_value,
)
from app.services.reference import rekey_service_points
from app.services.reporting import move_children

_POLYGONAL = ("Polygon", "MultiPolygon")
_MAX_LENGTH = {"code": 64, "name": 200, "district": 100, "province": 100}


@dataclass(frozen=True)
class BoundaryFields:
    """Which attribute of the file holds each value (defaults: the OSM-derived demo file)."""

    code: str = "osm_id"
    name: str = "name"
    district: str = "ilce"
    province: str = "il"


@dataclass
class BoundaryImport:
    """What a boundary import did."""

    source: str
    inserted: int
    updated: int
    pruned: int
    reports_reassigned: int
    by_district: dict[str, int]
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.inserted + self.updated

    def lines(self) -> list[str]:
        """A summary a person reads in the terminal."""
        districts = ", ".join(f"{d} {n}" for d, n in sorted(self.by_district.items()))
        lines = [
            f"{self.source}: {self.total} mahalle ({districts}); "
            f"{self.inserted} new, {self.updated} updated, {self.pruned} removed.",
            f"{self.reports_reassigned} existing reports moved to their mahalle.",
        ]
        return lines + [f"warning: {w}" for w in self.warnings]


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    district: str
    province: str
    wkb: bytes


def _label(index: int, code: str, name: str) -> str:
    """How a feature is named in messages: 1-based, as a person counts, with what it has."""
    known = ", ".join(
        p for p in (f"name '{name}'" if name else "", f"code '{code}'" if code else "") if p
    )
    return f"feature #{index + 1}" + (f" ({known})" if known else "")


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry | None:
    """The polygons in a repaired geometry (make_valid may also return lines and points)."""
    if geom.geom_type in _POLYGONAL:
        return geom
    polygons = [
        poly
        for part in shapely.get_parts(geom)
        for poly in shapely.get_parts(part)
        if poly.geom_type == "Polygon" and not poly.is_empty
    ]
    return shapely.multipolygons(polygons) if polygons else None


def _where(mask: np.ndarray) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask)]


def _geometries(layer: VectorLayer, srid: int) -> tuple[np.ndarray, dict[int, str], list[int]]:
    """Parse, check and repair every geometry at once; return them, problems and repairs."""
    problems: dict[int, str] = {}
    geoms = shapely.force_2d(shapely.from_wkb(layer.wkb, on_invalid="ignore"))
    absent = np.array([w is None for w in layer.wkb], dtype=bool)
    for i in _where(absent):
        problems[i] = "has no geometry"
    for i in _where(~absent & shapely.is_missing(geoms)):
        problems[i] = "has a geometry that cannot be read (corrupt WKB)"
    present = ~shapely.is_missing(geoms)
    for i in _where(present & shapely.is_empty(geoms)):
        problems[i] = "has an empty geometry"
    types = np.array([g.geom_type if g is not None else "" for g in geoms])
    for i in _where(present & ~np.isin(types, _POLYGONAL)):
        problems.setdefault(i, f"is a {types[i]}, not a Polygon or MultiPolygon")
    if srid == WGS84:
        # Projected metres under a missing or wrong CRS would land far outside lon/lat range.
        bounds = shapely.bounds(geoms)
        outside = (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1) | (
            np.abs(bounds[:, [1, 3]]) > 90
        ).any(axis=1)
        for i in _where(present & outside):
            problems.setdefault(
                i, "has coordinates outside lon/lat range (is the file's CRS missing?)"
            )
    repaired: list[int] = []
    invalid = _where(present & ~shapely.is_valid(geoms))
    for i, fixed in zip(invalid, shapely.make_valid(geoms[invalid]), strict=True):
        if i in problems:
            continue
        polygonal = _polygonal_part(fixed)
        if polygonal is None:
            problems[i] = "has a broken geometry: nothing polygonal remains after repair"
        else:
            geoms[i] = polygonal
            repaired.append(i)
    return geoms, problems, repaired


def _validated_rows(
    layer: VectorLayer, fields: BoundaryFields, srid: int, warnings: list[str]
) -> list[_Row]:
    """Check attributes and geometries of every feature; raise with all problems found."""
    columns: dict[str, str] = {}
    missing = []
    for role in ("code", "name", "district", "province"):
        wanted = getattr(fields, role)
        found = layer.field(wanted)
        if found is None:
            missing.append(f"no field '{wanted}' for the {role} (--{role}-field)")
        else:
            columns[role] = found
    if missing:
        missing.append("fields in the file: " + ", ".join(layer.fields))
        raise_if_problems(missing, layer.path)
    if len(layer) == 0:
        raise_if_problems(["the layer has no features"], layer.path)

    geoms, geometry_problems, repaired = _geometries(layer, srid)
    wkbs = shapely.to_wkb(geoms)
    problems: list[str] = []
    rows: list[_Row] = []
    first_seen: dict[str, int] = {}
    for i in range(len(layer)):
        values = {role: text_value(layer.fields[col][i]) for role, col in columns.items()}
        label = _label(i, values["code"], values["name"])
        for role, value in values.items():
            if not value:
                problems.append(f"{label}: {role} is missing (field '{columns[role]}')")
            elif len(value) > _MAX_LENGTH[role]:
                problems.append(f"{label}: {role} is longer than {_MAX_LENGTH[role]} characters")
        if i in geometry_problems:
            problems.append(f"{label}: {geometry_problems[i]}")
        code = values["code"]
        if code and code in first_seen:
            problems.append(
                f"{label}: code '{code}' already used by feature #{first_seen[code] + 1}"
            )
        first_seen.setdefault(code, i)
        if i in repaired:
            warnings.append(f"{label}: invalid geometry was repaired")
        rows.append(_Row(wkb=wkbs[i], **values))
    raise_if_problems(problems, layer.path)
    return rows


_UPSERT = text(
    """
    WITH src AS (
        SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(
                   ST_SetSRID(ST_GeomFromWKB(:wkb), CAST(:srid AS integer)), 4326)), 3)) AS geom
    )
    INSERT INTO mahalle (code, name, name_key, district, province, municipality_id, geom, area_km2)
    SELECT :code, :name, :name_key, :district, :province, :municipality_id, geom,
           ST_Area(CAST(geom AS geography)) / 1e6
    FROM src
    ON CONFLICT (code) DO UPDATE SET
        name = excluded.name, name_key = excluded.name_key, district = excluded.district,
        province = excluded.province, municipality_id = excluded.municipality_id,
        geom = excluded.geom, area_km2 = excluded.area_km2, updated_at = now()
    """
)

# Each report goes to the mahalle containing its exact point (lowest id on a shared border,
# as `mahalle_at` does) and to that mahalle's municipality; a report no mahalle holds any
# more keeps its municipality. Service points follow their mahalle's municipality too.
_REASSIGN = text(
    """
    WITH hits AS (
        SELECT r.id AS report_id, hit.id AS mahalle_id,
               COALESCE(hit.municipality_id, r.municipality_id) AS municipality_id
        FROM report AS r
        LEFT JOIN LATERAL (
            SELECT m.id, m.municipality_id
            FROM mahalle AS m
            WHERE ST_Intersects(m.geom, r.location)
            ORDER BY m.id
            LIMIT 1
        ) AS hit ON true
    )
    UPDATE report AS r
    SET mahalle_id = hits.mahalle_id, municipality_id = hits.municipality_id, updated_at = now()
    FROM hits
    WHERE hits.report_id = r.id
      AND (r.mahalle_id IS DISTINCT FROM hits.mahalle_id
           OR r.municipality_id <> hits.municipality_id)
    RETURNING r.id
    """
)


def reassign_reports(session: Session) -> set:
    """Point every report at the mahalle (and municipality) holding it; return those moved."""
    session.flush()
    moved = set(session.scalars(_REASSIGN))
    move_children(session, list(moved))
    rekey_service_points(session)
    return moved


def import_boundaries(
    session: Session,
    path: Path | str,
    *,
    fields: BoundaryFields | None = None,
    layer: str | None = None,
    prune: bool = False,
    municipality: MunicipalityChoice | None = None,
) -> BoundaryImport:
    """Upsert mahalle by code from a vector file into their municipalities, reproject to
    EPSG:4326, reassign reports. A bad file imports nothing (municipalities included)."""
    fields = fields or BoundaryFields()
    data = read_vector(path, layer)
    warnings: list[str] = []
    srid = srid_for_crs(session, data.crs, warnings)
    rows = _validated_rows(data, fields, srid, warnings)
    codes = [r.code for r in rows]
    labels = [_label(i, r.code, r.name) for i, r in enumerate(rows)]
    with session.begin_nested():  # a refusal below undoes the municipalities it created too
        municipality_ids = assign(
            session, data, municipality or MunicipalityChoice(), labels, codes
        )
        result = _write(session, data, rows, srid, municipality_ids, prune)
        raise_if_problems(overlap_problems(session, codes), data.path)
    result.warnings[:0] = warnings
    return result


def _write(session, data, rows, srid, municipality_ids, prune) -> BoundaryImport:
    codes = [r.code for r in rows]
    existing = set(session.scalars(select(Mahalle.code).where(Mahalle.code.in_(codes))))
    session.execute(
        _UPSERT,
        [
            {
                "wkb": r.wkb,
                "srid": srid,
                "code": r.code,
                "name": r.name,
                "name_key": name_key(r.name),
                "district": r.district,
                "province": r.province,
                "municipality_id": municipality_id,
            }
            for r, municipality_id in zip(rows, municipality_ids, strict=True)
        ],
    )
    pruned, detached = 0, set()
    if prune:
        # Reports in removed mahalle lose the link here (ON DELETE SET NULL) and are matched
        # to the new boundaries by the reassignment just below, in the same transaction.
        gone = select(Mahalle.id).where(Mahalle.code.not_in(codes))
        detached = set(session.scalars(select(Report.id).where(Report.mahalle_id.in_(gone))))
        deleted = session.execute(
            text("DELETE FROM mahalle WHERE NOT (code = ANY(CAST(:codes AS text[])))"),
            {"codes": codes},
        )
        pruned = cast("CursorResult[Any]", deleted).rowcount
    reassigned = len(detached | reassign_reports(session))
    expire_loaded(session, Mahalle, Report)
    return BoundaryImport(
        source=data.path.name,
        inserted=len(set(codes) - existing),
        updated=len(existing),
        pruned=pruned,
        reports_reassigned=reassigned,
        by_district=dict(Counter(r.district for r in rows)),
        warnings=[],
    )
