"""`morharita user ...`: staff accounts."""

from __future__ import annotations

import os

import typer

from app.cli.common import console_errors, settings_and_engine
from app.db import make_session_factory, unit_of_work
from app.models import Role
from app.services import auth

app = typer.Typer(help="Staff accounts (moderators, planners, administrators).")


@app.command()
def create(
    email: str = typer.Option(..., help="E-mail address (the login name)."),
    role: Role = typer.Option(..., help="moderator, planner or admin."),
    password: str | None = typer.Option(
        None, help="Password; prompted for when omitted (or MORHARITA_NEW_PASSWORD)."
    ),
) -> None:
    """Create a staff account."""
    password = password or os.environ.get("MORHARITA_NEW_PASSWORD")
    if not password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        user = auth.create_user(session, email, password, role)
    typer.echo(f"Created {user.role.value} {user.email}.")  # only once it has committed
