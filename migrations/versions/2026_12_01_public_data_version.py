"""The public data version: one number, kept by triggers, that changes whenever what a
public layer shows may change (caches of tiles and layers are keyed on it).

Report statements bump it when they insert or delete a published report, or when an update
touches a report that is or was published in a column the public layers read (status,
publication time, displaced point, precision, category, month, time band, perceived safety,
municipality, mahalle, record key). Statement-level triggers with transition tables, so a
bulk publish bumps once; pending reports (intake) never do. Any change of a category,
mahalle or municipality bumps it too (sensitivity, population, k). The new value comes from
a sequence, so a number is never reused, even when a transaction rolls back.

Revision ID: 20261201_0014
Revises: 20261201_0010
Create Date: 2026-12-01 22:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0014"
down_revision: str | None = "20261201_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLIC_COLUMNS = (
    "status",
    "published_at",
    "public_location",
    "location_precision",
    "category_id",
    "occurred_on",
    "time_band",
    "perceived_safety",
    "municipality_id",
    "mahalle_id",
    "record_key",
)


def _row(alias: str) -> str:
    return "(" + ", ".join(f"{alias}.{c}" for c in PUBLIC_COLUMNS) + ")"


FUNCTIONS = f"""
CREATE FUNCTION bump_public_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public_data_version SET version = nextval('public_data_version_seq') WHERE id = 1;
    RETURN NULL;
END $$;

CREATE FUNCTION bump_public_data_version_for_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM new_rows WHERE status = 'published' LIMIT 1;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM old_rows WHERE status = 'published' LIMIT 1;
    ELSE
        PERFORM 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.status = 'published' OR n.status = 'published')
          AND {_row("o")} IS DISTINCT FROM {_row("n")}
        LIMIT 1;
    END IF;
    IF FOUND THEN
        UPDATE public_data_version SET version = nextval('public_data_version_seq')
        WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;
"""

TRIGGERS = """
CREATE TRIGGER public_data_version_report_insert AFTER INSERT ON report
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_public_data_version_for_reports();
CREATE TRIGGER public_data_version_report_update AFTER UPDATE ON report
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_public_data_version_for_reports();
CREATE TRIGGER public_data_version_report_delete AFTER DELETE ON report
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_public_data_version_for_reports();
"""

REFERENCE_TABLES = ("category", "mahalle", "municipality")


def upgrade() -> None:
    op.create_table(
        "public_data_version",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_data_version")),
    )
    op.execute("CREATE SEQUENCE public_data_version_seq")
    op.execute("INSERT INTO public_data_version (id, version) VALUES (1, 0)")
    op.execute(FUNCTIONS)
    op.execute(TRIGGERS)
    for table in REFERENCE_TABLES:
        op.execute(
            f"CREATE TRIGGER public_data_version_{table} "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_public_data_version()"
        )


def downgrade() -> None:
    for table in REFERENCE_TABLES:
        op.execute(f"DROP TRIGGER public_data_version_{table} ON {table}")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER public_data_version_report_{event} ON report")
    op.execute("DROP FUNCTION bump_public_data_version_for_reports()")
    op.execute("DROP FUNCTION bump_public_data_version()")
    op.drop_table("public_data_version")
    op.execute("DROP SEQUENCE public_data_version_seq")
