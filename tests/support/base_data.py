"""Base data every test may rely on: the real Ankara boundaries and Çankaya population."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.config import Settings
from app.models import MunicipalityKind
from app.services.imports import MunicipalityChoice
from app.services.imports.boundaries import BoundaryFields, import_boundaries
from app.services.imports.population import PopulationColumns, import_population
from app.services.reference import ensure_municipality

ANKARA = Path(__file__).resolve().parents[2] / "data" / "demo" / "ankara"
BOUNDARIES = ANKARA / "mahalle_cankaya_yenimahalle.geojson"
POPULATION = ANKARA / "population_cankaya_mahalle_2025.csv"
DISTRICT_SHARES = ANKARA / "population_ilce_by_sex_2021.csv"
ANKARA_FIELDS = BoundaryFields(code="osm_id", name="name", district="ilce", province="il")
# Each mahalle in the district municipality its "ilce" names, created under Ankara BB.
ANKARA_DISTRICTS = MunicipalityChoice(field="ilce", create=True, parent="ankara")
TUIK_COLUMNS = PopulationColumns(
    name="mahalle_name", district="ilce", province="il", total="pop_total", year="year"
)


def load_ankara(session: Session, settings: Settings) -> None:
    """Ankara BB with its districts Çankaya and Yenimahalle (184 mahalle), and Çankaya's
    population (women estimated)."""
    ensure_municipality(
        session, "ankara", "Ankara Büyükşehir Belediyesi", MunicipalityKind.metropolitan
    )
    import_boundaries(session, BOUNDARIES, fields=ANKARA_FIELDS, municipality=ANKARA_DISTRICTS)
    import_population(session, POPULATION, columns=TUIK_COLUMNS, district_shares=DISTRICT_SHARES)
