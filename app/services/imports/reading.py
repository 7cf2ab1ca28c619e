"""Importers for administrators' data files: boundaries, population, service points.

Every importer validates the whole file first and collects every problem, then writes in the
caller's transaction (flush only). A bad file therefore raises `ImportFailed` listing each
bad row or feature, and nothing from it is written. This module holds what they share:
reading CSV and vector files, resolving a file's CRS, and failing with all problems at once.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio
from pyogrio import raw
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import ImportFailed
from app.services.imports.names import name_key

WGS84 = 4326
_AUTHORITY_CODE = re.compile(r"([A-Za-z]+):(\d+)")
# WKT of a geographic (lon/lat) CRS starts with one of these keywords.
_GEOGRAPHIC_WKT = ("GEOGCS[", "GEOGCRS[", "GEODCRS[", "GEOGRAPHICCRS[")
_NUL_PROBLEM = "contains a NUL character (\\x00), which the database cannot store"


def raise_if_problems(problems: list[str], source: Path | str) -> None:
    """Refuse the whole file when any row or feature is bad, listing every problem."""
    if not problems:
        return
    count = len(problems)
    raise ImportFailed(
        f"{count} problem{'s' if count != 1 else ''} in {Path(source).name}; nothing was imported",
        details=problems,
    )


def expire_loaded(session: Session, *models: type) -> None:
    """Expire loaded objects of `models` after bulk SQL wrote past the ORM, so they reload."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, models):
            session.expire(obj)


def _check_readable(path: Path) -> None:
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file.")


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header and rows, each row with the line number a person sees in an editor."""

    path: Path
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str

    def column(self, wanted: str | None) -> str | None:
        """The header that is `wanted`, compared Turkish-aware and ignoring case."""
        if wanted is None:
            return None
        if wanted in self.header:
            return wanted
        key = name_key(wanted)
        return next((h for h in self.header if name_key(h) == key), None)


def read_csv(path: Path | str) -> CsvTable:
    """Read a CSV (comma, semicolon or tab; UTF-8, or Windows-1254 as Turkish Excel writes)."""
    path = Path(path)
    _check_readable(path)
    raw_bytes = path.read_bytes()
    try:
        if raw_bytes.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode text" is UTF-16; read as cp1254, every other character is a NUL.
            content, encoding = raw_bytes.decode("utf-16"), "utf-16"
        else:
            content, encoding = raw_bytes.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        content, encoding = raw_bytes.decode("cp1254"), "cp1254"
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            content[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(content.splitlines(keepends=True), dialect)
    problems: list[str] = []
    rows = []
    try:
        header = [h.strip() for h in next(reader)]
        problems += [
            f"line {reader.line_num}: column {h!r} {_NUL_PROBLEM}" for h in header if "\x00" in h
        ]
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            cells = {
                h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)
            }
            problems += [
                f"line {reader.line_num}: column '{h}' {_NUL_PROBLEM}"
                for h, v in cells.items()
                if "\x00" in v
            ]
            rows.append((reader.line_num, cells))
    except StopIteration:
        raise ImportFailed(f"{path.name}: the file is empty.") from None
    except csv.Error as exc:
        raise ImportFailed(
            f"{path.name}: line {reader.line_num} cannot be read as CSV ({exc}); "
            "nothing was imported"
        ) from exc
    raise_if_problems(problems, path)
    return CsvTable(path=path, header=header, rows=rows, encoding=encoding)


@dataclass(frozen=True)
class VectorLayer:
    """One layer of a GeoJSON / GeoPackage / Shapefile: attribute columns and WKB geometries."""

    path: Path
    fields: dict[str, np.ndarray]
    wkb: np.ndarray  # object array of bytes, None where a feature has no geometry
    crs: str | None

    def __len__(self) -> int:
        return len(self.wkb)

    def field(self, wanted: str) -> str | None:
        """The field that is `wanted`, compared Turkish-aware and ignoring case."""
        if wanted in self.fields:
            return wanted
        key = name_key(wanted)
        return next((f for f in self.fields if name_key(f) == key), None)


def read_vector(path: Path | str, layer: str | None = None) -> VectorLayer:
    """Read one layer with pyogrio; a file with several layers needs `layer` named."""
    path = Path(path)
    _check_readable(path)
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        if layer is None and len(layers) > 1:
            raise ImportFailed(
                f"{path.name} has {len(layers)} layers; choose one with --layer: "
                + ", ".join(layers)
            )
        if layer is not None and layer not in layers:
            raise ImportFailed(
                f"{path.name} has no layer '{layer}'; its layers are: " + ", ".join(layers)
            )
        meta, _, geometry, field_data = raw.read(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ImportFailed(
            f"{path.name}: not a readable GeoJSON, GeoPackage or Shapefile ({exc})"
        ) from exc
    if geometry is None:
        raise ImportFailed(f"{path.name}: the layer has no geometry column.")
    fields = dict(zip([str(n) for n in meta["fields"]], field_data, strict=True))
    raise_if_problems(_nul_problems(fields), path)
    return VectorLayer(path=path, fields=fields, wkb=geometry, crs=meta["crs"])


def _nul_problems(fields: dict[str, np.ndarray]) -> list[str]:
    """Text attributes holding NUL, per feature (GDAL usually cuts text there already)."""
    problems = []
    for name, values in fields.items():
        if "\x00" in name:
            problems.append(f"field {name!r} {_NUL_PROBLEM}")
        if values.dtype.kind not in "OSU":
            continue
        for i, value in enumerate(values):
            if isinstance(value, str) and "\x00" in value:
                problems.append(f"feature #{i + 1}: field '{name}' {_NUL_PROBLEM}")
    return problems


def srid_for_crs(session: Session, crs: str | None, warnings: list[str]) -> int:
    """The PostGIS SRID of a file's CRS ("EPSG:3857", "ESRI:102100", lon/lat WKT, or none)."""
    if crs is None:
        warnings.append("The file declares no CRS; coordinates are taken as lon/lat (EPSG:4326).")
        return WGS84
    if crs.upper() in ("OGC:CRS84", "EPSG:4326"):
        return WGS84
    match = _AUTHORITY_CODE.fullmatch(crs.strip())
    if match:
        authority, code = match.group(1).upper(), int(match.group(2))
        srid = session.scalar(
            text(
                "SELECT srid FROM spatial_ref_sys WHERE upper(auth_name) = :auth "
                "AND auth_srid = :code ORDER BY srid LIMIT 1"
            ),
            {"auth": authority, "code": code},
        )
        if srid is None:
            raise ImportFailed(
                f"The file's CRS {crs} is unknown to PostGIS; reproject the file to EPSG:4326."
            )
        return int(srid)
    if crs.lstrip().upper().startswith(_GEOGRAPHIC_WKT):
        # A lon/lat CRS without an EPSG code (often an ESRI .prj); WGS84 is the only sane reading.
        warnings.append(
            "The file's CRS is lon/lat but has no EPSG code; it was taken as EPSG:4326."
        )
        return WGS84
    raise ImportFailed(
        "The file's CRS has no EPSG code and is not lon/lat, so it cannot be reprojected "
        "reliably. Reproject the file to EPSG:4326 (e.g. ogr2ogr -t_srs EPSG:4326) or give "
        "it a .prj with an EPSG code.",
        details=[crs[:300]],
    )


def text_value(value: object) -> str:
    """A field value as stripped text ('' for null/NaN), whatever type the file stored."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN: a null in a numeric column
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()
