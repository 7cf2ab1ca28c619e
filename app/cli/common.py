"""Helpers shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy import Engine

from app import localdb
from app.config import Settings, get_settings
from app.db import make_engine
from app.errors import DomainError


@contextmanager
def console_errors() -> Iterator[None]:
    """Turn expected errors into a clear message and exit code 1, without a traceback."""
    try:
        yield
    except (DomainError, localdb.LocalDbError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        if isinstance(exc, DomainError) and isinstance(exc.details, list):
            for item in exc.details[:50]:
                typer.secho(f"  - {item}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc


def settings_and_engine() -> tuple[Settings, Engine]:
    """Settings from the environment, with the database URL resolved (local cluster if unset)."""
    settings = get_settings()
    url = localdb.database_url(settings)
    settings = settings.model_copy(update={"database_url": url})
    return settings, make_engine(url, pool_size=2)
