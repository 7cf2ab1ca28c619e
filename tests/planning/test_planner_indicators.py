"""The full indicator engine on a hand-computable grid: counts, rates, EB, shares, medians,
change and suppression (the hotspots: test_hotspots)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from esda.smoothing import Empirical_Bayes
from sqlalchemy import text

from app.models import ReportStatus
from app.services.planning.indicators import planner_indicators, suppress_row
from app.services.scope import PlannerFilters
from app.services.statistics import empirical_bayes
from app.services.suppression import protect_partition
from tests.support.dates import month_end, month_start
from tests.support.planner_support import (
    PERIOD,
    ZERO_NOISE,
    add_reports,
    grid_mahalle,
    resolve,
)

__all__ = ["grid_mahalle"]


def by_code(db, filters=PERIOD, k=5) -> dict[str, dict]:
    return {
        f["properties"]["code"]: f["properties"]
        for f in planner_indicators(db, filters, k, ZERO_NOISE)
    }


def test_previous_period_is_as_many_whole_months():
    f = PlannerFilters(date(2026, 1, 1), date(2026, 3, 31))
    assert f.previous == (date(2025, 10, 1), date(2025, 12, 31))
    assert PlannerFilters(date(2026, 3, 10), date(2026, 3, 19)).previous == (
        date(2026, 2, 28),
        date(2026, 3, 9),
    )


def test_hand_computed_indicators(db, settings, grid_mahalle):
    # M00: 5 lighting (night) + 5 transport (day), this month; 4 in the previous period.
    lighting = add_reports(
        db, settings, 0, 0, 5, category="dark_street", time_band="night", perceived_safety=1
    )
    add_reports(
        db,
        settings,
        0,
        0,
        5,
        category="unsafe_stop",
        time_band="day",
        perceived_safety=4,
        reporter_gender="man",
        reporter_age_band="18_24",
    )
    add_reports(db, settings, 0, 0, 4, occurred_on=month_start(4).isoformat())
    add_reports(db, settings, 0, 0, 3, status=ReportStatus.pending)  # never counted
    for report, days in zip(lighting, (1, 2, 3, 4, 10), strict=True):
        resolve(db, report, forwarded_days_before=20, resolved_after_days=days)
    # M10: 6 reports; M20: 2 reports (below k); M01: 5 sensitive + 1 non-sensitive point.
    add_reports(db, settings, 1, 0, 6)
    add_reports(db, settings, 2, 0, 2)
    add_reports(db, settings, 0, 1, 5, category="verbal_harassment")
    add_reports(db, settings, 0, 1, 1)

    p = by_code(db)
    m = p["M00"]
    assert m["reports"] == 10 and m["reports_previous"] is None  # 4 < k: withheld
    assert m["reports_previous_suppressed"] is True
    assert m["change_reports"] is None and m["change_reports_suppressed"] is True
    assert m["reports_per_km2"] == pytest.approx(10 / 1.0)
    assert m["reports_per_1000_women"] == pytest.approx(10 * 1000 / 1000)
    assert m["estimate"] is True and m["women_is_estimate"] is True
    assert m["reports_lighting"] == 5 and m["share_lighting"] == pytest.approx(0.5)
    assert m["reports_transport"] == 5 and m["share_transport"] == pytest.approx(0.5)
    assert m["share_harassment"] == 0
    assert m["reports_evening_night"] == 5 and m["share_evening_night"] == pytest.approx(0.5)
    assert m["mean_perceived_safety"] == pytest.approx((5 * 1 + 5 * 4) / 10)
    assert m["reports_gender_woman"] == 5 and m["reports_gender_man"] == 5
    assert m["reports_age_18_24"] == 5 and m["reports_age_25_34"] == 5
    assert m["forwarded_reports"] == 5 and m["share_forwarded"] == pytest.approx(0.5)
    assert m["resolved_reports"] == 5 and m["share_resolved"] == pytest.approx(0.5)
    assert m["median_days_to_resolution"] == pytest.approx(3.0)
    assert p["M10"]["reports"] == 6
    assert p["M20"]["reports"] is None and p["M20"]["reports_suppressed"] is True
    assert p["M20"]["reports_per_1000_women"] is None
    assert p["M20"]["reports_per_1000_women_suppressed"] is True
    assert p["M20"]["mean_perceived_safety"] is None
    assert p["M01"]["reports"] == 6 and p["M01"]["sensitive_reports"] == 5
    assert p["M11"]["reports"] == 0 and p["M11"]["reports_suppressed"] is False

    # Change against the previous period, with both periods at or above k.
    add_reports(db, settings, 0, 0, 1, occurred_on=month_start(4).isoformat())
    m = by_code(db)["M00"]
    assert m["reports_previous"] == 5 and m["change_reports"] == 5
    assert m["change_reports_pct"] == pytest.approx(100.0)

    # Empirical Bayes, by the formula and against esda, over the mahalle with a population.
    counts = {"M00": 10, "M10": 6, "M20": 2, "M01": 6}
    codes = [f"M{c}{r}" for c in range(3) for r in range(3) if f"M{c}{r}" != "M22"]
    observed = np.array([counts.get(c, 0) for c in codes], float)
    women = np.array([1000 * (1 + int(c[1]) + int(c[2])) for c in codes], float)
    b = observed.sum() / women.sum()
    rate = observed / women
    s2 = (women * (rate - b) ** 2).sum() / women.sum()
    a = max(0.0, s2 - b / women.mean())
    expected = (a / (a + b / women)) * rate + (1 - a / (a + b / women)) * b
    np.testing.assert_allclose(empirical_bayes(observed, women), expected)
    if a > 0:  # esda does not clip a at zero; where it is positive they must agree
        esda_eb = Empirical_Bayes(observed.reshape(-1, 1), women.reshape(-1, 1)).r.flatten()
        np.testing.assert_allclose(empirical_bayes(observed, women), esda_eb)
    eb = dict(zip(codes, expected * 1000, strict=True))
    assert m["reports_per_1000_women_eb"] == pytest.approx(eb["M00"], abs=1e-3)
    assert by_code(db)["M10"]["reports_per_1000_women_eb"] == pytest.approx(eb["M10"], abs=1e-3)
    assert by_code(db)["M22"]["reports_per_1000_women_eb"] is None


def test_empirical_bayes_shrinks_to_the_global_rate_when_variance_is_small():
    observed = np.array([1.0, 1.0, 1.0])
    women = np.array([1000.0, 1000.0, 1000.0])
    np.testing.assert_allclose(empirical_bayes(observed, women), [0.001] * 3)
    # A large mahalle keeps most of its own rate, a small one is pulled to the mean.
    observed = np.array([100.0, 1.0, 10.0, 30.0])
    women = np.array([10000.0, 50.0, 5000.0, 8000.0])
    eb = empirical_bayes(observed, women)
    crude = observed / women
    assert abs(eb[1] - crude[1]) > abs(eb[0] - crude[0])


def test_filters_change_the_counts(db, settings, grid_mahalle):
    add_reports(db, settings, 0, 0, 5, category="dark_street", time_band="night")
    add_reports(db, settings, 0, 0, 6, category="unsafe_stop", time_band="day")
    lighting = by_code(db, PlannerFilters(PERIOD.since, PERIOD.until, groups=("lighting",)))
    assert lighting["M00"]["reports"] == 5
    day = by_code(db, PlannerFilters(PERIOD.since, PERIOD.until, time_bands=("day",)))
    assert day["M00"]["reports"] == 6
    other = by_code(db, PlannerFilters(PERIOD.since, PERIOD.until, districts=("Other",)))
    assert set(other) == {"M20", "M21", "M22"}
    earlier = PlannerFilters(month_start(8), month_end(6))
    assert by_code(db, earlier)["M00"]["reports"] == 0


def test_deleted_and_unpublished_reports_never_count(db, settings, grid_mahalle):
    made = add_reports(db, settings, 1, 1, 6)
    add_reports(db, settings, 1, 1, 2, status=ReportStatus.rejected)
    assert by_code(db)["M11"]["reports"] == 6
    made[0].status = ReportStatus.deleted
    db.flush()
    assert by_code(db)["M11"]["reports"] == 5


def test_reports_placed_by_mahalle_count_in_the_mahalle(db, settings, grid_mahalle):
    made = add_reports(db, settings, 1, 2, 5)
    db.execute(
        text("UPDATE report SET location_precision = 'mahalle' WHERE id = :i"), {"i": made[0].id}
    )
    assert by_code(db)["M12"]["reports"] == 5


def test_partition_secondary_suppression():
    # One small cell alone would be total minus the others: the next smallest goes too.
    assert protect_partition({"a": 3, "b": 6, "c": 9}, True, 5) == {"a", "b"}
    assert protect_partition({"a": 3, "b": 2, "c": 9}, True, 5) == {"a", "b"}
    assert protect_partition({"a": 0, "b": 6, "c": 9}, True, 5) == set()
    # A withheld total: fully shown cells would add up to it.
    assert protect_partition({"a": 6, "b": 7}, False, 5) == {"a"}
    row = suppress_row(
        {"reports": 12, "sensitive_reports": 0, "reports_lighting": 3, "reports_transport": 9},
        {"share_lighting": 0.25, "share_transport": 0.75},
        [{"reports_lighting": 3, "reports_transport": 9}],
        5,
    )
    assert row["reports"] == 12
    assert row["reports_lighting"] is None and row["reports_transport"] is None
    assert row["share_transport"] is None and row["share_transport_suppressed"] is True


def test_gender_cells_cannot_reveal_a_withheld_total(db, settings, grid_mahalle):
    add_reports(db, settings, 1, 0, 6)  # 6 non-sensitive points (public) ...
    add_reports(db, settings, 1, 0, 2, category="following")  # ... and 2 sensitive
    m = by_code(db)["M10"]
    assert m["reports"] is None and m["sensitive_reports"] is None
    genders = [m[f"reports_gender_{g}"] for g in ("woman", "man", "other", "undisclosed")]
    assert None in genders  # 8 women would give the total (and 8 - 6 = 2) away
    assert all(v is None or v == 0 or v >= 5 for v in genders)


def test_mixed_cells_never_reveal_a_small_sensitive_part(db, settings, grid_mahalle):
    """Public points show time of day, month and status: a mixed cell minus the points of
    that kind would be its sensitive part."""
    add_reports(db, settings, 1, 1, 6, time_band="day")  # non-sensitive, public points
    add_reports(db, settings, 1, 1, 5, category="following", time_band="day")
    add_reports(db, settings, 1, 1, 6, time_band="night")
    add_reports(db, settings, 1, 1, 1, category="following", time_band="night")
    add_reports(db, settings, 1, 1, 4, category="following", time_band="night")
    m = by_code(db)["M11"]
    # 5 + 1 + 4 = 10 sensitive, 22 in all: shown; night = 6 points + 5 sensitive.
    assert m["reports"] == 22 and m["sensitive_reports"] == 10
    assert m["reports_evening_night"] == 11  # its sensitive part (5) is not small
    db.execute(
        text(
            "UPDATE report SET time_band = 'day' WHERE id IN (SELECT id FROM report r "
            "WHERE r.mahalle_id = (SELECT id FROM mahalle WHERE code = 'M11') AND "
            "r.time_band = 'night' AND r.category_id = (SELECT id FROM category WHERE "
            "code = 'following') LIMIT 2)"
        )
    )
    m = by_code(db)["M11"]
    # Night now holds 3 sensitive reports: 9 - 6 night points = 3 would leak.
    assert m["reports_evening_night"] is None and m["reports_evening_night_suppressed"]
    assert m["share_evening_night"] is None


def test_previous_period_withheld_when_its_sensitive_part_is_small(db, settings, grid_mahalle):
    add_reports(db, settings, 0, 2, 6)
    earlier = month_start(4).isoformat()
    add_reports(db, settings, 0, 2, 6, occurred_on=earlier)
    add_reports(db, settings, 0, 2, 2, category="following", occurred_on=earlier)
    m = by_code(db)["M02"]
    assert m["reports"] == 6
    assert m["reports_previous"] is None and m["reports_previous_suppressed"] is True
    assert m["change_reports"] is None


def test_confirmations_withheld_when_their_sensitive_part_is_small(db, settings, grid_mahalle):
    from app.models import Confirmation

    points = add_reports(db, settings, 2, 2, 5)
    sensitive = add_reports(db, settings, 2, 2, 5, category="following")
    for report in points * 2:  # 10 confirmations on public points
        db.add(Confirmation(report_id=report.id, municipality_id=report.municipality_id))
    db.flush()
    assert by_code(db)["M22"]["confirmations"] == 10
    db.add(
        Confirmation(report_id=sensitive[0].id, municipality_id=sensitive[0].municipality_id)
    )  # 11 - 10 shown on points = 1 sensitive
    db.flush()
    m = by_code(db)["M22"]
    assert m["confirmations"] is None and m["confirmations_suppressed"] is True
    assert m["reports_and_confirmations"] is None


def test_the_total_is_shown_when_only_a_few_confirmations_exist(db, settings, grid_mahalle):
    """Issue 13.7: 1–4 confirmations are withheld, but the total of reports and confirmations
    (a protected cell of its own) stays."""
    from app.models import Confirmation

    points = add_reports(db, settings, 2, 2, 6)
    for report in points[:3]:  # 3 confirmations, all on public points
        db.add(Confirmation(report_id=report.id, municipality_id=report.municipality_id))
    db.flush()
    m = by_code(db)["M22"]
    assert m["reports"] == 6
    assert m["confirmations"] is None and m["confirmations_suppressed"] is True
    assert m["reports_and_confirmations"] == 9
    assert m["reports_and_confirmations_suppressed"] is False
