"""Backups: the whole database (photos are in it) with pg_dump's custom format, and back.

Uses the PostgreSQL client binaries on this machine (`pg_dump`, `pg_restore`: the same
major version as the server, or newer). Works on the local cluster and on any server given
by DATABASE_URL.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from sqlalchemy import make_url

from app import localdb


def _libpq_url(url: str) -> str:
    """`url` as libpq reads it (no SQLAlchemy driver suffix), password included."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _binary(name: str) -> Path:
    """The newest `name` among Debian's PostgreSQL versions, else the one on PATH."""
    versions = sorted(
        (
            p
            for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
            if p.parent.parent.name.isdigit()
        ),
        key=lambda p: int(p.parent.parent.name),
    )
    if versions:
        return versions[-1]
    found = shutil.which(name)
    if found is None:
        raise localdb.LocalDbError(
            f"{name} was not found: install the PostgreSQL client (e.g. apt install "
            "postgresql-client) of the server's major version or newer"
        )
    return Path(found)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = done.stderr.strip()[-2000:]
        raise localdb.LocalDbError(f"{Path(command[0]).name} failed:\n{tail}")


def backup(url: str, file: Path) -> int:
    """Write the database at `url` to `file` (pg_dump custom format); its size in bytes."""
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(file.name + ".partial")
    _run(
        [
            str(_binary("pg_dump")),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={partial}",
            f"--dbname={_libpq_url(url)}",
        ]
    )
    partial.replace(file)  # a backup interrupted half-way never takes the good one's name
    return file.stat().st_size


def restore(url: str, file: Path) -> None:
    """Restore `file` into the database at `url`, replacing what is there, in one transaction."""
    if not file.is_file():
        raise localdb.LocalDbError(f"{file} is not a file")
    _run(
        [
            str(_binary("pg_restore")),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_libpq_url(url)}",
            str(file),
        ]
    )
