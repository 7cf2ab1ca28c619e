"""Vector tile tests: many reports in one INSERT, tile arithmetic, and a strict MVT decoder.

`decode_strict` checks a tile against the Mapbox Vector Tile specification 2.1 before
decoding it with mapbox-vector-tile (which, alone, accepts many invalid tiles); it is
itself checked against @mapbox/mvt-fixtures (tests/standards/test_mvt_fixtures.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from google.protobuf.message import DecodeError
from mapbox_vector_tile import decode
from mapbox_vector_tile.Mapbox import vector_tile_pb2
from sqlalchemy import text

from app.models import Report

HALF_WORLD_M = 20037508.3427892
_CLONED = {"id", "public_id", "tracking_code_hash", "record_key", "mahalle_id"}
_CLONED |= {"municipality_id", "category_id", "location", "public_location"}


def insert_random_reports(
    db,
    template: Report,
    n: int,
    bbox: tuple[float, float, float, float],
    categories: Sequence[str],
    seed: float = 0.5,
) -> int:
    """Published copies of `template` at `n` random exact points in `bbox` (those inside a
    mahalle kept), each displaced 50..200 m for its public point, with random record keys and
    categories; returns how many were inserted."""
    columns = [c.name for c in Report.__table__.columns if c.name not in _CLONED]
    listed = ", ".join(f'"{c}"' for c in columns)
    copied = ", ".join(f't."{c}"' for c in columns)
    db.execute(text("SELECT setseed(:seed)"), {"seed": seed})
    result = db.execute(
        text(
            f"""
            INSERT INTO report ({listed}, id, public_id, tracking_code_hash, record_key,
                                mahalle_id, municipality_id, category_id, location,
                                public_location)
            SELECT {copied}, gen_random_uuid(), left(md5(random()::text), 16),
                   md5(random()::text) || md5(random()::text), p.rk, m.id, m.municipality_id,
                   c.id, p.pt,
                   ST_Project(p.pt::geography, 50 + p.r * 150, p.a * 2 * pi())::geometry
            FROM report t, (
                SELECT ST_SetSRID(ST_MakePoint(:w + random() * (:e - :w),
                                               :s + random() * (:n - :s)), 4326) AS pt,
                       (CAST(:cats AS text[]))[1 + floor(random() * :ncat)::int] AS cat,
                       floor(random() * 256)::int AS rk, random() AS r, random() AS a
                FROM generate_series(1, :count)
            ) p
            JOIN mahalle m ON ST_Contains(m.geom, p.pt)
            JOIN category c ON c.code = p.cat
            WHERE t.id = :template
            """
        ),
        {
            "template": template.id,
            "w": bbox[0],
            "s": bbox[1],
            "e": bbox[2],
            "n": bbox[3],
            "cats": list(categories),
            "ncat": len(categories),
            "count": n,
        },
    )
    return result.rowcount


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(x, y) of the WebMercatorQuad tile holding the point at zoom z."""
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tile_lonlat(z: int, x: int, y: int, extent: int = 4096):
    """A transformer from tile coordinates (y up, as decode gives them) to lon/lat."""
    size = 2 * HALF_WORLD_M / (1 << z)
    xmin, ymax = -HALF_WORLD_M + x * size, HALF_WORLD_M - y * size
    ymin = ymax - size

    def to_lonlat(tx: float, ty: float) -> tuple[float, float]:
        mx, my = xmin + tx / extent * size, ymin + ty / extent * size
        lon = mx / HALF_WORLD_M * 180
        lat = math.degrees(math.atan(math.sinh(my / HALF_WORLD_M * math.pi)))
        return lon, lat

    return to_lonlat


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance between two lon/lat points in metres."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


class InvalidTile(ValueError):
    """The bytes are not a valid Mapbox Vector Tile (specification 2.1)."""


GEOMETRY_TYPES = {1: "point", 2: "linestring", 3: "polygon"}
MOVE_TO, LINE_TO, CLOSE_PATH = 1, 2, 7


def _zigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def _rings(geometry: Sequence[int]) -> tuple[list[list[tuple[int, int]]], set[int]]:
    """The command stream as paths of points and the commands used; InvalidTile on any
    malformed command."""
    paths: list[list[tuple[int, int]]] = []
    commands: set[int] = set()
    x = y = 0
    i = 0
    while i < len(geometry):
        command, count = geometry[i] & 0x7, geometry[i] >> 3
        commands.add(command)
        i += 1
        if command == CLOSE_PATH:
            if count != 1 or not paths:
                raise InvalidTile("ClosePath must have a count of 1 and follow a path")
            paths[-1].append(paths[-1][0])
            continue
        if command not in (MOVE_TO, LINE_TO) or count == 0:
            raise InvalidTile(f"unknown command {command} or empty count")
        if i + 2 * count > len(geometry):
            raise InvalidTile("a command needs more parameters than the geometry holds")
        points = []
        for _ in range(count):
            dx, dy = _zigzag(geometry[i]), _zigzag(geometry[i + 1])
            if command == LINE_TO and dx == 0 and dy == 0:
                raise InvalidTile("a LineTo to the current point (dX = dY = 0)")
            x, y = x + dx, y + dy
            i += 2
            points.append((x, y))
        if command == MOVE_TO:
            paths.extend([p] for p in points)
        elif not paths:
            raise InvalidTile("LineTo before any MoveTo")
        else:
            paths[-1].extend(points)
    return paths, commands


def _check_geometry(kind: int, geometry: Sequence[int]) -> None:
    if kind not in GEOMETRY_TYPES:
        return  # UNKNOWN geometry: decoders may ignore the feature (spec 4.3.5)
    if not geometry:
        raise InvalidTile("a feature without geometry")
    paths, commands = _rings(geometry)
    if kind == 1 and any(len(p) != 1 for p in paths):
        raise InvalidTile("a point geometry with LineTo or ClosePath")
    if kind == 2 and (any(len(p) < 2 for p in paths) or CLOSE_PATH in commands):
        raise InvalidTile("a line needs MoveTo then LineTo, without ClosePath")
    if kind == 3 and any(len(p) < 4 or p[0] != p[-1] for p in paths):
        raise InvalidTile("a polygon ring needs MoveTo, LineTo (2+) and ClosePath")


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if i >= len(data):
            raise InvalidTile("a truncated varint")
        byte = data[i]
        value |= (byte & 0x7F) << shift
        i += 1
        if not byte & 0x80:
            return value, i
        shift += 7


def _fields(data: bytes):
    """(field number, wire type, payload) of a protobuf message, as written."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
            yield number, wire, value
        elif wire == 2:
            length, i = _varint(data, i)
            yield number, wire, data[i : i + length]
            i += length
        elif wire in (1, 5):
            i += 8 if wire == 1 else 4
            yield number, wire, None
        else:
            raise InvalidTile(f"wire type {wire} is not used by vector tiles")


# The wire type of each field of a layer and a feature: a field written with another type
# (an extent as a string) is dropped by protobuf decoders as unknown, silently.
LAYER_WIRE = {15: 0, 1: 2, 2: 2, 3: 2, 4: 2, 5: 0}
FEATURE_WIRE = {1: 0, 2: 2, 3: 0, 4: 2}


def _check_wire(tile_bytes: bytes) -> None:
    for number, _, layer in _fields(tile_bytes):
        if number != 3 or not isinstance(layer, bytes):
            continue
        for field, wire, payload in _fields(layer):
            if field in LAYER_WIRE and LAYER_WIRE[field] != wire:
                raise InvalidTile(f"layer field {field} has wire type {wire}")
            if field != 2 or not isinstance(payload, bytes):
                continue
            seen: list[int] = []
            for f_field, f_wire, value in _fields(payload):
                if f_field in FEATURE_WIRE and FEATURE_WIRE[f_field] != f_wire:
                    raise InvalidTile(f"feature field {f_field} has wire type {f_wire}")
                if f_field == 3 and value not in (0, 1, 2, 3):
                    raise InvalidTile(f"geometry type {value} is not in the enum")
                seen.append(f_field)
            if 3 not in seen:
                raise InvalidTile("a feature must carry its geometry type")
            if seen.count(4) > 1 or seen.count(3) > 1:
                raise InvalidTile("a feature with two geometry or two type fields")


def validate(tile_bytes: bytes) -> None:
    """Raise InvalidTile unless the tile follows the specification 2.1."""
    tile = vector_tile_pb2.tile()
    try:
        tile.ParseFromString(tile_bytes)
    except DecodeError as exc:
        raise InvalidTile(f"not a protobuf tile: {exc}") from exc
    if not tile.IsInitialized():
        raise InvalidTile("a required field (a layer's version or name) is missing")
    _check_wire(tile_bytes)
    names = set()
    for layer in tile.layers:
        if layer.version not in (1, 2):  # version 1 tiles are still read (spec 4.1)
            raise InvalidTile(f"layer version {layer.version}, not 1 or 2")
        if not layer.name or layer.name in names:
            raise InvalidTile("a layer without a name, or two with the same")
        names.add(layer.name)
        if layer.extent <= 0:
            raise InvalidTile("a layer extent must be positive")
        if len(set(layer.keys)) != len(layer.keys):
            raise InvalidTile("duplicate keys in a layer")
        for value in layer.values:
            if len(value.ListFields()) != 1:
                raise InvalidTile("a value must hold exactly one field")
        ids = set()
        for feature in layer.features:
            if feature.HasField("id"):
                if feature.id in ids:
                    raise InvalidTile("two features with the same id")
                ids.add(feature.id)
            tags = list(feature.tags)
            if len(tags) % 2:
                raise InvalidTile("an odd number of tags")
            if any(k >= len(layer.keys) for k in tags[0::2]):
                raise InvalidTile("a tag names a key the layer does not have")
            if any(v >= len(layer.values) for v in tags[1::2]):
                raise InvalidTile("a tag names a value the layer does not have")
            _check_geometry(feature.type, list(feature.geometry))


def decode_strict(tile_bytes: bytes, transformer=None) -> dict:
    """Validate, then decode into {layer: {"features": [GeoJSON-like features], ...}};
    features of UNKNOWN geometry type are left out, as the specification allows."""
    validate(tile_bytes)
    tile = vector_tile_pb2.tile()
    tile.ParseFromString(tile_bytes)
    for layer in tile.layers:
        known = [f for f in layer.features if f.type in GEOMETRY_TYPES]
        if len(known) != len(layer.features):
            del layer.features[:]
            layer.features.extend(known)
    options = {"transformer": transformer} if transformer else {}
    return decode(tile.SerializeToString(), default_options=options)
