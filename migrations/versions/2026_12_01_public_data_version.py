"""The public data version (one number that changes whenever what a public layer shows may
change: caches of tiles and layers are keyed on it) and the public points per grid cell
(low-zoom cluster tiles sum these), both kept by triggers.

Report statements bump it when they insert or delete a published report, or when an update
touches a report that is or was published in a column the public layers read (status,
publication time, displaced point, precision, category, month, time band, perceived safety,
municipality, mahalle, record key). Statement-level triggers with transition tables, so a
bulk publish bumps once; pending reports (intake) never do. Any change of a category,
mahalle or municipality bumps it too (sensitivity, population, k). The new value comes from
a sequence, so a number is never reused, even when a transaction rolls back.

`public_point_cell`: the public points (published, placed on the map, of a non-sensitive
category: the condition of `visibility.public_point_reports`, which a test compares with
this table) per WebMercatorQuad cell at
level 17 and municipality, with the sum of their record keys. The report trigger applies
each statement's difference (old public rows out, new ones in); a category change rebuilds
the table (sensitivity moves whole categories).

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


CELL_LEVEL = 17
# The WebMercatorQuad cell at CELL_LEVEL of a lon/lat (tile_reports.CELLS_SQL's arithmetic).
CELL_I = f"floor((ST_X({{g}}) + 180.0) / 360.0 * {2**CELL_LEVEL})::int"
CELL_J = (
    f"floor((1.0 - ln(tan(radians(45.0 + ST_Y({{g}}) / 2.0))) / pi()) / 2.0 * {2**CELL_LEVEL})::int"
)
PUBLIC_POINT = "{r}.status = 'published' AND {r}.location_precision = 'point' AND NOT c.sensitive"


def _cells_of(rows: str, sign: int) -> str:
    g = f"{rows}.public_location"
    return (
        f"SELECT {CELL_I.format(g=g)} AS i, {CELL_J.format(g=g)} AS j, {rows}.municipality_id,"
        f" {sign} AS n, {sign} * {rows}.record_key AS rk FROM {rows}"
        f" JOIN category c ON c.id = {rows}.category_id WHERE {PUBLIC_POINT.format(r=rows)}"
    )


def _cell_upsert(*parts: str) -> str:
    """Add the difference of `parts` (SELECTs of signed cells) to the cell table."""
    union = " UNION ALL ".join(parts)
    return (
        "INSERT INTO public_point_cell (i, j, municipality_id, n, rk) "
        f"SELECT i, j, municipality_id, sum(n), sum(rk) FROM ({union}) d "
        "GROUP BY i, j, municipality_id ORDER BY i, j, municipality_id "  # one lock order
        "ON CONFLICT (i, j, municipality_id) DO UPDATE "
        "SET n = public_point_cell.n + excluded.n, rk = public_point_cell.rk + excluded.rk;"
    )


FUNCTIONS = f"""
CREATE FUNCTION bump_public_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public_data_version SET version = nextval('public_data_version_seq') WHERE id = 1;
    RETURN NULL;
END $$;

CREATE FUNCTION rebuild_public_point_cells() RETURNS void LANGUAGE sql AS $$
    DELETE FROM public_point_cell;
    INSERT INTO public_point_cell (i, j, municipality_id, n, rk)
    SELECT i, j, municipality_id, sum(n), sum(rk) FROM ({_cells_of("report", 1)}) p
    GROUP BY i, j, municipality_id;
$$;

CREATE FUNCTION bump_public_data_version_and_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public_data_version SET version = nextval('public_data_version_seq') WHERE id = 1;
    PERFORM rebuild_public_point_cells();
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
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- The one version row first, the cells after: every writer takes the locks in this
    -- order (as the category trigger does), so two of them cannot deadlock on the cells.
    UPDATE public_data_version SET version = nextval('public_data_version_seq') WHERE id = 1;
    IF TG_OP = 'INSERT' THEN
        {_cell_upsert(_cells_of("new_rows", 1))}
    ELSIF TG_OP = 'DELETE' THEN
        {_cell_upsert(_cells_of("old_rows", -1))}
    ELSE
        {_cell_upsert(_cells_of("old_rows", -1), _cells_of("new_rows", 1))}
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
        "public_point_cell",
        sa.Column("i", sa.Integer(), nullable=False),
        sa.Column("j", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("rk", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("i", "j", "municipality_id", name=op.f("pk_public_point_cell")),
    )
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
        function = (
            "bump_public_data_version_and_cells"
            if table == "category"
            else "bump_public_data_version"
        )
        op.execute(
            f"CREATE TRIGGER public_data_version_{table} "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    op.execute("SELECT rebuild_public_point_cells()")


def downgrade() -> None:
    for table in REFERENCE_TABLES:
        op.execute(f"DROP TRIGGER public_data_version_{table} ON {table}")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER public_data_version_report_{event} ON report")
    op.execute("DROP FUNCTION bump_public_data_version_for_reports()")
    op.execute("DROP FUNCTION bump_public_data_version_and_cells()")
    op.execute("DROP FUNCTION rebuild_public_point_cells()")
    op.execute("DROP FUNCTION bump_public_data_version()")
    op.drop_table("public_data_version")
    op.drop_table("public_point_cell")
    op.execute("DROP SEQUENCE public_data_version_seq")
