"""Benchmarks of the citizen paths (issue 3) on a real PostGIS (prints a table of figures).

    python -m bench.citizen [--reports N]

Uses a separate database `<db>_citizen_bench`, loads the Ankara demo (with its sample
service points) and N synthetic published reports (as bench.run_all does), then times:
re-encoding one 12-megapixel phone photo, a submission with three such photos, the "me too"
nearby query, the nearest services, the tracking view by code, the mahalle list and the
deployment area outline.
"""

from __future__ import annotations

import argparse
import io

from PIL import Image
from sqlalchemy import text

from app.db import unit_of_work
from app.schemas.reporting import ReportCreate
from app.services.reference import areas, service_points
from app.services.reporting import confirmations, photos, submission, tracking
from bench.generate import generate
from bench.run_all import demo_database, timed

KIZILAY = (32.8541, 39.9208)


def phone_photo() -> bytes:
    """A 4000×3000 JPEG with EXIF (GPS included), like a phone camera's."""
    image = Image.effect_noise((4000, 3000), 40).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 55.0, 15.0), 3: "E", 4: (32.0, 51.0, 14.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000, help="synthetic reports")
    args = parser.parse_args()

    settings, engine, factory = demo_database("_citizen_bench")
    with unit_of_work(factory) as session:
        generate(session, args.reports)  # the same generator as the planners' benchmarks
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        total = conn.execute(text("SELECT count(*) FROM report")).scalar()
        services = conn.execute(text("SELECT count(*) FROM service_point")).scalar()

    photo = phone_photo()
    payload = ReportCreate(
        category="dark_street",
        location={"lon": KIZILAY[0], "lat": KIZILAY[1]},
        happening_now=True,
        perceived_safety=2,
        consent=True,
    )
    with unit_of_work(factory) as session:
        _, code = submission.create_report(session, settings, payload)
    key = tracking.client_key(settings, "bench")

    def session_call(fn):
        def run() -> None:
            with unit_of_work(factory) as session:
                fn(session)

        return run

    rows = [
        timed(
            f"re-encode one photo 4000x3000 ({len(photo) // 1024} KB)",
            lambda: photos.clean_photo(0, photo, settings),
            10,
        ),
        timed(
            "submit a report with 3 such photos (+ commit)",
            session_call(lambda s: submission.submit_report(s, settings, payload, [photo] * 3)),
            5,
        ),
        timed(
            "me too: nearby, 150 m at Kizilay",
            session_call(lambda s: confirmations.nearby_reports(s, *KIZILAY, "dark_street", 150)),
            50,
        ),
        timed(
            "me too: nearby, 500 m at Kizilay",
            session_call(lambda s: confirmations.nearby_reports(s, *KIZILAY, "dark_street", 500)),
            50,
        ),
        timed(
            "nearest 3 services",
            session_call(lambda s: service_points.nearest_services(s, *KIZILAY, 3)),
            50,
        ),
        timed(
            "tracking view by code",
            session_call(lambda s: tracking.tracking_view(s, key, code)),
            50,
        ),
        timed("mahalle list (Turkish order)", session_call(areas.mahalle_list), 20),
        timed(
            "deployment area (union + simplify)",
            session_call(lambda s: areas.deployment_area(s, settings)),
            10,
        ),
    ]
    print(f"reports in database: {total:,}; service points: {services}")
    print(f"{'benchmark':<52} {'median ms':>10} {'max ms':>10}")
    for label, median, worst in rows:
        print(f"{label:<52} {median:>10.1f} {worst:>10.1f}")
    engine.dispose()


if __name__ == "__main__":
    main()
