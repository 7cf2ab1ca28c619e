"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api import router as api_router
from app.api.pages import router as pages_router
from app.config import Settings
from app.db import make_engine, make_session_factory
from app.errors import DomainError, status_for

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
# Front-end packages from npm, served by the app itself (never from a CDN).
VENDOR = {"leaflet": "leaflet/dist"}


def error_body(code: str, message: str, **extra) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "cookie", "header")]
    return ".".join(parts) or "request"


def install_error_handlers(app: FastAPI) -> None:
    """JSON errors with a message a person can act on; never a bare 500 for bad input."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        fields = [{"field": exc.field, "message": exc.message}] if exc.field else []
        extra: dict = {"fields": fields}
        if exc.details is not None:
            extra["details"] = exc.details
        return JSONResponse(error_body(exc.code, exc.message, **extra), status_code=status_for(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = []
        for err in exc.errors():
            message = str(err.get("msg", "invalid value"))
            message = message.removeprefix("Value error, ")
            fields.append({"field": _field_name(tuple(err.get("loc", ()))), "message": message})
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return JSONResponse(
            error_body("invalid_input", f"Please correct: {summary}", fields=fields),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Not found.", 405: "Method not allowed."}
        message = exc.detail if isinstance(exc.detail, str) else messages.get(exc.status_code, "")
        return JSONResponse(
            error_body("http_error", message or "Request failed."),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )


def create_app(settings: Settings) -> FastAPI:
    """Build the app; the engine and session factory are made in the lifespan from `settings`."""
    database_url = settings.database_url
    if not database_url:
        raise ValueError("create_app needs settings.database_url (see app.localdb.database_url)")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(database_url)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="Mor Harita API",
        version="1",
        description="Participatory safety map: reports, moderation and per-mahalle indicators. "
        "Public endpoints never return exact locations, unapproved content or small cells.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=FRONTEND / "static"), name="static")
    for name, folder in VENDOR.items():
        path = FRONTEND / "node_modules" / folder
        if path.exists():  # `npm ci` in frontend/ puts them there (the Makefile does it)
            app.mount(f"/vendor/{name}", StaticFiles(directory=path), name=f"vendor-{name}")
    return app
