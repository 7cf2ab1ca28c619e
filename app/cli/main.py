"""Top-level `morharita` commands; sub-apps live in sibling modules."""

from __future__ import annotations

from pathlib import Path

import typer

from app.cli import db as db_cli
from app.cli import imports as import_cli
from app.cli import municipalities as municipality_cli
from app.cli import plans as plan_cli
from app.cli import standards as standards_cli
from app.cli import users as user_cli
from app.cli.common import console_errors, resolved_settings, settings_and_engine
from app.db import make_session_factory, unit_of_work

# Commands import their use cases when they run: the web app, the demo and the importers
# (numpy, pyogrio, esda, FastAPI; 2-6 s to import) would otherwise load for every command,
# `morharita db up` and `--help` included.
app = typer.Typer(help="Mor Harita: participatory safety map.", no_args_is_help=True)
app.add_typer(db_cli.app, name="db")
app.add_typer(import_cli.app, name="import")
app.add_typer(user_cli.app, name="user")
app.add_typer(municipality_cli.app, name="municipality")
app.add_typer(municipality_cli.duties, name="responsibility")
app.add_typer(plan_cli.app, name="plan")
app.add_typer(standards_cli.open311, name="open311")
app.add_typer(standards_cli.webhooks, name="webhooks")


@app.command()
def migrate(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply database migrations (alembic upgrade)."""
    from app.migrate import upgrade

    with console_errors(), settings_and_engine() as (_, engine):
        upgrade(engine, revision)
        typer.echo(f"Database migrated to {revision}.")


@app.command("seed-categories")
def seed_categories() -> None:
    """Create or update the seed category taxonomy (Turkish and English labels)."""
    from app.services.reference import seed_categories as seed

    with console_errors(), settings_and_engine() as (_, engine):
        with unit_of_work(make_session_factory(engine)) as session:
            count = seed(session)
        typer.echo(f"{count} categories in place.")


@app.command()
def demo() -> None:
    """Load the Ankara demo: boundaries, population, categories, sample services, reports."""
    from app.demo.load import load_demo
    from app.demo.plan import load_demo_plan
    from app.errors import NotPermitted

    with console_errors(), settings_and_engine() as (settings, engine):
        if settings.environment == "production":
            # The demo creates staff accounts whose passwords are printed and published.
            raise NotPermitted(
                "The demo is not loaded in production (MORHARITA_ENVIRONMENT=production): it "
                "creates staff accounts with published passwords."
            )
        with unit_of_work(make_session_factory(engine)) as session:
            summary = load_demo(session, settings)
            summary += load_demo_plan(session, settings)
        for line in summary:
            typer.echo(line)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(
        1,
        min=1,
        max=64,
        envvar="MORHARITA_WORKERS",
        help="Worker processes (each with its own database pool of MORHARITA_DB_POOL_SIZE).",
    ),
) -> None:
    """Serve the web application with uvicorn (several worker processes with --workers)."""
    import os

    import uvicorn

    with console_errors():
        settings = resolved_settings()
    # Each worker builds its app from the environment (app.main:app_from_env), so the URL
    # resolved here (the local cluster's, when DATABASE_URL is unset) is handed down that way.
    assert settings.database_url is not None
    os.environ["DATABASE_URL"] = settings.database_url
    typer.echo(f"Mor Harita on http://{host}:{port}/ ({workers} worker(s))")
    uvicorn.run(
        "app.main:app_from_env",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        proxy_headers=True,
        # Only these proxies may say who the client is (X-Forwarded-For): the throttles of
        # logins, tracking codes and intake key on the client, so a forged header must not
        # count.
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # The access log would write client IP addresses next to request paths, tracking
        # codes included, tying reporters to their reports (against DESIGN.md §2.5).
        access_log=False,
        server_header=False,
        # A worker that has not finished importing within uvicorn's 5 s default is killed and
        # restarted, for ever, on a loaded machine (seen at load 13 on 2 cores).
        timeout_worker_healthcheck=60,
    )


@app.command()
def backup(file: Path = typer.Argument(..., help="Where to write the backup.")) -> None:
    """Back up the whole database, photos included (pg_dump custom format)."""
    from app.backup import backup as dump

    with console_errors():
        settings = resolved_settings()
        assert settings.database_url is not None
        size = dump(settings.database_url, file)
    typer.echo(f"Backup written to {file} ({size:,} bytes).")


@app.command()
def restore(
    file: Path = typer.Argument(..., help="A backup made by `morharita backup`."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask before replacing the data."),
) -> None:
    """Restore a backup into the database, replacing its contents (one transaction)."""
    from app.backup import restore as load

    with console_errors():
        settings = resolved_settings()
        assert settings.database_url is not None
        if not yes:
            typer.confirm(
                "This replaces every table of the database with the backup's. Continue?",
                abort=True,
            )
        load(settings.database_url, file)
    typer.echo(f"Restored {file}.")


@app.command("purge-expired")
def purge_expired() -> None:
    """Erase the personal content of reports older than MORHARITA_RETENTION_YEARS (run daily)."""
    from datetime import UTC, datetime

    from app.services.reporting import purge_expired as purge

    with console_errors(), settings_and_engine() as (settings, engine):
        with unit_of_work(make_session_factory(engine)) as session:
            count = purge(session, settings.retention_years, datetime.now(UTC))
        typer.echo(
            f"{count} report(s) older than {settings.retention_years} years had their "
            "personal content erased."
        )
