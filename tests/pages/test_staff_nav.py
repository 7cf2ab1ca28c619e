"""The staff menu offers each role the pages it may open, and only those."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from app.models import Role
from tests.support.browser import phone_context
from tests.support.factories import PASSWORD, login, make_user

pytest_plugins = ("tests.support.browser",)

PAGES = {
    Role.moderator: {"/moderation", "/audits", "/municipal", "/plans", "/account"},
    Role.planner: {"/dashboard", "/municipal", "/plans", "/account"},
    Role.admin: {
        *("/moderation", "/audits", "/dashboard", "/municipal", "/plans", "/account"),
        *("/admin/users", "/admin/audit"),
    },
}


@pytest.mark.parametrize("role", list(PAGES))
def test_the_menu_links_every_page_of_the_role(client, db, settings, role):
    login(client, make_user(db, settings, role, ["cankaya"]))
    page = client.get("/municipal")
    assert page.status_code == 200
    menu = re.search(r'<nav class="staff-nav".*?</nav>', page.text, re.S).group(0)
    links = set(re.findall(r'<a href="([^"]+)"', menu))
    assert links == PAGES[role]
    for link in links:  # each opens for this role
        assert client.get(link).status_code == 200, link


@pytest.mark.browser
def test_log_out_without_a_connection_says_so_and_keeps_her_on_the_page(
    server, db, settings, chromium
):
    with server.lock:
        user = make_user(db, settings, Role.moderator, ["cankaya"], email="cikis@example.org")
    with phone_context(chromium, server.url, service_workers="block") as (context, phone):
        page = phone.page
        page.goto("/login")
        page.get_by_label("E-posta").fill(user.email)
        page.get_by_label("Parola").fill(PASSWORD)
        page.get_by_role("button", name="Giriş yap").click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/moderation")
        page.goto("/account")  # a page that asks nothing of the network by itself
        page.get_by_role("button", name="Çıkış yap").wait_for()
        context.set_offline(True)
        with page.expect_event("dialog") as shown:
            page.get_by_role("button", name="Çıkış yap").click()
        dialog = shown.value
        message = dialog.message
        dialog.accept()
        assert message == (
            'Çıkış yapılamadı. Bağlantıyı kontrol edin ve "Çıkış yap" düğmesine yeniden basın.'
        )
        assert urlsplit(page.url).path == "/account"
        assert page.request.get("/api/v1/auth/me").status == 200  # still signed in: she knows
        context.set_offline(False)
        page.get_by_role("button", name="Çıkış yap").click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/login")
        assert page.request.get("/api/v1/auth/me").status == 401  # ended on the server
