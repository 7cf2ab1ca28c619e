"""The computation rules of monitoring (MONITORING.md §3.2), pure: no database.

* Lifecycles: the allowed transitions of plans and reporting periods, each in one table.
* Status vocabulary: choosing a status fills in its default progress (Decidim).
* Roll-up: an item with children has the weighted mean of its non-cancelled children's
  progress; weights are the "hedefe etkisi" values (1 where unset, so an equal mean when none
  is set); a child with unknown progress counts as 0 (Decidim's COALESCE). A leaf has its own
  progress, or its status's default, else 0 when rolled up (shown as unknown itself).
* On-track status: open-sdg's method (Statistics Canada): the observed compound annual growth
  rate against the one needed to reach the target by the target year; see `progress_status`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from app.errors import InvalidInput, InvalidTransition
from app.models import Direction, ItemKind, ItemStatus, PeriodState, PlanState

PLAN_TRANSITIONS: dict[PlanState, frozenset[PlanState]] = {
    PlanState.draft: frozenset({PlanState.consultation, PlanState.approved}),
    PlanState.consultation: frozenset({PlanState.draft, PlanState.approved}),
    PlanState.approved: frozenset({PlanState.in_force}),
    PlanState.in_force: frozenset({PlanState.closed, PlanState.superseded}),
    PlanState.closed: frozenset({PlanState.superseded}),
    PlanState.superseded: frozenset(),
}

PERIOD_TRANSITIONS: dict[PeriodState, frozenset[PeriodState]] = {
    PeriodState.open: frozenset({PeriodState.collecting}),
    PeriodState.collecting: frozenset({PeriodState.under_review}),
    PeriodState.under_review: frozenset({PeriodState.published}),
    PeriodState.published: frozenset(),
}
# Data (observations, updates) are entered while a period is open or collecting.
PERIOD_OPEN_FOR_DATA = frozenset({PeriodState.open, PeriodState.collecting})

DEFAULT_PROGRESS: dict[ItemStatus, float | None] = {
    ItemStatus.not_started: 0.0,
    ItemStatus.in_progress: None,
    ItemStatus.partly_done: None,
    ItemStatus.done: 100.0,
    ItemStatus.postponed: None,
    ItemStatus.cancelled: None,
    ItemStatus.no_data: None,
}

# A parent ranks above its children: theme > objective > target > activity (levels may skip).
KIND_RANK = {ItemKind.theme: 0, ItemKind.objective: 1, ItemKind.target: 2, ItemKind.activity: 3}


def check_transition(table: Mapping, current, wanted, what: str) -> None:
    """Refuse a move the table does not allow, naming what is allowed."""
    if wanted == current:
        raise InvalidTransition(f"The {what} is already {current.value}.", field="state")
    allowed = table[current]
    if wanted not in allowed:
        names = ", ".join(sorted(s.value for s in allowed)) or "none (it is final)"
        raise InvalidTransition(
            f"A {what} cannot move from {current.value} to {wanted.value}; allowed: {names}.",
            field="state",
        )


def check_progress(value: float | None, field: str = "progress") -> None:
    """Progress is a percentage: 0 to 100."""
    if value is None:
        return
    if math.isnan(value) or not 0 <= value <= 100:
        raise InvalidInput(f"{field} must be between 0 and 100 (got {value}).", field=field)


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    status: ItemStatus
    progress: float | None  # the stored (manual) progress
    weight: float | None


def own_progress(node: Node) -> float | None:
    """A leaf's progress: the manual value, else its status's default."""
    return node.progress if node.progress is not None else DEFAULT_PROGRESS[node.status]


def roll_up(nodes: Iterable[Node]) -> dict[int | None, float | None]:
    """Progress of every item (and of the plan, key None) by the weighted roll-up."""
    items = list(nodes)
    children: dict[int | None, list[Node]] = {}
    for n in items:
        children.setdefault(n.parent_id, []).append(n)
    result: dict[int | None, float | None] = {}

    def visit(key: int | None, node: Node | None) -> float | None:
        kids = children.get(key, [])
        if not kids:
            value = own_progress(node) if node is not None else None
        else:
            counted = [(visit(k.id, k), k) for k in kids if k.status is not ItemStatus.cancelled]
            total = sum(float(k.weight or 1) for _, k in counted)
            value = (
                round(sum((p or 0.0) * float(k.weight or 1) for p, k in counted) / total, 2)
                if counted
                else None
            )
        result[key] = value
        return value

    visit(None, None)
    return result


# --- On-track status (open-sdg, docs/progress-methodology.md) -------------------------------

ON_TRACK = 0.95
MODERATE = 0.60
# Without a target: the observed CAGR against these (open-sdg's defaults, scaling factor 1).
NO_TARGET_SUBSTANTIAL = 0.015
NO_TARGET_MODERATE = 0.005

STATUSES = (
    "target_achieved",
    "substantial_progress",  # on track
    "moderate_progress",  # progress, acceleration needed
    "limited_progress",
    "deterioration",
    "not_available",
)


def decimal_year(period_end: date) -> float:
    """A period's position on the year axis: year Y is the end of Y (31 December), so a
    period ending 30 June 2025 sits at 2024.5 and the year 2025 at 2025.0."""
    start = date(period_end.year, 1, 1)
    days = (date(period_end.year + 1, 1, 1) - start).days
    return period_end.year - 1 + ((period_end - start).days + 1) / days


def _growth(x0: float, xt: float, years: float) -> float:
    """Compound annual growth rate; linear (per year, relative to |x0|) when a value is not
    positive, where the logarithm is undefined."""
    if x0 > 0 and xt > 0:
        return math.log(xt / x0) / years
    return (xt - x0) / years / (abs(x0) or 1.0)


@dataclass(frozen=True)
class Trend:
    status: str
    observed_rate: float | None = None
    required_rate: float | None = None
    ratio: float | None = None


def progress_status(
    *,
    baseline_value: float | None,
    baseline_year: float | None,
    latest_value: float | None,
    latest_year: float | None,
    target_value: float | None,
    target_year: float | None,
    direction: Direction,
) -> Trend:
    """open-sdg's progress status of an indicator from its baseline and latest value.

    With a target: R = observed CAGR / required CAGR; R ≥ 0.95 substantial progress (on
    track), 0.60–0.95 moderate, 0–0.60 limited, < 0 deterioration; a latest value at or past
    the target is target_achieved. Without a target: the observed CAGR (sign turned for
    "decrease") ≥ 1.5 % substantial, ≥ 0.5 % moderate, ≥ 0 limited, < 0 deterioration.
    "maintain": achieved while no worse than the target (or the baseline), else deterioration.
    Not enough data (no baseline, no later value): not_available.
    """
    if (
        baseline_value is None
        or baseline_year is None
        or latest_value is None
        or latest_year is None
        or latest_year <= baseline_year
    ):
        return Trend("not_available")
    sign = -1.0 if direction is Direction.decrease else 1.0
    if direction is Direction.maintain:
        reference = target_value if target_value is not None else baseline_value
        return Trend("target_achieved" if latest_value >= reference else "deterioration")
    observed = _growth(baseline_value, latest_value, latest_year - baseline_year)
    if target_value is not None and target_year is not None:
        if sign * (latest_value - target_value) >= 0:
            return Trend("target_achieved", observed_rate=round(observed, 6))
        if target_year <= baseline_year:
            return Trend("not_available", observed_rate=round(observed, 6))
        required = _growth(baseline_value, target_value, target_year - baseline_year)
        if required == 0:
            return Trend("not_available", observed_rate=round(observed, 6))
        ratio = observed / required
        if ratio >= ON_TRACK:
            status = "substantial_progress"
        elif ratio >= MODERATE:
            status = "moderate_progress"
        elif ratio >= 0:
            status = "limited_progress"
        else:
            status = "deterioration"
        return Trend(status, round(observed, 6), round(required, 6), round(ratio, 4))
    signed = sign * observed
    if signed >= NO_TARGET_SUBSTANTIAL:
        status = "substantial_progress"
    elif signed >= NO_TARGET_MODERATE:
        status = "moderate_progress"
    elif signed >= 0:
        status = "limited_progress"
    else:
        status = "deterioration"
    return Trend(status, observed_rate=round(observed, 6))
