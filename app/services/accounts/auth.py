"""Staff accounts: argon2 password hashes and server-side login sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Conflict, InvalidInput, TooManyAttempts
from app.models import Role, User, UserSession
from app.services import audit
from app.services.accounts import throttle

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "common-passwords.txt"


# Runs of keys people type as "a long password": digits up and down, keyboard rows.
_SEQUENCES = (
    "01234567890123456789",
    "98765432109876543210",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertyuıopğüasdfghjklşizxcvbnmöç",
    "abcdefghijklmnopqrstuvwxyz",
)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower-cased)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def check_password_policy(password: str, email: str = "") -> None:
    """Refuse short, common or guessable passwords with a message saying what to do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password can have at most {MAX_PASSWORD_LENGTH} characters.", field="password"
        )
    lowered = password.strip().lower()
    local_part = email.split("@")[0].lower()
    if (
        lowered in common_passwords()
        or len(set(lowered)) <= 2
        or any(lowered in seq for seq in _SEQUENCES)
        or (len(local_part) >= 4 and local_part in lowered)
    ):
        raise InvalidInput(
            "This password is too easy to guess (it is a common password, repeats one "
            "character or contains your e-mail name). Choose a longer phrase of unrelated words.",
            field="password",
        )


@cache
def _hasher(time_cost: int, memory_cost_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism)


def password_hasher(settings: Settings) -> PasswordHasher:
    """The argon2id hasher with the configured parameters (one per parameter set)."""
    return _hasher(
        settings.argon2_time_cost, settings.argon2_memory_cost_kib, settings.argon2_parallelism
    )


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verifying against a dummy hash when the account does not exist keeps timing uniform."""
    return hasher.hash("not-a-real-password-" + secrets.token_hex(8))


def csrf_token(secret_key: str, session_token: str) -> str:
    """The CSRF token of a login session: an HMAC of its token, so nothing more is stored."""
    return hmac.new(secret_key.encode(), b"csrf:" + session_token.encode(), "sha256").hexdigest()


def csrf_token_matches(secret_key: str, session_token: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(csrf_token(secret_key, session_token), given)


def token_hash(token: str) -> str:
    """The stored form of a secret token (sessions, API tokens): its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """E-mail addresses are compared lower-cased and trimmed."""
    return email.strip().lower()


def create_user(
    session: Session,
    settings: Settings,
    email: str,
    password: str,
    role: Role,
    actor: User | None = None,
) -> User:
    """Create a staff account; the password is stored only as an argon2 hash."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise InvalidInput("Give a valid e-mail address.", field="email")
    check_password_policy(password, email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"A user with e-mail {email} already exists.", field="email")
    user = User(email=email, password_hash=password_hasher(settings).hash(password), role=role)
    session.add(user)
    session.flush()
    audit.record(
        session,
        "user.create",
        actor=actor,
        target_user_id=user.id,
        after={"email": email, "role": role.value},
    )
    return user


def authenticate(session: Session, settings: Settings, email: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    A failed attempt is recorded (without the password) and not raised, so that the record
    survives: the caller answers 401 without rolling the transaction back.
    """
    email = normalise_email(email)
    user = session.scalar(select(User).where(User.email == email))
    hasher = password_hasher(settings)
    try:
        hasher.verify(user.password_hash if user else _dummy_hash(hasher), password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        audit.record(
            session,
            "auth.login_failed",
            target_user_id=user.id if user else None,
            after={"email": email},
        )
        return None
    if hasher.check_needs_rehash(user.password_hash):  # the parameters changed since
        user.password_hash = hasher.hash(password)
    user.last_login_at = func.now()
    audit.record(session, "auth.login", actor=user)
    return user


def start_session(session: Session, user: User, max_age_s: int) -> str:
    """Create a login session; return the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id,
            expires_at=datetime.now(UTC) + timedelta(seconds=max_age_s),
        )
    )
    session.flush()
    return token


def end_session(session: Session, token: str) -> None:
    """Forget a login session (logout), and record who logged out."""
    user_id = session.scalar(
        delete(UserSession)
        .where(UserSession.token_hash == token_hash(token))
        .returning(UserSession.user_id)
    )
    if user_id is not None:
        audit.record(session, "auth.logout", actor=session.get(User, user_id))


def user_for_session_token(session: Session, token: str) -> User | None:
    """The active user behind a live session token, if any."""
    return session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == token_hash(token),
            UserSession.expires_at > func.now(),
            User.active,
        )
    )


LOGIN_SCOPE = "login"


def _login_keys(settings: Settings, email: str, client: str | None, now: datetime):
    """(key, limit) for the account and, when known, the client."""
    day = now.date()
    keys = [
        (
            throttle.key(
                settings.secret_key, LOGIN_SCOPE, f"account:{normalise_email(email)}", day
            ),
            settings.login_max_failures_per_account,
        )
    ]
    if client:
        keys.append(
            (
                throttle.key(settings.secret_key, LOGIN_SCOPE, f"client:{client}", day),
                settings.login_max_failures_per_client,
            )
        )
    return keys


def check_login_throttle(session: Session, settings: Settings, email: str, client: str | None):
    """Raise TooManyAttempts when this account or this client failed too often in the window."""
    now = datetime.now(UTC)
    window = timedelta(seconds=settings.login_throttle_window_s)
    for key, limit in _login_keys(settings, email, client, now):
        seconds = throttle.retry_after(session, key, limit, window, now)
        if seconds is not None:
            minutes = max(1, round(seconds / 60))
            raise TooManyAttempts(
                f"Too many failed log-in attempts. Wait about {minutes} minute(s) and try "
                "again, or ask an administrator to check your account.",
                retry_after_s=seconds,
            )


def record_login_failure(
    session: Session, settings: Settings, email: str, client: str | None
) -> None:
    """Count a failed attempt against the account and the client; purge expired rows."""
    now = datetime.now(UTC)
    keys = [key for key, _limit in _login_keys(settings, email, client, now)]
    throttle.record(
        session, LOGIN_SCOPE, keys, timedelta(seconds=settings.login_throttle_window_s), now
    )


def clear_account_failures(session: Session, settings: Settings, email: str) -> None:
    """A successful log-in forgets the account's failures (the client's stay)."""
    key, _limit = _login_keys(settings, email, None, datetime.now(UTC))[0]
    throttle.clear(session, key)


def log_in(
    session: Session, settings: Settings, email: str, password: str, client: str | None
) -> User | None:
    """Throttle, authenticate and count failures: the user, or None for wrong credentials."""
    check_login_throttle(session, settings, email, client)
    user = authenticate(session, settings, email, password)
    if user is None:
        record_login_failure(session, settings, email, client)
        return None
    clear_account_failures(session, settings, email)
    return user


def change_password(
    session: Session,
    settings: Settings,
    user: User,
    current: str,
    new: str,
    keep_session_token: str | None,
) -> None:
    """Change one's own password; every other session of the user ends."""
    hasher = password_hasher(settings)
    try:
        hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise InvalidInput(
            "The current password is not right; the password was not changed.",
            field="current_password",
        ) from None
    if current == new:
        raise InvalidInput(
            "Choose a password different from the current one.", field="new_password"
        )
    try:
        check_password_policy(new, user.email)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="new_password") from None
    user.password_hash = hasher.hash(new)
    user.password_changed_at = func.now()
    end_other_sessions(session, user.id, keep_session_token)
    audit.record(session, "user.password", actor=user, target_user_id=user.id)


def end_other_sessions(session: Session, user_id: int, keep_token: str | None = None) -> None:
    """End every login session of a user except the one with `keep_token`."""
    stmt = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_token:
        stmt = stmt.where(UserSession.token_hash != token_hash(keep_token))
    session.execute(stmt)
