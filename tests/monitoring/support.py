"""A small equality plan for Çankaya, built through the real services (rules apply)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.config import Settings
from app.models import EqualityPlan, PlanState, Role, User
from app.schemas.monitoring import (
    BoardMemberCreate,
    IndicatorCreate,
    ItemCreate,
    PeriodCreate,
    PlanCreate,
    UnitCreate,
)
from app.services.monitoring import board, indicators, periods, plans, units
from app.services.reference import mahalle_at
from tests.support.factories import KIZILAY, make_user

YEAR = date.today().year


@dataclass
class PlanWorld:
    plan: EqualityPlan
    planner: User
    admin: User
    reporter: User  # unit reporter of fen-isleri (responsible for activity 1.1.1)
    other_reporter: User  # unit reporter of another unit
    monitor: User  # sitting board member
    mahalle_code: str


def this_year_period() -> PeriodCreate:
    return PeriodCreate(
        label=f"{YEAR}", kind="annual", starts_on=date(YEAR, 1, 1), ends_on=date(YEAR, 12, 31)
    )


def build_plan(db: Session, settings: Settings, state: str = "in_force") -> PlanWorld:
    """Plan YEEP-TEST (Çankaya): theme 1 > objective 1.1 > target 1.1 T > activities."""
    admin = make_user(db, settings, Role.admin)
    planner = make_user(db, settings, Role.planner, ["cankaya"])
    for code, name in (("fen-isleri", "Fen İşleri Müdürlüğü"), ("kadin", "Kadın Md.")):
        units.create_unit(db, planner, UnitCreate(municipality="cankaya", code=code, name=name))
    plan = plans.create_plan(
        db,
        planner,
        PlanCreate(
            municipality="cankaya",
            code="YEEP-TEST",
            title_tr="Test Yerel Eşitlik Eylem Planı",
            title_en="Test Local Equality Action Plan",
            period_start=date(YEAR - 1, 1, 1),
            period_end=date(YEAR + 2, 12, 31),
            coordinating_unit="kadin",
        ),
    )
    mahalle = mahalle_at(db, *KIZILAY)
    assert mahalle is not None
    for body in (
        ItemCreate(code="1", kind="theme", title_tr="Güvenli kent", theme_key="safe_city"),
        ItemCreate(code="1.1", kind="objective", parent="1", title_tr="Aydınlık sokaklar"),
        ItemCreate(
            code="1.1.T",
            kind="target",
            parent="1.1",
            title_tr="Aydınlatma bildirimleri azalır",
            mahalle=[mahalle.code],
            report_category_groups=["lighting"],
            cemr_articles=[21],
            sdg_targets=["11.7"],
        ),
        ItemCreate(
            code="1.1.1",
            kind="activity",
            parent="1.1.T",
            title_tr="Lamba yenileme",
            responsible_unit="fen-isleri",
            budget_planned_try="250000",
        ),
        ItemCreate(
            code="1.1.2",
            kind="activity",
            parent="1.1.T",
            title_tr="Güvenlik yürüyüşü",
            responsible_unit="kadin",
        ),
    ):
        plans.create_item(db, planner, plan, body)
    indicators.create_indicator(
        db,
        planner,
        plan,
        IndicatorCreate(
            code="G1",
            item="1.1.T",
            name_tr="Aydınlatma bildirimleri / 1.000 kadın",
            unit="per 1,000 women",
            level="outcome",
            source="computed",
            computed_code="reports_per_1000_women",
            computed_groups=["lighting"],
            baseline_value=4.1,
            baseline_period=YEAR - 1,
            target_value=2.0,
            target_period=YEAR + 2,
            direction="decrease",
        ),
    )
    indicators.create_indicator(
        db,
        planner,
        plan,
        IndicatorCreate(
            code="G2",
            item="1.1.T",
            name_tr="Yenilenen lamba sayısı",
            unit="count",
            level="output",
            source="manual",
            data_owner_unit="fen-isleri",
            baseline_value=100,
            baseline_period=YEAR - 1,
            target_value=400,
            target_period=YEAR + 2,
            direction="increase",
        ),
    )
    periods.create_period(db, planner, plan, this_year_period())
    reporter = make_user(db, settings, Role.unit_reporter, ["cankaya"])
    other_reporter = make_user(db, settings, Role.unit_reporter, ["cankaya"])
    units.attach_unit_reporter(db, planner, "cankaya", "fen-isleri", reporter.email)
    units.attach_unit_reporter(db, planner, "cankaya", "kadin", other_reporter.email)
    monitor = make_user(db, settings, Role.monitor, ["cankaya"])
    board.add_board_member(
        db,
        admin,
        BoardMemberCreate(
            email=monitor.email,
            municipality="cankaya",
            organisation="Kadın Dayanışma Derneği",
            term_start=date.today() - timedelta(days=30),
            term_end=date.today() + timedelta(days=700),
            conflict_of_interest_note="Yok.",
        ),
    )
    for target in ("consultation", "approved", "in_force")[
        : ("draft", "consultation", "approved", "in_force").index(state)
    ]:
        plans.change_plan_state(db, planner, plan, PlanState(target))
    db.flush()
    return PlanWorld(plan, planner, admin, reporter, other_reporter, monitor, mahalle.code)
