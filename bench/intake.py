"""Intake over HTTP with several workers, against PostgreSQL's own floor for the same work.

    python -m bench.intake [--workers 2] [--clients 8] [--seconds 10] [--rounds 3]

On a throwaway cluster (bench/durability.py: its own port, synchronous_commit on, the Ankara
boundaries and categories), interleaves rounds of

- HTTP: `morharita serve --workers W`, C client threads posting JSON reports on keep-alive
  connections, each post from its own client address (X-Forwarded-For), so the intake
  ceilings count as in a campaign (raised high enough not to refuse);
- pgbench (from the PostgreSQL binaries), C clients running the same transaction the app
  runs for one report: the pool's ping, the placement-and-category statement, the intake
  counters, the INSERT, the nearest services, COMMIT;

and prints reports/s of each round, the medians, the ratio HTTP / pgbench and the load
average (os.getloadavg) after each round.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time

from sqlalchemy import create_engine, make_url, text

from app import localdb
from bench.durability import KIZILAY, payload, prepare, served, throwaway_cluster

PGBENCH_SCRIPT = """
\\set n random(1, 2000000000)
\\set shard random(0, 7)
BEGIN;
SELECT 1;
SELECT c.id AS category_id, m.id AS mahalle_id, m.name, m.municipality_id, mu.code,
       (SELECT p.i FROM unnest(CAST(:xs AS float8[]), CAST(:ys AS float8[]))
            WITH ORDINALITY AS p(x, y, i)
        WHERE ST_Contains(m.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))
        ORDER BY p.i LIMIT 1) AS chosen
FROM (SELECT 1) AS one
LEFT JOIN category AS c ON c.code = 'dark_street' AND c.active
LEFT JOIN LATERAL (
    SELECT id, name, municipality_id, geom FROM mahalle
    WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))
    ORDER BY id LIMIT 1
) AS m ON true
LEFT JOIN municipality AS mu ON mu.id = m.municipality_id;
WITH bumped AS (
    INSERT INTO intake_count (bucket, key, n)
    SELECT 1, k, 1 FROM unnest(ARRAY['c:r:' || :n, 'g:r:' || :shard, 'm:' || :mahalle || ':' || :shard]) AS t(k)
    ON CONFLICT (bucket, key) DO UPDATE SET n = intake_count.n + EXCLUDED.n
    RETURNING key, n
)
SELECT key, n, true FROM bumped
UNION ALL
SELECT key, n, false FROM intake_count
WHERE bucket = 1 AND key = ANY(ARRAY['g:r:0','g:r:1','g:r:2','g:r:3','g:r:4','g:r:5','g:r:6',
    'g:r:7','m:' || :mahalle || ':0','m:' || :mahalle || ':1','m:' || :mahalle || ':2',
    'm:' || :mahalle || ':3','m:' || :mahalle || ':4','m:' || :mahalle || ':5',
    'm:' || :mahalle || ':6','m:' || :mahalle || ':7']);
INSERT INTO report (id, public_id, category_id, location, public_location, location_precision,
    place_description, mahalle_id, municipality_id, happening_now, occurred_on, time_band,
    perceived_safety, text, reporter_gender, reporter_age_band, status, municipal_status,
    tracking_code_hash, source, consent_version)
VALUES (gen_random_uuid(), substr(md5(random()::text), 1, 12), :category,
    ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), ST_SetSRID(ST_MakePoint(:lon, :lat), 4326),
    'point', NULL, :mahalle, :municipality, false, CURRENT_DATE, 'night', 2, 'pgbench',
    NULL, NULL, 'pending', 'none', md5(random()::text) || md5(random()::text), 'web', 'v1')
RETURNING created_at;
SELECT id FROM service_point
ORDER BY location <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) LIMIT 20;
COMMIT;
"""


def _candidates() -> tuple[str, str]:
    from app.geo.displacement import donut_candidates, ring_offsets

    points = donut_candidates(KIZILAY[0], KIZILAY[1], ring_offsets(b"bench", 50, 200))
    xs = "{" + ",".join(f"{x:.7f}" for x, _ in points) + "}"
    ys = "{" + ",".join(f"{y:.7f}" for _, y in points) + "}"
    return xs, ys


def pgbench_round(cluster: localdb.Cluster, url: str, clients: int, seconds: int) -> float:
    """Transactions per second of the app's intake transaction, run by pgbench."""
    engine = create_engine(url)
    with engine.connect() as conn:
        category, mahalle, municipality = conn.execute(
            text(
                "SELECT c.id, m.id, m.municipality_id FROM category c, mahalle m"
                " WHERE c.code = 'dark_street' AND ST_Intersects(m.geom,"
                " ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)) LIMIT 1"
            ),
            {"lon": KIZILAY[0], "lat": KIZILAY[1]},
        ).one()
    engine.dispose()
    xs, ys = _candidates()
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as fh:
        fh.write(PGBENCH_SCRIPT)
        script = fh.name
    os.chmod(script, 0o644)
    database = make_url(url).database
    variables = {
        "lon": KIZILAY[0],
        "lat": KIZILAY[1],
        "category": category,
        "mahalle": mahalle,
        "municipality": municipality,
        "xs": f"'{xs}'",
        "ys": f"'{ys}'",
    }
    command = [str(cluster.bindir / "pgbench"), "-h", "127.0.0.1", "-p", str(cluster.port)]
    command += ["-U", "postgres", "-n", "-c", str(clients), "-j", str(min(clients, 4))]
    command += ["-T", str(seconds), "-f", script]
    for name, value in variables.items():
        command += ["-D", f"{name}={value}"]
    command.append(database)
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    os.unlink(script)
    if out.returncode != 0:
        raise RuntimeError(f"pgbench failed: {out.stderr[-2000:]}")
    for line in out.stdout.splitlines():
        if line.startswith("tps = "):
            return float(line.split()[2])
    raise RuntimeError(f"no tps in pgbench output:\n{out.stdout}")


def http_round(base: str, clients: int, seconds: int) -> float:
    """Reports per second answered 201, posted by `clients` threads for `seconds`."""
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps(payload("bench")).encode()
    done = [0] * clients
    failures = [0] * clients
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        n = 0
        while time.monotonic() < stop:
            n += 1
            headers = {
                "Content-Type": "application/json",
                "X-Forwarded-For": f"10.{index}.{(n >> 8) & 255}.{n & 255}",
            }
            conn.request("POST", "/api/v1/reports", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == 201:
                done[index] += 1
            else:
                failures[index] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if sum(failures):
        raise RuntimeError(f"{sum(failures)} posts were not answered 201")
    return sum(done) / (time.monotonic() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with throwaway_cluster() as (cluster, _):
        url = cluster.url()
        prepare(url)
        with served(url, args.workers) as base:
            http_round(base, args.clients, 2)  # warm up both workers' pools
            pgbench_round(cluster, url, args.clients, 2)
            apps, floors = [], []
            for r in range(args.rounds):
                floors.append(pgbench_round(cluster, url, args.clients, args.seconds))
                load_pg = os.getloadavg()
                apps.append(http_round(base, args.clients, args.seconds))
                load_app = os.getloadavg()
                print(
                    f"round {r + 1}: pgbench {floors[-1]:7.0f} tx/s (load {load_pg[0]:.2f}), "
                    f"HTTP {apps[-1]:6.0f} reports/s (load {load_app[0]:.2f})",
                    flush=True,
                )
    app, floor = statistics.median(apps), statistics.median(floors)
    print(f"workers {args.workers}, clients {args.clients}, {args.seconds} s rounds")
    print(f"median HTTP intake: {app:.0f} reports/s; median pgbench floor: {floor:.0f} tx/s")
    print(f"ratio: {app / floor:.1%}; load average now: {os.getloadavg()}")


if __name__ == "__main__":
    main()
