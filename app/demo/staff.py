"""The demo's staff per municipality and the departments that act on what.

Demo-only accounts: their passwords are printed by `morharita demo` and published in the
README, so anyone can log in with them; `morharita demo` refuses to run in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import CategoryGroup, Role, User
from app.services import accounts, reference


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    password: str
    municipalities: tuple[str, ...]  # none for the platform administrator
    who: str  # what the account stands for, in the terminal


DEMO_ACCOUNTS = (
    DemoAccount(
        "gonullu.cankaya@demo.morharita.example",
        Role.moderator,
        "mor-kelebek-demo-1",
        ("cankaya",),
        "Çankaya Women's Assembly volunteer",
    ),
    DemoAccount(
        "gonullu.yenimahalle@demo.morharita.example",
        Role.moderator,
        "mor-leylak-demo-4",
        ("yenimahalle",),
        "Yenimahalle Women's Assembly volunteer",
    ),
    DemoAccount(
        "planlama@demo.morharita.example",
        Role.planner,
        "mor-pusula-demo-2",
        ("ankara",),
        "Ankara BB equality unit planner, both districts",
    ),
    DemoAccount(
        "yonetici@demo.morharita.example",
        Role.admin,
        "mor-anahtar-demo-3",
        (),
        "platform administrator",
    ),
)

# The departments that act, by category group (Turkish names, as a report's answer shows them):
# the districts' own directorates, and EGO, Ankara BB's transport directorate.
DEPARTMENTS = {
    CategoryGroup.lighting: "Fen İşleri Müdürlüğü (Aydınlatma)",
    CategoryGroup.infrastructure: "Fen İşleri Müdürlüğü",
    CategoryGroup.environment: "Park ve Bahçeler Müdürlüğü",
    CategoryGroup.transport: "EGO Genel Müdürlüğü",
}
# (area, group) -> who acts: each district on its own streets, parks and lights; Ankara BB
# (through EGO) on transport in both.
DEMO_DUTIES = {
    **{
        (district, group): district
        for district in ("cankaya", "yenimahalle")
        for group in (
            CategoryGroup.lighting,
            CategoryGroup.infrastructure,
            CategoryGroup.environment,
        )
    },
    ("ankara", CategoryGroup.transport): "ankara",
}


def ensure_demo_accounts(session: Session, settings: Settings) -> list[str]:
    """The demo-only staff accounts with their municipalities (created once; an existing
    account keeps its password, and gets its municipalities only if it holds none)."""
    lines = []
    for demo in DEMO_ACCOUNTS:
        user = session.scalar(select(User).where(User.email == demo.email))
        if user is None:
            user, _ = accounts.create_account(
                session, settings, None, demo.email, demo.password, demo.role, demo.municipalities
            )
        elif demo.municipalities and not reference.memberships(session, user.id):
            reference.set_memberships(session, user, demo.municipalities)
        where = ", ".join(reference.memberships(session, user.id)) or "all"
        lines.append(
            f"  {demo.role.value:<9} {demo.email}  password: {demo.password}  "
            f"municipalities: {where} — {demo.who}"
        )
    return lines


def ensure_demo_duties(session: Session) -> int:
    """Name the department of each demo duty (set once: a rerun changes and audits nothing);
    the number of rows set."""
    current = {
        (row["area"], row["category_group"]): row for row in reference.responsibility_list(session)
    }
    changed = 0
    for (area, group), responsible in DEMO_DUTIES.items():
        row = current.get((area, group))
        if row is not None and row["department"]:
            continue  # named already, by an earlier run or an administrator
        reference.set_responsibility(session, None, area, group, responsible, DEPARTMENTS[group])
        changed += 1
    return changed
