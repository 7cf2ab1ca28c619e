"""Personal API tokens for planners' exports: created and revoked by their owner.

The plain token is shown once, at creation; the table keeps its SHA-256 hash and a short
prefix to tell tokens apart. A revoked token, or one of an inactive user, is refused.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.errors import InvalidInput, NotFound
from app.models import ApiToken, User
from app.services import audit
from app.services.accounts.auth import token_hash

TOKEN_PREFIX = "mh_"
MAX_ACTIVE_TOKENS = 20


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the plain token (shown only this once)."""
    name = name.strip()
    if not name:
        raise InvalidInput("Give the token a name (e.g. 'QGIS on my laptop').", field="name")
    active = session.scalar(
        select(func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    )
    if (active or 0) >= MAX_ACTIVE_TOKENS:
        raise InvalidInput(
            f"You already have {MAX_ACTIVE_TOKENS} active tokens; revoke one first.", field="name"
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=token_hash(plain), prefix=plain[:10])
    session.add(token)
    session.flush()
    audit.record(session, "token.create", actor=user, after={"id": token.id})
    return token, plain


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones included, marked)."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens (idempotent)."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        raise NotFound(f"You have no API token with id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = func.now()
        audit.record(session, "token.revoke", actor=user, after={"id": token.id})
    session.flush()


def user_for_api_token(session: Session, plain: str) -> User | None:
    """The active user behind a live token; records when it was last used."""
    row = session.execute(
        select(User, ApiToken.id)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == token_hash(plain),
            ApiToken.revoked_at.is_(None),
            User.active,
        )
    ).first()
    if row is None:
        return None
    session.execute(update(ApiToken).where(ApiToken.id == row[1]).values(last_used_at=func.now()))
    return row[0]
