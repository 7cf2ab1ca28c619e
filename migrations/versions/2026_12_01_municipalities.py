"""Municipalities: who serves where (DESIGN.md §8), who is responsible, and staff scopes.

Adds `municipality` (nested: metropolitan → district), `responsibility` (which municipality
acts on which category group in which area) and `staff_membership` (a staff role held in a
municipality). Every table that grows with use gains its municipality key; `report.area_key`
(a free-text "province/district") is replaced by `report.municipality_id`.

Existing rows are migrated: one municipality per province found in `mahalle` (metropolitan
for the 30 büyükşehir provinces, else provincial) and one district municipality per
(province, district) under it; mahalle, reports and the rows hanging off reports get their
municipality; reports outside every mahalle go to the one top-level municipality (or a
"deployment" municipality made for them); moderators and planners keep what they saw
through a membership in every top-level municipality; default responsibilities are seeded
(district: lighting, infrastructure, environment; metropolitan: transport).

Revision ID: 20261201_0006
Revises: 20261121_0005
Create Date: 2026-12-01 16:40:00+00:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261201_0006"
down_revision: str | None = "20261121_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The 30 provinces with a metropolitan municipality (Law 5216 and 6360).
METROPOLITAN_PROVINCES = frozenset(
    [
        "adana",
        "ankara",
        "antalya",
        "aydin",
        "balikesir",
        "bursa",
        "denizli",
        "diyarbakir",
        "erzurum",
        "eskisehir",
        "gaziantep",
        "hatay",
        "istanbul",
        "izmir",
        "kahramanmaras",
        "kayseri",
        "kocaeli",
        "konya",
        "malatya",
        "manisa",
        "mardin",
        "mersin",
        "mugla",
        "ordu",
        "sakarya",
        "samsun",
        "sanliurfa",
        "tekirdag",
        "trabzon",
        "van",
    ]
)
_FOLD = str.maketrans("çğıİöşüÇĞÖŞÜâîû", "cgiiosucgosuaiu")
KEYED = ("confirmation", "report_note", "report_photo")
INDICATOR_COLUMNS = [
    "mahalle_id",
    "category_id",
    "time_band",
    "perceived_safety",
    "reporter_gender",
    "reporter_age_band",
    "municipal_status",
    "forwarded_at",
]


def slug(text: str) -> str:
    """A municipality code from a Turkish name: "Çankaya" -> "cankaya" (a copy, frozen here)."""
    folded = text.replace("I", "ı").translate(_FOLD).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "municipality"


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def _create_municipalities(bind) -> None:
    pairs = bind.execute(sa.text("SELECT DISTINCT province, district FROM mahalle")).all()
    taken: set[str] = set()

    def insert(code: str, name: str, kind: str, parent: int | None) -> int:
        base, n = code, 2
        while code in taken:
            code, n = f"{base}-{n}", n + 1
        taken.add(code)
        return bind.execute(
            sa.text(
                "INSERT INTO municipality (code, name, kind, parent_id)"
                " VALUES (:c, :n, :k, :p) RETURNING id"
            ),
            {"c": code, "n": name, "k": kind, "p": parent},
        ).scalar_one()

    provinces: dict[str, int] = {}
    for province in sorted({p for p, _ in pairs}):
        metropolitan = slug(province) in METROPOLITAN_PROVINCES
        kind = "metropolitan" if metropolitan else "provincial"
        label = "Büyükşehir Belediyesi" if metropolitan else "Belediyesi"
        provinces[province] = insert(slug(province), f"{_title(province)} {label}", kind, None)
    for province, district in sorted(pairs):
        code = slug(district)
        if code in taken:  # e.g. "Merkez" in many provinces
            code = f"{slug(province)}-{code}"
        district_id = insert(
            code, f"{_title(district)} Belediyesi", "district", provinces[province]
        )
        bind.execute(
            sa.text(
                "UPDATE mahalle SET municipality_id = :m WHERE province = :p AND district = :d"
            ),
            {"m": district_id, "p": province, "d": district},
        )


def _assign_rows(bind) -> None:
    bind.execute(
        sa.text(
            "UPDATE report AS r SET municipality_id = m.municipality_id"
            " FROM mahalle AS m WHERE m.id = r.mahalle_id"
        )
    )
    if bind.execute(
        sa.text("SELECT EXISTS (SELECT 1 FROM report WHERE municipality_id IS NULL)")
    ).scalar():
        roots = (
            bind.execute(sa.text("SELECT id FROM municipality WHERE parent_id IS NULL"))
            .scalars()
            .all()
        )
        if len(roots) == 1:
            fallback = roots[0]
        else:
            fallback = bind.execute(
                sa.text(
                    "INSERT INTO municipality (code, name, kind)"
                    " VALUES ('deployment', 'Deployment area', 'other') RETURNING id"
                )
            ).scalar_one()
        bind.execute(
            sa.text("UPDATE report SET municipality_id = :m WHERE municipality_id IS NULL"),
            {"m": fallback},
        )
    for table in KEYED:
        bind.execute(
            sa.text(
                f"UPDATE {table} AS t SET municipality_id = r.municipality_id"
                " FROM report AS r WHERE r.id = t.report_id"
            )
        )
    # The log is append-only (a trigger refuses UPDATE); filling in the new key column of
    # existing events is the one schema change that may touch them, with the trigger off for
    # this statement only. No recorded value changes.
    bind.execute(
        sa.text("ALTER TABLE moderation_event DISABLE TRIGGER moderation_event_append_only")
    )
    bind.execute(
        sa.text(
            "UPDATE moderation_event AS e SET municipality_id = r.municipality_id"
            " FROM report AS r WHERE r.id = e.report_id"
        )
    )
    bind.execute(
        sa.text("ALTER TABLE moderation_event ENABLE TRIGGER moderation_event_append_only")
    )
    bind.execute(
        sa.text(
            "UPDATE service_point AS s SET municipality_id = ("
            " SELECT m.municipality_id FROM mahalle AS m"
            " WHERE ST_Intersects(m.geom, s.location) ORDER BY m.id LIMIT 1)"
        )
    )
    bind.execute(
        sa.text(
            "INSERT INTO staff_membership (user_id, municipality_id)"
            " SELECT u.id, m.id FROM app_user AS u CROSS JOIN municipality AS m"
            " WHERE u.role IN ('moderator', 'planner') AND m.parent_id IS NULL"
        )
    )
    bind.execute(
        sa.text(
            "INSERT INTO responsibility (area_id, category_group, responsible_id)"
            " SELECT m.id, g.grp, m.id FROM municipality AS m"
            " CROSS JOIN (VALUES ('lighting'), ('infrastructure'), ('environment')) AS g(grp)"
            " WHERE m.kind = 'district'"
            " UNION ALL SELECT m.id, 'transport', m.id FROM municipality AS m"
            " WHERE m.kind = 'metropolitan'"
        )
    )


def upgrade() -> None:
    op.create_table(
        "municipality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "metropolitan",
                "district",
                "provincial",
                "other",
                name="municipality_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("map_center_lat", sa.Double(), nullable=True),
        sa.Column("map_center_lon", sa.Double(), nullable=True),
        sa.Column("map_zoom", sa.SmallInteger(), nullable=True),
        sa.Column("k_threshold", sa.SmallInteger(), nullable=True),
        sa.Column("languages", postgresql.ARRAY(sa.String(length=8)), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_municipality_code_slug")
        ),
        sa.CheckConstraint(
            "(map_center_lat IS NULL) = (map_center_lon IS NULL) AND (map_center_lat IS NULL OR map_center_lat BETWEEN -90 AND 90) AND (map_center_lon IS NULL OR map_center_lon BETWEEN -180 AND 180)",
            name=op.f("ck_municipality_map_center"),
        ),
        sa.CheckConstraint(
            "k_threshold IS NULL OR k_threshold BETWEEN 2 AND 100",
            name=op.f("ck_municipality_k_range"),
        ),
        sa.CheckConstraint(
            "map_zoom IS NULL OR map_zoom BETWEEN 1 AND 19", name=op.f("ck_municipality_zoom_range")
        ),
        sa.CheckConstraint(
            "parent_id IS DISTINCT FROM id", name=op.f("ck_municipality_not_own_parent")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["municipality.id"],
            name=op.f("fk_municipality_parent_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipality")),
        sa.UniqueConstraint("code", name=op.f("uq_municipality_code")),
    )
    op.create_index(op.f("ix_municipality_parent_id"), "municipality", ["parent_id"], unique=False)
    op.create_table(
        "responsibility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column(
            "category_group",
            sa.Enum(
                "lighting",
                "transport",
                "harassment",
                "environment",
                "infrastructure",
                "other",
                name="responsibility_group",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("responsible_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["municipality.id"],
            name=op.f("fk_responsibility_area_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["responsible_id"],
            ["municipality.id"],
            name=op.f("fk_responsibility_responsible_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsibility")),
        sa.UniqueConstraint("area_id", "category_group", name=op.f("uq_responsibility_area_id")),
    )
    op.create_index(op.f("ix_responsibility_area_id"), "responsibility", ["area_id"], unique=False)
    op.create_index(
        op.f("ix_responsibility_responsible_id"), "responsibility", ["responsible_id"], unique=False
    )
    op.create_table(
        "staff_membership",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_staff_membership_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_staff_membership_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "municipality_id", name=op.f("pk_staff_membership")),
    )
    op.create_index(
        op.f("ix_staff_membership_municipality_id"),
        "staff_membership",
        ["municipality_id"],
        unique=False,
    )
    for table in ("mahalle", "report", *KEYED, "moderation_event", "service_point"):
        op.add_column(table, sa.Column("municipality_id", sa.Integer(), nullable=True))
    op.add_column("report", sa.Column("responsible_municipality_id", sa.Integer(), nullable=True))
    bind = op.get_bind()
    _create_municipalities(bind)
    _assign_rows(bind)
    for table in ("mahalle", "report", *KEYED):
        op.alter_column(table, "municipality_id", nullable=False)
    for table in ("mahalle", "report", *KEYED, "moderation_event", "service_point"):
        op.create_index(op.f(f"ix_{table}_municipality_id"), table, ["municipality_id"])
        op.create_foreign_key(
            op.f(f"fk_{table}_municipality_id_municipality"),
            table,
            "municipality",
            ["municipality_id"],
            ["id"],
            ondelete="RESTRICT" if table == "mahalle" else None,
        )
    op.create_index(
        op.f("ix_report_responsible_municipality_id"), "report", ["responsible_municipality_id"]
    )
    op.create_foreign_key(
        op.f("fk_report_responsible_municipality_id_municipality"),
        "report",
        "municipality",
        ["responsible_municipality_id"],
        ["id"],
    )
    op.drop_index(op.f("ix_report_area_key"), table_name="report")
    op.drop_column("report", "area_key")
    # The planners' index-only scans now filter by municipality too.
    op.drop_index("ix_report_indicators", table_name="report")
    op.create_index(
        "ix_report_indicators",
        "report",
        ["occurred_on"],
        postgresql_include=[*INDICATOR_COLUMNS, "municipality_id"],
        postgresql_where=sa.text("status = 'published'"),
    )


def downgrade() -> None:
    op.drop_index("ix_report_indicators", table_name="report")
    op.create_index(
        "ix_report_indicators",
        "report",
        ["occurred_on"],
        postgresql_include=INDICATOR_COLUMNS,
        postgresql_where=sa.text("status = 'published'"),
    )
    op.add_column("report", sa.Column("area_key", sa.String(length=120), nullable=True))
    op.execute(
        "UPDATE report AS r SET area_key = COALESCE("
        " (SELECT lower(m.province || '/' || m.district) FROM mahalle AS m"
        "  WHERE m.id = r.mahalle_id), 'deployment-area')"
    )
    op.alter_column("report", "area_key", nullable=False)
    op.create_index(op.f("ix_report_area_key"), "report", ["area_key"])
    op.drop_constraint(
        op.f("fk_report_responsible_municipality_id_municipality"), "report", type_="foreignkey"
    )
    op.drop_index(op.f("ix_report_responsible_municipality_id"), table_name="report")
    op.drop_column("report", "responsible_municipality_id")
    for table in ("mahalle", "report", *KEYED, "moderation_event", "service_point"):
        op.drop_constraint(
            op.f(f"fk_{table}_municipality_id_municipality"), table, type_="foreignkey"
        )
        op.drop_index(op.f(f"ix_{table}_municipality_id"), table_name=table)
        op.drop_column(table, "municipality_id")
    op.drop_index(op.f("ix_staff_membership_municipality_id"), table_name="staff_membership")
    op.drop_table("staff_membership")
    op.drop_index(op.f("ix_responsibility_responsible_id"), table_name="responsibility")
    op.drop_index(op.f("ix_responsibility_area_id"), table_name="responsibility")
    op.drop_table("responsibility")
    op.drop_index(op.f("ix_municipality_parent_id"), table_name="municipality")
    op.drop_table("municipality")
