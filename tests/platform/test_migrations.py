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


def test_municipalities_migration_keys_existing_rows_and_comes_back(database_url):
    """Rows made before municipalities existed get one, staff keep what they saw, and the
    downgrade restores the old area keys."""
    url = localdb.recreate_database(database_url, make_url(database_url).database + "_mun")
    engine = create_engine(url)
    square = "ST_Multi(ST_MakeEnvelope({x}, 39.9, {x} + 0.01, 39.91, 4326))"
    try:
        upgrade(engine, "20261121_0005")
        with engine.begin() as conn:
            for code, district, x in (("m1", "Çankaya", 32.80), ("m2", "Yenimahalle", 32.70)):
                conn.execute(
                    text(
                        "INSERT INTO mahalle (code, name, name_key, district, province, geom,"
                        f" area_km2) VALUES (:c, :c, :c, :d, 'Ankara', {square.format(x=x)}, 1)"
                    ),
                    {"c": code, "d": district},
                )
            conn.execute(
                text(
                    'INSERT INTO category (code, "group", sensitive, labels, icon, sort_order,'
                    " active) VALUES ('dark_street', 'lighting', false, '{}', 'x', 1, true)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO report (id, public_id, category_id, location, public_location,"
                    " mahalle_id, area_key, occurred_on, time_band, perceived_safety, status,"
                    " municipal_status, tracking_code_hash, source, consent_version)"
                    " SELECT gen_random_uuid(), 'r1', c.id, ST_SetSRID(ST_MakePoint(32.705,"
                    " 39.905), 4326), ST_SetSRID(ST_MakePoint(32.705, 39.905), 4326), m.id,"
                    " 'ankara/yenimahalle', current_date, 'night', 2, 'pending', 'none',"
                    " repeat('a', 64), 'web', 'v1' FROM category c, mahalle m WHERE m.code = 'm2'"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO confirmation (report_id) SELECT id FROM report WHERE"
                    " public_id = 'r1'"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO app_user (email, password_hash, role)"
                    " VALUES ('m@example.org', 'x', 'moderator')"
                )
            )
        upgrade(engine)
        with engine.connect() as conn:
            kinds = dict(conn.execute(text("SELECT code, kind FROM municipality")).all())
            assert kinds == {
                "ankara": "metropolitan",
                "cankaya": "district",
                "yenimahalle": "district",
            }
            keyed = conn.execute(
                text(
                    "SELECT m.code, c.municipality_id = r.municipality_id FROM report r"
                    " JOIN municipality m ON m.id = r.municipality_id"
                    " JOIN confirmation c ON c.report_id = r.id"
                )
            ).one()
            assert tuple(keyed) == ("yenimahalle", True)
            member = (
                conn.execute(
                    text(
                        "SELECT m.code FROM staff_membership s JOIN municipality m"
                        " ON m.id = s.municipality_id"
                    )
                )
                .scalars()
                .all()
            )
            assert member == ["ankara"]  # she saw everything, and still does
            duties = conn.execute(
                text(
                    "SELECT a.code, r.category_group, b.code FROM responsibility r"
                    " JOIN municipality a ON a.id = r.area_id"
                    " JOIN municipality b ON b.id = r.responsible_id ORDER BY 1, 2"
                )
            ).all()
            assert ("ankara", "transport", "ankara") in duties
            assert ("cankaya", "lighting", "cankaya") in duties
        downgrade(engine, "20261121_0005")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT area_key FROM report")).scalar() == (
                "ankara/yenimahalle"
            )
    finally:
        engine.dispose()
