"""`morharita demo`: the whole Ankara demo in one call, and the lines it prints.

Ankara Büyükşehir (metropolitan) with its districts Çankaya and Yenimahalle from the shared
Ankara data, the TÜİK population, sample services, generated reports in both districts, the
departments that act on them, demo staff per municipality and example audit walks.
Idempotent: a rerun inserts nothing twice.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.demo.reports import DemoReports, load_demo_reports
from app.demo.staff import DEPARTMENTS, ensure_demo_accounts, ensure_demo_duties
from app.demo.walks import load_demo_walks
from app.models import (
    CategoryGroup,
    Municipality,
    MunicipalityKind,
    Report,
    ReportSource,
    ServicePoint,
)
from app.services.imports import (
    BoundaryFields,
    MunicipalityChoice,
    PopulationColumns,
    import_boundaries,
    import_population,
    import_service_points,
)
from app.services.reference import ensure_municipality, seed_categories

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo" / "ankara"
BOUNDARIES = DEMO_DIR / "mahalle_cankaya_yenimahalle.geojson"
POPULATION = DEMO_DIR / "population_cankaya_mahalle_2025.csv"
DISTRICT_SHARES = DEMO_DIR / "population_ilce_by_sex_2021.csv"
SERVICE_SAMPLE = DEMO_DIR / "service_points_sample.geojson"


def _reports_by_municipality(session: Session) -> str:
    rows = session.execute(
        select(Municipality.code, func.count(Report.id))
        .join(Report, Report.municipality_id == Municipality.id)
        .where(Report.source == ReportSource.demo)
        .group_by(Municipality.code)
        .order_by(Municipality.code)
    ).all()
    return ", ".join(f"{code} {n}" for code, n in rows)


def _tracking_line(reports: DemoReports) -> str:
    if reports.tracking_code:
        return f"Try a demo tracking code: {reports.tracking_code}  (on the /track page)"
    return (
        "Demo tracking codes were printed when the demo reports were first loaded (only their "
        "hashes are stored, so they cannot be shown again)."
    )


def load_demo(session: Session, settings: Settings) -> list[str]:
    """Load the whole Ankara demo; return summary lines for the terminal."""
    ensure_municipality(
        session, "ankara", "Ankara Büyükşehir Belediyesi", MunicipalityKind.metropolitan
    )
    boundaries = import_boundaries(
        session,
        BOUNDARIES,
        fields=BoundaryFields(code="osm_id", name="name", district="ilce", province="il"),
        municipality=MunicipalityChoice(field="ilce", create=True, parent="ankara"),
    )
    population = import_population(
        session,
        POPULATION,
        columns=PopulationColumns(
            name="mahalle_name", district="ilce", province="il", total="pop_total", year="year"
        ),
        district_shares=DISTRICT_SHARES,
    )
    category_count = seed_categories(session)
    services = import_service_points(
        session, settings, SERVICE_SAMPLE, sample=True, source="demo sample"
    )
    ensure_demo_duties(session)
    reports = load_demo_reports(session, settings)
    queue = reports.queue
    accounts = ensure_demo_accounts(session, settings)
    walks = load_demo_walks(session, settings)
    samples = session.scalar(select(func.count(ServicePoint.id)).where(ServicePoint.is_sample))
    districts = ", ".join(f"{d} {n}" for d, n in sorted(boundaries.by_district.items()))
    lines = [
        f"Mahalle: {boundaries.total} ({districts}), © OpenStreetMap contributors (ODbL).",
        f"Population: {population.with_total} mahalle with TÜİK 2025 totals; women residents "
        f"estimated from the district female share for {population.women_estimated} "
        "(flagged as estimates). Kaynak: TÜİK.",
        f"Categories: {category_count}.",
        f"Service points: {samples} SAMPLE points (invented, not real services).",
        f"Demo reports: {reports.total} ({reports.published} published, {reports.pending} "
        f"pending; {reports.inserted} new this run), {reports.confirmations} 'me too' "
        "confirmations. All generated, source 'demo'.",
        _tracking_line(reports),
        "Municipalities: ankara (Ankara Büyükşehir, metropolitan) with the districts cankaya "
        f"and yenimahalle; demo reports by district: {_reports_by_municipality(session)}.",
        "Responsibility: each district acts on lighting, sidewalks and crossings, and parks "
        f"({DEPARTMENTS[CategoryGroup.infrastructure]}, "
        f"{DEPARTMENTS[CategoryGroup.environment]}); Ankara BB on transport "
        f"({DEPARTMENTS[CategoryGroup.transport]}).",
        "Demo staff accounts (DEMO ONLY: anyone who reads this can log in; never use them "
        "with real data). Log in at /login:",
        *accounts,
        walks,
    ]
    if reports.rekeyed:
        lines.append(
            f"Demo reports given fresh tracking codes: {reports.rekeyed} (an earlier version "
            "drew them from the public seed)."
        )
    if queue:
        lines.append(
            f"Demo queue: pending texts with personal data to redact; report "
            f"{queue['duplicate']} duplicates {queue['original']} (merge it)."
        )
    warnings = boundaries.warnings + population.warnings + population.mahalle_without_row
    warnings += population.unmatched_rows + services.warnings
    return lines + [f"warning: {w}" for w in warnings]
