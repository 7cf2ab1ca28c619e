"""Dependencies: the request-owned transaction, settings, the viewer and role gates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import unit_of_work
from app.errors import CsrfRefused, NotAuthenticated, NotPermitted
from app.models import Role, User
from app.replica import ReadRouting
from app.services import accounts, suppression

SESSION_COOKIE = "mh_session"
# Readable by the page's scripts, which echo it in the X-CSRF-Token header (see api.js).
CSRF_COOKIE = "mh_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` in a worker thread,
# a hand-over that costs more than these bodies.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_session_factory(request: Request) -> sessionmaker[Session]:
    return request.app.state.session_factory


def get_db(
    factory: Annotated[sessionmaker[Session], Depends(get_session_factory)],
) -> Iterator[Session]:
    """The request owns the transaction: commit on success, roll back on error."""
    with unit_of_work(factory) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def perturbation_table(settings: SettingsDep) -> suppression.PTable:
    """The cell key perturbation table of the settings (read and validated once)."""
    return suppression.perturbation_table(settings.perturbation_table)


PTableDep = Annotated[suppression.PTable, Depends(perturbation_table)]
# scope="function": commit before the response is sent, so nothing acknowledged is lost.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


async def get_read_routing(request: Request) -> ReadRouting:
    return request.app.state.read_routing


ReadRoutingDep = Annotated[ReadRouting, Depends(get_read_routing)]


def _staff_request(request: Request) -> bool:
    """A request that may be a staff member's (a session cookie or an API token)."""
    return SESSION_COOKIE in request.cookies or "authorization" in request.headers


def get_public_read_db(
    request: Request, primary: SessionDep, routing: ReadRoutingDep
) -> Iterator[Session]:
    """A read-only session for an anonymous read: on the replica when one is usable.

    Staff (a session cookie or a token) always read from the primary, so what they just
    wrote is on their screen; with no replica configured this is the request's primary
    session itself (the one the viewer's look-up uses; it connects only when queried).
    """
    if routing.replica_factory is None or _staff_request(request):
        yield primary
        return
    factory = routing.public_factory()
    session = factory()
    if factory is routing.replica_factory:
        try:
            session.connection()  # reach it now, so an outage falls back instead of a 503
        except (OperationalError, InterfaceError) as exc:
            session.close()
            routing.mark_down(f"unreachable ({type(exc.orig).__name__})")
            session = routing.primary_read_factory()
    with unit_of_work(lambda: session) as used:
        yield used


# Public GET routes declare this instead of SessionDep (DESIGN.md §12): map pages and their
# JSON, public layers and indicators, plan pages, tiles, OGC API, Open311 GET.
PublicReadSession = Annotated[Session, Depends(get_public_read_db, scope="function")]


def optional_user(request: Request, db: SessionDep) -> User | None:
    """The logged-in staff member, or None for the public."""
    token = request.cookies.get(SESSION_COOKIE)
    return accounts.user_for_session_token(db, token) if token else None


OptionalUser = Annotated[User | None, Depends(optional_user)]


def current_user(request: Request, user: OptionalUser, settings: SettingsDep) -> User:
    """The logged-in user; a state-changing request must also carry the session's CSRF token."""
    if user is None:
        raise NotAuthenticated("Please log in first (POST /api/v1/auth/login).")
    if request.method not in SAFE_METHODS:
        check_csrf(request, settings)
    return user


def check_csrf(request: Request, settings: Settings) -> None:
    """The request echoes the CSRF token of its session cookie, or CsrfRefused (403)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not accounts.csrf_token_matches(
        settings.secret_key, token, request.headers.get(CSRF_HEADER)
    ):
        raise CsrfRefused(
            "This request did not come from a page of this site (missing or wrong CSRF "
            "token). Reload the page and try again."
        )


CurrentUser = Annotated[User, Depends(current_user)]


def token_or_session_user(request: Request, db: SessionDep, settings: SettingsDep) -> User:
    """The user of a personal API token (`Authorization: Bearer <token>`), else of the session.

    A token request carries no ambient cookie, so it needs no CSRF token; a session request
    goes through `current_user` and its CSRF check.
    """
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        user = accounts.user_for_api_token(db, value.strip())
        if user is None:
            raise NotAuthenticated(
                "This API token is unknown or revoked. Create a new one on the dashboard "
                "(POST /api/v1/tokens while logged in)."
            )
        return user
    return current_user(request, optional_user(request, db), settings)


def _check_role(user: User, roles: tuple[Role, ...]) -> User:
    if user.role is not Role.admin and user.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise NotPermitted(f"This needs one of the roles: {allowed}.")
    return user


@cache  # one gate per role set: a router's gate and a route's `user` then run once
def require_role(*roles: Role) -> Callable[[User], User]:
    """A dependency that admits the given roles (administrators are always admitted)."""

    def gate(user: CurrentUser) -> User:
        return _check_role(user, roles)

    return gate


@cache
def require_role_or_token(*roles: Role) -> Callable[[User], User]:
    """Like `require_role`, but a personal API token of such a user is accepted too."""

    def gate(user: Annotated[User, Depends(token_or_session_user)]) -> User:
        return _check_role(user, roles)

    return gate


Moderator = Annotated[User, Depends(require_role(Role.moderator))]
Planner = Annotated[User, Depends(require_role(Role.planner))]
Admin = Annotated[User, Depends(require_role(Role.admin))]
# Planners' data routes: a session or a personal API token (exports from QGIS, scripts).
PlannerApi = Annotated[User, Depends(require_role_or_token(Role.planner))]
