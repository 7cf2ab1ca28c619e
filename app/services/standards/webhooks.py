"""Signed webhooks: per-municipality hooks, the delivery queue with back-off, its log.

Moderation writes an event to the outbox (`services.events`) in the transaction of the
change. `dispatch` turns each event into one delivery per matching hook (of the report's
municipality or one it lies in), with a fixed body: the report as its public Open311 request,
built when dispatched, so a report hidden meanwhile is never sent. `deliver_due` posts due
deliveries signed with HMAC-SHA256 over the body (header `X-MorHarita-Signature:
sha256=<hex>`) and retries failures with exponential back-off until MAX_ATTEMPTS.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from threading import Event
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.db import unit_of_work
from app.errors import InvalidInput, NotFound
from app.models import (
    DeliveryState,
    Municipality,
    Report,
    User,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    WebhookEventKind,
)
from app.services import audit
from app.services.reference import ancestors, municipality_by_code
from app.services.standards.open311 import RequestQuery, requests

SIGNATURE_HEADER = "X-MorHarita-Signature"
MAX_ATTEMPTS = 8
RETRY_BASE_S = 30  # 30 s, 1, 2, 4, 8, 16, 32 min between the 8 attempts (about 1 h 4 min)
TIMEOUT_S = 10
BATCH = 100
LEASE_S = 120  # a claimed delivery is due again after this, should its worker die
# Deliveries claimed at once: posted one after another, each can take up to about three
# timeouts (connect, write, read), and all must be done within the lease, or another served
# process would claim the rest again and post them twice.
CLAIM = max(1, LEASE_S // (3 * TIMEOUT_S))


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: RETRY_BASE_S doubled each time."""
    return timedelta(seconds=RETRY_BASE_S * 2 ** (attempts - 1))


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > 500:
        raise InvalidInput(
            "The webhook URL must be an http(s) address of at most 500 characters "
            "(https recommended).",
            field="url",
        )
    return url


def _check_events(events: Iterable[str]) -> list[str]:
    kinds = [e.value for e in WebhookEventKind]
    chosen = sorted(set(events))
    if not chosen or any(e not in kinds for e in chosen):
        raise InvalidInput(f"Choose events among: {', '.join(kinds)}.", field="events")
    return chosen


def _in_area(municipality_id: int, area: tuple[int, ...] | None, what: str) -> None:
    if area is not None and municipality_id not in area:
        raise NotFound(f"No {what} in your municipalities.")


def create_hook(
    session: Session,
    actor: User | None,
    area: tuple[int, ...] | None,
    municipality: str,
    url: str,
    events: Iterable[str],
) -> tuple[Webhook, str]:
    """A new hook of a municipality in `area`; returns it with its secret (shown once)."""
    target = municipality_by_code(session, municipality, field="municipality")
    _in_area(target.id, area, f"municipality '{municipality}'")
    secret = secrets.token_hex(32)
    hook = Webhook(
        municipality_id=target.id, url=_check_url(url), secret=secret, events=_check_events(events)
    )
    session.add(hook)
    session.flush()
    audit.record(
        session,
        "webhook.create",
        actor=actor,
        municipality_id=target.id,
        after={"id": hook.id, "url": hook.url, "events": hook.events},
    )
    return hook, secret


def deactivate_hook(session: Session, actor: User, area: tuple[int, ...] | None, hook_id: int):
    """Stop a hook (its log stays); pending deliveries of it are not sent."""
    hook = session.get(Webhook, hook_id)
    if hook is None:
        raise NotFound(f"No webhook with id {hook_id}.")
    _in_area(hook.municipality_id, area, f"webhook with id {hook_id}")
    if hook.active:
        hook.active = False
        audit.record(
            session, "webhook.deactivate", actor=actor, municipality_id=hook.municipality_id,
            after={"id": hook.id},
        )  # fmt: skip
    session.flush()
    return hook


def list_hooks(session: Session, area: tuple[int, ...] | None) -> list[dict]:
    """The hooks of the municipalities in `area` (secrets never shown again)."""
    stmt = select(Webhook, Municipality.code).join(
        Municipality, Municipality.id == Webhook.municipality_id
    )
    if area is not None:
        stmt = stmt.where(Webhook.municipality_id.in_(area))
    return [
        {"id": h.id, "municipality": code, "url": h.url, "events": h.events, "active": h.active,
         "created_at": h.created_at}
        for h, code in session.execute(stmt.order_by(Webhook.id))
    ]  # fmt: skip


def delivery_log(
    session: Session, area: tuple[int, ...] | None, hook_id: int | None = None, limit: int = 100
) -> list[dict]:
    """The latest deliveries (newest first) with their attempts and outcome."""
    stmt = select(WebhookDelivery, Webhook.url).join(
        Webhook, Webhook.id == WebhookDelivery.webhook_id
    )
    if area is not None:
        stmt = stmt.where(WebhookDelivery.municipality_id.in_(area))
    if hook_id is not None:
        stmt = stmt.where(WebhookDelivery.webhook_id == hook_id)
    rows = session.execute(stmt.order_by(WebhookDelivery.id.desc()).limit(limit))
    return [
        {"id": d.id, "webhook_id": d.webhook_id, "url": url, "event": d.kind.value,
         "state": d.state.value, "attempts": d.attempts, "last_status": d.last_status,
         "last_error": d.last_error, "next_attempt_at": d.next_attempt_at,
         "created_at": d.created_at, "delivered_at": d.delivered_at}
        for d, url in rows
    ]  # fmt: skip


def dispatch(session: Session) -> int:
    """Fan undispatched events out into deliveries; return how many deliveries were made."""
    events = session.scalars(
        select(WebhookEvent)
        .where(WebhookEvent.dispatched_at.is_(None))
        .order_by(WebhookEvent.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    ).all()
    made = 0
    for event in events:
        event.dispatched_at = func.now()
        chain = ancestors(session, event.municipality_id)
        hooks = session.scalars(
            select(Webhook).where(
                Webhook.active,
                Webhook.municipality_id.in_(chain),
                Webhook.events.contains([event.kind.value]),
            )
        ).all()
        if not hooks:
            continue
        public_id = session.scalar(select(Report.public_id).where(Report.id == event.report_id))
        found = requests(session, RequestQuery(ids=(public_id,)), "tr") if public_id else []
        if not found:  # the report is not (or no longer) public: nothing is sent
            continue
        for hook in hooks:
            body = {
                "event": event.kind.value,
                "event_id": event.id,
                "municipality": session.get_one(Municipality, hook.municipality_id).code,
                "request": found[0],
            }
            session.add(
                WebhookDelivery(
                    webhook_id=hook.id,
                    municipality_id=hook.municipality_id,
                    event_id=event.id,
                    kind=event.kind,
                    body=json.dumps(body, ensure_ascii=False, sort_keys=True),
                )
            )
            made += 1
    session.flush()
    return made


def _claim(session: Session, now: datetime) -> list[tuple[int, str, str, str, WebhookEventKind]]:
    due = (
        select(WebhookDelivery.id)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            WebhookDelivery.state == DeliveryState.pending,
            WebhookDelivery.next_attempt_at <= now,
            Webhook.active,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(CLAIM)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    )
    ids = list(session.scalars(due))
    if not ids:
        return []
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(ids))
        .values(next_attempt_at=now + timedelta(seconds=LEASE_S))
    )
    rows = session.execute(
        select(WebhookDelivery.id, Webhook.url, Webhook.secret, WebhookDelivery.body,
               WebhookDelivery.kind)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.id.in_(ids))
        .order_by(WebhookDelivery.id)
    )  # fmt: skip
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def _send(client: httpx.Client, delivery_id: int, url: str, secret: str, body: str, kind):
    data = body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "MorHarita-Webhooks/1",
        "X-MorHarita-Event": kind.value,
        "X-MorHarita-Delivery": str(delivery_id),
        SIGNATURE_HEADER: sign(secret, data),
    }
    try:
        response = client.post(url, content=data, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


def _record(session: Session, delivery_id: int, status: int | None, error: str | None, now):
    delivery = session.get_one(WebhookDelivery, delivery_id, with_for_update=True)
    delivery.attempts += 1
    delivery.last_status = status
    delivery.last_error = error
    if error is None:
        delivery.state = DeliveryState.delivered
        delivery.delivered_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = DeliveryState.failed
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)


def deliver_due(
    factory: sessionmaker[Session], now: datetime | None = None, stopping: Event | None = None
) -> int:
    """Post every due delivery once (claimed CLAIM at a time, each outcome in its own
    transaction); once `stopping` is set, the rest wait for the next round."""
    now = now or datetime.now().astimezone()
    attempted = 0
    with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False) as client:
        while not (stopping is not None and stopping.is_set()):
            # Each claim's lease runs from when it is taken, not from the round's start.
            moment = max(now, datetime.now().astimezone())
            with unit_of_work(factory) as session:
                claimed = _claim(session, moment)
            if not claimed:
                break
            for delivery_id, url, secret, body, kind in claimed:
                if stopping is not None and stopping.is_set():
                    break
                status, error = _send(client, delivery_id, url, secret, body, kind)
                with unit_of_work(factory) as session:
                    _record(session, delivery_id, status, error, now)
                attempted += 1
    return attempted


def run_once(
    factory: sessionmaker[Session], now: datetime | None = None, stopping: Event | None = None
) -> tuple[int, int]:
    """One round of the worker: dispatch new events, then post due deliveries."""
    with unit_of_work(factory) as session:
        made = dispatch(session)
    return made, deliver_due(factory, now, stopping)
