"""The local cluster helpers and `morharita db`, without a server, root or a database."""

from __future__ import annotations

import shlex
import sys

import pytest
from typer.testing import CliRunner

from app import localdb
from app.cli.main import app
from app.config import Settings

SECRET_URL = "postgresql://u:secret@h/db"


@pytest.fixture
def no_cluster(monkeypatch):
    """Fail the test if anything tries to install, create, start or describe a local cluster."""

    def forbidden(*args, **kwargs):
        raise AssertionError("the local cluster was touched")

    for name in ("up", "cluster", "find_bindir", "ensure_installed", "_init", "_run"):
        monkeypatch.setattr(localdb, name, forbidden)


def cli(tmp_path, *args: str) -> tuple[int, str]:
    env = {"DATABASE_URL": SECRET_URL, "MORHARITA_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_new_clusters_listen_on_loopback_tcp_without_a_unix_socket():
    lines = localdb.cluster_settings(54400).splitlines()
    assert "unix_socket_directories = ''" in lines
    assert "listen_addresses = '127.0.0.1'" in lines
    assert "port = 54400" in lines


def test_database_url_is_used_as_given_without_touching_a_cluster(no_cluster, tmp_path):
    settings = Settings(_env_file=None, DATABASE_URL=SECRET_URL, data_dir=tmp_path / "data")
    assert localdb.database_url(settings) == "postgresql+psycopg://u:secret@h/db"
    assert localdb.database_url(settings, start=False) == "postgresql+psycopg://u:secret@h/db"
    assert not (tmp_path / "data").exists()


def test_db_up_with_database_url_masks_the_password_and_creates_nothing(no_cluster, tmp_path):
    code, out = cli(tmp_path, "db", "up")
    assert code == 0
    assert out.strip() == (
        "DATABASE_URL is set; using it and creating nothing: postgresql+psycopg://u:***@h/db"
    )
    assert not (tmp_path / "data").exists()


def test_db_url_masks_the_password_unless_asked(no_cluster, tmp_path):
    assert cli(tmp_path, "db", "url") == (0, "postgresql+psycopg://u:***@h/db\n")
    code, out = cli(tmp_path, "db", "url", "--show-password")
    assert (code, out) == (0, "postgresql+psycopg://u:secret@h/db\n")


def test_a_failing_command_raises_with_its_stderr():
    cmd = [sys.executable, "-c", "import sys; sys.exit('initdb: could not create directory')"]
    with pytest.raises(localdb.LocalDbError) as failure:
        localdb._run(cmd)
    message = str(failure.value)
    assert f"`{shlex.join(cmd)}` failed with exit code 1" in message
    assert "initdb: could not create directory" in message
    assert localdb._run(cmd, check=False).returncode == 1


def test_a_missing_program_raises_local_db_error(tmp_path):
    with pytest.raises(localdb.LocalDbError, match="cannot run"):
        localdb._run([str(tmp_path / "no-such-initdb")])


def test_as_root_without_a_postgres_user_the_message_says_how_to_fix_it(monkeypatch):
    def no_such_user(name):
        raise KeyError(name)

    monkeypatch.setattr(localdb, "_as_root", lambda: True)
    monkeypatch.setattr(localdb.pwd, "getpwnam", no_such_user)
    with pytest.raises(localdb.LocalDbError, match="useradd --system postgres"):
        localdb._run(["true"], as_postgres=True)


def test_initdb_failure_shows_its_stderr(tmp_path):
    bindir = localdb.find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed")
    datadir = tmp_path / "pg"
    datadir.mkdir()
    (datadir / "not-empty").write_text("initdb refuses a directory that is not empty")
    cluster = localdb.Cluster(datadir=datadir, port=54400, bindir=bindir)
    with pytest.raises(localdb.LocalDbError) as failure:
        localdb._init(cluster)
    message = str(failure.value)
    assert "initdb" in message and "failed with exit code" in message
    assert message.splitlines()[1:]  # stderr follows the command


def test_invalid_configuration_is_a_clear_error_not_a_traceback():
    from typer.testing import CliRunner

    from app.cli.main import app

    result = CliRunner().invoke(app, ["db", "url"], env={"MORHARITA_K_THRESHOLD": "0"})
    assert result.exit_code == 1
    assert "MORHARITA_K_THRESHOLD: Input should be greater than or equal to 1" in result.output
    assert "Traceback" not in result.output
