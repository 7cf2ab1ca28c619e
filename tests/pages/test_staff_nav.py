"""The staff menu offers each role the pages it may open, and only those."""

from __future__ import annotations

import re

import pytest

from app.models import Role
from tests.support.factories import login, make_user

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
