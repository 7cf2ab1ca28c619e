"""Helpers for the importer tests: small files to import, and the mahalle read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import func, select

from app.models import Mahalle
from tests.support.base_data import BOUNDARIES

ISTANBUL = (28.97, 41.01)  # lon, lat: outside every imported mahalle


def mahalle_count(db) -> int:
    """How many mahalle the database holds."""
    return db.scalar(select(func.count(Mahalle.id)))


def mahalle_named(db, name: str, district: str = "Çankaya") -> Mahalle:
    """The one mahalle of that name in that district."""
    return db.scalars(
        select(Mahalle).where(Mahalle.name == name, Mahalle.district == district)
    ).one()


def ankara_features(count: int) -> list[dict]:
    """The first `count` real features, with codes changed so they are new to the database."""
    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"][:count]
    for i, feature in enumerate(features):
        feature["properties"]["osm_id"] = f"test/{i + 1}"
    return features


def write_geojson(path: Path, features: list[dict]) -> Path:
    """A GeoJSON FeatureCollection of `features` at `path`."""
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    """A UTF-8 CSV of `rows` (the header first) at `path`."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path
