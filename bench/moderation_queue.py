"""Benchmark of the moderation queue with a large backlog (a campaign peak).

    python -m bench.moderation_queue [--pending N]

Uses a separate database `<db>_bench_moderation`, loads the Ankara demo, adds N synthetic
pending reports in SQL (spread over the last N minutes, a phone number in each text so the
personal-data hints run), then times one page of 100 through the service, oldest first,
newest first, filtered by category and by age, and one approve (with its audit event).
"""

from __future__ import annotations

import argparse

from sqlalchemy import select, text

from app.db import unit_of_work
from app.models import Report, ReportStatus, Role, User
from app.services.moderation import actions as moderation
from app.services.moderation.queue import QueueFilters, moderation_queue
from bench.run_all import demo_database, timed

PENDING_SQL = """
INSERT INTO report (id, public_id, category_id, location, public_location, mahalle_id, area_key,
                    occurred_on, time_band, perceived_safety, text, status, municipal_status,
                    tracking_code_hash, source, consent_version, created_at)
SELECT gen_random_uuid(), 'q' || lpad(g.n::text, 9, '0'), c.id, g.pt, g.pt, m.id,
       lower(m.province || '/' || m.district), current_date, 'night', 1 + g.n % 5,
       'Beni arayın 0532 123 45 67, lamba yanmıyor.', 'pending', 'none',
       md5(g.n::text) || md5((g.n + 7)::text), 'import', 'bench',
       now() - make_interval(mins => g.n::int)
FROM (
    SELECT row_number() OVER () AS n, d.pt, d.id
    FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, :per_mahalle, 7))).geom AS pt, id FROM mahalle) d
) g
JOIN mahalle m ON m.id = g.id
JOIN LATERAL (SELECT id FROM category ORDER BY (id + g.n) % 16 LIMIT 1) c ON true
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pending", type=int, default=50_000, help="synthetic pending reports")
    args = parser.parse_args()

    _settings, engine, factory = demo_database("_bench_moderation")
    with unit_of_work(factory) as session:
        mahalle = session.execute(text("SELECT count(*) FROM mahalle")).scalar() or 1
        session.execute(text(PENDING_SQL), {"per_mahalle": max(1, args.pending // mahalle)})
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        pending = conn.execute(text("SELECT count(*) FROM report WHERE status = 'pending'"))
        total_pending = pending.scalar()

    with unit_of_work(factory) as session:
        moderator = session.scalar(select(User).where(User.role == Role.moderator))
        assert moderator is not None
        victims = list(
            session.scalars(
                select(Report.public_id).where(Report.status == ReportStatus.pending).limit(50)
            )
        )

    def page(filters: QueueFilters):
        def run() -> None:
            with unit_of_work(factory) as session:
                moderation_queue(session, moderator, filters, limit=100, offset=0)

        return run

    def approve_one() -> None:
        with unit_of_work(factory) as session:
            moderation.approve(session, moderator, victims.pop())

    rows = [
        timed("queue page of 100, oldest first (with total)", page(QueueFilters()), 20),
        timed("queue page of 100, newest first", page(QueueFilters(newest_first=True)), 20),
        timed("queue page, one category", page(QueueFilters(category="dark_street")), 20),
        timed("queue page, under 24 hours", page(QueueFilters(max_age_hours=24)), 20),
        timed("approve one (state machine + audit event + commit)", approve_one, 40),
    ]
    print(f"pending reports: {total_pending:,}")
    print(f"{'benchmark':<58} {'median ms':>10} {'max ms':>10}")
    for label, median, worst in rows:
        print(f"{label:<58} {median:>10.1f} {worst:>10.1f}")
    engine.dispose()


if __name__ == "__main__":
    main()
