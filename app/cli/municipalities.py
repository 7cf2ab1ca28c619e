"""`morharita municipality ...` and `morharita responsibility ...`: who serves where."""

from __future__ import annotations

import typer

from app.cli.common import console_errors, settings_and_engine
from app.db import make_session_factory, unit_of_work
from app.errors import InvalidInput
from app.models import CategoryGroup, MunicipalityKind
from app.services import reference

app = typer.Typer(help="Municipalities: create, list, edit, delete.")
duties = typer.Typer(help="Which municipality acts on which category group in which area.")


def _center(value: str | None) -> tuple[float | None, float | None]:
    if not value:
        return None, None
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise InvalidInput(
            f"--map-center takes LAT,LON in degrees (e.g. 39.92,32.85), not {value!r}.",
            field="map_center",
        ) from None
    return lat, lon


def _fields(
    name: str | None,
    kind: MunicipalityKind | None,
    parent: str | None,
    contact_email: str | None,
    contact_phone: str | None,
    website: str | None,
    map_center: str | None,
    zoom: int | None,
    k: int | None,
    languages: str | None,
) -> reference.MunicipalityFields:
    lat, lon = _center(map_center)
    return reference.MunicipalityFields(
        name=name,
        kind=kind,
        parent=parent,
        contact_email=contact_email,
        contact_phone=contact_phone,
        website=website,
        map_center_lat=lat,
        map_center_lon=lon,
        map_zoom=zoom,
        k_threshold=k,
        languages=[x.strip() for x in languages.split(",") if x.strip()] if languages else None,
    )


_NAME = typer.Option(None, help="Name, e.g. 'Çankaya Belediyesi'.")
_PARENT = typer.Option(None, help="Code of the municipality it is part of ('' for none).")
_EMAIL = typer.Option(None, help="Contact e-mail.")
_PHONE = typer.Option(None, help="Contact phone.")
_WEB = typer.Option(None, help="Web site.")
_CENTER = typer.Option(None, help="Its own map centre: LAT,LON.")
_ZOOM = typer.Option(None, help="Its own map zoom (1-19).")
_K = typer.Option(None, help="Its own small-cell threshold k (never below the deployment's).")
_LANGS = typer.Option(None, help="Languages offered, comma-separated (tr,en,ar,ku).")


@app.command()
def create(
    code: str = typer.Argument(..., help="Code: a slug such as 'cankaya'."),
    name: str = typer.Option(..., help="Name, e.g. 'Çankaya Belediyesi'."),
    kind: MunicipalityKind = typer.Option(..., help="metropolitan, district, provincial, other."),
    parent: str | None = _PARENT,
    contact_email: str | None = _EMAIL,
    contact_phone: str | None = _PHONE,
    website: str | None = _WEB,
    map_center: str | None = _CENTER,
    zoom: int | None = _ZOOM,
    k: int | None = _K,
    languages: str | None = _LANGS,
) -> None:
    """Create a municipality (with the default responsibilities of its kind)."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        fields = _fields(
            name,
            None,
            parent,
            contact_email,
            contact_phone,
            website,
            map_center,
            zoom,
            k,
            languages,
        )
        m = reference.create_municipality(session, None, code, name, kind, fields)
        line = f"Created {m.kind.value} municipality {m.code} ({m.name})."
    typer.echo(line)


@app.command("list")
def list_municipalities() -> None:
    """List municipalities: code, kind, parent, name, mahalle."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        lines = [
            "\t".join((m["code"], m["kind"], m["parent"] or "-", m["name"], str(m["mahalle"])))
            for m in reference.municipality_table(session)
        ]
    for line in lines:
        typer.echo(line)


@app.command()
def edit(
    code: str = typer.Argument(..., help="The municipality's code."),
    name: str | None = _NAME,
    kind: MunicipalityKind | None = typer.Option(None, help="A new kind."),
    parent: str | None = _PARENT,
    contact_email: str | None = _EMAIL,
    contact_phone: str | None = _PHONE,
    website: str | None = _WEB,
    map_center: str | None = _CENTER,
    zoom: int | None = _ZOOM,
    k: int | None = _K,
    languages: str | None = _LANGS,
) -> None:
    """Change a municipality's name, kind, parent, contact or settings."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        m = reference.municipality_by_code(session, code)
        fields = _fields(
            name,
            kind,
            parent,
            contact_email,
            contact_phone,
            website,
            map_center,
            zoom,
            k,
            languages,
        )
        reference.update_municipality(session, None, m, fields)
        line = f"Saved {m.code} ({m.name})."
    typer.echo(line)


@app.command()
def delete(code: str = typer.Argument(..., help="The municipality's code.")) -> None:
    """Delete a municipality that has no mahalle, reports, staff or municipalities inside it."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        reference.delete_municipality(session, None, reference.municipality_by_code(session, code))
    typer.echo(f"Deleted {code}.")


@duties.command("list")
def list_duties(area: str | None = typer.Argument(None, help="Only this area's rows.")) -> None:
    """List the responsibility table: area, category group, responsible municipality."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        ids = None if area is None else (reference.municipality_by_code(session, area).id,)
        rows = reference.responsibility_list(session, ids)
    for row in rows:
        department = f"\t{row['department']}" if row["department"] else ""
        typer.echo(f"{row['area']}\t{row['category_group']}\t{row['responsible']}{department}")


@duties.command("set")
def set_duty(
    area: str = typer.Argument(..., help="Code of the area (its descendants follow)."),
    group: CategoryGroup = typer.Argument(..., help="Category group."),
    responsible: str = typer.Argument(..., help="Code of the municipality that acts."),
    department: str | None = typer.Option(None, help="Department, e.g. Fen İşleri Müdürlüğü."),
    contact_email: str | None = typer.Option(None, help="The department's e-mail."),
) -> None:
    """Say who acts on a category group in an area."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        reference.set_responsibility(
            session, None, area, group, responsible, department, contact_email
        )
    typer.echo(f"{area}: {group.value} -> {responsible}.")


@duties.command("remove")
def remove_duty(
    area: str = typer.Argument(..., help="Code of the area."),
    group: CategoryGroup = typer.Argument(..., help="Category group."),
) -> None:
    """Remove a row (the duty falls back to the parent's row, or to the municipality itself)."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        reference.remove_responsibility(session, None, area, group)
    typer.echo(f"{area}: {group.value} removed.")
