"""`morharita import ...`: boundaries, population and service points from files.

Each command runs in one transaction: a file with any bad row or feature imports nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.cli.common import console_errors, settings_and_engine
from app.config import Settings
from app.db import make_session_factory, unit_of_work
from app.errors import ImportFailed
from app.models import MunicipalityKind

# Each command imports its importer when it runs (pyogrio and numpy: ~2 s), not every CLI call.
app = typer.Typer(help="Import boundaries, population figures and service points.")


def _run(action: Callable[[Session, Settings], list[str]]) -> None:
    """Run one import in a transaction and print its summary; errors exit with code 1."""
    with console_errors(), settings_and_engine() as (settings, engine):
        try:
            with unit_of_work(make_session_factory(engine)) as session:
                lines = action(session, settings)
        except SQLAlchemyError as exc:
            # Validation should catch every bad value first; this is the backstop for the rest.
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise ImportFailed(
                f"the database refused the import: {reason}; nothing was imported"
            ) from exc
    for line in lines:
        color = typer.colors.YELLOW if line.startswith("warning:") else None
        typer.secho(line, fg=color)


@app.command()
def boundaries(
    file: Path = typer.Argument(..., help="GeoJSON, GeoPackage (.gpkg) or Shapefile (.shp)."),
    layer: str | None = typer.Option(None, help="Layer to read, when the file has several."),
    code_field: str = typer.Option("osm_id", help="Field with a stable, unique code per mahalle."),
    name_field: str = typer.Option("name", help="Field with the mahalle name."),
    district_field: str = typer.Option("ilce", help="Field with the district (ilçe)."),
    province_field: str = typer.Option("il", help="Field with the province (il)."),
    prune: bool = typer.Option(
        False, "--prune", help="Remove mahalle that are not in the file (reports are reassigned)."
    ),
    municipality: str | None = typer.Option(
        None, help="Code of the municipality every mahalle of the file belongs to."
    ),
    municipality_field: str | None = typer.Option(
        None, help="Or: the field naming each mahalle's municipality (a code or a name)."
    ),
    create_municipalities: bool = typer.Option(
        False,
        "--create-municipalities",
        help="Create the municipalities --municipality-field names that do not exist yet.",
    ),
    parent: str | None = typer.Option(None, help="... as part of this municipality (a code)."),
    kind: MunicipalityKind = typer.Option(MunicipalityKind.district, help="... of this kind."),
    move: bool = typer.Option(
        False, "--move", help="Allow moving existing mahalle to another municipality."
    ),
) -> None:
    """Upsert mahalle boundaries by code into their municipality; reproject to EPSG:4326;
    reassign existing reports."""
    from app.services.imports import BoundaryFields, MunicipalityChoice, import_boundaries

    fields = BoundaryFields(
        code=code_field, name=name_field, district=district_field, province=province_field
    )
    choice = MunicipalityChoice(
        code=municipality,
        field=municipality_field,
        create=create_municipalities,
        parent=parent,
        kind=kind,
        move=move,
    )
    _run(
        lambda session, _: import_boundaries(
            session, file, fields=fields, layer=layer, prune=prune, municipality=choice
        ).lines()
    )


@app.command()
def population(
    file: Path = typer.Argument(..., help="CSV with one row per mahalle."),
    code_column: str | None = typer.Option(
        None, help="Match rows to mahalle by this code column (default: match by name)."
    ),
    name_column: str = typer.Option("mahalle_name", help="Mahalle name column."),
    district_column: str = typer.Option("ilce", help="District column (names match within it)."),
    province_column: str = typer.Option("il", help="Province column."),
    total_column: str = typer.Option("pop_total", help="Total residents column."),
    women_column: str | None = typer.Option(
        None, help="Women residents column; without it, women are estimated (--district-shares)."
    ),
    year_column: str = typer.Option("year", help="Reference year column."),
    district_shares: Path | None = typer.Option(
        None,
        help="TÜİK district CSV (il, ilce_upper, female_share) to estimate women residents.",
    ),
) -> None:
    """Set population per mahalle; women residents given or estimated (and flagged)."""
    from app.services.imports import PopulationColumns, import_population

    columns = PopulationColumns(
        code=code_column,
        name=name_column,
        district=district_column,
        province=province_column,
        total=total_column,
        women=women_column,
        year=year_column,
    )
    _run(
        lambda session, _: import_population(
            session, file, columns=columns, district_shares=district_shares
        ).lines()
    )


@app.command()
def services(
    file: Path = typer.Argument(..., help="GeoJSON/GeoPackage of points, or CSV with lat/lon."),
    layer: str | None = typer.Option(None, help="Layer to read, when the file has several."),
    sample: bool = typer.Option(
        False, "--sample", help="Flag the points as sample data (shown as not real)."
    ),
    source: str | None = typer.Option(None, help="Source note stored per point (default: file)."),
) -> None:
    """Upsert support service points by name and kind. Shelter locations are refused."""
    from app.services.imports import import_service_points

    _run(
        lambda session, settings: import_service_points(
            session, settings, file, layer=layer, sample=sample, source=source
        ).lines()
    )
