"""The `morharita` command: everything operational."""

from __future__ import annotations

from app.cli.main import app as _app


def main() -> None:
    _app()
