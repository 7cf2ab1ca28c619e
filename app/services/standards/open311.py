"""Open311 GeoReport v2 (DESIGN.md §10): services, definitions and requests, read side.

Services are the categories a municipality can act on, decided from the taxonomy's own flags
(not sensitive, in a municipal group): sensitive categories never appear. Requests are the
published reports of those categories at their displaced points, through the one visibility
rule (`public_point_reports`). Every date a request shows is coarse, and the date filters
work on those coarse values only, so no filter narrows a report down to its exact time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, aliased

from app.errors import InvalidInput, NotFound
from app.models import Category, Mahalle, Municipality, MunicipalStatus, Report
from app.services.clock import LOCAL_TZ
from app.services.moderation import MUNICIPAL_GROUPS
from app.services.reference import area_for_code
from app.services.reporting import public_photo_urls
from app.services.visibility import public_point_reports, public_text_expr

M = MunicipalStatus
# GeoReport has two statuses; the municipal loop's five map onto them.
STATUS_OF: dict[MunicipalStatus, str] = {
    M.none: "open",
    M.forwarded: "open",
    M.in_progress: "open",
    M.resolved: "closed",
    M.declined: "closed",
}
STATUS_NOTES: dict[MunicipalStatus, tuple[str, str]] = {
    M.none: ("Belediyeye henüz iletilmedi.", "Not yet forwarded to the municipality."),
    M.forwarded: ("Belediyeye iletildi.", "Forwarded to the municipality."),
    M.in_progress: ("Belediye üzerinde çalışıyor.", "The municipality is working on it."),
    M.resolved: ("Belediye çözüldü olarak bildirdi.", "The municipality reports it resolved."),
    M.declined: ("Belediye ele almadı.", "The municipality declined to act."),
}
SERVICE_NOTICE = (
    "Konumlar gizlilik için birkaç yüz metre kaydırılmıştır; tarihler ay düzeyindedir. "
    "Locations are displaced by a few hundred metres for privacy; dates are to the month."
)
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
MAX_IDS = 100


class ServiceNotFound(NotFound):
    code = "service_not_found"


class RequestNotFound(NotFound):
    code = "request_not_found"


def open311_category() -> ColumnElement[bool]:
    """The categories offered as Open311 services (queries join Category)."""
    return and_(
        Category.active, Category.sensitive.is_(False), Category.group.in_(MUNICIPAL_GROUPS)
    )


def _label(labels: dict[str, str], lang: str) -> str:
    return labels.get(lang) or labels.get("tr") or ""


def services(session: Session, lang: str) -> list[dict]:
    """The GeoReport service list: every category a municipality can act on."""
    rows = session.scalars(
        select(Category).where(open311_category()).order_by(Category.sort_order, Category.code)
    )
    return [
        {
            "service_code": c.code,
            "service_name": _label(c.labels, lang),
            "description": f"{c.label('tr')} / {c.label('en')}",
            "metadata": True,
            "type": "realtime",
            "keywords": c.group.value,
            "group": c.group.value,
        }
        for c in rows
    ]


def service_category(session: Session, code: str) -> Category:
    """The category behind an Open311 service code; ServiceNotFound for any other code."""
    category = session.scalar(select(Category).where(Category.code == code, open311_category()))
    if category is None:
        raise ServiceNotFound(
            f"'{code}' is not an Open311 service here; GET /open311/v2/services.json lists "
            "them (categories about personal safety are never offered through Open311)."
        )
    return category


def _values(pairs: list[tuple[str, str]]) -> list[dict]:
    return [{"key": k, "name": n} for k, n in pairs]


def service_definition(session: Session, code: str) -> dict:
    """The attributes a POST for this service takes; consent is required."""
    category = service_category(session, code)
    attributes = [
        {
            "variable": True,
            "code": "consent",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": "yes: the person reporting agrees (KVKK explicit consent).",
            "order": 1,
            "description": "Bu bildirimin saklanmasına ve bir gönüllü onayladıktan sonra tam "
            "konumu gösterilmeden haritada yayımlanmasına açık rıza veriyorum. / I explicitly "
            "consent to this report being stored and, once a volunteer approves it, shown on "
            "the map without its exact location.",
            "values": _values([("yes", "Evet, onaylıyorum / Yes, I consent")]),
        },
        {
            "variable": True,
            "code": "perceived_safety",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": "1 = very unsafe ... 5 = safe.",
            "order": 2,
            "description": "Kendini ne kadar güvende hissetti? / How safe did she feel?",
            "values": _values([(str(i), str(i)) for i in range(1, 6)]),
        },
        {
            "variable": True,
            "code": "time_band",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "With occurred_on; without both: it is happening now.",
            "order": 3,
            "description": "Günün hangi saatinde? / At what time of day?",
            "values": _values(
                [
                    ("day", "Gündüz / Day (06-18)"),
                    ("evening", "Akşam / Evening (18-22)"),
                    ("night", "Gece / Night (22-06)"),
                ]
            ),
        },
        {
            "variable": True,
            "code": "occurred_on",
            "datatype": "string",
            "required": False,
            "datatype_description": "A date, YYYY-MM-DD, within the last two years.",
            "order": 4,
            "description": "Ne zaman oldu? / When did it happen?",
        },
    ]
    return {"service_code": category.code, "attributes": attributes}


@dataclass(frozen=True)
class RequestQuery:
    jurisdiction_id: str | None = None
    service_codes: tuple[str, ...] = ()
    status: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    updated_after: datetime | None = None
    ids: tuple[str, ...] = ()
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def parse_datetime(value: str | None, name: str) -> datetime | None:
    """A W3C/ISO 8601 date-time parameter (no zone: Turkey's), or InvalidInput."""
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise InvalidInput(
            f"{name} must be a W3C date-time such as 2026-11-01T00:00:00+03:00; got '{value}'.",
            field=name,
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_TZ)


def _month_start() -> ColumnElement:
    return func.date_trunc("month", Report.occurred_on).cast(Report.occurred_on.type)


def _last_change() -> ColumnElement:
    # Days, never seconds: the public timeline of a report is coarse.
    return func.date_trunc(
        "day",
        func.timezone(
            "Europe/Istanbul",
            func.greatest(Report.published_at, Report.forwarded_at, Report.resolved_at),
        ),
    )


def _as_local_day(value: datetime) -> datetime:
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None)


def _filtered(session: Session, query: RequestQuery):
    area = area_for_code(session, query.jurisdiction_id, field="jurisdiction_id")
    stmt = public_point_reports(area).where(open311_category())
    if query.service_codes:
        stmt = stmt.where(Category.code.in_(query.service_codes))
    if query.status == "open":
        stmt = stmt.where(Report.municipal_status.in_([M.none, M.forwarded, M.in_progress]))
    elif query.status == "closed":
        stmt = stmt.where(Report.municipal_status.in_([M.resolved, M.declined]))
    elif query.status is not None:
        raise InvalidInput(f"status must be open or closed; got '{query.status}'.", field="status")
    if query.start_date and query.end_date and query.start_date > query.end_date:
        raise InvalidInput("start_date must not be after end_date.", field="start_date")
    if query.start_date:
        stmt = stmt.where(_month_start() >= query.start_date.astimezone(LOCAL_TZ).date())
    if query.end_date:
        stmt = stmt.where(_month_start() <= query.end_date.astimezone(LOCAL_TZ).date())
    if query.updated_after:
        stmt = stmt.where(_last_change() > _as_local_day(query.updated_after))
    if query.ids:
        stmt = stmt.where(Report.public_id.in_(query.ids))
    return stmt


def _rows(session: Session, stmt) -> list[dict]:
    responsible = aliased(Municipality)
    own = aliased(Municipality)
    return [
        dict(r)
        for r in session.execute(
            stmt.outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
            .join(own, own.id == Report.municipality_id)
            .outerjoin(responsible, responsible.id == Report.responsible_municipality_id)
            .with_only_columns(
                Report.id,
                Report.public_id,
                Category.code.label("service_code"),
                Category.labels.label("labels"),
                public_text_expr().label("text"),
                Report.municipal_status,
                Report.municipal_department,
                Report.occurred_on,
                _last_change().label("updated"),
                func.ST_X(Report.public_location).label("lon"),
                func.ST_Y(Report.public_location).label("lat"),
                Mahalle.name.label("mahalle"),
                Mahalle.district.label("district"),
                own.code.label("jurisdiction"),
                responsible.name.label("responsible"),
            )
        ).mappings()
    ]


def _request(row: dict, lang: str, media_url: str | None) -> dict:
    status = row["municipal_status"]
    agency = ", ".join(x for x in (row["responsible"], row["municipal_department"]) if x)
    month = datetime.combine(row["occurred_on"].replace(day=1), time(), LOCAL_TZ)
    updated = row["updated"].replace(tzinfo=LOCAL_TZ) if row["updated"] else month
    tr, en = STATUS_NOTES[status]
    return {
        "service_request_id": row["public_id"],
        "jurisdiction_id": row["jurisdiction"],
        "status": STATUS_OF[status],
        "status_notes": f"{tr} / {en}",
        "service_name": _label(row["labels"], lang),
        "service_code": row["service_code"],
        "description": row["text"],
        "agency_responsible": agency or None,
        "service_notice": SERVICE_NOTICE,
        "requested_datetime": month.isoformat(),
        "updated_datetime": updated.isoformat(),
        "expected_datetime": None,
        "address": ", ".join(x for x in (row["mahalle"], row["district"]) if x) or None,
        "address_id": None,
        "zipcode": None,
        "lat": round(row["lat"], 6),
        "long": round(row["lon"], 6),
    } | ({"media_url": media_url} if media_url else {})


def requests(
    session: Session, query: RequestQuery, lang: str, base: str | None = None
) -> list[dict]:
    """One page of published requests, newest published first; with `base` (the server's
    URL), `media_url` is the first photo's public URL (the re-encoded copy the map shows),
    left out for a request without photos."""
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size must be 1 to {MAX_PAGE_SIZE}.", field="page_size")
    if query.page < 1:
        raise InvalidInput("page starts at 1.", field="page")
    if len(query.ids) > MAX_IDS:
        raise InvalidInput(f"At most {MAX_IDS} service_request_id values.", field="ids")
    stmt = (
        _filtered(session, query)
        .order_by(Report.published_at.desc(), Report.public_id.desc())
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
    )
    rows = _rows(session, stmt)
    # Every report here is published and of a non-sensitive category: its photos are public.
    photos = public_photo_urls(session, [r["id"] for r in rows]) if base else {}
    return [
        _request(r, lang, f"{base}{photos[r['id']][0]}" if photos.get(r["id"]) else None)
        for r in rows
    ]


def request_by_id(
    session: Session, public_id: str, lang: str, jurisdiction: str | None, base: str | None = None
) -> dict:
    """One published request, or RequestNotFound (also for pending or sensitive reports)."""
    query = RequestQuery(jurisdiction_id=jurisdiction, ids=(public_id,))
    found = requests(session, query, lang, base)
    if not found:
        raise RequestNotFound(f"No published service request with id '{public_id}'.")
    return found[0]
