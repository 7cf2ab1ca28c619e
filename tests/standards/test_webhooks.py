"""Signed webhooks: a real receiver checks signatures, a failing one gets retries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import DeliveryState, Role, WebhookDelivery, WebhookEvent
from app.services import standards
from tests.standards.receiver import receiver
from tests.standards.support import EXACT, published
from tests.support.citizen_support import leaks
from tests.support.factories import login, make_report, make_user
from tests.support.moderation_support import mod_url

EVENTS = ["published", "forwarded", "resolved"]


def _hook(client, url: str, municipality: str = "cankaya", events=EVENTS) -> dict:
    response = client.post(
        "/api/v1/admin/webhooks", json={"municipality": municipality, "url": url, "events": events}
    )
    assert response.status_code == 201, response.text
    return response.json()


def _events(db) -> int:
    return db.scalar(select(func.count(WebhookEvent.id))) or 0


def test_published_forwarded_resolved_arrive_signed_with_public_data_only(
    client, db, settings, session_factory
):
    admin = make_user(db, settings, Role.admin)
    report, _ = make_report(db, settings, lon=EXACT[0], lat=EXACT[1], text="Lamba yanmıyor.")
    with receiver() as hook_receiver, receiver() as other_district:
        login(client, admin)
        hook = _hook(client, hook_receiver.url)
        hook_receiver.secret = hook["secret"]
        other = _hook(client, other_district.url, municipality="yenimahalle")
        other_district.secret = other["secret"]
        assert "secret" not in client.get("/api/v1/admin/webhooks").json()[0]
        moderator = make_user(db, settings, Role.moderator, ["cankaya"])
        login(client, moderator)
        assert client.post(mod_url(report, "approve"), json={}).status_code == 200
        for step in ({"status": "forwarded", "note": "Fen İşleri'ne iletildi.",
                      "department": "Fen İşleri"},
                     {"status": "resolved", "note": "Lamba değiştirildi."}):  # fmt: skip
            url = f"/api/v1/municipal/reports/{report.public_id}/status"
            assert client.post(url, json=step).status_code == 201
        assert _events(db) == 3
        made, sent = standards.run_once(session_factory)
        assert (made, sent) == (3, 3)
    got = hook_receiver.received
    assert [r["event"] for r in got] == EVENTS
    assert all(r["signed"] for r in got)
    assert [r["json"]["event"] for r in got] == EVENTS
    assert {r["json"]["request"]["service_request_id"] for r in got} == {report.public_id}
    for r in got:
        text = r["body"].decode()
        assert not leaks(text, *EXACT)
        assert "reporter" not in text and "tracking" not in text and "email" not in text
    assert other_district.received == []  # a Yenimahalle hook hears nothing of Çankaya
    login(client, admin)
    log = client.get("/api/v1/admin/webhooks/deliveries").json()
    assert {(d["event"], d["state"], d["attempts"], d["last_status"]) for d in log} == {
        (e, "delivered", 1, 200) for e in EVENTS
    }


def test_a_failing_receiver_gets_retries_with_back_off_then_fails(
    client, db, settings, session_factory
):
    report, _ = make_report(db, settings, lon=EXACT[0], lat=EXACT[1])
    with receiver(status=500) as failing:
        login(client, make_user(db, settings, Role.admin))
        failing.secret = _hook(client, failing.url, events=["published"])["secret"]
        assert client.post(mod_url(report, "approve"), json={}).status_code == 200
        now = datetime.now().astimezone()
        assert standards.run_once(session_factory, now) == (1, 1)
        delivery = db.scalars(select(WebhookDelivery)).one()
        for attempt in range(2, standards.MAX_ATTEMPTS + 1):
            db.refresh(delivery)
            assert delivery.state is DeliveryState.pending
            assert delivery.next_attempt_at == now + standards.retry_delay(attempt - 1)
            early = delivery.next_attempt_at - timedelta(seconds=1)
            assert standards.deliver_due(session_factory, early) == 0  # not due yet
            now = delivery.next_attempt_at
            assert standards.deliver_due(session_factory, now) == 1
        db.refresh(delivery)
        assert delivery.state is DeliveryState.failed
        assert delivery.attempts == standards.MAX_ATTEMPTS
        assert delivery.last_status == 500 and delivery.last_error == "HTTP 500"
        assert standards.deliver_due(session_factory, now + timedelta(days=1)) == 0
    assert len(failing.received) == standards.MAX_ATTEMPTS
    assert all(r["signed"] for r in failing.received)
    # The same body each time: the receiver can de-duplicate by event id.
    assert len({r["body"] for r in failing.received}) == 1
    assert standards.retry_delay(1) == timedelta(seconds=30)
    assert standards.retry_delay(3) == timedelta(minutes=2)


def test_a_refused_change_enqueues_nothing_and_a_hidden_report_is_never_sent(
    client, db, settings, session_factory
):
    flagged, _ = make_report(db, settings, text="Beni 0532 123 45 67 numarasından arayın.")
    with receiver() as hook_receiver:
        login(client, make_user(db, settings, Role.admin))
        hook_receiver.secret = _hook(client, hook_receiver.url)["secret"]
        refused = client.post(mod_url(flagged, "approve"), json={})
        assert refused.status_code == 409  # personal-data hints: the approval rolled back
        assert _events(db) == 0
        report = published(db, settings)
        assert client.post(mod_url(report, "hide"), json={"note": "x"}).status_code == 200
        assert client.post(mod_url(report, "approve"), json={}).status_code == 200
        assert client.post(mod_url(report, "hide"), json={"note": "y"}).status_code == 200
        assert _events(db) == 1
        assert standards.run_once(session_factory) == (0, 0)  # hidden again before dispatch
    assert hook_receiver.received == []


@pytest.mark.parametrize("role", [Role.moderator, Role.planner])
def test_staff_of_another_municipality_are_refused(client, db, settings, role):
    admin = make_user(db, settings, Role.admin)
    login(client, admin)
    _hook(client, "https://example.org/hook")
    login(client, make_user(db, settings, role, ["yenimahalle"]))
    for method, path, body in [
        ("GET", "/api/v1/admin/webhooks", None),
        ("POST", "/api/v1/admin/webhooks",
         {"municipality": "cankaya", "url": "https://evil.example/x", "events": ["published"]}),
        ("GET", "/api/v1/admin/webhooks/deliveries", None),
        ("POST", "/api/v1/admin/webhooks/1/deactivate", None),
        ("GET", "/api/v1/admin/open311/keys", None),
        ("POST", "/api/v1/admin/open311/keys", {"municipality": "cankaya", "name": "x"}),
    ]:  # fmt: skip
        response = client.request(method, path, json=body)
        assert response.status_code == 403, (method, path, response.text)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"municipality": "cankaya", "url": "ftp://x.example/", "events": ["published"]}, "url"),
        ({"municipality": "cankaya", "url": "https://x.example/", "events": []}, "events"),
        ({"municipality": "cankaya", "url": "https://x.example/", "events": ["deleted"]}, "events"),
        (
            {"municipality": "atlantis", "url": "https://x.example/", "events": ["published"]},
            "municipality",
        ),
    ],
)
def test_bad_webhooks_are_refused_with_a_message(client, db, settings, body, field):
    login(client, make_user(db, settings, Role.admin))
    response = client.post("/api/v1/admin/webhooks", json=body)
    assert response.status_code == 422, response.text
    assert field in response.text
