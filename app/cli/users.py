"""`morharita user ...`: staff accounts."""

from __future__ import annotations

import os

import typer

from app.cli.common import console_errors, settings_and_engine
from app.db import make_session_factory, unit_of_work
from app.models import Role
from app.services import accounts

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
        settings_and_engine() as (settings, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        user = accounts.create_user(session, settings, email, password, role)
    typer.echo(f"Created {user.role.value} {user.email}.")  # only once it has committed


def _update(email: str, *, role: Role | None = None, active: bool | None = None) -> None:
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        user = accounts.user_by_email(session, email)
        accounts.update_user(session, None, user, role=role, active=active)
        summary = f"{user.email}: {user.role.value}, {'active' if user.active else 'inactive'}."
    typer.echo(summary)


@app.command()
def deactivate(email: str = typer.Argument(..., help="The account's e-mail.")) -> None:
    """Deactivate an account (it can no longer log in; its sessions end)."""
    _update(email, active=False)


@app.command()
def reactivate(email: str = typer.Argument(..., help="The account's e-mail.")) -> None:
    """Reactivate a deactivated account."""
    _update(email, active=True)


@app.command("set-role")
def set_role(
    email: str = typer.Argument(..., help="The account's e-mail."),
    role: Role = typer.Argument(..., help="moderator, planner or admin."),
) -> None:
    """Change an account's role."""
    _update(email, role=role)


@app.command("list")
def list_accounts() -> None:
    """List staff accounts (e-mail, role, active)."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        lines = [
            f"{u.email}\t{u.role.value}\t{'active' if u.active else 'inactive'}"
            for u in accounts.list_users(session)
        ]
    for line in lines:
        typer.echo(line)
