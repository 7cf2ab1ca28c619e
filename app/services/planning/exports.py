"""Exports of exactly what the dashboard shows: GeoJSON, CSV, GeoPackage, zipped Shapefile.

Files are written by GDAL through pyogrio (GeoPackage, Shapefile) or pandas (CSV), from the
same perturbed and suppressed features the API returns, so no cell below k can appear in
any format.
Every file carries its metadata (period, filters, generation time, definitions, estimate
flags, k, licence):
- GeoJSON: a top-level `metadata` member;
- GeoPackage: GDAL dataset metadata (`metadata` key, JSON) plus the tables `definitions` and
  `export_metadata` (key, value);
- Shapefile: a zip with the layer, `metadata.json`, `fields.csv` (the 10-character DBF field
  names mapped to indicator codes) and `README.txt`;
- CSV: a zip with `<layer>.csv` (UTF-8 with BOM, for Excel), `metadata.json` and
  `definitions.csv`; header comment lines would break spreadsheet imports.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.models import Category, Mahalle, Report
from app.services.planning import definitions, layers
from app.services.reference import area_k
from app.services.scope import PlannerFilters, filtered_reports
from app.services.suppression import PTable, cell_key, protect_partition
from app.services.visibility import may_be_public_point

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "csv": ("application/zip", "csv.zip"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "shp": ("application/zip", "shp.zip"),
}
LAYERS = ("indicators", "hotspots", "reports", "sensitive")
MAX_POINTS = 200_000


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str


def layer_collection(
    session: Session,
    layer: str,
    filters: PlannerFilters,
    k: int,
    ptable: PTable,
    size_m: int,
    allowed: tuple[int, ...] = (250, 500),
) -> dict:
    """The FeatureCollection (with metadata) of one exportable layer."""
    if layer == "indicators":
        return layers.indicator_layer(session, filters, k, ptable)
    if layer == "hotspots":
        return layers.hotspot_layer(session, filters, size_m, k, ptable, allowed)
    # Points and sensitive aggregates: the strictest k of the area (their cells cross no
    # border, but one threshold keeps the file's rule simple to state).
    if layer == "reports":
        return report_points(session, filters, area_k(session, k, filters.municipalities))
    if layer == "sensitive":
        return sensitive_aggregates(
            session, filters, area_k(session, k, filters.municipalities), ptable
        )
    raise InvalidInput(
        f"Unknown layer {layer!r}; choose one of {', '.join(LAYERS)}.", field="layer"
    )


def report_points(session: Session, filters: PlannerFilters, k: int) -> dict:
    """Published non-sensitive reports with a map point, at their displaced public location."""
    stmt = (
        filtered_reports(filters, filters.since, filters.until)
        .where(may_be_public_point())
        .with_only_columns(
            Report.public_id,
            Category.code,
            Category.group,
            Report.time_band,
            func.to_char(Report.occurred_on, "YYYY-MM").label("month"),
            Report.perceived_safety,
            Report.municipal_status,
            func.ST_X(Report.public_location).label("lon"),
            func.ST_Y(Report.public_location).label("lat"),
        )
        .order_by(Report.public_id)
        .limit(MAX_POINTS)
    )
    if filters.districts:
        stmt = stmt.join(Mahalle, Mahalle.id == Report.mahalle_id).where(
            Mahalle.district.in_(filters.districts)
        )
    features = [
        {
            "type": "Feature",
            "id": r.public_id,
            "geometry": {"type": "Point", "coordinates": [round(r.lon, 6), round(r.lat, 6)]},
            "properties": {
                "public_id": r.public_id,
                "category": r.code,
                "category_group": r.group.value,
                "time_band": r.time_band.value,
                "occurred_month": r.month,
                "perceived_safety": r.perceived_safety,
                "municipal_status": r.municipal_status.value,
            },
        }
        for r in session.execute(stmt)
    ]
    meta = layers.metadata(
        filters,
        k,
        "reports",
        note="Displaced public locations (50-200 m from the true point, chosen once); "
        "sensitive categories are never points: see the `sensitive` layer.",
    )
    return {"type": "FeatureCollection", "metadata": meta, "features": features}


def sensitive_aggregates(session: Session, filters: PlannerFilters, k: int, ptable: PTable) -> dict:
    """Sensitive reports per mahalle and category, perturbed, withheld below k (with
    secondary cells)."""
    collection = layers.indicator_layer(session, filters, k, ptable)
    sensitive = list(
        session.scalars(
            select(Category.code).where(Category.sensitive).order_by(Category.sort_order)
        )
    )
    rows = session.execute(
        filtered_reports(filters, filters.since, filters.until)
        .where(Category.sensitive)
        .with_only_columns(
            Report.mahalle_id, Category.code, func.count(Report.id), cell_key(Report.record_key)
        )
        .group_by(Report.mahalle_id, Category.code)
    ).all()
    codes: dict[int, str] = dict(session.execute(select(Mahalle.id, Mahalle.code)).all())
    per: dict[str, dict[str, int]] = {}
    for mahalle_id, code, n, ckey in rows:
        if mahalle_id is not None:
            per.setdefault(codes.get(mahalle_id, ""), {})[code] = ptable.protect(n, ckey, k) or 0
    features = []
    for feature in collection["features"]:
        props = feature["properties"]
        cells = {c: per.get(props["code"], {}).get(c, 0) for c in sensitive}
        total_shown = not props["sensitive_reports_suppressed"]
        hidden = protect_partition(cells, total_shown, k)
        out = {
            "code": props["code"],
            "name": props["name"],
            "district": props["district"],
            "sensitive_reports": props["sensitive_reports"],
            "sensitive_reports_suppressed": props["sensitive_reports_suppressed"],
        }
        for c in sensitive:
            out[f"reports_{c}"] = None if c in hidden else cells[c]
            out[f"reports_{c}_suppressed"] = c in hidden
        features.append({**feature, "properties": out})
    meta = layers.metadata(filters, k, "sensitive")
    return {"type": "FeatureCollection", "metadata": meta, "features": features}


def _frame(collection: dict) -> gpd.GeoDataFrame:
    """The features as a GeoDataFrame with nullable column types (counts stay integers)."""
    # geopandas, pandas and GDAL (~80 MB per worker) load only when a file is exported.
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import shape

    records = [f["properties"] for f in collection["features"]]
    geometries = [shape(f["geometry"]) if f["geometry"] else None for f in collection["features"]]
    names = list(dict.fromkeys(key for record in records for key in record))
    columns = {}
    for name in names:
        values = [record.get(name) for record in records]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, bool) for v in present):
            columns[name] = pd.array(values, dtype="boolean")
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            columns[name] = pd.array(values, dtype="Int64")
        elif present and all(isinstance(v, int | float) for v in present):
            columns[name] = pd.array(values, dtype="Float64")
        else:
            columns[name] = pd.array(values, dtype=object)
    return gpd.GeoDataFrame(columns, geometry=geometries, crs="EPSG:4326")


def _definitions_frame() -> pd.DataFrame:
    import pandas as pd  # see _frame

    rows = []
    for item in definitions.definitions():
        rows.append(
            {
                "code": item["code"],
                "name_tr": item["name"]["tr"],
                "name_en": item["name"]["en"],
                "definition": item["definition"],
                "formula": item["formula"],
                "unit": item["unit"],
                "estimate": item["estimate"],
                "theme": item["theme"],
                "caveats": item["caveats"],
                "rests_on": ",".join(item["rests_on"]),
            }
        )
    return pd.DataFrame(rows)


def _metadata_json(meta: dict) -> str:
    return json.dumps(meta, ensure_ascii=False, indent=2)


def short_field_names(columns: list[str]) -> dict[str, str]:
    """10-character DBF field names, unique, stable for the same columns."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for n, column in enumerate(columns):
        short = column[:10]
        if short in used:
            short = f"{column[:6]}_{n:03d}"
        used.add(short)
        names[column] = short
    return names


def _readme(meta: dict, extra: str) -> str:
    return (
        f"Mor Harita export: layer {meta['layer']}\n"
        f"Period: {meta['period']['since']} .. {meta['period']['until']}\n"
        f"Generated at: {meta['generated_at']}\n"
        f"Suppression threshold k = {meta['suppression_threshold_k']}: {meta['suppression']}\n"
        f"{meta['estimate_flags']}\n"
        f"Licence: {'; '.join(meta['licence'].values())}\n"
        f"{extra}\n"
        "Definitions of every field: metadata.json (definitions) and docs/indicators.md.\n"
    )


def export_layer(
    session: Session,
    layer: str,
    fmt: str,
    filters: PlannerFilters,
    k: int,
    ptable: PTable,
    size_m: int = 250,
    allowed: tuple[int, ...] = (250, 500),
) -> ExportFile:
    """One layer in one format, with its metadata inside the file."""
    if fmt not in FORMATS:
        raise InvalidInput(
            f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.", field="format"
        )
    collection = layer_collection(session, layer, filters, k, ptable, size_m, allowed)
    meta = collection["metadata"]
    media_type, extension = FORMATS[fmt]
    stem = f"morharita_{layer}_{filters.since:%Y%m}_{filters.until:%Y%m}"
    if fmt == "geojson":
        body = json.dumps(collection, ensure_ascii=False).encode()
        return ExportFile(body, media_type, f"{stem}.{extension}")
    import pandas as pd  # see _frame
    import pyogrio

    frame = _frame(collection)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if fmt == "gpkg":
            path = folder / f"{stem}.gpkg"
            pyogrio.write_dataframe(
                frame,
                path,
                layer=layer,
                driver="GPKG",
                dataset_metadata={"metadata": _metadata_json(meta)},
                # GeoPackage 1.2: read by older GDAL/QGIS too (1.4 warns there).
                dataset_options={"VERSION": "1.2"},
                layer_metadata={"DESCRIPTION": f"Mor Harita {layer}, k={k}"},
            )
            pyogrio.write_dataframe(_definitions_frame(), path, layer="definitions", driver="GPKG")
            pyogrio.write_dataframe(
                pd.DataFrame(
                    [
                        {"key": key, "value": json.dumps(value, ensure_ascii=False)}
                        for key, value in meta.items()
                        if key != "definitions"
                    ]
                ),
                path,
                layer="export_metadata",
                driver="GPKG",
            )
            return ExportFile(path.read_bytes(), media_type, path.name)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("metadata.json", _metadata_json(meta))
            if fmt == "csv":
                table = pd.DataFrame(frame.drop(columns="geometry"))
                if layer == "reports":
                    table["lon"] = frame.geometry.x.round(6)
                    table["lat"] = frame.geometry.y.round(6)
                archive.writestr(f"{layer}.csv", table.to_csv(index=False).encode("utf-8-sig"))
                archive.writestr(
                    "definitions.csv", _definitions_frame().to_csv(index=False).encode("utf-8-sig")
                )
                archive.writestr(
                    "README.txt",
                    _readme(
                        meta,
                        "Geometry: not in the CSV (mahalle "
                        "by `code`); use GeoPackage or GeoJSON for geometry.",
                    ),
                )
            else:
                names = short_field_names([c for c in frame.columns if c != "geometry"])
                pyogrio.write_dataframe(
                    frame.rename(columns=names), folder / f"{layer}.shp", encoding="UTF-8"
                )
                for part in sorted(folder.glob(f"{layer}.*")):
                    archive.write(part, part.name)
                archive.writestr(
                    "fields.csv",
                    pd.DataFrame({"field": list(names.values()), "code": list(names)}).to_csv(
                        index=False
                    ),
                )
                archive.writestr(
                    "README.txt",
                    _readme(
                        meta,
                        "DBF field names are cut to 10 "
                        "characters: fields.csv maps them to the indicator codes.",
                    ),
                )
        return ExportFile(buffer.getvalue(), media_type, f"{stem}.{extension}")
