"""Location privacy: donut geomasking of a report's point.

Each report's public point lies at a random bearing and a random distance between `min_m`
and `max_m` from the true point (a "donut": never too close, never too far). Areas are
uniform in the ring (distance ~ sqrt of a uniform draw between the squared radii), so the
true point is not likelier near the centre. The offsets come from a seed (`ring_offsets`):
the same seed always gives the same offsets, so placing a report again gives the same point
instead of a second sample that could be averaged with the first.
"""

from __future__ import annotations

import hashlib
import math
import struct

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


_SCALE = 1.0 / (1 << 53)


def ring_offsets(
    seed: bytes, min_m: float, max_m: float, count: int = 16
) -> list[tuple[float, float]]:
    """`count` (distance in metres, bearing in radians) pairs, uniform by area in the ring
    [min_m, max_m], drawn from `seed` (SHAKE-256 of it): the same seed, the same offsets."""
    words = struct.unpack(f"<{2 * count}Q", hashlib.shake_256(seed).digest(16 * count))
    offsets = []
    for i in range(count):
        u, v = (words[2 * i] >> 11) * _SCALE, (words[2 * i + 1] >> 11) * _SCALE
        offsets.append((math.sqrt(min_m**2 + u * (max_m**2 - min_m**2)), v * 2.0 * math.pi))
    return offsets


def donut_candidates(
    lon: float, lat: float, offsets: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """The candidate public points: (lon, lat) moved by each (distance, bearing) offset."""
    return [offset(lon, lat, distance, bearing) for distance, bearing in offsets]


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
