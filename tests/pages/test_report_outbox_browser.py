"""The offline outbox of the report flow, in a real Chromium on a 360×740 phone.

A report sent without a connection is kept on the phone (IndexedDB) and sent when the
connection returns: on the `online` event, on her next visit, or while she writes another.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.models import Report, TimeBand
from tests.support.browser import Phone, phone_context
from tests.support.citizen_browser_support import (
    KIZILAY,
    NOTHING_LEFT,
    TRACKING_CODE,
    centre_map,
    open_flow,
    step_consent,
    step_what,
    step_when,
    storage_left,
    stored_report,
    tracking_code,
)

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

ISTANBUL = ZoneInfo("Europe/Istanbul")  # the phone's time zone (PHONE_OPTIONS)


def kept_reports(page) -> list[dict]:
    """The report bodies waiting in the outbox (IndexedDB), as they will be sent."""
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open('mh-outbox');
            open.onsuccess = () => {
                const all = open.result.transaction('reports').objectStore('reports').getAll();
                all.onsuccess = () => { open.result.close(); resolve(all.result.map(r => JSON.parse(r.report))); };
            };
        })"""
    )


def fill_in_a_report(phone: Phone, *, now: bool, text: str) -> None:
    """Go through the flow up to sending: when, a tap by Kızılay, what, consent."""
    page = phone.page
    open_flow(page)
    step_when(page, now=now)
    centre_map(page, *KIZILAY)
    phone.tap_map_at(*KIZILAY)
    step_what(page, text=text)
    step_consent(page)


def test_report_made_offline_is_kept_then_sent_when_the_connection_returns(server, db, chromium):
    with phone_context(chromium, server.url) as (context, phone):
        page = phone.page
        fill_in_a_report(phone, now=False, text="Çevrimdışı yazıldı.")
        with server.lock:
            before = db.scalar(select(func.count(Report.id)))
        context.set_offline(True)
        page.get_by_role("button", name="Bildirimi gönder").click()
        page.locator("#done-queued").wait_for()
        assert "Henüz gönderilmedi" in page.locator("#done-queued").inner_text()
        queue = page.locator("#queue-status")
        assert queue.inner_text().startswith("1 bildirim bu telefonda saklanıyor")
        assert [r["text"] for r in kept_reports(page)] == ["Çevrimdışı yazıldı."]
        phone.screenshot("flow-offline-1-kept")
        with server.lock:
            assert db.scalar(select(func.count(Report.id))) == before

        context.set_offline(False)  # the `online` event sends it
        code = tracking_code(page)
        queue.wait_for(state="hidden")
        phone.screenshot("flow-offline-2-sent")
        assert storage_left(page) == NOTHING_LEFT  # the outbox is gone once it is sent
    report = stored_report(db, server, code)
    assert report.text == "Çevrimdışı yazıldı."


def test_report_kept_offline_is_sent_on_the_next_visit(server, db, chromium):
    """She closed the page while offline; the report goes out when she next opens the map.

    "Happening now" is kept as the date and time band of the moment she made it: sent the
    next morning, a report made last night stays a night-time report of last night.
    """
    yesterday = datetime.now(ISTANBUL).date() - timedelta(days=1)
    last_night = datetime.combine(yesterday, time(23, 30), ISTANBUL)
    with phone_context(chromium, server.url) as (context, phone):
        page = phone.page
        fill_in_a_report(phone, now=True, text="Sonraki ziyarette gönderildi.")
        context.set_offline(True)
        page.clock.set_fixed_time(last_night)
        page.get_by_role("button", name="Bildirimi gönder").click()
        page.locator("#done-queued").wait_for()
        [kept] = kept_reports(page)
        assert kept["happening_now"] is False
        assert (kept["occurred_on"], kept["time_band"]) == (last_night.date().isoformat(), "night")
        page.close()

        context.set_offline(False)
        later = context.new_page()
        later.on("pageerror", lambda error: phone.traffic.errors.append(str(error)))
        later.goto("/")
        code = tracking_code(later)
        later.locator("#queue-status").wait_for(state="hidden")
        assert storage_left(later) == NOTHING_LEFT
    report = stored_report(db, server, code)
    assert report.text == "Sonraki ziyarette gönderildi."
    assert (report.occurred_on, report.time_band) == (last_night.date(), TimeBand.night)


def test_report_sent_from_the_outbox_does_not_replace_the_one_she_is_writing(server, db, chromium):
    with phone_context(chromium, server.url) as (context, phone):
        page = phone.page
        fill_in_a_report(phone, now=True, text="İlk bildirim.")
        context.set_offline(True)
        page.get_by_role("button", name="Bildirimi gönder").click()
        page.locator("#done-queued").wait_for()
        page.get_by_role("button", name="Kapat").click()
        # A second report, half written, when the connection returns.
        page.get_by_role("button", name="Bir yer bildir").click()
        page.get_by_label("Şu an, burada oluyor").check()
        context.set_offline(False)
        notice = page.locator("#outbox-sent")
        notice.wait_for()
        code = page.locator("#outbox-codes").inner_text().strip()
        assert re.match(TRACKING_CODE, code)
        assert page.locator("#step-when").is_visible()  # her second report is still there
        assert page.locator("#when-now").is_checked()
        phone.screenshot("flow-offline-3-sent-while-writing")
        page.get_by_role("button", name="Not ettim").click()
        assert notice.is_hidden() and page.locator("#outbox-codes").inner_text() == ""
        assert storage_left(page) == NOTHING_LEFT
    assert stored_report(db, server, code).text == "İlk bildirim."
