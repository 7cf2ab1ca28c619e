"""`morharita user ...`: staff accounts."""

from __future__ import annotations

import os

import typer

from app.cli.common import console_errors, settings_and_engine
from app.db import make_session_factory, unit_of_work
from app.models import Role
from app.services import accounts, reference

app = typer.Typer(help="Staff accounts (moderators, planners, administrators).")


# How to name municipalities on this command line (the rule is accounts.check_scope's).
CLI_HINTS = (
    "give --municipality CODE (repeat for several; `morharita municipality list` shows the codes)",
    "give no --municipality",
)


def check_scope(role: Role, municipalities: list[str]) -> None:
    """Moderators and planners hold their role in municipalities; administrators in none."""
    accounts.check_scope(role, municipalities, field="municipality", hints=CLI_HINTS)


@app.command()
def create(
    email: str = typer.Option(..., help="E-mail address (the login name)."),
    role: Role = typer.Option(..., help="moderator, planner or admin."),
    password: str | None = typer.Option(
        None, help="Password; prompted for when omitted (or MORHARITA_NEW_PASSWORD)."
    ),
    municipality: list[str] = typer.Option(
        [],
        help="Code of a municipality the role is held in (repeat for several); required for "
        "moderators and planners, none for platform administrators.",
    ),
) -> None:
    """Create a staff account whose role is held in the given municipalities."""
    with console_errors():
        check_scope(role, municipality)
    password = password or os.environ.get("MORHARITA_NEW_PASSWORD")
    if not password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with (
        console_errors(),
        settings_and_engine() as (settings, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        user, codes = accounts.create_account(
            session, settings, None, email, password, role, municipality
        )
        where = (
            f" in {', '.join(codes)}" if codes else " (platform administrator: every municipality)"
        )
        line = f"Created {user.role.value} {user.email}{where}."
    typer.echo(line)  # only once it has committed


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


@app.command("set-municipalities")
def set_municipalities(
    email: str = typer.Argument(..., help="The account's e-mail."),
    municipality: list[str] = typer.Argument(..., help="Codes of the municipalities."),
) -> None:
    """Replace the municipalities an account's role is held in."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        user = accounts.user_by_email(session, email)
        check_scope(user.role, municipality)
        codes = reference.set_memberships(session, user, municipality)
    typer.echo(f"{email}: {', '.join(codes)}.")


@app.command("list")
def list_accounts() -> None:
    """List staff accounts (e-mail, role, active)."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        lines = [
            f"{u.email}\t{u.role.value}\t{'active' if u.active else 'inactive'}\t"
            + (",".join(reference.memberships(session, u.id)) or "*")
            for u in accounts.list_users(session)
        ]
    for line in lines:
        typer.echo(line)
