"""The `morharita` command against its own throwaway database (CLI commands commit)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, make_url, text
from typer.testing import CliRunner

from app import localdb
from app.cli.main import app
from tests.conftest import ANKARA

runner = CliRunner()


@pytest.fixture(scope="module")
def cli_env(database_url):
    url = localdb.recreate_database(database_url, make_url(database_url).database + "_cli")
    return {"DATABASE_URL": url}


def run(env, *args):
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def create_user(env, email: str, role: str, password: str, *municipalities: str):
    where = [arg for code in municipalities for arg in ("--municipality", code)]
    return run(
        env, "user", "create", "--email", email, "--role", role, "--password", password, *where
    )


# The demo file's mahalle, each in the district its "ilce" names, under Ankara BB.
DISTRICTS = ("--municipality-field", "ilce", "--create-municipalities", "--parent", "ankara")


def create_ankara(env) -> None:
    code, out = run(
        env,
        "municipality",
        "create",
        "ankara",
        "--name",
        "Ankara Büyükşehir Belediyesi",
        "--kind",
        "metropolitan",
    )
    assert code == 0, out


def count(env, table: str) -> int:
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        value = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return value


def test_cli_end_to_end(cli_env, tmp_path):
    code, out = run(cli_env, "db", "url")
    assert code == 0 and out.strip() == cli_env["DATABASE_URL"]

    code, out = run(cli_env, "migrate")
    assert code == 0 and "migrated to head" in out

    code, out = run(cli_env, "seed-categories")
    assert code == 0 and "16 categories" in out

    bad = json.loads((ANKARA / "mahalle_cankaya_yenimahalle.geojson").read_text())
    bad["features"] = bad["features"][:5]
    bad["features"][2]["properties"]["name"] = None
    bad_file = tmp_path / "bad.geojson"
    bad_file.write_text(json.dumps(bad))
    code, out = run(cli_env, "import", "boundaries", str(bad_file), *DISTRICTS)
    assert code == 1
    assert "#3" in out or "feature 3" in out.lower()
    assert count(cli_env, "mahalle") == 0

    demo_file = str(ANKARA / "mahalle_cankaya_yenimahalle.geojson")
    code, out = run(cli_env, "import", "boundaries", demo_file)
    assert code == 1 and "--municipality CODE" in out  # it must say where they belong
    code, out = run(cli_env, "import", "boundaries", demo_file, *DISTRICTS)
    assert code == 1 and "'ankara'" in out  # the parent does not exist yet
    assert count(cli_env, "mahalle") == 0 and count(cli_env, "municipality") == 0
    create_ankara(cli_env)
    code, out = run(cli_env, "import", "boundaries", demo_file, *DISTRICTS)
    assert code == 0, out
    assert count(cli_env, "mahalle") == 184
    assert count(cli_env, "municipality") == 3
    code, out = run(cli_env, "municipality", "list")
    assert code == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in out.strip().splitlines()}
    assert rows["cankaya"][1:3] == ["district", "ankara"]
    assert rows["yenimahalle"][1:3] == ["district", "ankara"]
    assert int(rows["cankaya"][4]) + int(rows["yenimahalle"][4]) == 184
    assert rows["ankara"][1:3] == ["metropolitan", "-"]

    code, out = create_user(cli_env, "a@example.org", "moderator", "short", "cankaya")
    assert code == 1 and "at least 10 characters" in out
    code, out = create_user(cli_env, "a@example.org", "moderator", "long-enough-password")
    assert code == 1 and "--municipality CODE" in out
    code, out = create_user(
        cli_env, "a@example.org", "moderator", "long-enough-password", "nowhere"
    )
    assert code == 1 and "'nowhere'" in out
    assert count(cli_env, "app_user") == 0  # refused whole: no account without its scope
    code, out = create_user(
        cli_env, "a@example.org", "moderator", "long-enough-password", "cankaya"
    )
    assert code == 0 and "Created moderator a@example.org in cankaya" in out
    code, out = create_user(cli_env, "A@example.org", "admin", "long-enough-password")
    assert code == 1 and "already exists" in out
    assert count(cli_env, "app_user") == 1

    code, out = create_user(cli_env, "b@example.org", "boss", "long-enough-password")
    assert code == 2 and "boss" in out


@pytest.fixture
def cli_with_mahalle(cli_env):
    """The CLI database migrated and holding the Ankara boundaries (whatever ran before)."""
    assert run(cli_env, "migrate")[0] == 0
    if count(cli_env, "mahalle") == 0:
        boundaries = str(ANKARA / "mahalle_cankaya_yenimahalle.geojson")
        create_ankara(cli_env)
        assert run(cli_env, "import", "boundaries", boundaries, *DISTRICTS)[0] == 0
    return cli_env


def population_file(tmp_path, total: str):
    path = tmp_path / "pop.csv"
    path.write_text(f"il,ilce,mahalle_name,pop_total\nAnkara,Çankaya,Kızılay Mahallesi,{total}\n")
    return path


def kizilay_population(env) -> int | None:
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        value = conn.execute(
            text("SELECT population_total FROM mahalle WHERE name = 'Kızılay Mahallesi'")
        ).scalar_one()
    engine.dispose()
    return value


def test_import_problems_are_a_summary_then_each_problem_once(cli_with_mahalle, tmp_path):
    before = kizilay_population(cli_with_mahalle)
    code, out = run(
        cli_with_mahalle, "import", "population", str(population_file(tmp_path, "99999999999"))
    )
    assert code == 1
    assert out.splitlines() == [
        "error: 1 problem in pop.csv; nothing was imported",
        "  - line 2 ('Kızılay Mahallesi', Çankaya, Ankara): total '99999999999' is out of "
        "range (0 to 2,147,483,647)",
    ]
    assert kizilay_population(cli_with_mahalle) == before


def test_a_database_refusal_is_one_line_not_a_traceback(cli_with_mahalle, tmp_path, monkeypatch):
    from app.services.imports import population

    # Without the importer's range check, PostgreSQL itself refuses the value.
    monkeypatch.setattr(population, "_RANGES", dict.fromkeys(population._RANGES, (0, 10**12)))
    before = kizilay_population(cli_with_mahalle)
    code, out = run(
        cli_with_mahalle, "import", "population", str(population_file(tmp_path, "99999999999"))
    )
    assert code == 1
    assert out.splitlines() == [
        "error: the database refused the import: integer out of range; nothing was imported"
    ]
    assert kizilay_population(cli_with_mahalle) == before


def test_demo_is_refused_in_production(cli_env):
    env = {
        **cli_env,
        "MORHARITA_ENVIRONMENT": "production",
        "MORHARITA_SECRET_KEY": "a-production-secret-of-enough-length",
    }
    assert run(cli_env, "migrate")[0] == 0
    users_before = count(cli_env, "app_user")
    code, output = run(env, "demo")
    assert code == 1
    assert "not loaded in production" in output
    assert count(cli_env, "app_user") == users_before
