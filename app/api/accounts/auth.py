"""Staff login and logout with a server-side session cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    SessionDep,
    SettingsDep,
    check_csrf,
)
from app.errors import NotAuthenticated, error_body
from app.schemas.accounts import LoginRequest, PasswordChange, UserPublic
from app.schemas.common import errors
from app.services.accounts import auth

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/login", response_model=UserPublic, responses=errors(401, 422, 429))
def login(body: LoginRequest, request: Request, db: SessionDep, settings: SettingsDep):
    """Log in; sets an HttpOnly, SameSite=Lax session cookie (Secure over HTTPS).

    TooManyAttempts (429 with Retry-After) after repeated failures for the account or the client.
    """
    client = request.client.host if request.client else None
    user = auth.log_in(db, settings, body.email, body.password, client)
    if user is None:  # answered, not raised: the failed attempt is kept in the audit log
        error = NotAuthenticated("Wrong e-mail or password, or the account is not active.")
        return JSONResponse(error_body(error.code, error.message), status_code=401)
    token = auth.start_session(db, user, settings.session_max_age_s)
    secure = settings.secure_cookies(request.url.scheme)
    response = JSONResponse(UserPublic.model_validate(user).model_dump(mode="json"))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_max_age_s,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        auth.csrf_token(settings.secret_key, token),
        max_age=settings.session_max_age_s,
        httponly=False,  # the page's scripts read it and send it back as a header
        samesite="strict",
        secure=secure,
        path="/",
    )
    return response


@router.post("/logout", status_code=204)
def logout(request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    """End the session (the cookie and its server-side record).

    With a session cookie, the session's CSRF token is required (403 `csrf_failed`), so
    another site cannot log a moderator out; without one there is nothing to end."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        check_csrf(request, settings)
        auth.end_session(db, token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/me", response_model=UserPublic, responses=errors(401))
def me(user: CurrentUser):
    """Who is logged in."""
    return user


@router.post("/password", status_code=204, responses=errors(401, 403, 422, 429))
def change_password(
    body: PasswordChange,
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> Response:
    """Change one's own password (the current one is required); other sessions end."""
    session_token = request.cookies.get(SESSION_COOKIE)
    auth.change_password(
        db, settings, user, body.current_password, body.new_password, session_token
    )
    return Response(status_code=204)
