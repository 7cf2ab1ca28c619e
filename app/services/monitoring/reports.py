"""Published monitoring reports: when a period is published, the plan as the public then sees
it (tree, statuses, values, assessments, responses) is frozen into a snapshot and rendered
once as HTML and PDF (WeasyPrint, DejaVu fonts for the Turkish letters). Later edits to the
plan never change a published report.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from PIL import ImageFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import i18n
from app.config import Settings
from app.errors import NotFound
from app.models import (
    EqualityPlan,
    MonitoringReport,
    PeriodKind,
    PeriodState,
    ReportingPeriod,
    ReportKind,
    User,
)
from app.services.monitoring import access
from app.services.monitoring.charts import indicator_chart
from app.services.monitoring.periods import change_period_state
from app.services.monitoring.views import plan_detail

TEMPLATES = Path(__file__).resolve().parents[3] / "frontend" / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
_env.add_extension("jinja2.ext.i18n")
_env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
_env.filters.update(format_number=i18n.format_number, format_date=i18n.format_date)
REPORT_LOCALE = "tr"  # a published report is a document of record: Turkish first


def render_html(snapshot: dict, period_label: str) -> str:
    token = i18n.set_locale(REPORT_LOCALE)
    try:
        indicators = []

        def walk(nodes: list[dict]) -> None:
            for node in nodes:
                for indicator in node["indicators"]:
                    indicators.append({**indicator, "chart": indicator_chart(indicator)})
                walk(node["children"])

        walk(snapshot["items"])
        return _env.get_template("monitoring_report.html").render(
            plan=snapshot, period=period_label, indicators=indicators
        )
    finally:
        i18n.reset_locale(token)


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint (and its Pango bindings) load only when a report is made.
    strict = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML

    # WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when imported;
    # report photos must keep refusing truncated files (app.services.reporting.photos).
    ImageFile.LOAD_TRUNCATED_IMAGES = strict
    return HTML(string=html).write_pdf()


def publish_report(
    session: Session, settings: Settings, plan: EqualityPlan, period: ReportingPeriod
) -> MonitoringReport:
    """Freeze and render the period's report (called as the period is published)."""
    snapshot = plan_detail(session, settings, plan, None)
    kind = ReportKind.final if period.kind is PeriodKind.final else ReportKind.progress
    html = render_html(snapshot, period.label)
    report = MonitoringReport(
        municipality_id=plan.municipality_id,
        plan_id=plan.id,
        reporting_period_id=period.id,
        kind=kind,
        title=f"{plan.title_tr} — {period.label}",
        snapshot=snapshot,
        html=html,
        pdf=render_pdf(html),
        published_at=datetime.now(UTC),
    )
    session.add(report)
    session.flush()
    return report


def reports_of(session: Session, plan: EqualityPlan) -> list[dict]:
    rows = session.execute(
        select(
            MonitoringReport.id,
            MonitoringReport.kind,
            MonitoringReport.title,
            MonitoringReport.published_at,
            ReportingPeriod.label,
        )
        .join(ReportingPeriod, ReportingPeriod.id == MonitoringReport.reporting_period_id)
        .where(MonitoringReport.plan_id == plan.id)
        .order_by(ReportingPeriod.ends_on)
    ).all()
    return [
        {
            "id": r.id,
            "period": r.label,
            "kind": r.kind.value,
            "title": r.title,
            "published_at": r.published_at.isoformat(),
            "html_url": f"/api/v1/monitoring-reports/{r.id}.html",
            "pdf_url": f"/api/v1/monitoring-reports/{r.id}.pdf",
        }
        for r in rows
    ]


def report_or_404(session: Session, report_id: int, viewer: User | None) -> MonitoringReport:
    report = session.get(MonitoringReport, report_id)
    if report is None:
        raise NotFound(f"No monitoring report {report_id}.")
    plan = session.get_one(EqualityPlan, report.plan_id)
    if not access.can_see_plan(session, viewer, plan):
        raise NotFound(f"No monitoring report {report_id}.")
    return report


def move_period(
    session: Session,
    settings: Settings,
    user: User,
    plan: EqualityPlan,
    period: ReportingPeriod,
    state: PeriodState,
) -> MonitoringReport | None:
    """Move a period on (`periods.change_period_state`); publishing it publishes its report."""
    change_period_state(session, settings, user, plan, period, state)
    return (
        publish_report(session, settings, plan, period) if state is PeriodState.published else None
    )
