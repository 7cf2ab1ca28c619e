"""Location privacy: donut geomasking of a report's point.

Each report's public point is drawn once, at write time, at a random bearing and a random
distance between `min_m` and `max_m` from the true point (a "donut": never too close, never
too far). Because it is stored, repeated requests return the same point and cannot be
averaged back to the true one. Areas are uniform in the ring (distance ~ sqrt of a uniform
draw between the squared radii), so the true point is not likelier near the centre.
"""

from __future__ import annotations

import math
import random

EARTH_RADIUS_M = 6_371_008.8


def offset(lon: float, lat: float, distance_m: float, bearing_rad: float) -> tuple[float, float]:
    """The point `distance_m` metres from (lon, lat) along `bearing_rad` (0 = north)."""
    phi1, lam1 = math.radians(lat), math.radians(lon)
    delta = distance_m / EARTH_RADIUS_M
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(bearing_rad)
    )
    lam2 = lam1 + math.atan2(
        math.sin(bearing_rad) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    return (math.degrees(lam2) + 540) % 360 - 180, math.degrees(phi2)


def donut_candidates(
    lon: float, lat: float, min_m: float, max_m: float, rng: random.Random, count: int = 16
) -> list[tuple[float, float]]:
    """`count` candidate displaced points, uniform by area in the ring [min_m, max_m]."""
    points = []
    for _ in range(count):
        distance = math.sqrt(rng.uniform(min_m**2, max_m**2))
        bearing = rng.uniform(0.0, 2.0 * math.pi)
        points.append(offset(lon, lat, distance, bearing))
    return points


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
