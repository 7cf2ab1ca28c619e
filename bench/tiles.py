"""Vector tile timings, and the settings that win per query: JIT and parallel query on or off.

    python -m bench.tiles [--reports 500000] [--rounds 7] [--reuse]

Builds `<db>_tiles_bench` (the Ankara demo plus N synthetic reports, bench.generate), then
times the report tiles' heavy query (points into the cells of a tile) through psycopg with
JIT on/off and parallel workers 0/2, interleaving the variants round by round so that load
from other jobs falls on all of them alike; then the whole tile through the service as
served (MVT and the map's GeoJSON), with its size. Prints medians and the ratios.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time

from sqlalchemy import func, literal_column, make_url, text
from sqlalchemy.orm import sessionmaker

from app.config import Settings
from app.db import make_engine
from app.models import Report
from app.services.standards import tiles
from app.services.standards.tile_matrix import TileAddress
from app.services.standards.tile_reports import CELLS_SQL, CLUSTER_CELLS, points_in_tile
from app.services.suppression import perturbation_table
from bench.generate import generate
from bench.run_all import demo_database

KIZILAY = (32.8541, 39.9208)
ZOOMS = (10, 11, 12, 14, 16)
VARIANTS = {
    "jit on, parallel 2": ("on", 2),
    "jit off, parallel 2": ("off", 2),
    "jit on, parallel 0": ("on", 0),
    "jit off, parallel 0": ("off", 0),
}


def tile_at(lon: float, lat: float, z: int) -> TileAddress:
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return TileAddress(z, x, y)


def cells_query(session, tile: TileAddress, jit: str, workers: int) -> float:
    """ms of the cell query of `tile` with these settings (one transaction)."""
    session.execute(text(f"SET LOCAL jit = {jit}"))
    session.execute(text(f"SET LOCAL max_parallel_workers_per_gather = {workers}"))
    columns = (
        func.ST_X(literal_column("report.public_location")).label("lon"),
        func.ST_Y(literal_column("report.public_location")).label("lat"),
        Report.record_key.label("rk"),
    )
    sql = text(CELLS_SQL.format(points=points_in_tile(None, tiles.TileFilters(), *columns)))
    params = {"z": tile.z, "x": tile.x, "y": tile.y, "cells": (1 << tile.z) * CLUSTER_CELLS}
    params |= {"i0": tile.x * CLUSTER_CELLS, "j0": tile.y * CLUSTER_CELLS}
    start = time.perf_counter()
    session.execute(sql, {**params, "last": CLUSTER_CELLS - 1}).all()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep the database of a last run")
    args = parser.parse_args()

    if args.reuse:
        base = Settings()
        url = make_url(base.database_url or "").set(
            database=f"{make_url(base.database_url or '').database}_tiles_bench"
        )
        settings = Settings(DATABASE_URL=url.render_as_string(hide_password=False))
        engine = make_engine(settings.database_url)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
    else:
        settings, engine, factory = demo_database("_tiles_bench")
        with factory() as session, session.begin():
            generate(session, args.reports)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        total = conn.execute(text("SELECT count(*) FROM report")).scalar()
    ptable = perturbation_table()

    print(f"reports: {total:,}; load average {os.getloadavg()[0]:.2f}")
    samples: dict[tuple[int, str], list[float]] = {}
    for _ in range(args.rounds):
        for z in ZOOMS[:4]:  # cluster zooms: the heavy ones
            tile = tile_at(*KIZILAY, z)
            for name, (jit, workers) in VARIANTS.items():
                with factory() as session, session.begin():
                    samples.setdefault((z, name), []).append(
                        cells_query(session, tile, jit, workers)
                    )
    print("\ncell query of a report tile at Kızılay (median ms over rounds)")
    print("| zoom | " + " | ".join(VARIANTS) + " | jit off / jit on (parallel 2) |")
    print("|---:|" + "---:|" * (len(VARIANTS) + 1))
    for z in ZOOMS[:4]:
        medians = [statistics.median(samples[(z, name)]) for name in VARIANTS]
        ratio = medians[1] / medians[0]
        print(f"| {z} | " + " | ".join(f"{m:.1f}" for m in medians) + f" | {ratio:.2f} |")

    print("\nwhole tile through the service as served (median ms, bytes)")
    print("| zoom | MVT ms | MVT bytes | GeoJSON ms | GeoJSON bytes |")
    print("|---:|---:|---:|---:|---:|")
    for z in ZOOMS:
        tile = tile_at(*KIZILAY, z)
        row = []
        for encoding in ("mvt", "geojson"):
            times, size = [], 0
            for _ in range(args.rounds):
                with factory() as session, session.begin():
                    start = time.perf_counter()
                    found = tiles.collection_tile(
                        session,
                        "reports",
                        None,
                        tile.z,
                        tile.x,
                        tile.y,
                        tiles.TileFilters(),
                        settings.k_threshold,
                        ptable,
                        encoding,
                    )
                    times.append((time.perf_counter() - start) * 1000)
                    size = len(found.content)
            row += [f"{statistics.median(times):.1f}", f"{size:,}"]
        print(f"| {z} | " + " | ".join(row) + " |")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    engine.dispose()


if __name__ == "__main__":
    main()
