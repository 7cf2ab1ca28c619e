"""The application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from app import localdb, replica
from app.api import pages
from app.api import router as api_router
from app.api.openapi import install_openapi
from app.api.standards import georeport
from app.api.standards.errors import is_ogc, ogc_domain_error, ogc_exception
from app.config import Settings, get_settings
from app.db import engine_for, make_session_factory, replica_engine_for
from app.errors import DatabaseUnavailable, DomainError, error_body, status_for
from app.middleware import DefaultHeadersMiddleware, LanguageMiddleware
from app.services import standards

log = logging.getLogger("app")
FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
# Front-end packages from npm, served by the app itself (never from a CDN).
VENDOR = {
    "leaflet": "leaflet/dist",
    "leaflet.markercluster": "leaflet.markercluster/dist",
    "swagger-ui": "swagger-ui-dist",  # /docs (app/api/pages/api_docs.py)
    "redoc": "redoc/bundles",  # /redoc
}


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "cookie", "header")]
    return ".".join(parts) or "request"


def install_error_handlers(app: FastAPI) -> None:
    """JSON errors with a message a person can act on; never a bare 500 for bad input."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if georeport.is_georeport(request):  # Open311 clients read the standard's errors
            status = georeport.georeport_status(exc)
            return georeport.error_answer(
                request, status, exc.message, getattr(exc, "headers", None)
            )
        if is_ogc(request):
            return ogc_domain_error(exc)
        fields = [{"field": exc.field, "message": exc.message}] if exc.field else []
        extra: dict = {"fields": fields}
        if exc.details is not None:
            extra["details"] = exc.details
        return JSONResponse(
            error_body(exc.code, exc.message, **extra),
            status_code=status_for(exc),
            headers=getattr(exc, "headers", None),  # e.g. Retry-After on 429
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields = []
        for err in exc.errors():
            message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
            field = _field_name(tuple(err.get("loc", ())))
            if err.get("type") == "json_invalid":
                field, message = "body", f"the request body is not valid JSON ({message})"
            elif err.get("type") == "missing" and tuple(err.get("loc", ())) == ("body",):
                field, message = "body", "a JSON request body is required"
            fields.append({"field": field, "message": message})
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        if georeport.is_georeport(request):
            return georeport.error_answer(request, 400, f"Please correct: {summary}")
        if is_ogc(request):
            return ogc_exception(400, "InvalidParameterValue", f"Please correct: {summary}")
        return JSONResponse(
            error_body("invalid_input", f"Please correct: {summary}", fields=fields),
            status_code=422,
        )

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> JSONResponse:
        # The transaction is already rolled back; say what kind of value was refused.
        message = (
            "A value could not be stored: it contains a NUL character, or a number is out of "
            "range. Please correct the input."
        )
        return JSONResponse(error_body("invalid_input", message, fields=[]), status_code=422)

    async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # PostgreSQL is down, restarting or saturated: nothing was stored; try again soon.
        log.warning("database unavailable: %s", type(exc).__name__)
        unavailable = DatabaseUnavailable(
            "The service is briefly unavailable and nothing was saved. Please try again in a "
            "few seconds."
        )
        return JSONResponse(
            error_body(
                unavailable.code,
                unavailable.message,
                details={"retry_after": unavailable.retry_after_s},
            ),
            status_code=503,
            headers=unavailable.headers,
        )

    for cls in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(cls, database_unavailable)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # The route template, not the path: a path can hold a tracking code (DESIGN.md §2.5).
        route = getattr(request.scope.get("route"), "path", "?")
        log.exception("unhandled error on %s %s", request.method, route)
        message = "Something went wrong on our side; nothing was saved. Please try again later."
        # Answered outside the middlewares (Starlette's ServerErrorMiddleware): their headers too.
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        return JSONResponse(error_body("internal_error", message), status_code=500, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "Not found.", 405: "Method not allowed."}
        message = exc.detail if isinstance(exc.detail, str) else messages.get(exc.status_code, "")
        if georeport.is_georeport(request):
            return georeport.error_answer(
                request, exc.status_code, message or "Request failed.", exc.headers
            )
        if is_ogc(request):
            code = "NotFound" if exc.status_code == 404 else "HttpError"
            return ogc_exception(exc.status_code, code, message or "Request failed.")
        return JSONResponse(
            error_body("http_error", message or "Request failed."),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )


def _gzipped(directory: Path) -> GZipMiddleware:
    return GZipMiddleware(StaticFiles(directory=directory), minimum_size=1024)


def create_app(settings: Settings) -> FastAPI:
    """Build the app; the engine and session factory are made in the lifespan from `settings`."""
    database_url = settings.database_url
    if not database_url:
        raise ValueError("create_app needs settings.database_url (see app.localdb.database_url)")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = engine_for(settings, application_name=replica.PRIMARY_APPLICATION)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        app.state.read_routing = replica.ReadRouting(
            engine,
            replica_engine_for(settings, application_name=replica.REPLICA_APPLICATION),
            max_lag_s=settings.replica_max_lag_s,
            check_interval_s=settings.replica_check_interval_s,
        )
        # One webhook delivery loop per process (DESIGN.md §10); off: MORHARITA_WEBHOOKS_WORKER=0.
        app.state.webhook_loop = None
        if settings.webhooks_worker:
            app.state.webhook_loop = standards.DeliveryLoop(
                app.state.session_factory, settings.webhooks_interval_s
            )
            app.state.webhook_loop.start()
        try:
            yield
        finally:
            if app.state.webhook_loop is not None:
                await app.state.webhook_loop.stop()
            app.state.read_routing.dispose()
            engine.dispose()

    app = FastAPI(
        title="Mor Harita API",
        version="1",
        description="Participatory safety map: reports, moderation and per-mahalle indicators. "
        "Public endpoints never return exact locations, unapproved content or small cells.",
        lifespan=lifespan,
        # Served by app/api/pages/api_docs.py from local assets under the pages' CSP.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)

    # The outermost last: default headers apply to every answer, the language's cookie too.
    app.add_middleware(LanguageMiddleware, settings=settings)
    app.add_middleware(DefaultHeadersMiddleware)

    app.include_router(api_router)
    install_openapi(app)
    pages.install(app)
    # Scripts and styles are sent compressed (a slow phone connection: bench/page_weight.py);
    # only static files, so no response that holds a secret is ever compressed (BREACH).
    app.mount("/static", _gzipped(FRONTEND / "static"), name="static")
    for name, folder in VENDOR.items():
        path = FRONTEND / "node_modules" / folder
        if path.exists():  # `npm ci` in frontend/ puts them there (the Makefile does it)
            app.mount(f"/vendor/{name}", _gzipped(path), name=f"vendor-{name}")
    return app


def app_from_env() -> FastAPI:
    """The app with settings read from the environment: `uvicorn --factory app.main:app_from_env`.

    Each worker process calls it, so each builds its own settings and (in the lifespan) its
    own pool. With DATABASE_URL unset the local cluster must already be running
    (`morharita db up`); it is not started from a worker.
    """
    settings = get_settings()
    url = localdb.database_url(settings, start=False)
    return create_app(settings.model_copy(update={"database_url": url}))
