"""Recording a walk on a 360×740 phone in Chromium: points saved offline are kept on the
phone, sent when the connection returns, and the walk is submitted; axe finds nothing
serious."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.models import AuditPoint, AuditWalk, Role, WalkStatus
from tests.support.browser import axe_serious, phone_context
from tests.support.citizen_browser_support import centre_map
from tests.support.factories import KIZILAY, PASSWORD, make_user

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

PARAMETERS = (
    "lighting",
    "openness",
    "visibility",
    "people",
    "security",
    "walk_path",
    "public_transport",
    "gender_usage",
    "feeling",
)


def kept_points(page) -> list[dict]:
    """What waits in the walk's outbox (IndexedDB)."""
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open('mh-audit-outbox');
            open.onsuccess = () => {
                const db = open.result;
                if (!db.objectStoreNames.contains('points')) { db.close(); resolve([]); return; }
                const all = db.transaction('points').objectStore('points').getAll();
                all.onsuccess = () => { db.close(); resolve(all.result.map(r => JSON.parse(r.point))); };
            };
        })"""
    )


def score_and_save(phone, lon: float, lat: float, score: int) -> None:
    page = phone.page
    page.locator("#audit-map").scroll_into_view_if_needed()
    centre_map(page, lon, lat, 17)
    phone.tap_map_at(lon, lat)
    assert page.locator("#point-where").inner_text().startswith("Seçilen yer")
    for name in PARAMETERS:
        page.locator(f"input[name='{name}'][value='{score}']").check()
    page.get_by_role("button", name="Noktayı kaydet").click()


def test_walk_recorded_offline_is_sent_when_back_online(server, db, settings, chromium):
    with server.lock:
        volunteer = make_user(
            db, settings, Role.moderator, ["cankaya"], email="yuruyus@example.org"
        )
    with phone_context(chromium, server.url, service_workers="block") as (context, phone):
        page = phone.page
        page.goto("/audits")
        page.locator("#login-form").wait_for()
        page.get_by_label("E-posta").fill(volunteer.email)
        page.get_by_label("Parola").fill(PASSWORD)
        page.get_by_role("button", name="Giriş yap").click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/audits")
        page.get_by_role("heading", name="Güvenlik denetim yürüyüşleri").wait_for()
        assert axe_serious(page, "audits-phone-start") == []

        page.get_by_label("Grup büyüklüğü").fill("5")
        walked_on = page.locator("#walk-date").input_value()
        page.get_by_role("button", name="Yürüyüşü başlat").click()
        page.locator("#record").wait_for()
        phone.screenshot("audits-1-started")
        summary = page.locator("#walk-summary").inner_text()
        assert walked_on not in summary  # the day in words, as everywhere on the page
        assert re.search(r"\b\d{1,2} \w{3} \d{4}\b", summary), summary

        context.set_offline(True)
        # Saving without a place or a score says what is missing.
        page.get_by_role("button", name="Noktayı kaydet").click()
        assert "Önce yeri seçin" in page.locator("#point-errors").inner_text()
        score_and_save(phone, *KIZILAY, 1)
        score_and_save(phone, KIZILAY[0] + 0.0008, KIZILAY[1], 2)
        queue = page.locator("#point-queue")
        expect(queue).to_have_text(re.compile(r"^2 nokta bu telefonda bekliyor"))
        assert [p["scores"]["lighting"] for p in kept_points(page)] == [1, 2]
        phone.screenshot("audits-2-offline-queued")
        assert axe_serious(page, "audits-phone-offline") == []
        with server.lock:
            assert db.scalar(select(func.count(AuditPoint.id))) == 0

        context.set_offline(False)  # the `online` event sends them
        page.wait_for_function("() => document.getElementById('point-queue').hidden")
        assert kept_points(page) == []
        with server.lock:
            stored = db.scalars(select(AuditPoint.lighting).order_by(AuditPoint.lighting)).all()
        assert stored == [1, 2]

        page.get_by_role("button", name="Yürüyüşü bitir ve gönder").click()
        page.get_by_text("Yürüyüş incelemeye gönderildi").wait_for()
        phone.screenshot("audits-3-submitted")
        with server.lock:
            walk = db.scalar(select(AuditWalk))
            assert walk.status is WalkStatus.submitted and walk.group_size == 5
        assert axe_serious(page, "audits-phone-submitted") == []
