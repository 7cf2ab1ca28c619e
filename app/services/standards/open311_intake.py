"""Open311 POST: client keys per municipality, and a request becoming a pending report.

A request goes through the reporting domain's own intake (`submit_report`): the same
validation, ceilings (counted per client key), placement and displacement, record keys and
moderation queue as a report from the web, with `source=open311`. Personal fields GeoReport
allows (email, names, phone, device_id, account_id) are never stored; media_url is not
fetched. Only SHA-256 hashes of keys and tokens are kept.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput, NotAuthenticated, NotFound, NotPermitted
from app.models import Municipality, Open311Key, Open311Request, Report, ReportSource, User
from app.schemas.reporting import ReportCreate
from app.services import audit
from app.services.reference import covered_ids, municipality_by_code
from app.services.reporting import client_hash, submit_report
from app.services.standards.open311 import service_category

KEY_PREFIX = "o311_"
TOKEN_PREFIX = "o311t_"
CONSENT_VALUES = frozenset({"yes", "true"})


class KeyRefused(NotAuthenticated):
    code = "open311_key_refused"


def _hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def create_key(
    session: Session,
    municipality_code: str,
    name: str,
    actor: User | None = None,
    area: tuple[int, ...] | None = None,
) -> tuple[Open311Key, str]:
    """A new client key for one municipality in `area`; returns it and the key (shown once)."""
    name = name.strip()
    if not name:
        raise InvalidInput("Name the client system (e.g. 'Çankaya Beyaz Masa').", field="name")
    municipality = municipality_by_code(session, municipality_code, field="municipality")
    if area is not None and municipality.id not in area:
        raise NotFound(f"No municipality '{municipality_code}' in your municipalities.")
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    key = Open311Key(
        municipality_id=municipality.id, name=name[:100], key_hash=_hash(plain), prefix=plain[:12]
    )
    session.add(key)
    session.flush()
    audit.record(
        session,
        "open311.key_create",
        actor=actor,
        municipality_id=municipality.id,
        after={"id": key.id, "name": key.name},
    )
    return key, plain


def list_keys(session: Session, area: tuple[int, ...] | None) -> list[dict]:
    """Client keys (never the keys themselves), of the municipalities in `area` (None: all)."""
    stmt = select(Open311Key, Municipality.code).join(
        Municipality, Municipality.id == Open311Key.municipality_id
    )
    if area is not None:
        stmt = stmt.where(Open311Key.municipality_id.in_(area))
    return [
        {
            "id": k.id,
            "municipality": code,
            "name": k.name,
            "prefix": k.prefix,
            "created_at": k.created_at,
            "last_used_at": k.last_used_at,
            "revoked": k.revoked_at is not None,
        }
        for k, code in session.execute(stmt.order_by(Open311Key.id))
    ]


def revoke_key(
    session: Session, key_id: int, area: tuple[int, ...] | None, actor: User | None
) -> None:
    """Revoke a client key of a municipality in `area` (idempotent)."""
    key = session.get(Open311Key, key_id)
    if key is None or (area is not None and key.municipality_id not in area):
        raise NotFound(f"No Open311 key with id {key_id} in your municipalities.")
    if key.revoked_at is None:
        key.revoked_at = func.now()
        audit.record(
            session,
            "open311.key_revoke",
            actor=actor,
            municipality_id=key.municipality_id,
            after={"id": key.id},
        )
    session.flush()


def key_for(session: Session, plain: str | None) -> Open311Key:
    """The live key behind `plain`, or KeyRefused."""
    if not plain:
        raise KeyRefused("api_key is required to post a service request.", field="api_key")
    key = session.scalar(
        select(Open311Key).where(
            Open311Key.key_hash == _hash(plain.strip()), Open311Key.revoked_at.is_(None)
        )
    )
    if key is None:
        raise KeyRefused("This api_key is unknown or revoked.", field="api_key")
    session.execute(
        update(Open311Key).where(Open311Key.id == key.id).values(last_used_at=func.now())
    )
    return key


def _float(form: Mapping[str, str], name: str) -> float:
    try:
        return float(form[name])
    except KeyError:
        raise InvalidInput(
            "lat and long are required: give the place as WGS84 coordinates (an address alone "
            "is not enough).",
            field=name,
        ) from None
    except ValueError:
        raise InvalidInput(f"{name} must be a number; got '{form[name]}'.", field=name) from None


def _report_data(form: Mapping[str, str], code: str) -> ReportCreate:
    attr = {k[len("attribute[") : -1]: v for k, v in form.items() if k.startswith("attribute[")}
    if attr.get("consent", "").strip().lower() not in CONSENT_VALUES:
        raise InvalidInput(
            "attribute[consent]=yes is required: the person reporting must explicitly consent "
            "to the report being stored and published without its exact location.",
            field="attribute[consent]",
        )
    occurred = attr.get("occurred_on") or None
    band = attr.get("time_band") or None
    fields = {
        "category": code,
        "location": {"lat": _float(form, "lat"), "lon": _float(form, "long")},
        "happening_now": occurred is None and band is None,
        "occurred_on": occurred,
        "time_band": band,
        "perceived_safety": attr.get("perceived_safety"),
        "text": form.get("description", ""),
        "consent": True,
    }
    try:
        return ReportCreate(**fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'request'}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidInput(f"Please correct: {problems}.") from None


def post_request(session: Session, settings: Settings, form: Mapping[str, str]) -> dict:
    """Store a POSTed service request as a pending report; answer with its token."""
    key = key_for(session, form.get("api_key"))
    jurisdiction = covered_ids(session, [key.municipality_id])
    wanted = form.get("jurisdiction_id")
    if wanted:
        asked = municipality_by_code(session, wanted, field="jurisdiction_id")
        if asked.id not in jurisdiction:
            raise NotPermitted(
                f"This api_key posts for its own municipality only; it does not hold "
                f"jurisdiction '{wanted}'.",
                field="jurisdiction_id",
            )
    code = (form.get("service_code") or "").strip()
    if not code:
        raise InvalidInput("service_code is required.", field="service_code")
    service_category(session, code)
    data = _report_data(form, code)
    created = submit_report(
        session,
        settings,
        data,
        client=client_hash(settings, f"open311-key:{key.id}"),
        source=ReportSource.open311,
    )
    report = session.scalars(select(Report).where(Report.public_id == created.public_id)).one()
    if report.municipality_id not in jurisdiction:
        raise NotPermitted(
            f"This place is in '{created.municipality}', outside this api_key's jurisdiction.",
            field="lat",
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(24)
    session.add(
        Open311Request(
            report_id=report.id,
            municipality_id=report.municipality_id,
            key_id=key.id,
            token_hash=_hash(token),
        )
    )
    session.flush()
    return {
        "token": token,
        "service_notice": "Bildirim alındı; bir gönüllü onayladığında yayımlanır. / Received; "
        "it is published once a volunteer approves it.",
    }


def request_for_token(session: Session, token: str) -> dict:
    """The service request id behind a token, once its report is published."""
    row = session.execute(
        select(Report.public_id, Report.status)
        .join(Open311Request, Open311Request.report_id == Report.id)
        .where(Open311Request.token_hash == _hash(token))
    ).first()
    if row is None:
        raise NotFound(f"No service request with token '{token}'.")
    public_id = row.public_id if row.status.value == "published" else None
    return {"token": token, "service_request_id": public_id}
