"""Staff accounts managed by administrators: list, create, deactivate, reactivate, change the
role and the municipalities it is held in.

A moderator's or planner's role is held in one or more municipalities (and covers the ones
inside them); an administrator is a platform administrator, holds none and sees all. Every
change writes an audit event in the same transaction. Accounts are never deleted.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Conflict, InvalidInput, NotFound
from app.models import Role, User
from app.services import audit, reference
from app.services.accounts import auth

API_HINTS = (
    "list at least one municipality code in `municipalities`",
    "leave `municipalities` empty",
)


def check_scope(
    role: Role,
    codes: Sequence[str],
    *,
    field: str = "municipalities",
    hints: tuple[str, str] = API_HINTS,
) -> None:
    """Moderators and planners hold their role in municipalities; administrators in none.

    `hints` say how to name some (first) and none (second) where the request came from.
    """
    if role is Role.admin and codes:
        raise InvalidInput(
            f"Administrators are platform administrators and see every municipality: {hints[1]}.",
            field=field,
        )
    if role is not Role.admin and not codes:
        raise InvalidInput(
            f"A {role.value} holds the role in one or more municipalities: {hints[0]}.",
            field=field,
        )


def list_users(session: Session) -> list[User]:
    """Every staff account, administrators first, then by e-mail."""
    return list(session.scalars(select(User).order_by(User.role, User.email)))


def user_by_id(session: Session, user_id: int) -> User:
    """The account, locked for update, or NotFound."""
    user = session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    return user


def user_by_email(session: Session, email: str) -> User:
    """The account with this e-mail, or NotFound."""
    user = session.scalar(select(User).where(User.email == auth.normalise_email(email)))
    if user is None:
        raise NotFound(f"No user with e-mail {email}.")
    return user


def account(user: User, codes: list[str]) -> dict:
    """An account as administrators see it: never the password hash."""
    return {
        "id": user.id,
        "email": user.email,
        "role": user.role,
        "active": user.active,
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
        "municipalities": codes,
    }


def account_list(session: Session) -> list[dict]:
    """Every staff account with the codes of its municipalities (two queries)."""
    held = reference.memberships_by_user(session)
    return [account(u, held.get(u.id, [])) for u in list_users(session)]


def create_account(
    session: Session,
    settings: Settings,
    actor: User | None,
    email: str,
    password: str,
    role: Role,
    municipalities: Sequence[str],
) -> tuple[User, list[str]]:
    """Create an account whose role is held in `municipalities` (none for an administrator);
    the password policy applies. Audited: `user.create`, then `user.municipalities`."""
    check_scope(role, municipalities)
    user = auth.create_user(session, settings, email, password, role, actor=actor)
    return user, reference.set_memberships(session, user, municipalities, actor)


def add_account(
    session: Session,
    settings: Settings,
    actor: User,
    email: str,
    password: str,
    role: Role,
    municipalities: Sequence[str],
) -> dict:
    """Create an account (an administrator's request); the account as administrators see it."""
    return account(*create_account(session, settings, actor, email, password, role, municipalities))


def _last_active_admin(session: Session, user: User) -> bool:
    if user.role is not Role.admin or not user.active:
        return False
    # Locked, so two admins demoting each other at once cannot both pass this check.
    others = session.scalars(
        select(User.id)
        .where(User.role == Role.admin, User.active, User.id != user.id)
        .with_for_update()
    ).all()
    return not others


def _wanted_municipalities(
    session: Session, user: User, role: Role | None, municipalities: Sequence[str] | None
) -> list[str] | None:
    """The municipalities the account should hold after a change; None: leave them.

    Becoming an administrator drops them (a platform administrator holds none); otherwise,
    when the role or the municipalities change, the result must fit the role.
    """
    if role is None and municipalities is None:
        return None
    new_role = role or user.role
    if municipalities is None:
        if new_role is Role.admin:
            return []
        wanted = reference.memberships(session, user.id)
    else:
        wanted = list(municipalities)
    check_scope(new_role, wanted)
    return wanted


def update_user(
    session: Session,
    actor: User | None,
    user: User,
    *,
    role: Role | None = None,
    active: bool | None = None,
    municipalities: Sequence[str] | None = None,
) -> User:
    """Change an account's role, active flag and/or municipalities; deactivation ends its
    sessions."""
    before = {"role": user.role.value, "active": user.active}
    removing_admin = (role is not None and role is not Role.admin) or active is False
    if removing_admin and _last_active_admin(session, user):
        raise Conflict(
            "This is the last active administrator: make another administrator first, so "
            "that someone can still manage accounts."
        )
    wanted = _wanted_municipalities(session, user, role, municipalities)
    if role is not None and role is not user.role:
        user.role = role
        audit.record(
            session,
            "user.role",
            actor=actor,
            target_user_id=user.id,
            before={"role": before["role"]},
            after={"role": role.value},
        )
    if active is not None and active != user.active:
        user.active = active
        if not active:
            auth.end_other_sessions(session, user.id)
        audit.record(
            session,
            "user.reactivate" if active else "user.deactivate",
            actor=actor,
            target_user_id=user.id,
            before={"active": before["active"]},
            after={"active": active},
        )
    if wanted is not None:
        reference.set_memberships(session, user, wanted, actor)  # audited when it changes
    session.flush()
    return user


def edit_account(
    session: Session,
    actor: User,
    user_id: int,
    *,
    role: Role | None = None,
    active: bool | None = None,
    municipalities: Sequence[str] | None = None,
) -> dict:
    """Change the account with this id (404 when unknown); the account as admins see it."""
    user = user_by_id(session, user_id)
    update_user(session, actor, user, role=role, active=active, municipalities=municipalities)
    return account(user, reference.memberships(session, user.id))
