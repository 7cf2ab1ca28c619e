"""The app's own HTTP middlewares, as plain ASGI: the interface language and default headers.

Plain ASGI rather than `@app.middleware("http")` (Starlette's BaseHTTPMiddleware), which runs
the rest of the app in a task of its own with memory streams for every request: two of them
cost about a tenth of a cheap request's CPU (bench/README.md, "Per-request overhead").
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import i18n
from app.config import Settings

# Files under these prefixes may be kept by the browser (they carry no one's data).
CACHEABLE_PREFIXES = ("/static/", "/vendor/")


class LanguageMiddleware:
    """The interface language of each request; `?lang=` is remembered in a session cookie
    only (gone when the browser closes, and quick exit deletes it): a lasting one would tell
    whoever picks up the phone that the site was visited."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        chosen = QueryParams(scope.get("query_string", b"")).get("lang")
        cookie = cookie_parser(headers.get("cookie", "")).get(i18n.COOKIE)
        locale = i18n.negotiate(chosen, cookie, headers.get("accept-language", ""))
        remember = self._cookie(scope, locale) if chosen in i18n.LOCALES else None

        async def send_with_cookie(message: Message) -> None:
            if remember is not None and message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", remember)
            await send(message)

        token = i18n.set_locale(locale)
        try:
            await self.app(scope, receive, send_with_cookie)
        finally:
            i18n.reset_locale(token)

    def _cookie(self, scope: Scope, locale: str) -> str:
        """The Set-Cookie value remembering `locale` for the browser session."""
        carrier = Response()
        carrier.set_cookie(
            i18n.COOKIE,
            locale,
            samesite="lax",
            secure=self.settings.secure_cookies(scope.get("scheme", "http")),
            httponly=False,  # not a secret; lib/quick-exit.js deletes it on the way out
        )
        return carrier.headers["set-cookie"]


class DefaultHeadersMiddleware:
    """Nothing a reporter did may linger in a shared phone's cache: `Cache-Control: no-store`
    unless the answer says otherwise (static files opt out); and no answer is ever read as
    another type than it says (JSON as HTML, say): `X-Content-Type-Options: nosniff`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = not scope["path"].startswith(CACHEABLE_PREFIXES)

        async def send_with_defaults(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if no_store:
                    headers.setdefault("cache-control", "no-store")
                headers.setdefault("x-content-type-options", "nosniff")
            await send(message)

        await self.app(scope, receive, send_with_defaults)
