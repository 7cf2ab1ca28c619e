"""The computation rules on hand-computed cases: roll-up, on-track status, lifecycles."""

from __future__ import annotations

import math
from datetime import date

import pytest

from app.errors import InvalidInput, InvalidTransition
from app.models import Direction, ItemStatus, PeriodState, PlanState
from app.services.monitoring.rules import (
    PERIOD_TRANSITIONS,
    PLAN_TRANSITIONS,
    Node,
    check_progress,
    check_transition,
    decimal_year,
    progress_status,
    roll_up,
)

S = ItemStatus


def test_weighted_roll_up_excludes_cancelled_children():
    # O (objective) > T1 (weight 3), T2 (weight 1), T3 (cancelled, weight 5)
    # T1 > A1 50 %, A2 done (100)  -> 75
    # T2 > A3 not started (0), A4 in progress 40 % -> 20
    # T3 > A5 done: excluded with T3.  O = (75·3 + 20·1) / 4 = 61.25
    nodes = [
        Node(1, None, S.in_progress, None, None),
        Node(2, 1, S.in_progress, None, 3),
        Node(3, 1, S.in_progress, None, 1),
        Node(4, 1, S.cancelled, None, 5),
        Node(10, 2, S.in_progress, 50, None),
        Node(11, 2, S.done, None, None),
        Node(12, 3, S.not_started, None, None),
        Node(13, 3, S.in_progress, 40, None),
        Node(14, 4, S.done, None, None),
    ]
    result = roll_up(nodes)
    assert result[2] == 75
    assert result[3] == 20
    assert result[1] == 61.25
    assert result[None] == 61.25  # the plan: its one top-level item


def test_equal_mean_without_weights_and_unknown_counts_as_zero():
    nodes = [
        Node(1, None, S.in_progress, None, None),
        Node(2, 1, S.done, None, None),  # 100
        Node(3, 1, S.in_progress, None, None),  # unknown -> 0 in the mean
        Node(4, 1, S.partly_done, 30, None),
    ]
    assert roll_up(nodes)[1] == round(130 / 3, 2)
    assert roll_up([Node(1, None, S.in_progress, None, None)])[1] is None


def test_only_cancelled_children_give_no_progress():
    nodes = [Node(1, None, S.in_progress, None, None), Node(2, 1, S.cancelled, 80, None)]
    assert roll_up(nodes)[1] is None


@pytest.mark.parametrize("value", [-1, 100.5, 250, math.nan])
def test_progress_outside_0_100_is_refused(value):
    with pytest.raises(InvalidInput) as exc:
        check_progress(value)
    assert exc.value.field == "progress"


def test_decimal_years():
    assert decimal_year(date(2025, 12, 31)) == 2025.0
    assert decimal_year(date(2025, 6, 30)) == pytest.approx(2024 + 181 / 365)


def _status(latest, direction=Direction.decrease, target=2.0, year=2025.0, baseline=4.1):
    return progress_status(
        baseline_value=baseline,
        baseline_year=2024,
        latest_value=latest,
        latest_year=year,
        target_value=target,
        target_year=2028 if target is not None else None,
        direction=direction,
    )


def test_on_track_by_the_cagr_ratio():
    # Required: ln(2.0/4.1)/4 = -0.179461 per year.
    on_track = _status(3.0)  # ln(3.0/4.1) = -0.312375: R = 1.7406
    assert on_track.status == "substantial_progress"
    assert on_track.required_rate == pytest.approx(math.log(2.0 / 4.1) / 4, abs=1e-6)
    assert on_track.ratio == pytest.approx(
        math.log(3.0 / 4.1) / (math.log(2.0 / 4.1) / 4), abs=1e-4
    )
    assert _status(3.6).status == "moderate_progress"  # R = 0.7247
    assert _status(3.9).status == "limited_progress"  # R = 0.2787
    assert _status(4.5).status == "deterioration"  # R < 0
    assert _status(1.9).status == "target_achieved"
    # R exactly at the thresholds: 0.95 of the required rate is on track, 0.60 is moderate.
    required = math.log(2.0 / 4.1) / 4
    assert _status(4.1 * math.exp(0.951 * required)).status == "substantial_progress"
    assert _status(4.1 * math.exp(0.94 * required)).status == "moderate_progress"
    assert _status(4.1 * math.exp(0.59 * required)).status == "limited_progress"


def test_increase_and_no_target_fallback():
    assert _status(110, Direction.increase, target=200, baseline=100).status == "limited_progress"
    # Without a target: CAGR ≥ 1.5 % substantial, ≥ 0.5 % moderate, ≥ 0 limited.
    assert _status(102, Direction.increase, target=None, baseline=100).status == (
        "substantial_progress"
    )
    assert _status(101, Direction.increase, target=None, baseline=100).status == (
        "moderate_progress"
    )
    assert _status(100.2, Direction.increase, target=None, baseline=100).status == (
        "limited_progress"
    )
    assert _status(99, Direction.increase, target=None, baseline=100).status == "deterioration"
    assert _status(99, Direction.decrease, target=None, baseline=100).status == "moderate_progress"


def test_not_available_without_baseline_or_later_value():
    assert _status(None).status == "not_available"
    assert _status(3.0, year=2024).status == "not_available"
    assert (
        progress_status(
            baseline_value=None,
            baseline_year=None,
            latest_value=3,
            latest_year=2025,
            target_value=None,
            target_year=None,
            direction=Direction.increase,
        ).status
        == "not_available"
    )


def test_zero_baseline_uses_linear_growth():
    # 0 -> 5 of a target 20 by 2028 from 2024: 5/yr observed vs 5/yr required: on track.
    assert _status(5, Direction.increase, target=20, baseline=0).status == "substantial_progress"


def test_lifecycle_tables_written_out():
    expected_plan = {
        PlanState.draft: {PlanState.consultation, PlanState.approved},
        PlanState.consultation: {PlanState.draft, PlanState.approved},
        PlanState.approved: {PlanState.in_force},
        PlanState.in_force: {PlanState.closed, PlanState.superseded},
        PlanState.closed: {PlanState.superseded},
        PlanState.superseded: set(),
    }
    assert expected_plan == PLAN_TRANSITIONS
    expected_period = {
        PeriodState.open: {PeriodState.collecting},
        PeriodState.collecting: {PeriodState.under_review},
        PeriodState.under_review: {PeriodState.published},
        PeriodState.published: set(),
    }
    assert expected_period == PERIOD_TRANSITIONS
    with pytest.raises(InvalidTransition, match="allowed: in_force"):
        check_transition(PLAN_TRANSITIONS, PlanState.approved, PlanState.closed, "plan")
