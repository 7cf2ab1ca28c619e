"""GeoJSON shaping: plain dicts in, RFC 7946 structures out."""

from __future__ import annotations

from typing import Any

# ~1 m at these latitudes: enough for displaced points, no false precision.
COORD_DECIMALS = 5


def point(lon: float, lat: float, decimals: int = COORD_DECIMALS) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, decimals), round(lat, decimals)]}


def feature(geometry: dict[str, Any] | None, properties: dict[str, Any], id_: Any = None) -> dict:
    out: dict[str, Any] = {"type": "Feature", "geometry": geometry, "properties": properties}
    if id_ is not None:
        out["id"] = id_
    return out


def feature_collection(features: list[dict], **members: Any) -> dict[str, Any]:
    """A FeatureCollection; extra keyword arguments become foreign members (metadata)."""
    return {"type": "FeatureCollection", "features": features, **members}
