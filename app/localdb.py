"""A local PostgreSQL + PostGIS cluster under `.data/`, for development, the demo and tests.

Used only when `DATABASE_URL` is not set. The cluster is made with the machine's own
PostgreSQL binaries; on Debian/Ubuntu missing packages are installed with apt. PostgreSQL
refuses to run as root, so as root every server command runs as the `postgres` user.

Development only: the cluster uses trust authentication, so any local user can connect as
superuser without a password. That is acceptable for a development or demo cluster because
it listens on 127.0.0.1 alone; never keep real reports in it. Everything connects over TCP:
new clusters have no Unix socket, whose path under a deep project directory can pass
PostgreSQL's 107-byte limit.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from app.config import Settings

DB_NAME = "morharita"
SUPERUSER = "postgres"  # the database role
SERVER_USER = "postgres"  # the system user the server runs as, when we are root


class LocalDbError(RuntimeError):
    """The local cluster cannot be set up; the message says what to do."""


@dataclass(frozen=True)
class Cluster:
    """Where the local cluster lives and how to reach it."""

    datadir: Path
    port: int
    bindir: Path

    @property
    def logfile(self) -> Path:
        """The server log, read when the server does not start."""
        return self.datadir / "server.log"

    def url(self, database: str = DB_NAME) -> str:
        """The URL of `database` on this cluster (TCP on 127.0.0.1, no password)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _require_postgres_user() -> None:
    """As root, server commands run as `postgres`: fail clearly when that user is missing."""
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise LocalDbError(
            f"running as root, the local database runs as the `{SERVER_USER}` user, which "
            f"does not exist: create it with `useradd --system {SERVER_USER}` or install the "
            "postgresql package"
        ) from None


def _run(
    cmd: list[str], *, as_postgres: bool = False, check: bool = True, **kw
) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its output; as root, server commands run as `postgres`.

    With `check`, a failure raises LocalDbError showing the command and its stderr.
    """
    if as_postgres and _as_root():
        _require_postgres_user()
        cmd = ["runuser", "-u", SERVER_USER, "--", *cmd]
    try:
        result = subprocess.run(cmd, check=False, text=True, capture_output=True, **kw)
    except OSError as exc:
        raise LocalDbError(f"cannot run `{shlex.join(cmd)}`: {exc}") from exc
    if check and result.returncode != 0:
        output = (result.stderr or result.stdout).strip() or "(no output)"
        raise LocalDbError(
            f"`{shlex.join(cmd)}` failed with exit code {result.returncode}:\n{output}"
        )
    return result


def _versions_installed() -> list[int]:
    base = Path("/usr/lib/postgresql")
    found = [
        int(p.name) for p in base.glob("*") if p.name.isdigit() and (p / "bin/initdb").exists()
    ]
    return sorted(found)


def find_bindir() -> Path | None:
    """The newest PostgreSQL server bin directory on this machine, if any."""
    versions = _versions_installed()
    if versions:
        return Path(f"/usr/lib/postgresql/{versions[-1]}/bin")
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = _run([pg_config, "--bindir"], check=False).stdout.strip()
        if out and (Path(out) / "initdb").exists():
            return Path(out)
    return None


def _major_version(bindir: Path) -> int:
    out = _run([str(bindir / "postgres"), "--version"]).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    if not match:
        raise LocalDbError(f"cannot read the PostgreSQL version from {out!r}")
    return int(match.group(1))


def postgis_installed(bindir: Path) -> bool:
    """Whether the PostGIS extension files exist for this PostgreSQL version."""
    major = _major_version(bindir)
    candidates = [Path(f"/usr/share/postgresql/{major}/extension/postgis.control")]
    pg_config = bindir / "pg_config"
    if pg_config.exists():
        share = _run([str(pg_config), "--sharedir"], check=False).stdout.strip()
        if share:
            candidates.append(Path(share) / "extension/postgis.control")
    return any(p.exists() for p in candidates)


def _apt_install(packages: list[str]) -> None:
    if not shutil.which("apt-get"):
        raise LocalDbError(
            "PostgreSQL with PostGIS 3 is needed and this is not a Debian/Ubuntu system: install "
            "PostgreSQL (15 or newer) and PostGIS 3 with your package manager, or set DATABASE_URL "
            "to an existing PostGIS server."
        )
    prefix: list[str] = []
    if not _as_root():
        if not shutil.which("sudo"):
            raise LocalDbError(
                f"please install {' '.join(packages)} (as root: apt-get install {' '.join(packages)})"
            )
        prefix = ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"Installing {' '.join(packages)} with apt ...", flush=True)
    update = subprocess.run([*prefix, "apt-get", "update", "-qq"], env=env, check=False)
    if update.returncode != 0:
        print("warning: apt-get update failed; trying the install anyway", flush=True)
    result = subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise LocalDbError(f"apt-get install {' '.join(packages)} failed; see the output above")


def ensure_installed() -> Path:
    """Make sure PostgreSQL and PostGIS are installed; return the server bin directory."""
    bindir = find_bindir()
    if bindir is None:
        _apt_install(["postgresql", "postgresql-contrib"])
        bindir = find_bindir()
        if bindir is None:
            raise LocalDbError("PostgreSQL was installed but its binaries were not found")
    if not postgis_installed(bindir):
        _apt_install([f"postgresql-{_major_version(bindir)}-postgis-3"])
        if not postgis_installed(bindir):
            raise LocalDbError(f"PostGIS is still missing for PostgreSQL {_major_version(bindir)}")
    return bindir


def _postgres_can_reach(path: Path) -> bool:
    probe = path if path.exists() else path.parent
    while not probe.exists():
        probe = probe.parent
    return _run(["test", "-x", str(probe)], as_postgres=True, check=False).returncode == 0


def _cluster_dir(settings: Settings) -> Path:
    """`.data/pg`, unless (as root) the `postgres` user cannot reach it.

    A clone inside a private directory (mode 700, as `mktemp -d` makes) cannot be entered
    by `postgres`; rather than loosen permissions on someone's directories, the cluster
    then lives under /var/lib/postgresql and `.data/pg-location` records where.
    """
    data_dir = settings.data_dir.resolve()
    default = data_dir / "pg"
    marker = data_dir / "pg-location"
    if marker.exists():
        return Path(marker.read_text().strip())
    if not _as_root() or _postgres_can_reach(data_dir):
        return default
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:12]
    elsewhere = Path("/var/lib/postgresql/morharita") / digest
    data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(str(elsewhere))
    return elsewhere


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _choose_port(settings: Settings) -> int:
    port_file = settings.data_dir.resolve() / "pg.port"
    if port_file.exists():
        return int(port_file.read_text().strip())
    for port in range(settings.local_db_port, settings.local_db_port + 100):
        if _port_free(port):
            port_file.parent.mkdir(parents=True, exist_ok=True)
            port_file.write_text(str(port))
            return port
    raise LocalDbError(f"no free TCP port from {settings.local_db_port} upwards")


def cluster(settings: Settings, bindir: Path | None = None) -> Cluster:
    """Describe the local cluster (without creating or starting it)."""
    bindir = bindir or find_bindir()
    if bindir is None:
        raise LocalDbError("PostgreSQL is not installed; run `morharita db up`")
    return Cluster(datadir=_cluster_dir(settings), port=_choose_port(settings), bindir=bindir)


def _init(c: Cluster) -> None:
    c.datadir.mkdir(parents=True, exist_ok=True)
    if _as_root():
        _require_postgres_user()
        shutil.chown(c.datadir, SERVER_USER, SERVER_USER)
    c.datadir.chmod(0o700)
    _run(
        [
            str(c.bindir / "initdb"),
            "-D",
            str(c.datadir),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ],
        as_postgres=True,
    )
    with (c.datadir / "postgresql.conf").open("a") as fh:
        fh.write(cluster_settings(c.port))


def cluster_settings(port: int) -> str:
    """The lines appended to a new cluster's postgresql.conf: TCP on 127.0.0.1 only.

    PostgreSQL's durability is kept (synchronous_commit stays on): a report answered 201 is
    on disk. Only the test suite trades that away, for its own database (tests/conftest.py).
    """
    return (
        "\n# Mor Harita local cluster\n"
        "listen_addresses = '127.0.0.1'\n"
        f"port = {port}\n"
        "# No Unix socket: its path under a deep project directory can pass 107 bytes.\n"
        "unix_socket_directories = ''\n"
        "max_connections = 100\n"
    )


def _restore_durability(c: Cluster) -> None:
    """Drop `synchronous_commit = off` that earlier versions wrote into a cluster's config."""
    conf = c.datadir / "postgresql.conf"
    lines = conf.read_text().splitlines(keepends=True)
    kept = [line for line in lines if line.strip() != "synchronous_commit = off"]
    if kept != lines:
        conf.write_text("".join(kept))


def is_running(c: Cluster) -> bool:
    """Whether the cluster exists and its server is running (pg_ctl status)."""
    if not (c.datadir / "PG_VERSION").exists():
        return False
    status = _run(
        [str(c.bindir / "pg_ctl"), "-D", str(c.datadir), "status"], as_postgres=True, check=False
    )
    return status.returncode == 0


def _psql(c: Cluster, sql: str, database: str = "postgres") -> str:
    out = _run(
        [
            str(c.bindir / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(c.port),
            "-U",
            SUPERUSER,
            "-d",
            database,
            "-tAc",
            sql,
        ],
        check=False,
    )
    if out.returncode != 0:
        raise LocalDbError(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def ensure_database(c: Cluster, name: str, *, recreate: bool = False) -> str:
    """Create database `name` with PostGIS on the local cluster; return its URL."""
    if recreate:
        _psql(c, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if _psql(c, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        _psql(c, f'CREATE DATABASE "{name}"')
    _psql(c, "CREATE EXTENSION IF NOT EXISTS postgis", database=name)
    return c.url(name)


def up(settings: Settings) -> Cluster:
    """Install if needed, create (first time) and start the local cluster; idempotent."""
    bindir = ensure_installed()
    c = cluster(settings, bindir)
    if not (c.datadir / "PG_VERSION").exists():
        print(f"Creating a PostgreSQL cluster in {c.datadir} ...", flush=True)
        _init(c)
    if not is_running(c):
        _restore_durability(c)
        if not _port_free(c.port):
            raise LocalDbError(
                f"port {c.port} is taken by another server; stop it, or delete "
                f"{settings.data_dir / 'pg.port'} and set MORHARITA_LOCAL_DB_PORT to a free port"
            )
        start(c)
    ensure_database(c, DB_NAME)
    return c


def start(c: Cluster) -> None:
    """Start the cluster's server and wait until it accepts connections."""
    started = _run(
        [
            str(c.bindir / "pg_ctl"),
            "-D",
            str(c.datadir),
            "-l",
            str(c.logfile),
            "-w",
            "-t",
            "60",
            "start",
        ],
        as_postgres=True,
        check=False,
    )
    if started.returncode != 0:
        tail = c.logfile.read_text()[-2000:] if c.logfile.exists() else started.stderr
        raise LocalDbError(f"PostgreSQL did not start:\n{tail}")


def make_standby(primary: Cluster, datadir: Path, port: int) -> Cluster:
    """A hot standby of `primary` in `datadir` on `port`, streaming (pg_basebackup -R), started.

    For tests and benchmarks of read replicas: the primary's trust rule for replication on
    127.0.0.1 (initdb's default) lets the standby connect as the superuser.
    """
    datadir.parent.mkdir(parents=True, exist_ok=True)
    if _as_root():
        _require_postgres_user()
        shutil.chown(datadir.parent, SERVER_USER, SERVER_USER)
    _run(
        [
            str(primary.bindir / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", SUPERUSER),
            *("-D", str(datadir), "-R", "-X", "stream", "--checkpoint=fast"),
        ],
        as_postgres=True,
    )
    standby = Cluster(datadir=datadir, port=port, bindir=primary.bindir)
    (datadir / "server.log").unlink(missing_ok=True)  # the primary's, copied along
    with (datadir / "postgresql.conf").open("a") as fh:
        fh.write(f"\n# Hot standby of the cluster on port {primary.port}\nport = {port}\n")
    start(standby)
    return standby


def down(settings: Settings) -> bool:
    """Stop the local cluster; return whether it was running."""
    bindir = find_bindir()
    if bindir is None:
        return False
    c = cluster(settings, bindir)
    if not is_running(c):
        return False
    stop(c)
    return True


def stop(c: Cluster, mode: str = "fast") -> None:
    """Stop the cluster's server: `fast` (clean), or `immediate` (as a crash would)."""
    _run(
        [str(c.bindir / "pg_ctl"), "-D", str(c.datadir), "-m", mode, "-w", "stop"],
        as_postgres=True,
    )


def database_url(settings: Settings, *, start: bool = True) -> str:
    """`DATABASE_URL` when set; otherwise the local cluster's URL (started if asked)."""
    if settings.database_url:
        return settings.database_url
    if start:
        return up(settings).url()
    c = cluster(settings)
    if not is_running(c):
        raise LocalDbError(
            "DATABASE_URL is not set and the local database is not running: run `morharita db up`"
        )
    return c.url()


def recreate_database(server_url: str, name: str) -> str:
    """Drop and create database `name` on the server of `server_url`, with PostGIS; its URL.

    For tests and benchmarks; works on the local cluster and on any server given by URL.
    """
    from sqlalchemy import create_engine, make_url, text

    url = make_url(server_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    target = url.set(database=name)
    engine = create_engine(target, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    engine.dispose()
    return target.render_as_string(hide_password=False)
