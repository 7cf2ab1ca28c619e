"""`morharita open311 ...` and `morharita webhooks ...`: client keys, hooks, the worker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from app.cli.common import console_errors, settings_and_engine
from app.db import make_session_factory, unit_of_work

open311 = typer.Typer(help="Open311 GeoReport v2: client systems' API keys.")
keys = typer.Typer(help="API keys of client systems (one municipality each).")
open311.add_typer(keys, name="key")
webhooks = typer.Typer(help="Signed webhooks per municipality, and their delivery worker.")


@contextmanager
def _session() -> Iterator[Session]:
    """One transaction on the configured database, errors printed for people."""
    with (
        console_errors(),
        settings_and_engine() as (_, engine),
        unit_of_work(make_session_factory(engine)) as session,
    ):
        yield session


@keys.command("create")
def create_key(
    municipality: str = typer.Option(..., help="Code of the municipality it posts for."),
    name: str = typer.Option(..., help="The client system, e.g. 'Çankaya Beyaz Masa'."),
) -> None:
    """Create a key; it is printed once (only its hash is stored)."""
    from app.services import standards

    with _session() as session:
        key, plain = standards.create_key(session, municipality, name)
        key_id = key.id
    typer.echo(f"Key {key_id} for {municipality} ({name}): {plain}")
    typer.echo("Give it to the client system now: it is not shown again.")


@keys.command("list")
def list_keys() -> None:
    """List the keys (prefixes only)."""
    from app.services import standards

    with _session() as session:
        rows = standards.list_keys(session, None)
    for k in rows:
        state = "revoked" if k["revoked"] else "active"
        typer.echo(f"{k['id']}\t{k['municipality']}\t{k['prefix']}…\t{state}\t{k['name']}")


@keys.command("revoke")
def revoke_key(key_id: int = typer.Argument(..., help="The key's id (see `key list`).")) -> None:
    """Revoke a key; its posts are refused from then on."""
    from app.services import standards

    with _session() as session:
        standards.revoke_key(session, key_id, None, None)
    typer.echo(f"Key {key_id} revoked.")


@webhooks.command("create")
def create_hook(
    municipality: str = typer.Option(..., help="Code of the municipality whose reports it hears."),
    url: str = typer.Option(..., help="The receiver's http(s) address."),
    event: list[str] = typer.Option(
        ["published", "forwarded", "resolved"], help="published, forwarded, resolved (repeat)."
    ),
) -> None:
    """Create a webhook; its signing secret is printed once."""
    from app.services import standards

    with _session() as session:
        hook, secret = standards.create_hook(session, None, None, municipality, url, event)
        hook_id = hook.id
    typer.echo(f"Webhook {hook_id} for {municipality} -> {url}; secret: {secret}")


@webhooks.command("log")
def log(limit: int = typer.Option(50, min=1, max=500)) -> None:
    """The latest deliveries: state, attempts, last status or error."""
    from app.services import standards

    with _session() as session:
        rows = standards.delivery_log(session, None, None, limit)
    for d in rows:
        outcome = d["last_error"] or d["last_status"] or ""
        typer.echo(f"{d['id']}\t{d['event']}\t{d['state']}\t{d['attempts']}\t{outcome}\t{d['url']}")


@webhooks.command("run")
def run(
    once: bool = typer.Option(False, "--once", help="One round, then exit (for cron)."),
    interval: float = typer.Option(5.0, min=0.5, help="Seconds between rounds."),
) -> None:
    """The delivery worker: dispatch new events, post due deliveries, retry with back-off."""
    from app.services import standards

    with console_errors(), settings_and_engine() as (_, engine):
        factory = make_session_factory(engine)
        while True:
            made, sent = standards.run_once(factory)
            if made or sent:
                typer.echo(f"{made} delivery(ies) queued, {sent} attempted.")
            if once:
                return
            time.sleep(interval)
