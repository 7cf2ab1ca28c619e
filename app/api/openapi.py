"""The OpenAPI document: security schemes, and which operations need which.

Staff routes take the login session (the `mh_session` cookie; state-changing requests also
echo the CSRF token in `X-CSRF-Token`); the planners' data routes also take a personal API
token (`Authorization: Bearer mh_...`). Which applies is read from each route's
dependencies, so the document cannot drift from what the code enforces.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, _iter_routes_with_context

from app.api.deps import (
    CSRF_HEADER,
    SAFE_METHODS,
    SESSION_COOKIE,
    current_user,
    optional_user,
    token_or_session_user,
)

SCHEMES = {
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "The staff login session (POST /api/v1/auth/login sets it).",
    },
    "csrf": {
        "type": "apiKey",
        "in": "header",
        "name": CSRF_HEADER,
        "description": "With the session, on every state-changing request: the value of the "
        "mh_csrf cookie set at login.",
    },
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token (mh_...), created with POST /api/v1/tokens; "
        "planners' data routes only.",
    },
}


def _calls(dependant: Dependant) -> Iterator[object]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _security(dependant: Dependant, method: str) -> list[dict] | None:
    calls = set(_calls(dependant))
    session: dict[str, list] = (
        {"session": []} if method in SAFE_METHODS else {"session": [], "csrf": []}
    )
    if token_or_session_user in calls:
        return [{"bearer": []}, session]
    if current_user in calls:
        return [session]
    if optional_user in calls:
        return [{}, {"session": []}]  # anyone; staff see more
    return None


def install_openapi(app: FastAPI) -> None:
    """Generate the document once, with the security schemes and each operation's."""

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schema.setdefault("components", {})["securitySchemes"] = SCHEMES
        # Each route as included (its routers' dependencies, such as role gates, with it).
        for route, context in _iter_routes_with_context(app.routes):
            if not isinstance(route, APIRoute):
                continue
            effective = context if context is not None else route
            if effective.dependant is None or not effective.include_in_schema:
                continue
            for method in effective.methods or ():
                path = schema["paths"].get(effective.path_format, {})
                operation = path.get(method.lower())
                security = _security(effective.dependant, method)
                if operation is not None and security is not None:
                    operation["security"] = security
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
