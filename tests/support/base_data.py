"""Base data every test may rely on: the real Ankara boundaries and Çankaya population."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.config import Settings
from app.services.imports.boundaries import BoundaryFields, import_boundaries
from app.services.imports.population import PopulationColumns, import_population

ANKARA = Path(__file__).resolve().parents[2] / "data" / "demo" / "ankara"
BOUNDARIES = ANKARA / "mahalle_cankaya_yenimahalle.geojson"
POPULATION = ANKARA / "population_cankaya_mahalle_2025.csv"
DISTRICT_SHARES = ANKARA / "population_ilce_by_sex_2021.csv"
ANKARA_FIELDS = BoundaryFields(code="osm_id", name="name", district="ilce", province="il")
TUIK_COLUMNS = PopulationColumns(
    name="mahalle_name", district="ilce", province="il", total="pop_total", year="year"
)


def load_ankara(session: Session, settings: Settings) -> None:
    """Import the 184 Çankaya/Yenimahalle mahalle and Çankaya's population (women estimated)."""
    import_boundaries(session, BOUNDARIES, fields=ANKARA_FIELDS)
    import_population(session, POPULATION, columns=TUIK_COLUMNS, district_shares=DISTRICT_SHARES)
