"""The demo's example equality plan for Çankaya: clearly an example, not the real plan.

A safe-city theme whose targets use the map's own indicators (imported from the sample
template, data/monitoring/yeep_template.csv), two periods of this year with updates, the
first reviewed and published (its computed values frozen from the demo reports), one board
assessment with the municipality's response. Idempotent: a second run leaves it alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import EqualityPlan, EvidenceKind, PeriodState, PlanState, Role, User
from app.schemas.interventions import InterventionCreate, PlaceGeometry
from app.schemas.monitoring import (
    AssessmentCreate,
    BoardMemberCreate,
    EvidenceLink,
    ObservationCreate,
    PeriodCreate,
    UpdateCreate,
)
from app.services.accounts import create_user
from app.services.monitoring import (
    PlanHeader,
    board,
    import_plan_file,
    indicators,
    interventions,
    periods,
    plans,
    reports,
    units,
    updates,
)
from app.services.monitoring.spreadsheet import OPERATOR
from app.services.reference import set_memberships

TEMPLATE = Path(__file__).resolve().parents[2] / "data" / "monitoring" / "yeep_template.csv"
CODE = "ORNEK-CANKAYA-YEEP"
DEMO_MONITOR = ("izleme@demo.morharita.example", "mor-heyet-demo-4")
DEMO_REPORTER = ("fen@demo.morharita.example", "mor-lamba-demo-5")


def _account(session: Session, settings: Settings, email: str, password: str, role: Role) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = create_user(session, settings, email, password, role)
        set_memberships(session, user, ["cankaya"])
    return user


def load_demo_plan(session: Session, settings: Settings) -> list[str]:
    """Load the example plan (once); return summary lines for the terminal."""
    if session.scalar(select(EqualityPlan.id).where(EqualityPlan.code == CODE)):
        return [f"Example equality plan: {CODE} (already loaded) at /plans/{CODE}"]
    year = date.today().year
    header = PlanHeader(
        CODE,
        "ÖRNEK: Çankaya Yerel Eşitlik Eylem Planı (gerçek plan değildir)",
        date(year - 1, 1, 1),
        date(year + 2, 12, 31),
        title_en="EXAMPLE: Çankaya Local Equality Action Plan (not the real plan)",
        is_example=True,
    )
    plan, item_count, indicator_count = import_plan_file(session, TEMPLATE, "cankaya", header)
    for state in (PlanState.consultation, PlanState.approved, PlanState.in_force):
        plans.change_plan_state(session, OPERATOR, plan, state)
    monitor = _account(session, settings, *DEMO_MONITOR, Role.monitor)
    reporter = _account(session, settings, *DEMO_REPORTER, Role.unit_reporter)
    units.attach_unit_reporter(session, OPERATOR, "cankaya", "fen-isleri", reporter.email)
    board.add_board_member(
        session,
        OPERATOR,
        BoardMemberCreate(
            email=monitor.email,
            municipality="cankaya",
            plan=CODE,
            organisation="Örnek Kadın Dayanışma Derneği (örnek)",
            role_in_board="Heyet üyesi",
            term_start=date(year - 1, 1, 1),
            term_end=date(year + 2, 12, 31),
            conflict_of_interest_note="Belediyeden hibe almıyor (örnek beyan).",
        ),
    )
    first, second = f"{year}-H1", f"{year}-H2"
    for label, start, end in (
        (first, date(year, 1, 1), date(year, 6, 30)),
        (second, date(year, 7, 1), date(year, 12, 31)),
    ):
        periods.create_period(
            session,
            OPERATOR,
            plan,
            PeriodCreate(label=label, kind="semiannual", starts_on=start, ends_on=end),
        )
    lamps = indicators.indicator_by_code(session, plan, "6.1.1.1.G1")
    periods.enter_observation(
        session, reporter, plan, lamps, ObservationCreate(period=first, value=120, state="final")
    )
    activity = plans.item_by_code(session, plan, "6.1.1.1")
    update = updates.create_update(
        session,
        reporter,
        plan,
        activity,
        _update(first, 40, "Hedef sokaklarda 120 aydınlatma noktası yenilendi."),
    )
    updates.add_evidence_link(
        session,
        reporter,
        update,
        EvidenceLink(
            kind=EvidenceKind.tender,
            title="İhale ilanı (örnek bağlantı)",
            url="https://example.org/ornek-ihale",
        ),
    )
    updates.submit_update(session, reporter, update)
    updates.review_update(session, OPERATOR, update, True, "Kanıtlarla birlikte kabul edildi.")
    later = updates.create_update(
        session, reporter, plan, activity, _update(second, 55, "Yenileme sürüyor.")
    )
    updates.submit_update(session, reporter, later)
    h1 = periods.period_by_label(session, plan, first)
    for move in (PeriodState.collecting, PeriodState.under_review, PeriodState.published):
        reports.move_period(session, settings, OPERATOR, plan, h1, move)
    periods.change_period_state(
        session,
        settings,
        OPERATOR,
        plan,
        periods.period_by_label(session, plan, second),
        PeriodState.collecting,
    )
    assessment = board.create_assessment(
        session,
        monitor,
        plan,
        AssessmentCreate(
            period=first,
            item="6.1.1",
            rating="partly_compliant",
            rights_based_note="CEMR Şartı md. 21 (güvenlik): aydınlatma ilerliyor; gece ulaşımı "
            "ele alınmamış. (Örnek değerlendirme.)",
            recommendation="Gece ulaşım durakları da hedefe eklensin.",
            response_due=date(year, 12, 31),
        ),
    )
    board.publish_assessment(session, monitor, assessment)
    board.respond(
        session,
        OPERATOR,
        assessment,
        "Gece durakları için Ulaşım Dairesi ile çalışma başlatıldı. (Örnek yanıt.)",
    )
    interventions.create_intervention(
        session,
        OPERATOR,
        plan,
        InterventionCreate(
            code="ORNEK-AYDINLATMA-1",
            kind="lighting",
            title_tr="ÖRNEK: Atatürk Bulvarı'nın Kızılay–Kolej kesiminde aydınlatma yenilendi",
            title_en="EXAMPLE: street lighting renewed on Atatürk Boulevard, Kızılay–Kolej",
            description="Örnek bir uygulama: gerçek bir çalışma değildir.",
            completed_on=date.today() - timedelta(days=120),
            item="6.1.1.1",
            geometry=PlaceGeometry(
                type="LineString", coordinates=[(32.8541, 39.9208), (32.8600, 39.9262)]
            ),
            radius_m=500,
            category_groups=["lighting", "environment"],
        ),
    )
    return [
        f"Example equality plan (an EXAMPLE, not Çankaya's real plan): {CODE} with {item_count} "
        f"items and {indicator_count} indicators, period {first} published with its report, at "
        f"/plans/{CODE}",
        "Demo monitoring accounts (DEMO ONLY):",
        f"  {Role.monitor.value:<13} {DEMO_MONITOR[0]}  password: {DEMO_MONITOR[1]}",
        f"  {Role.unit_reporter.value:<13} {DEMO_REPORTER[0]}  password: {DEMO_REPORTER[1]}",
    ]


def _update(period: str, progress: int, narrative: str) -> UpdateCreate:
    return UpdateCreate(
        period=period,
        status="in_progress",
        progress=progress,
        narrative=narrative,
        beneficiaries_women=0,
    )
