"""Run Alembic migrations programmatically (CLI, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from geoalchemy2 import alembic_helpers
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parent.parent
# Tables that PostGIS itself owns.
POSTGIS_TABLES = frozenset({"spatial_ref_sys", "geography_columns", "geometry_columns"})


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate filter: skip PostGIS's own tables and GeoAlchemy2's implicit indexes."""
    if type_ == "table" and name in POSTGIS_TABLES:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def alembic_config(engine: Engine | None = None) -> Config:
    """The project's Alembic config, pointed at `engine`'s database when one is given."""
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if engine is not None:
        cfg.attributes["url"] = engine.url.render_as_string(hide_password=False)
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to `revision`, in one transaction."""
    with engine.begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        cfg.attributes["configure_logging"] = False
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision`, in one transaction."""
    with engine.begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        cfg.attributes["configure_logging"] = False
        command.downgrade(cfg, revision)
