"""The two-level counts (`indicator_rows`, public `mahalle_report_counts`) against the one
FILTERed aggregate per cell they replaced (kept here as the oracle: it states each cell's
meaning in one line), on a varied fixture: several mahalle in two municipalities, every
category group, genders and age bands (none given too), time bands, forwarded and resolved,
pending ones, both periods and the months around them, random record keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select, text

from app.models import (
    AgeBand,
    Category,
    CategoryGroup,
    Gender,
    Mahalle,
    MunicipalStatus,
    Report,
    TimeBand,
)
from app.services.planning import public_indicators
from app.services.planning.indicator_rows import EVENING_NIGHT, _report_aggregates
from app.services.planning.indicators import planner_indicators
from app.services.scope import PlannerFilters, filtered_reports
from app.services.suppression import cell_key
from tests.support.cell_key_support import template_report
from tests.support.dates import month_end, month_start
from tests.support.planner_support import PERIOD, ZERO_NOISE, centre, grid_mahalle, municipality_id

__all__ = ["grid_mahalle"]

CATEGORIES = (
    "dark_street",
    "unsafe_stop",
    "harassment_in_transport",
    "following",
    "deserted_area",
    "broken_sidewalk",
    "other",
)


def oracle_aggregates(filters: PlannerFilters, ids: list[int] | None = None):
    """The per-cell FILTERed aggregates of the engine before the two-level counts."""
    prev_since, _ = filters.previous
    stmt = filtered_reports(filters, prev_since, filters.until)
    if ids is not None:
        stmt = stmt.where(Report.mahalle_id.in_(ids))
    row = stmt.with_only_columns(
        Report.mahalle_id.label("mahalle_id"),
        Report.record_key.label("rk"),
        (Report.occurred_on >= filters.since).label("cur"),
        Category.sensitive.label("sens"),
        Category.group.label("grp"),
        Report.time_band.in_(EVENING_NIGHT).label("en"),
        Report.forwarded_at.is_not(None).label("fwd"),
        (Report.municipal_status == MunicipalStatus.resolved).label("res"),
        Report.perceived_safety.label("ps"),
        Report.reporter_gender.label("gen"),
        Report.reporter_age_band.label("age"),
    ).subquery("r")
    cur, sens, rk = row.c.cur, row.c.sens, row.c.rk

    def cell(name: str, where) -> list[Any]:
        return [func.count().filter(where).label(name), cell_key(rk, where).label(f"{name}_ckey")]

    columns: list[Any] = [
        row.c.mahalle_id.label("mahalle_id"),
        *cell("reports", cur),
        *cell("sensitive_reports", cur & sens),
        *cell("reports_evening_night", cur & row.c.en),
        *cell("sensitive_evening_night", cur & sens & row.c.en),
        *cell("sensitive_forwarded", cur & sens & row.c.fwd),
        *cell("sensitive_resolved", cur & sens & row.c.res),
        *cell("sensitive_previous", ~cur & sens),
        func.avg(row.c.ps).filter(cur).label("mean_perceived_safety"),
        *cell("forwarded_reports", cur & row.c.fwd),
        *cell("resolved_reports", cur & row.c.res),
        *cell("reports_previous", ~cur),
    ]
    for group in CategoryGroup:
        columns += cell(f"reports_{group.value}", cur & (row.c.grp == group))
    for g in Gender:
        match = row.c.gen == g
        if g is Gender.undisclosed:
            match = match | row.c.gen.is_(None)
        columns += cell(f"reports_gender_{g.value}", cur & match)
    for b in AgeBand:
        match = row.c.age == b
        if b is AgeBand.undisclosed:
            match = match | row.c.age.is_(None)
        columns += cell(f"reports_age_{b.value}", cur & match)
    return select(*columns).group_by(row.c.mahalle_id).subquery("agg")


def rows_of(db, subquery) -> dict[int, dict]:
    return {r.mahalle_id: dict(r._mapping) for r in db.execute(select(*subquery.c))}


@pytest.fixture
def varied(db, settings, grid_mahalle):
    """600 reports copied from one made by the service, every column drawn at random (seeded)
    over 8 mahalle, both periods and the month before the previous one."""
    rng = np.random.default_rng(11)
    n = 600
    template = template_report(db, settings, *centre(0, 0))
    codes = [f"M{c}{r}" for c in range(3) for r in range(3) if (c, r) != (2, 2)]
    days = [month_start(m) + timedelta(days=int(d)) for m in range(7) for d in (0, 9, 27)]
    genders = [g.value for g in Gender] + [None]
    ages = [b.value for b in AgeBand] + [None]
    statuses = [s.value for s in MunicipalStatus]
    now = datetime.now(UTC)
    forwarded = rng.random(n) < 0.4
    values = {
        "mahalle": rng.choice(codes, n).tolist(),
        "category": rng.choice(CATEGORIES, n).tolist(),
        "day": [days[i] for i in rng.integers(0, len(days), n)],
        "band": rng.choice([b.value for b in TimeBand], n).tolist(),
        "gender": [genders[i] for i in rng.integers(0, len(genders), n)],
        "age": [ages[i] for i in rng.integers(0, len(ages), n)],
        "mstatus": [statuses[i] for i in rng.integers(0, len(statuses), n)],
        "fwd": [now - timedelta(days=30) if f else None for f in forwarded],
        "ps": rng.integers(1, 6, n).tolist(),
        "status": np.where(rng.random(n) < 0.85, "published", "pending").tolist(),
        "rk": rng.integers(0, 256, n).tolist(),
    }
    db.execute(
        text(
            """
            INSERT INTO report (id, public_id, tracking_code_hash, category_id, location,
                public_location, mahalle_id, municipality_id, happening_now, occurred_on,
                time_band, perceived_safety, text, reporter_gender, reporter_age_band, status,
                municipal_status, source, consent_version, published_at, forwarded_at,
                resolved_at, created_at, location_precision, record_key)
            SELECT gen_random_uuid(), left(md5(random()::text), 16),
                   md5(random()::text) || md5(random()::text), c.id, ST_PointOnSurface(m.geom),
                   ST_PointOnSurface(m.geom), m.id, m.municipality_id, false, v.day, v.band,
                   v.ps, '', v.gender, v.age, v.status, v.mstatus, t.source,
                   t.consent_version, now(), v.fwd,
                   CASE WHEN v.mstatus = 'resolved' THEN now() - interval '3 days' END,
                   now() - interval '40 days', t.location_precision, v.rk
            FROM report t,
                 unnest(CAST(:mahalle AS text[]), CAST(:category AS text[]),
                        CAST(:day AS date[]), CAST(:band AS text[]), CAST(:gender AS text[]),
                        CAST(:age AS text[]), CAST(:mstatus AS text[]),
                        CAST(:fwd AS timestamptz[]), CAST(:ps AS int[]),
                        CAST(:status AS text[]), CAST(:rk AS int[]))
                     AS v(mahalle, category, day, band, gender, age, mstatus, fwd, ps, status,
                          rk)
                 JOIN mahalle m ON m.code = v.mahalle
                 JOIN category c ON c.code = v.category
            WHERE t.id = :template
            """
        ),
        {"template": template.id, **values},
    )
    db.flush()


FILTER_SETS = [
    PERIOD,
    # Not whole months: the previous period is as many days.
    PlannerFilters(month_start(4) + timedelta(days=9), month_end(1) - timedelta(days=3)),
    PlannerFilters(month_start(2), month_end(0), groups=(CategoryGroup.harassment,)),
    PlannerFilters(
        month_start(5),
        month_end(0),
        groups=(CategoryGroup.lighting, CategoryGroup.transport),
        time_bands=(TimeBand.night,),
    ),
    PlannerFilters(month_start(1), month_end(0), districts=("Other",)),
    # A period with no report at all.
    PlannerFilters(date(2001, 1, 1), date(2001, 12, 31)),
]


@pytest.mark.parametrize("index", range(len(FILTER_SETS)))
def test_two_level_counts_equal_the_filtered_aggregates(db, varied, index):
    filters = FILTER_SETS[index]
    expected = rows_of(db, oracle_aggregates(filters))
    assert rows_of(db, _report_aggregates(filters)) == expected
    if index == 0:
        # The fixture reaches every kind of cell (a test of the test).
        first = next(iter(expected.values()))
        counts = [n for n in first if f"{n}_ckey" in first]
        totals = {n: sum(r[n] for r in expected.values()) for n in counts}
        assert min(totals.values()) > 0, totals
        assert len(expected) == 8


def test_two_level_counts_of_some_mahalle_and_a_municipality(db, varied):
    ids = list(db.scalars(select(Mahalle.id).where(Mahalle.code.in_(["M01", "M20"]))))
    cankaya = (municipality_id(db, "cankaya"),)
    for filters, some in (
        (PERIOD, ids),
        (PlannerFilters(PERIOD.since, PERIOD.until, municipalities=cankaya), None),
        (PlannerFilters(PERIOD.since, PERIOD.until, municipalities=cankaya), ids),
    ):
        expected = rows_of(db, oracle_aggregates(filters, some))
        assert expected
        assert rows_of(db, _report_aggregates(filters, some)) == expected


def oracle_public_counts(db, filters: public_indicators.IndicatorFilters) -> dict[str, tuple]:
    """(reports, sensitive, their cell keys) per mahalle code, counted report by report."""
    stmt = (
        select(
            Mahalle.code,
            func.count(Report.id),
            func.count(Report.id).filter(Category.sensitive),
            cell_key(Report.record_key),
            cell_key(Report.record_key, Category.sensitive),
        )
        .join(Category, Category.id == Report.category_id)
        .join(Mahalle, Mahalle.id == Report.mahalle_id)
        .where(Report.status == "published")
        .group_by(Mahalle.code)
    )
    if filters.since:
        stmt = stmt.where(Report.occurred_on >= filters.since)
    if filters.until:
        stmt = stmt.where(Report.occurred_on <= filters.until)
    if filters.groups:
        stmt = stmt.where(Category.group.in_(filters.groups))
    return {code: tuple(values) for code, *values in db.execute(stmt)}


@pytest.mark.parametrize(
    "filters",
    [
        public_indicators.IndicatorFilters(),
        public_indicators.IndicatorFilters(PERIOD.since, PERIOD.until),
        public_indicators.IndicatorFilters(
            month_start(4), None, groups=(CategoryGroup.harassment, CategoryGroup.other)
        ),
    ],
)
def test_public_counts_equal_report_by_report(db, varied, filters):
    expected = oracle_public_counts(db, filters)
    got = {
        r.code: (r.reports, r.sensitive_reports, r.reports_ckey, r.sensitive_reports_ckey)
        for r in public_indicators.mahalle_report_counts(db, filters, 5)
    }
    assert {c: v for c, v in got.items() if v[0]} == expected
    assert all(v == (0, 0, 0, 0) for c, v in got.items() if c not in expected)
    assert sum(v[1] for v in expected.values()) > 0


def test_planner_indicators_read_the_two_level_counts(db, varied):
    # The engine end to end at k = 1 (nothing withheld): its counts are the oracle's.
    expected = rows_of(db, oracle_aggregates(PERIOD))
    code_of = dict(db.execute(select(Mahalle.id, Mahalle.code)).all())
    features = planner_indicators(db, PERIOD, 1, ZERO_NOISE, with_geometry=False)
    by_code = {f["properties"]["code"]: f["properties"] for f in features}
    for mahalle_id, row in expected.items():
        props = by_code[code_of[mahalle_id]]
        assert props["reports"] == row["reports"]
        assert props["reports_gender_undisclosed"] == row["reports_gender_undisclosed"]
        assert props["reports_age_undisclosed"] == row["reports_age_undisclosed"]
        assert props["mean_perceived_safety"] == round(float(row["mean_perceived_safety"]), 2)
