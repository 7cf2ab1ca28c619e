"""Errors under /ogc in the OGC API exception format ({"code", "description"}), 400 for bad input."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from app.errors import DomainError, InvalidInput, NotFound, status_for

OGC_PREFIX = "/ogc"


def is_ogc(request: Request) -> bool:
    """Whether the request is for the OGC API (its errors take the OGC format)."""
    path = request.url.path
    return path == OGC_PREFIX or path.startswith(OGC_PREFIX + "/")


def ogc_exception(status: int, code: str, description: str, headers=None) -> JSONResponse:
    """An OGC API exception document."""
    return JSONResponse(
        {"code": code, "description": description},
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


def ogc_domain_error(exc: DomainError) -> JSONResponse:
    """A domain error as OGC asks: bad parameters 400, unknown resources 404."""
    if isinstance(exc, NotFound):
        status, code = 404, "NotFound"
    elif isinstance(exc, InvalidInput):
        status, code = 400, "InvalidParameterValue"
    else:
        status, code = status_for(exc), exc.code
    where = f" ({exc.field})" if exc.field else ""
    return ogc_exception(status, code, exc.message + where, getattr(exc, "headers", None))
