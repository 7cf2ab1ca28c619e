"""Helpers shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from sqlalchemy import Engine

from app import localdb
from app.config import Settings, get_settings
from app.db import make_engine
from app.errors import DomainError

_MAX_DETAILS = 50  # problems listed in the terminal; a broken file can have thousands


@contextmanager
def console_errors() -> Iterator[None]:
    """Turn expected errors into a clear message and exit code 1, without a traceback."""
    try:
        yield
    except (DomainError, localdb.LocalDbError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        if isinstance(exc, DomainError) and isinstance(exc.details, list):
            for item in exc.details[:_MAX_DETAILS]:
                typer.secho(f"  - {item}", fg=typer.colors.RED, err=True)
            if len(exc.details) > _MAX_DETAILS:
                more = len(exc.details) - _MAX_DETAILS
                typer.secho(f"  ... and {more} more", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    except ValidationError as exc:  # settings from the environment did not validate
        typer.secho("error: the configuration is not valid:", fg=typer.colors.RED, err=True)
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]).upper()
            name = "DATABASE_URL" if field == "DATABASE_URL" else f"MORHARITA_{field}"
            message = str(err["msg"]).removeprefix("Value error, ")
            typer.secho(
                f"  - {name if field else 'settings'}: {message}", fg=typer.colors.RED, err=True
            )
        raise typer.Exit(1) from exc


def resolved_settings() -> Settings:
    """Settings from the environment, with the database URL resolved (local cluster if unset)."""
    settings = get_settings()
    url = localdb.database_url(settings)
    return settings.model_copy(update={"database_url": url})


@contextmanager
def settings_and_engine() -> Iterator[tuple[Settings, Engine]]:
    """Resolved settings and a small engine for one command, disposed when it ends."""
    settings = resolved_settings()
    assert settings.database_url is not None  # resolved above
    engine = make_engine(settings.database_url, pool_size=2)
    try:
        yield settings, engine
    finally:
        engine.dispose()
