"""An audit walk started and recorded with no connection at all, on a 360×740 phone in
Chromium with the service worker: online once, then offline before the walk page is opened;
back online, the walk, its points and its submit reach moderation. Logging out deletes the
page's copy, so the next user of the phone finds nothing."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import select

from app.models import AuditPoint, AuditWalk, Role, WalkStatus
from tests.audits.test_walk_browser import kept_points, score_and_save
from tests.support.browser import axe_serious, phone_context, staff_log_in
from tests.support.factories import KIZILAY, PASSWORD, login, make_user

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

WALK_COPY = "async () => !!(await caches.match('/audits', {cacheName: 'staff-v1'}))"
SHELL_HAS_WALK = """async () => {
    const keys = (await (await caches.open('static-v3')).keys()).map(r => new URL(r.url).pathname);
    return keys.includes('/static/js/audits/record.js') && keys.includes('/vendor/leaflet/leaflet.js');
}"""


def until(page, script: str, timeout_s: float = 15.0) -> None:
    """Wait until the async `script` resolves truthy (wait_for_function does not await)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


def test_walk_started_offline_reaches_moderation_and_logout_forgets_it(
    server, db, settings, chromium
):
    with server.lock:
        volunteer = make_user(db, settings, Role.moderator, ["cankaya"], email="yol@example.org")
        reviewer = make_user(db, settings, Role.moderator, ["cankaya"])
    options = {"service_workers": "allow"}
    with phone_context(chromium, server.url, route=False, **options) as (context, phone):
        page = phone.page
        # Online once: she signs in and opens the walk page, which keeps itself for offline.
        staff_log_in(page, "/audits", volunteer.email, PASSWORD)
        until(page, SHELL_HAS_WALK)
        until(page, WALK_COPY)

        # Fully offline before the page is opened again.
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        page.goto("/audits")
        page.get_by_role("heading", name="Güvenlik denetim yürüyüşleri").wait_for()
        assert volunteer.email in page.locator("#whoami").inner_text()
        page.get_by_label("Grup büyüklüğü").fill("6")
        page.get_by_role("button", name="Yürüyüşü başlat").click()
        page.locator("#record").wait_for()
        assert "Bağlantı yok: yürüyüş bu telefonda" in page.locator("#walk-status").inner_text()
        score_and_save(phone, *KIZILAY, 1)
        score_and_save(phone, KIZILAY[0] + 0.0008, KIZILAY[1], 3)
        assert [p["scores"]["lighting"] for p in kept_points(page)] == [1, 3]
        page.get_by_role("button", name="Yürüyüşü bitir ve gönder").click()
        page.get_by_text("yürüyüş, bağlantı gelince bu telefondan incelemeye").wait_for()
        phone.screenshot("audits-offline-walk-kept")
        assert axe_serious(page, "audits-offline-walk-kept") == []
        # A reload offline still has it all (the page's copy and the outbox).
        page.reload()
        page.get_by_role("heading", name="Güvenlik denetim yürüyüşleri").wait_for()
        assert len(kept_points(page)) == 2
        with server.lock:
            assert db.scalars(select(AuditWalk)).all() == []

        # Back online: the walk is created, its points sent, then it is submitted.
        context.set_offline(False)
        page.get_by_text("Yürüyüş incelemeye gönderildi").wait_for()
        until(
            page,
            "async () => !(await indexedDB.databases()).some(d => d.name === 'mh-audit-outbox')",
        )
        with server.lock:
            (walk,) = db.scalars(select(AuditWalk)).all()
            scores = db.scalars(
                select(AuditPoint.lighting).where(AuditPoint.walk_id == walk.id)
            ).all()
            assert walk.status is WalkStatus.submitted and walk.group_size == 6
            assert walk.recorded_by_id == volunteer.id and sorted(scores) == [1, 3]

        # It waits in another volunteer's moderation queue.
        with httpx.Client(base_url=server.url) as other:
            login(other, reviewer)
            queue = other.get("/api/v1/audits/walks", params={"status": "submitted"}).json()
        assert [w["id"] for w in queue["walks"]] == [str(walk.id)]
        assert queue["walks"][0]["points"] == 2

        # Log-out deletes the copy of her page: offline, the next user gets nothing of it.
        page.goto("/audits")
        until(page, WALK_COPY)
        page.get_by_role("button", name="Çıkış yap").click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/login")
        assert page.evaluate(WALK_COPY) is False
        assert page.evaluate("localStorage.getItem('mh-audit-walk')") is None
        context.set_offline(True)
        with pytest.raises(PlaywrightError, match="net::ERR_"):
            page.goto("/audits")
        # The next user of the phone, in a new tab: the public map still opens offline, and
        # nothing of the staff page is kept.
        other = context.new_page()
        other.goto(f"{server.url}/")
        other.locator("#open-report").wait_for()
        assert "staff-v1" not in other.evaluate("caches.keys()")
        assert volunteer.email not in other.content()
        other.close()
        context.set_offline(False)


KEPT_UNTIL = "async () => (await caches.match('/audits', {cacheName: 'staff-v1'})).headers.get('X-Kept-Until')"
AGE_THE_COPY = """async () => {
    const cache = await caches.open('staff-v1');
    const copy = await cache.match('/audits');
    const headers = new Headers(copy.headers);
    headers.set('X-Kept-Until', String(Date.now() - 1000));
    await cache.put('/audits', new Response(await copy.blob(), {status: 200, headers}));
}"""


def test_a_copy_older_than_a_session_is_not_opened(server, db, settings, chromium):
    with server.lock:
        volunteer = make_user(db, settings, Role.moderator, ["cankaya"], email="eski@example.org")
    with phone_context(chromium, server.url, route=False, service_workers="allow") as (
        context,
        phone,
    ):
        page = phone.page
        staff_log_in(page, "/audits", volunteer.email, PASSWORD)
        until(page, WALK_COPY)
        # Kept for one session's length from when the server gave it.
        left_s = (int(page.evaluate(KEPT_UNTIL)) / 1000) - time.time()
        assert settings.session_max_age_s - 120 < left_s <= settings.session_max_age_s + 5
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.evaluate(AGE_THE_COPY)
        context.set_offline(True)
        with pytest.raises(PlaywrightError, match="net::ERR_"):
            page.goto("/audits")
        context.set_offline(False)
        other = context.new_page()
        other.goto(f"{server.url}/")
        other.locator("#open-report").wait_for()
        assert "staff-v1" not in other.evaluate("caches.keys()")  # deleted, not just skipped
        assert volunteer.email not in other.content()
        other.close()


def test_a_start_whose_answer_is_lost_makes_one_walk(server, db, settings, chromium):
    with server.lock:
        volunteer = make_user(db, settings, Role.moderator, ["cankaya"], email="kayip@example.org")
    lost = []

    def lose_the_first_answer(route):
        if route.request.method == "POST" and not lost:
            answer = route.fetch()  # the server starts the walk...
            lost.append(answer.status)
            route.abort("connectionreset")  # ...and the phone never hears of it
        else:
            route.continue_()

    with phone_context(chromium, server.url, service_workers="block") as (_, phone):
        page = phone.page
        staff_log_in(page, "/audits", volunteer.email, PASSWORD)
        page.route("**/api/v1/audits/walks", lose_the_first_answer)
        page.get_by_label("Grup büyüklüğü").fill("5")
        page.get_by_role("button", name="Yürüyüşü başlat").click()
        page.locator("#record").wait_for()
        assert lost == [201]
        assert "Bağlantı yok: yürüyüş bu telefonda" in page.locator("#walk-status").inner_text()
        # The connection "returns": the phone sends the start again, with the same id.
        page.evaluate("window.dispatchEvent(new Event('online'))")
        until(
            page,
            "() => !String(JSON.parse(localStorage.getItem('mh-audit-walk') || '{}').id || 'local-')"
            ".startsWith('local-')",
        )
        with server.lock:
            walks = db.scalars(select(AuditWalk).where(AuditWalk.recorded_by_id == volunteer.id))
            (walk,) = walks.all()
            assert walk.group_size == 5 and walk.client_id.startswith("local-")
        kept = page.evaluate("JSON.parse(localStorage.getItem('mh-audit-walk')).id")
        assert kept == str(walk.id)
