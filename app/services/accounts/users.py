"""Staff accounts managed by administrators: list, create, deactivate, reactivate, change role.

Every change writes an audit event in the same transaction. Accounts are never deleted.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Conflict, NotFound
from app.models import Role, User
from app.services import audit
from app.services.accounts import auth


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


def create_user(
    session: Session, settings: Settings, actor: User | None, email: str, password: str, role: Role
) -> User:
    """Create an account (the password policy applies); audited with the actor."""
    return auth.create_user(session, settings, email, password, role, actor=actor)


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


def update_user(
    session: Session,
    actor: User | None,
    user: User,
    *,
    role: Role | None = None,
    active: bool | None = None,
) -> User:
    """Change an account's role and/or active flag; deactivation ends its sessions."""
    before = {"role": user.role.value, "active": user.active}
    removing_admin = (role is not None and role is not Role.admin) or active is False
    if removing_admin and _last_active_admin(session, user):
        raise Conflict(
            "This is the last active administrator: make another administrator first, so "
            "that someone can still manage accounts."
        )
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
    session.flush()
    return user
