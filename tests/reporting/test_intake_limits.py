"""Intake ceilings over real HTTP: per client (a salted daily hash, no address stored), per
mahalle and in total, for reports, photos and "me too"; the honeypot; a flood cut off while
other clients keep being heard.

Clients are told apart by X-Forwarded-For, which the test server trusts from 127.0.0.1 (as
MORHARITA_FORWARDED_ALLOW_IPS does behind a real proxy).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select, text

from app.models import Report, ReportStatus
from app.services.reporting import intake
from tests.conftest import LiveServer
from tests.support.citizen_support import image_bytes
from tests.support.factories import KIZILAY, make_report, report_payload

YENIMAHALLE = (32.7, 39.97)


@pytest.fixture
def limited(settings, session_factory, db) -> Iterator[httpx.Client]:
    """A server with small ceilings, bound to this test's transaction, counters at zero
    (other tests that commit, end to end, may have counted in this window)."""
    db.execute(text("DELETE FROM intake_count"))
    db.flush()
    small = settings.model_copy(
        update={
            "intake_reports_per_client": 5,
            "intake_reports_per_mahalle": 60,
            "intake_reports_total": 120,
            "intake_photos_per_client": 2,
            "intake_confirmations_per_client": 3,
        }
    )
    server = LiveServer(small)
    server.start()
    server.bind(session_factory)
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            yield http
    finally:
        server.bind(None)
        server.stop()


def post(http: httpx.Client, client: str, lon_lat=KIZILAY, **overrides) -> httpx.Response:
    return http.post(
        "/api/v1/reports",
        json=report_payload(*lon_lat, **overrides),
        headers={"X-Forwarded-For": client},
    )


def reports(db) -> int:
    return db.scalar(select(func.count(Report.id)))


def test_a_client_past_its_ceiling_gets_429_with_retry_after_and_others_do_not(limited, db):
    before = reports(db)
    for _ in range(5):
        assert post(limited, "198.51.100.1").status_code == 201
    refused = post(limited, "198.51.100.1")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    error = refused.json()["error"]
    assert error["code"] == "intake_limit" and "this device" in error["message"]
    assert error["details"]["retry_after"] == int(refused.headers["Retry-After"])
    assert post(limited, "198.51.100.2").status_code == 201
    assert reports(db) == before + 6  # the refused one stored nothing


def test_no_address_is_stored_only_rotating_hashes(limited, db, settings):
    assert post(limited, "198.51.100.77").status_code == 201
    keys = db.scalars(text("SELECT key FROM intake_count")).all()
    assert keys and not any("198.51.100.77" in k for k in keys)
    today = intake.client_hash(settings, "198.51.100.77")
    assert f"c:r:{today}" in keys
    tomorrow = intake.client_hash(settings, "198.51.100.77", datetime.now(UTC) + timedelta(days=1))
    assert tomorrow != today


def test_mahalle_and_total_ceilings(limited, db):
    # 60 in one mahalle from many clients: the 61st there is refused, another mahalle is not.
    for i in range(60):
        assert post(limited, f"10.1.{i // 200}.{i % 200}").status_code == 201, i
    refused = post(limited, "10.2.0.1")
    assert refused.status_code == 429 and "neighbourhood" in refused.json()["error"]["message"]
    for i in range(60):
        response = post(limited, f"10.3.{i // 200}.{i % 200}", YENIMAHALLE)
        assert response.status_code == 201, (i, response.text)
    # 120 in total now: the next is refused anywhere.
    total = post(limited, "10.4.0.1", YENIMAHALLE)
    assert total.status_code == 429 and "being sent" in total.json()["error"]["message"]


def with_photos(http: httpx.Client, client: str, count: int) -> httpx.Response:
    jpeg = ("p.jpg", image_bytes("JPEG"), "image/jpeg")
    return http.post(
        "/api/v1/reports",
        data={"report": json.dumps(report_payload())},
        files=[("photos", jpeg)] * count,
        headers={"X-Forwarded-For": client},
    )


def test_photo_ceiling_per_client(limited):
    first = with_photos(limited, "192.0.2.5", 2)
    assert first.status_code == 201, first.text
    again = with_photos(limited, "192.0.2.5", 1)
    assert again.status_code == 429 and "photos" in again.json()["error"]["message"]
    # Without photos she can still report.
    assert post(limited, "192.0.2.5").status_code == 201


def test_me_too_once_per_report_and_device(limited, db, settings):
    published = [make_report(db, settings, status=ReportStatus.published)[0] for _ in range(4)]
    body = {"consent": True, "consent_version": "2026-11-v1"}
    device = {"X-Forwarded-For": "192.0.2.9"}
    url = "/api/v1/reports/{}/confirmations"
    assert (
        limited.post(url.format(published[0].public_id), json=body, headers=device).status_code
        == 201
    )
    again = limited.post(url.format(published[0].public_id), json=body, headers=device)
    assert again.status_code == 429 and "already" in again.json()["error"]["message"]
    assert (
        limited.post(url.format(published[1].public_id), json=body, headers=device).status_code
        == 201
    )
    assert (
        limited.post(url.format(published[2].public_id), json=body, headers=device).status_code
        == 201
    )
    assert (
        limited.post(url.format(published[3].public_id), json=body, headers=device).status_code
        == 429
    )
    other = {"X-Forwarded-For": "192.0.2.10"}
    assert (
        limited.post(url.format(published[0].public_id), json=body, headers=other).status_code
        == 201
    )


def test_a_filled_honeypot_is_refused_and_stores_nothing(limited, db):
    before = reports(db)
    response = post(limited, "192.0.2.20", website="http://spam.example")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "website"
    assert reports(db) == before
    assert post(limited, "192.0.2.20", website="").status_code == 201


def test_a_flood_from_a_few_clients_is_cut_off_while_others_are_accepted(limited, db):
    """2,000 posts from 4 flooding clients, interleaved with 40 others posting once each."""
    before = reports(db)
    flooders = [f"203.0.113.{i}" for i in range(1, 5)]
    accepted = dict.fromkeys(flooders, 0)
    others_ok = 0
    for i in range(2000):
        client = flooders[i % 4]
        status = post(limited, client).status_code
        assert status in (201, 429), status
        accepted[client] += status == 201
        if i % 50 == 0:
            others_ok += post(limited, f"198.18.0.{i // 50}", YENIMAHALLE).status_code == 201
    assert accepted == dict.fromkeys(flooders, 5)
    assert others_ok == 40
    assert reports(db) == before + 20 + 40
