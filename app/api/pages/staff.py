"""Staff HTML pages: log-in, account, moderation queue, users and audit log.

Every page but the log-in page needs a session (router-level dependency): without one the
browser is sent to /login; with the wrong role it gets a 403 page. Their data comes from the
authenticated JSON API, so the pages themselves hold nothing private.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.api.deps import OptionalUser, SessionDep, SettingsDep
from app.api.pages.templating import render
from app.models import Role, User
from app.services.pages import site
from app.services.pages.audits import audit_page_config
from app.services.pages.integrations import integrations


class PageLoginRequired(Exception):
    """A staff page was asked for without a session."""


class PageForbidden(Exception):
    """A staff page was asked for by a user whose role does not admit it."""


def safe_next(target: str | None) -> str:
    """A local path to go to after logging in (never another site)."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 33 or ord(c) == 127 for c in target)  # "/\t/x" is "//x" to a browser
    ):
        return "/moderation"
    return target


def page_role(*roles: Role):
    """A page dependency admitting `roles` (administrators always)."""

    def gate(user: OptionalUser) -> User:
        if user is None:
            raise PageLoginRequired()
        if user.role is not Role.admin and user.role not in roles:
            raise PageForbidden()
        return user

    return gate


# One gate object per role set, so the router-level check and the page's own `user`
# parameter are the same dependency: FastAPI then runs it (a session look-up) once.
_staff_gate = page_role(Role.moderator, Role.planner)
_moderator_gate = page_role(Role.moderator)
_admin_gate = page_role(Role.admin)
StaffUser = Annotated[User, Depends(_staff_gate)]
ModeratorUser = Annotated[User, Depends(_moderator_gate)]
AdminUser = Annotated[User, Depends(_admin_gate)]


def _config(db, settings, user: User | None) -> dict:
    config = site.page_config(settings, demo=site.demo_data_present(db))
    if user is not None:
        config["user"] = {"email": user.email, "role": user.role.value}
    return config


public_router = APIRouter(include_in_schema=False)


@public_router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request, db: SessionDep, settings: SettingsDep, user: OptionalUser
) -> HTMLResponse:
    """The staff log-in form; goes to `next` (a local path) once logged in."""
    config = _config(db, settings, user)
    config["next"] = safe_next(request.query_params.get("next"))
    return render(request, "login.html", {"config": config, "mode": "login"}, settings)


any_staff = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(_staff_gate)],
)


@any_staff.get("/account", response_class=HTMLResponse)
def account_page(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
) -> HTMLResponse:
    """Change one's own password."""
    config = _config(db, settings, user)
    return render(request, "login.html", {"config": config, "mode": "account"}, settings)


@any_staff.get("/municipal", response_class=HTMLResponse)
def municipal_page(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
) -> HTMLResponse:
    """Record the municipal response (moderators and planners)."""
    return render(request, "municipal.html", {"config": _config(db, settings, user)}, settings)


moderators = APIRouter(include_in_schema=False, dependencies=[Depends(_moderator_gate)])


@moderators.get("/moderation", response_class=HTMLResponse)
def moderation_page(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: ModeratorUser,
) -> HTMLResponse:
    """The moderation queue."""
    config = _config(db, settings, user)
    config["lock_minutes"] = settings.edit_lock_minutes
    return render(request, "moderation.html", {"config": config}, settings)


@moderators.get("/audits", response_class=HTMLResponse)
def audits_page(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: ModeratorUser,
) -> HTMLResponse:
    """Safety audit walks: record a walk on a phone (offline too), and moderate walks."""
    config = _config(db, settings, user)
    config.update(audit_page_config(db, user))
    page = render(request, "audits.html", {"config": config}, settings)
    # The service worker opens its offline copy of this page for one session's length only.
    page.headers["X-Offline-Max-Age"] = str(settings.session_max_age_s)
    return page


admins = APIRouter(include_in_schema=False, dependencies=[Depends(_admin_gate)])


@admins.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: AdminUser,
) -> HTMLResponse:
    """Staff accounts, municipalities, responsibility; Open311 keys and webhooks (read)."""
    context = {"config": _config(db, settings, user), **integrations(db, user)}
    return render(request, "admin.html", context, settings)


@admins.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: AdminUser,
) -> HTMLResponse:
    """The audit log with filters and CSV export."""
    return render(request, "audit.html", {"config": _config(db, settings, user)}, settings)


router = APIRouter(include_in_schema=False)
router.include_router(public_router)
router.include_router(any_staff)
router.include_router(moderators)
router.include_router(admins)


def install(app) -> None:
    """Send anonymous visitors of staff pages to /login, and refuse the wrong role (403)."""

    @app.exception_handler(PageLoginRequired)
    async def login_required(request: Request, exc: PageLoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(PageForbidden)
    async def forbidden(request: Request, exc: PageForbidden):
        settings = request.app.state.settings
        config = site.page_config(settings, demo=False)
        response = render(request, "login.html", {"config": config, "mode": "forbidden"}, settings)
        response.status_code = 403
        return response
