"""The Ankara demo: loads everything, is idempotent and deterministic (but for its tracking
codes), and keeps privacy rules."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text

from app.demo.load import load_demo
from app.demo.reports import DEMO_REPORTS, load_demo_reports
from app.models import (
    Category,
    Confirmation,
    Mahalle,
    Report,
    ReportNote,
    ReportSource,
    ReportStatus,
    ServicePoint,
    TimeBand,
)
from app.services.clock import LOCAL_TZ
from app.services.reporting.codes import hash_tracking_code
from app.services.visibility import reports_of_code_holder


def snapshot(db) -> dict[str, object]:
    """Row counts the demo touches."""
    by_status = dict(
        db.execute(
            select(Report.status, func.count())
            .where(Report.source == ReportSource.demo)
            .group_by(Report.status)
        ).all()
    )
    return {
        "mahalle": db.scalar(select(func.count(Mahalle.id))),
        "with_population": db.scalar(select(func.count(Mahalle.population_total))),
        "categories": db.scalar(select(func.count(Category.id))),
        "service_points": db.scalar(select(func.count(ServicePoint.id))),
        "reports": by_status,
        "confirmations": db.scalar(select(func.count(Confirmation.id))),
    }


def test_load_demo_twice_gives_the_same_rows(db, settings):
    first_lines = load_demo(db, settings)
    first = snapshot(db)
    second_lines = load_demo(db, settings)
    assert snapshot(db) == first
    assert first["mahalle"] == 184
    assert first["with_population"] == 122
    assert first["categories"] == 16
    assert first["service_points"] == 8
    published = first["reports"][ReportStatus.published]
    pending = first["reports"][ReportStatus.pending]
    assert published + pending == DEMO_REPORTS == 600
    assert 0.65 < published / DEMO_REPORTS < 0.85 and pending > 0
    assert 20 <= first["confirmations"] <= 120

    assert first_lines[0] == (
        "Mahalle: 184 (Yenimahalle 60, Çankaya 124), © OpenStreetMap contributors (ODbL)."
    )
    assert first_lines[4].startswith(f"Demo reports: 600 ({published} published, {pending}")
    assert "600 new this run" in first_lines[4] and "0 new this run" in second_lines[4]
    # A code is shown only when its report is inserted: only hashes are stored.
    assert second_lines[5].startswith("Demo tracking codes were printed when")
    code = re.fullmatch(r"Try a demo tracking code: (\S+)  \(on the /track page\)", first_lines[5])
    assert code is not None
    report = db.scalar(reports_of_code_holder(hash_tracking_code(code.group(1))))
    mahalle_name = db.get(Mahalle, report.mahalle_id).name if report.mahalle_id else None
    assert report.source == ReportSource.demo and report.status == ReportStatus.published
    assert mahalle_name is not None


def test_demo_reports_respect_the_model_and_privacy_rules(db, settings):
    load_demo(db, settings)
    reports = db.scalars(select(Report).where(Report.source == ReportSource.demo)).all()
    mahalle = {m.id: m for m in db.scalars(select(Mahalle))}
    assert len(reports) == 600
    assert all(r.mahalle_id is not None for r in reports)
    assert all(r.municipality_id == mahalle[r.mahalle_id].municipality_id for r in reports)
    assert all(r.public_id.startswith("demo") and len(r.public_id) == 10 for r in reports)
    assert all(1 <= r.perceived_safety <= 5 for r in reports)
    for r in reports:
        assert (r.published_at is not None) == (r.status == ReportStatus.published)
    today = datetime.now(LOCAL_TZ).date()
    assert all(today - timedelta(days=366) <= r.occurred_on < today for r in reports)
    with_text = [r.text for r in reports if r.text]
    assert 0.3 < len(with_text) / 600 < 0.6
    assert any("ı" in t or "ş" in t for t in with_text)  # Turkish text
    assert sum(r.reporter_gender is not None for r in reports) / 600 > 0.8
    assert {r.time_band for r in reports} == set(TimeBand)

    stats = db.execute(
        text(
            "SELECT count(*) FILTER (WHERE ST_Equals(r.public_location, r.location)),"
            " count(*) FILTER (WHERE NOT ST_Intersects(m.geom, r.location)),"
            " min(ST_Distance(CAST(r.public_location AS geography),"
            "                 CAST(r.location AS geography)))"
            " FROM report r JOIN mahalle m ON m.id = r.mahalle_id WHERE r.source = 'demo'"
        )
    ).one()
    assert stats[0] == 0  # every public point is displaced
    assert stats[1] == 0  # every report sits in its mahalle
    assert stats[2] >= settings.displacement_min_m - 1

    unpublished_confirmed = db.scalar(
        select(func.count(Confirmation.id))
        .join(Report, Report.id == Confirmation.report_id)
        .where(Report.status != ReportStatus.published)
    )
    assert unpublished_confirmed == 0

    points = db.scalars(select(ServicePoint)).all()
    assert {(p.is_sample, p.source, p.phone) for p in points} == {(True, "demo sample", "")}
    assert all("(örnek / sample)" in p.name for p in points)


def test_demo_reports_are_deterministic_apart_from_dates(db, settings):
    load_demo(db, settings)

    def generated() -> dict[str, tuple]:
        rows = db.execute(
            select(
                Report.public_id,
                Report.category_id,
                Report.mahalle_id,
                func.ST_AsText(Report.location),
                func.ST_AsText(Report.public_location),
                Report.status,
                Report.text,
            ).where(Report.source == ReportSource.demo)
        ).all()
        return {row[0]: tuple(row[1:]) for row in rows}

    before = generated()
    hashes = set(db.scalars(select(Report.tracking_code_hash).where(Report.source == "demo")))
    db.execute(delete(Confirmation))
    db.execute(delete(ReportNote))
    db.execute(delete(Report).where(Report.source == ReportSource.demo))
    later = datetime.now(LOCAL_TZ) + timedelta(days=40)
    result = load_demo_reports(db, settings, now=later)
    assert result.inserted == 600
    assert generated() == before
    # Everything but the tracking codes, which come from the CSPRNG: new ones each time.
    again = set(db.scalars(select(Report.tracking_code_hash).where(Report.source == "demo")))
    assert len(again) == 600 and not again & hashes
    newest = db.scalar(select(func.max(Report.occurred_on)).where(Report.source == "demo"))
    assert later.date() - timedelta(days=40) < newest < later.date()
