"""`morharita db ...`: the local PostGIS cluster used when DATABASE_URL is not set."""

from __future__ import annotations

import typer
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from app import localdb
from app.cli.common import console_errors
from app.config import get_settings

app = typer.Typer(help="Local PostgreSQL + PostGIS under .data/ (when DATABASE_URL is unset).")


def shown_url(url: str, *, show_password: bool = False) -> str:
    """`url` as printed in a terminal: any password masked as *** unless asked for."""
    try:
        return make_url(url).render_as_string(hide_password=not show_password)
    except ArgumentError:
        return url if show_password else "(not a valid database URL; hidden)"


@app.command()
def up() -> None:
    """Install PostgreSQL/PostGIS if missing, create and start the local cluster; print its URL."""
    with console_errors():
        settings = get_settings()
        if settings.database_url:
            typer.echo(
                "DATABASE_URL is set; using it and creating nothing: "
                + shown_url(settings.database_url)
            )
            return
        cluster = localdb.up(settings)
        typer.echo(cluster.url())


@app.command()
def down() -> None:
    """Stop the local cluster."""
    with console_errors():
        stopped = localdb.down(get_settings())
    typer.echo("Local database stopped." if stopped else "Local database was not running.")


@app.command()
def url(
    show_password: bool = typer.Option(
        False, "--show-password", help="Print the password instead of ***."
    ),
) -> None:
    """Print the database URL in use (the local cluster's has no password)."""
    with console_errors():
        typer.echo(
            shown_url(
                localdb.database_url(get_settings(), start=False), show_password=show_password
            )
        )
