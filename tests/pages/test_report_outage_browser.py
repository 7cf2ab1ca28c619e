"""The report form when the server cannot take a report (503) or refuses more (429), in a
real Chromium on a phone: a 503 keeps the report in the outbox and sends it when the server
said to; a 429 is explained in Turkish and nothing is kept."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.models import Report
from tests.pages.test_report_outbox_browser import fill_in_a_report, kept_reports
from tests.support.browser import phone_context
from tests.support.citizen_browser_support import tracking_code

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser


def refuse_once(page, status: int, body: dict) -> list[int]:
    """Answer the next POST /api/v1/reports with `status`; later ones reach the server."""
    refused: list[int] = []

    def handler(route):
        if route.request.method == "POST" and not refused:
            refused.append(status)
            route.fulfill(
                status=status,
                content_type="application/json",
                headers={"Retry-After": "1"},
                body=json.dumps(body),
            )
        else:
            route.continue_()

    page.route("**/api/v1/reports", handler)
    return refused


def test_a_503_keeps_the_report_and_sends_it_when_the_server_said(server, db, chromium):
    with phone_context(chromium, server.url) as (_, phone):
        page = phone.page
        fill_in_a_report(phone, now=False, text="Sunucu kısa süre yoktu.")
        unavailable = {
            "error": {
                "code": "database_unavailable",
                "message": "The service is briefly unavailable and nothing was saved.",
                "details": {"retry_after": 2},
            }
        }
        refused = refuse_once(page, 503, unavailable)
        with server.lock:
            before = db.scalar(select(func.count(Report.id)))
        page.get_by_role("button", name="Bildirimi gönder").click()
        page.locator("#done-queued").wait_for()
        assert refused == [503]
        assert [r["text"] for r in kept_reports(page)] == ["Sunucu kısa süre yoktu."]
        # Two seconds later the page sends it by itself, and shows its tracking code.
        code = tracking_code(page)
        assert code
        with server.lock:
            assert db.scalar(select(func.count(Report.id))) == before + 1


def test_a_429_is_explained_in_turkish_and_nothing_is_kept(server, chromium):
    with phone_context(chromium, server.url) as (_, phone):
        page = phone.page
        fill_in_a_report(phone, now=False, text="Çok fazla gönderim.")
        limited = {
            "error": {
                "code": "intake_limit",
                "message": "Too many reports from this device right now.",
                "details": {"retry_after": 60},
            }
        }
        refuse_once(page, 429, limited)
        page.get_by_role("button", name="Bildirimi gönder").click()
        errors = page.locator("#form-errors")
        errors.get_by_text("Şu anda çok fazla bildirim gönderiliyor", exact=False).wait_for()
        assert page.locator("#done-queued").is_hidden()
