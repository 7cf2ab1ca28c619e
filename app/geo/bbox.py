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


def parse_ogc_bbox(value: str) -> BBox:
    """Parse an OGC API bbox: "minx,miny,maxx,maxy" or with heights
    "minx,miny,minz,maxx,maxy,maxz" (heights ignored), in degrees; ValueError with a reason.

    A box may be a line or a point (min = max); one crossing the antimeridian is refused.
    """
    parts = [p.strip() for p in value.split(",")]
    if len(parts) not in (4, 6):
        raise ValueError(
            f"bbox has {len(parts)} numbers; it needs 4 (minx,miny,maxx,maxy in degrees, "
            "e.g. 32.80,39.90,32.86,39.94) or 6 (with heights)"
        )
    try:
        numbers = [float(p) for p in parts]
    except ValueError as exc:
        raise ValueError(f"bbox must be numbers separated by commas, not {value!r}") from exc
    if any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
        raise ValueError("bbox must be finite numbers")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    if not all(-180 <= x <= 180 for x in (west, east)):
        raise ValueError("bbox longitudes (minx, maxx) must lie between -180 and 180")
    if not all(-90 <= y <= 90 for y in (south, north)):
        raise ValueError("bbox latitudes (miny, maxy) must lie between -90 and 90")
    if west > east:
        raise ValueError(
            f"bbox minx ({west}) is greater than maxx ({east}); boxes across the "
            "antimeridian are not supported"
        )
    if south > north:
        raise ValueError(f"bbox miny ({south}) is greater than maxy ({north})")
    return BBox(west, south, east, north)
