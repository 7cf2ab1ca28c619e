"""Staff accounts: argon2 password hashes and server-side login sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput
from app.models import ModerationEvent, Role, User, UserSession

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against a dummy hash when the account does not exist keeps timing uniform."""
    return _hasher.hash("not-a-real-password-" + secrets.token_hex(8))


def csrf_token(secret_key: str, session_token: str) -> str:
    """The CSRF token of a login session: an HMAC of its token, so nothing more is stored."""
    return hmac.new(secret_key.encode(), b"csrf:" + session_token.encode(), "sha256").hexdigest()


def csrf_token_matches(secret_key: str, session_token: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(csrf_token(secret_key, session_token), given)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """E-mail addresses are compared lower-cased and trimmed."""
    return email.strip().lower()


def create_user(session: Session, email: str, password: str, role: Role) -> User:
    """Create a staff account; the password is stored only as an argon2 hash."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise InvalidInput("Give a valid e-mail address.", field="email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"A user with e-mail {email} already exists.", field="email")
    user = User(email=email, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    session.add(
        ModerationEvent(
            actor_id=None,
            target_user_id=user.id,
            action="user.create",
            after={"email": email, "role": role.value},
        )
    )
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    A failed attempt is recorded (without the password) and not raised, so that the record
    survives: the caller answers 401 without rolling the transaction back.
    """
    email = normalise_email(email)
    user = session.scalar(select(User).where(User.email == email))
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        session.add(
            ModerationEvent(
                action="auth.login_failed",
                target_user_id=user.id if user else None,
                after={"email": email},
            )
        )
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = func.now()
    session.add(ModerationEvent(actor_id=user.id, action="auth.login"))
    return user


def start_session(session: Session, user: User, max_age_s: int) -> str:
    """Create a login session; return the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            expires_at=datetime.now(UTC) + timedelta(seconds=max_age_s),
        )
    )
    session.flush()
    return token


def end_session(session: Session, token: str) -> None:
    """Forget a login session (logout)."""
    session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


def user_for_session_token(session: Session, token: str) -> User | None:
    """The active user behind a live session token, if any."""
    return session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == _token_hash(token),
            UserSession.expires_at > func.now(),
            User.active,
        )
    )
