"""Categories: the seed taxonomy and the active list."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.i18n import N_, labels
from app.models import Category, CategoryGroup

G = CategoryGroup
# (code, group, sensitive, Turkish label, English label, icon); the Arabic and Kurdish labels
# come from the catalogues (translations/*/LC_MESSAGES/citizen.po), the English one their id.
SEED_TAXONOMY: tuple[tuple[str, CategoryGroup, bool, str, str, str], ...] = (
    ("dark_street", G.lighting, False, "Karanlık sokak", N_("Dark street"), "lamp-off"),
    (
        "broken_street_light",
        G.lighting,
        False,
        "Bozuk sokak lambası",
        N_("Broken street light"),
        "lamp",
    ),
    (
        "unsafe_stop",
        G.transport,
        False,
        "Güvensiz veya ıssız durak",
        N_("Unsafe or remote transport stop"),
        "bus-stop",
    ),
    (
        "no_night_service",
        G.transport,
        False,
        "Gece ulaşım yok",
        N_("No transport service at night"),
        "bus-off",
    ),
    (
        "harassment_in_transport",
        G.harassment,
        True,
        "Toplu taşımada taciz",
        N_("Harassment in transport"),
        "bus-alert",
    ),
    ("verbal_harassment", G.harassment, True, "Sözlü taciz", N_("Verbal harassment"), "speech"),
    (
        "following",
        G.harassment,
        True,
        "Takip edilme / ısrarlı takip",
        N_("Following / stalking"),
        "footsteps",
    ),
    (
        "physical_harassment",
        G.harassment,
        True,
        "Fiziksel taciz",
        N_("Physical harassment"),
        "hand",
    ),
    (
        "deserted_area",
        G.environment,
        False,
        "Issız veya tenha alan",
        N_("Deserted or isolated area"),
        "empty",
    ),
    (
        "abandoned_building",
        G.environment,
        False,
        "Terk edilmiş bina",
        N_("Abandoned building"),
        "building",
    ),
    (
        "no_visibility",
        G.environment,
        False,
        "Görüşü kapalı yer (kör köşe, bakımsız bitki örtüsü)",
        N_("No visibility (blind corner, overgrown)"),
        "eye-off",
    ),
    (
        "unsafe_underpass",
        G.environment,
        False,
        "Güvensiz alt veya üst geçit",
        N_("Unsafe underpass or overpass"),
        "underpass",
    ),
    ("unsafe_park", G.environment, False, "Güvensiz park", N_("Unsafe park"), "tree"),
    (
        "broken_sidewalk",
        G.infrastructure,
        False,
        "Bozuk kaldırım",
        N_("Broken sidewalk"),
        "sidewalk",
    ),
    (
        "no_crossing",
        G.infrastructure,
        False,
        "Yaya geçidi yok",
        N_("No pedestrian crossing"),
        "crossing",
    ),
    ("other", G.other, False, "Diğer", N_("Other"), "dots"),
)


def seed_categories(session: Session) -> int:
    """Insert or update the seed taxonomy (idempotent); return how many categories it holds."""
    rows = [
        {
            "code": code,
            "group": group.value,
            "sensitive": sensitive,
            "labels": labels(en, tr=tr),
            "icon": icon,
            "sort_order": (index + 1) * 10,
        }
        for index, (code, group, sensitive, tr, en, icon) in enumerate(SEED_TAXONOMY)
    ]
    stmt = insert(Category).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=[Category.code],
        set_={
            "group": stmt.excluded.group,
            "sensitive": stmt.excluded.sensitive,
            "labels": stmt.excluded.labels,
            "icon": stmt.excluded.icon,
            "sort_order": stmt.excluded.sort_order,
        },
    )
    session.execute(stmt)
    session.flush()
    return len(rows)


def active_categories(session: Session) -> Sequence[Category]:
    """Active categories in display order."""
    return session.scalars(
        select(Category).where(Category.active).order_by(Category.sort_order, Category.code)
    ).all()


def active_category_by_code(session: Session, code: str) -> Category:
    """The active category `code`, or an error naming the field."""
    category = session.scalar(select(Category).where(Category.code == code, Category.active))
    if category is None:
        raise InvalidInput(
            f"Unknown or inactive category '{code}'; see GET /api/v1/categories for the list.",
            field="category",
        )
    return category
