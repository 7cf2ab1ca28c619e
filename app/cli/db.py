"""`morharita db ...`: the local PostGIS cluster used when DATABASE_URL is not set."""

from __future__ import annotations

import typer

from app import localdb
from app.cli.common import console_errors
from app.config import get_settings

app = typer.Typer(help="Local PostgreSQL + PostGIS under .data/ (when DATABASE_URL is unset).")


@app.command()
def up() -> None:
    """Install PostgreSQL/PostGIS if missing, create and start the local cluster; print its URL."""
    with console_errors():
        settings = get_settings()
        if settings.database_url:
            typer.echo(
                f"DATABASE_URL is set; using it and creating nothing: {settings.database_url}"
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
def url() -> None:
    """Print the database URL in use."""
    with console_errors():
        typer.echo(localdb.database_url(get_settings(), start=False))
