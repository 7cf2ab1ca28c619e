"""Migrations: the models and the migrated database agree, and downgrade works."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, text

from app import localdb
from app.migrate import downgrade, include_object, upgrade
from app.models import Base


def test_autogenerate_finds_no_difference(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(database_url):
    url = localdb.recreate_database(database_url, make_url(database_url).database + "_migrations")
    engine = create_engine(url)
    try:
        upgrade(engine)
        assert "report" in inspect(engine).get_table_names()
        downgrade(engine, "base")
        tables = set(inspect(engine).get_table_names()) - {"spatial_ref_sys", "alembic_version"}
        assert tables == set()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 0
        upgrade(engine)
        assert {"report", "mahalle", "moderation_event", "app_user"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()
