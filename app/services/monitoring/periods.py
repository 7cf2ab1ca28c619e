"""Reporting periods and indicator observations; computed values frozen at review.

A computed indicator's observations come from the map's own indicator engine
(`planner_indicators`) for the item's mahalle and the period, over the plan municipality's
area, with the engine's small-cell protection. They are computed and stored once, when the
period moves to `under_review`, with the definition version and a hash of the query, so a
report approved or changed afterwards does not change them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Conflict, InvalidInput, NotFound
from app.models import (
    CategoryGroup,
    EqualityPlan,
    IndicatorObservation,
    IndicatorSource,
    Mahalle,
    Municipality,
    ObservationState,
    PeriodState,
    PlanIndicator,
    PlanItem,
    ReportingPeriod,
    TimeBand,
    User,
)
from app.schemas.monitoring import ObservationCreate, PeriodCreate
from app.services import audit
from app.services.monitoring import access
from app.services.monitoring.changes import plain
from app.services.monitoring.indicators import indicators_of
from app.services.monitoring.rules import PERIOD_OPEN_FOR_DATA, PERIOD_TRANSITIONS, check_transition
from app.services.planning import BY_CODE, HOTSPOT_CODES, SCOPE_WIDE, planner_indicators
from app.services.reference import covered_ids
from app.services.scope import PlannerFilters
from app.services.suppression import perturbation_table


def period_by_label(
    session: Session, plan: EqualityPlan, label: str, field: str = "period"
) -> ReportingPeriod:
    found = session.scalar(
        select(ReportingPeriod).where(
            ReportingPeriod.plan_id == plan.id, ReportingPeriod.label == label
        )
    )
    if found is None:
        if field == "period":
            raise NotFound(f"No reporting period {label!r} in plan {plan.code}.")
        raise InvalidInput(f"No reporting period {label!r} in plan {plan.code}.", field=field)
    return found


def periods_of(session: Session, plan_id: int) -> list[ReportingPeriod]:
    return list(
        session.scalars(
            select(ReportingPeriod)
            .where(ReportingPeriod.plan_id == plan_id)
            .order_by(ReportingPeriod.starts_on, ReportingPeriod.label)
        )
    )


def create_period(
    session: Session, user: User, plan: EqualityPlan, data: PeriodCreate
) -> ReportingPeriod:
    access.require_manager(session, user, plan.municipality_id)
    if data.ends_on < data.starts_on:
        raise InvalidInput("ends_on must not be before starts_on.", field="ends_on")
    if session.scalar(
        select(ReportingPeriod.id).where(
            ReportingPeriod.plan_id == plan.id, ReportingPeriod.label == data.label
        )
    ):
        raise Conflict(f"Plan {plan.code} has a period {data.label!r} already.", field="label")
    period = ReportingPeriod(
        municipality_id=plan.municipality_id, plan_id=plan.id, **data.model_dump()
    )
    session.add(period)
    session.flush()
    audit.record(
        session,
        "monitoring.period.create",
        actor=user,
        municipality_id=plan.municipality_id,
        note=plan.code,
        after={k: plain(v) for k, v in data.model_dump().items()},
    )
    return period


def change_period_state(
    session: Session,
    settings: Settings,
    user: User,
    plan: EqualityPlan,
    period: ReportingPeriod,
    state: PeriodState,
) -> None:
    """Move a period on; moving to review freezes its computed observations."""
    access.require_manager(session, user, plan.municipality_id)
    check_transition(PERIOD_TRANSITIONS, period.state, state, "reporting period")
    before = period.state
    now = datetime.now(UTC)
    if state is PeriodState.under_review:
        frozen = freeze_computed(session, settings, plan, period)
        period.frozen_at = now
    else:
        frozen = 0
    if state is PeriodState.published:
        period.published_at = now
        # Published values are final.
        for obs in session.scalars(
            select(IndicatorObservation).where(
                IndicatorObservation.reporting_period_id == period.id
            )
        ):
            obs.state = ObservationState.final
    period.state = state
    session.flush()
    audit.record(
        session,
        "monitoring.period.state",
        actor=user,
        municipality_id=plan.municipality_id,
        note=f"{plan.code} {period.label}",
        before={"state": before.value},
        after={"state": state.value, **({"frozen_observations": frozen} if frozen else {})},
    )


# --- Computed observations -------------------------------------------------------------------


def _definition_version(code: str) -> str:
    """A short hash of the catalogue entry: it changes when the definition does."""
    data = json.dumps(BY_CODE[code].as_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def computed_filters(
    plan: EqualityPlan,
    indicator: PlanIndicator,
    period: ReportingPeriod,
    municipality_code: str,
    area: tuple[int, ...],
) -> PlannerFilters:
    """The engine's filters for an indicator in a period: the plan municipality's `area`."""
    stored = indicator.computed_filters or {}
    return PlannerFilters(
        period.starts_on,
        period.ends_on,
        tuple(CategoryGroup(g) for g in stored.get("groups", [])),
        tuple(TimeBand(b) for b in stored.get("time_bands", [])),
        (),
        area,
        municipality_code,
    )


def _query_hash(code: str, filters: PlannerFilters, mahalle: list[str], k: int) -> str:
    data = {"code": code, "filters": filters.as_metadata(), "mahalle": mahalle, "k": k}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def freeze_computed(
    session: Session, settings: Settings, plan: EqualityPlan, period: ReportingPeriod
) -> int:
    """Store the computed indicators' values for the period (one per targeted mahalle, and
    a headline when the item targets one mahalle); returns how many were stored.

    The engine runs once per distinct set of stored filters, over only the mahalle those
    indicators name, and over the whole scope only when one of them needs a value that
    depends on every mahalle in it (`SCOPE_WIDE`: empirical Bayes, Gi*); Gi* (999
    permutations) runs only for a filter set that holds a hotspot value.
    """
    computed = [
        i
        for i in indicators_of(session, plan.id)
        if i.source is IndicatorSource.computed and i.computed_code is not None
    ]
    if not computed:
        return 0
    items = {
        i.id: i
        for i in session.scalars(
            select(PlanItem).where(PlanItem.id.in_({i.plan_item_id for i in computed}))
        )
    }
    wanted = {m for i in items.values() for m in i.mahalle_ids or []}
    names = {
        r.id: r.code
        for r in session.execute(select(Mahalle.id, Mahalle.code).where(Mahalle.id.in_(wanted)))
    }
    municipality = session.get_one(Municipality, plan.municipality_id)
    area = covered_ids(session, [plan.municipality_id])
    groups: dict[tuple, list[PlanIndicator]] = {}
    key_of: dict[int, tuple] = {}
    for indicator in computed:
        filters = computed_filters(plan, indicator, period, municipality.code, area)
        key_of[indicator.id] = (filters.groups, filters.time_bands)
        groups.setdefault(key_of[indicator.id], []).append(indicator)
    # The map's own protected values: cell key perturbation, then suppression.
    ptable = perturbation_table(settings.perturbation_table)
    existing = {
        (o.indicator_id, json.dumps(o.disaggregation or {}, sort_keys=True)): o
        for o in session.scalars(
            select(IndicatorObservation).where(
                IndicatorObservation.reporting_period_id == period.id,
                IndicatorObservation.indicator_id.in_([i.id for i in computed]),
            )
        )
    }
    engine: dict[tuple, tuple[PlannerFilters, dict[str, dict]]] = {}
    for key, members in groups.items():
        filters = computed_filters(plan, members[0], period, municipality.code, area)
        scope_wide = any(i.computed_code in SCOPE_WIDE for i in members)
        ids = {m for i in members for m in items[i.plan_item_id].mahalle_ids or []}
        rows = planner_indicators(
            session,
            filters,
            settings.k_threshold,
            ptable,
            with_geometry=False,
            mahalle_ids=None if scope_wide else ids,
            with_hotspots=any(i.computed_code in HOTSPOT_CODES for i in members),
        )
        engine[key] = (filters, {f["properties"]["code"]: f["properties"] for f in rows})
    stored = 0
    for indicator in computed:  # stored in the plan's order of indicators
        filters, features = engine[key_of[indicator.id]]
        codes = [names[i] for i in items[indicator.plan_item_id].mahalle_ids or [] if i in names]
        stored += _store_frozen(
            session, indicator, period, existing, features, codes, filters, settings
        )
    session.flush()
    return stored


def _store_frozen(
    session: Session,
    indicator: PlanIndicator,
    period: ReportingPeriod,
    existing: dict[tuple[int, str], IndicatorObservation],
    features: dict[str, dict],
    codes: list[str],
    filters: PlannerFilters,
    settings: Settings,
) -> int:
    """One indicator's frozen observations from the engine's rows; how many were stored."""
    code = indicator.computed_code
    assert code is not None
    snapshot = {
        "indicator": code,
        "definition_version": _definition_version(code),
        "query_hash": _query_hash(code, filters, codes, settings.k_threshold),
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "filters": filters.as_metadata(),
    }
    rows = [({"mahalle": c}, features.get(c, {})) for c in codes]
    if len(codes) == 1:
        rows.append(({}, features.get(codes[0], {})))
    for disaggregation, props in rows:
        value = props.get(code)
        suppressed = bool(props.get(f"{code}_suppressed", False))
        key = (indicator.id, json.dumps(disaggregation, sort_keys=True))
        obs = existing.get(key)
        if obs is None:
            obs = IndicatorObservation(
                municipality_id=indicator.municipality_id,
                indicator_id=indicator.id,
                reporting_period_id=period.id,
                disaggregation=disaggregation,
            )
            session.add(obs)
            existing[key] = obs
        obs.value = None if suppressed or value is None else float(value)
        obs.suppressed = suppressed
        obs.source_snapshot = snapshot
        obs.state = ObservationState.provisional
    return len(rows)


# --- Entered observations --------------------------------------------------------------------


def enter_observation(
    session: Session,
    user: User,
    plan: EqualityPlan,
    indicator: PlanIndicator,
    data: ObservationCreate,
) -> IndicatorObservation:
    """A value entered by a unit (manual or survey indicators), while the period is open."""
    item = session.get_one(PlanItem, indicator.plan_item_id)
    access.require_indicator_reporter(session, user, indicator, item)
    period = period_by_label(session, plan, data.period, field="period")
    if period.state not in PERIOD_OPEN_FOR_DATA:
        raise InvalidInput(
            f"The period {period.label} is {period.state.value}: it is closed for new values.",
            field="period",
        )
    if indicator.source is IndicatorSource.computed:
        raise InvalidInput(
            f"Indicator {indicator.code} is computed from the map's reports; its values are "
            "frozen when the period moves to review, not entered.",
            field="indicator",
        )
    if data.denominator is not None and data.denominator == 0:
        raise InvalidInput("denominator must not be 0.", field="denominator")
    value = data.value
    if value is None and data.numerator is not None and data.denominator is not None:
        value = data.numerator / data.denominator
    if value is None:
        raise InvalidInput("Give a value (or a numerator and a denominator).", field="value")
    existing = session.scalar(
        select(IndicatorObservation).where(
            IndicatorObservation.indicator_id == indicator.id,
            IndicatorObservation.reporting_period_id == period.id,
            IndicatorObservation.disaggregation == data.disaggregation,
        )
    )
    before = _observation_values(existing) if existing else None
    if existing is None:
        existing = IndicatorObservation(
            municipality_id=indicator.municipality_id,
            indicator_id=indicator.id,
            reporting_period_id=period.id,
            disaggregation=data.disaggregation,
        )
        session.add(existing)
    existing.value = value
    existing.numerator = data.numerator
    existing.denominator = data.denominator
    existing.state = data.state
    existing.note = data.note
    existing.entered_by = user.id
    session.flush()
    audit.record(
        session,
        "monitoring.observation.enter",
        actor=user,
        municipality_id=plan.municipality_id,
        note=f"{plan.code} {indicator.code} {period.label}",
        before=before,
        after=_observation_values(existing),
    )
    return existing


def _observation_values(obs: IndicatorObservation) -> dict:
    return {
        "value": obs.value,
        "numerator": obs.numerator,
        "denominator": obs.denominator,
        "disaggregation": obs.disaggregation,
        "state": obs.state.value if obs.state else None,
    }


def observations_of(
    session: Session, plan_id: int
) -> list[tuple[IndicatorObservation, ReportingPeriod]]:
    return list(
        session.execute(
            select(IndicatorObservation, ReportingPeriod)
            .join(ReportingPeriod, ReportingPeriod.id == IndicatorObservation.reporting_period_id)
            .where(ReportingPeriod.plan_id == plan_id)
            .order_by(ReportingPeriod.ends_on, IndicatorObservation.id)
        ).all()
    )
