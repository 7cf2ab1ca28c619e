"""Dependencies: the request-owned transaction, settings, the viewer and role gates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import unit_of_work
from app.errors import CsrfRefused, NotAuthenticated, NotPermitted
from app.models import Role, User
from app.services import auth

SESSION_COOKIE = "mh_session"
# Readable by the page's scripts, which echo it in the X-CSRF-Token header (see api.js).
CSRF_COOKIE = "mh_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session_factory(request: Request) -> sessionmaker[Session]:
    return request.app.state.session_factory


def get_db(
    factory: Annotated[sessionmaker[Session], Depends(get_session_factory)],
) -> Iterator[Session]:
    """The request owns the transaction: commit on success, roll back on error."""
    with unit_of_work(factory) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": commit before the response is sent, so nothing acknowledged is lost.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def optional_user(request: Request, db: SessionDep) -> User | None:
    """The logged-in staff member, or None for the public."""
    token = request.cookies.get(SESSION_COOKIE)
    return auth.user_for_session_token(db, token) if token else None


OptionalUser = Annotated[User | None, Depends(optional_user)]


def current_user(request: Request, user: OptionalUser, settings: SettingsDep) -> User:
    """The logged-in user; a state-changing request must also carry the session's CSRF token."""
    if user is None:
        raise NotAuthenticated("Please log in first (POST /api/v1/auth/login).")
    if request.method not in SAFE_METHODS:
        token = request.cookies.get(SESSION_COOKIE, "")
        if not auth.csrf_token_matches(
            settings.secret_key, token, request.headers.get(CSRF_HEADER)
        ):
            raise CsrfRefused(
                "This request did not come from a page of this site (missing or wrong CSRF "
                "token). Reload the page and try again."
            )
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[User], User]:
    """A dependency that admits the given roles (administrators are always admitted)."""

    def gate(user: CurrentUser) -> User:
        if user.role is not Role.admin and user.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise NotPermitted(f"This needs one of the roles: {allowed}.")
        return user

    return gate


Moderator = Annotated[User, Depends(require_role(Role.moderator))]
Planner = Annotated[User, Depends(require_role(Role.planner))]
Admin = Annotated[User, Depends(require_role(Role.admin))]
