"""Bounding boxes from query strings."""

from __future__ import annotations

from typing import NamedTuple


class BBox(NamedTuple):
    west: float
    south: float
    east: float
    north: float


def parse_bbox(value: str) -> BBox:
    """Parse "west,south,east,north" in degrees (EPSG:4326); raise ValueError with a reason."""
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError("bbox must be four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as exc:
        raise ValueError("bbox must be four numbers: west,south,east,north") from exc
    if not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        raise ValueError("bbox is outside longitude -180..180 / latitude -90..90")
    if west >= east or south >= north:
        raise ValueError("bbox must have west < east and south < north")
    return BBox(west, south, east, north)
