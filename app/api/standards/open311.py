"""Open311 GeoReport v2 at /open311/v2 (docs/open311.md): public reads, keyed POST."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app import i18n
from app.api.deps import PublicReadSession, SessionDep, SettingsDep
from app.api.standards.georeport import answer, check_format
from app.schemas.standards import (
    GeoReportDefinition,
    GeoReportDiscovery,
    GeoReportError,
    GeoReportPosted,
    GeoReportRequest,
    GeoReportService,
    GeoReportToken,
)
from app.services import standards
from app.services.reference import area_for_code

# Errors come in GeoReport's format: [{"code": 400, "description": "..."}] (or XML).
ERRORS: dict[int | str, dict] = {
    code: {"model": list[GeoReportError], "description": description}
    for code, description in (
        (400, "Bad input (a date, a filter, a missing attribute such as consent)"),
        (403, "Missing, unknown or revoked api_key, or a jurisdiction the key does not hold"),
        (404, "Unknown or sensitive service, unknown request or token, unknown format"),
        (429, "Too many requests from this key"),
    )
}


def _ok(model, status_code: int = 200) -> dict[int | str, dict]:
    """The answer's documented schema in JSON; XML carries the same fields as elements."""
    return {
        status_code: {
            "model": model,
            "description": "JSON (.json) or XML (.xml) with the same fields.",
            "content": {"text/xml": {"schema": {"type": "string"}}},
        }
    }


router = APIRouter(prefix="/open311/v2", tags=["open311"], responses=ERRORS)
SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00+03:00"

Format = Annotated[str, Depends(check_format)]
Jurisdiction = Annotated[str | None, Query(max_length=64, description="A municipality code.")]


def _lang() -> str:
    return i18n.current_locale()


def _base(request: Request) -> str:
    """The server's URL as the client reached it (media_url is absolute)."""
    return str(request.base_url).rstrip("/")


@router.get("/discovery.{fmt}", summary="Open311 discovery", responses=_ok(GeoReportDiscovery))
def discovery(request: Request, fmt: Format) -> Response:
    base = str(request.base_url).rstrip("/")
    return answer(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": "Kent Konseyi Kadın Meclisi / the deployment's administrators",
            "key_service": "API keys for POST: ask a platform administrator "
            "(morharita open311 key create).",
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": f"{base}/open311/v2",
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
    )


@router.get(
    "/services.{fmt}",
    summary="Open311 services (infrastructure categories only)",
    responses=_ok(list[GeoReportService]),
)
def service_list(
    db: PublicReadSession, fmt: Format, jurisdiction_id: Jurisdiction = None
) -> Response:
    area_for_code(db, jurisdiction_id, field="jurisdiction_id")  # an unknown one is refused
    return answer(fmt, "services", standards.services(db, _lang()))


@router.get(
    "/services/{code}.{fmt}",
    summary="Open311 service definition",
    responses=_ok(GeoReportDefinition),
)
def service_definition(
    db: PublicReadSession, code: str, fmt: Format, jurisdiction_id: Jurisdiction = None
) -> Response:
    area_for_code(db, jurisdiction_id, field="jurisdiction_id")
    return answer(fmt, "service_definition", standards.service_definition(db, code))


def request_query(
    jurisdiction_id: Jurisdiction = None,
    service_code: Annotated[str | None, Query(max_length=2000)] = None,
    status: Annotated[str | None, Query(max_length=32)] = None,
    start_date: Annotated[str | None, Query(max_length=64)] = None,
    end_date: Annotated[str | None, Query(max_length=64)] = None,
    updated_after: Annotated[str | None, Query(max_length=64)] = None,
    service_request_id: Annotated[str | None, Query(max_length=2000)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> standards.RequestQuery:
    """GeoReport's filters, and the page/page_size and updated_after extensions."""

    def listed(value: str | None) -> tuple[str, ...]:
        return tuple(v.strip() for v in (value or "").split(",") if v.strip())

    return standards.RequestQuery(
        jurisdiction_id=jurisdiction_id or None,
        service_codes=listed(service_code),
        status=status or None,
        start_date=standards.parse_datetime(start_date, "start_date"),
        end_date=standards.parse_datetime(end_date, "end_date"),
        updated_after=standards.parse_datetime(updated_after, "updated_after"),
        ids=listed(service_request_id),
        page=page,
        page_size=page_size,
    )


@router.get(
    "/requests.{fmt}",
    summary="Open311 service requests (published, displaced)",
    responses=_ok(list[GeoReportRequest]),
)
def request_list(
    request: Request,
    db: PublicReadSession,
    fmt: Format,
    query: Annotated[standards.RequestQuery, Depends(request_query)],
) -> Response:
    found = standards.requests(db, query, _lang(), _base(request))
    return answer(fmt, "service_requests", found)


async def georeport_form(request: Request) -> dict[str, str]:
    """The POST's form fields (application/x-www-form-urlencoded, as GeoReport posts)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post(
    "/requests.{fmt}",
    status_code=201,
    summary="Post an Open311 service request (API key, consent)",
    responses=_ok(list[GeoReportPosted], 201),
)
def post_request(
    db: SessionDep,
    settings: SettingsDep,
    fmt: Format,
    form: Annotated[dict[str, str], Depends(georeport_form)],
) -> Response:
    created = standards.post_request(db, settings, form)
    return answer(fmt, "service_requests", [created], status_code=201)


@router.get(
    "/requests/{public_id}.{fmt}",
    summary="One Open311 service request",
    responses=_ok(list[GeoReportRequest]),
)
def request_detail(
    request: Request,
    db: PublicReadSession,
    public_id: str,
    fmt: Format,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    found = standards.request_by_id(db, public_id, _lang(), jurisdiction_id or None, _base(request))
    return answer(fmt, "service_requests", [found])


@router.get(
    "/tokens/{token}.{fmt}",
    summary="The request id behind a POST's token",
    responses=_ok(list[GeoReportToken]),
)
def token(db: SessionDep, token: str, fmt: Format) -> Response:
    return answer(fmt, "service_requests", [standards.request_for_token(db, token)])
