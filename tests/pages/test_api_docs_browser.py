"""/docs and /redoc render in Chromium from local assets, under the pages' CSP, with nothing
fetched from outside and no script error."""

from __future__ import annotations

import pytest

from tests.support.browser import browser_page

pytestmark = pytest.mark.browser
pytest_plugins = ("tests.support.browser",)


@pytest.mark.parametrize(
    ("path", "ready"),
    [("/docs", ".opblock-summary-path"), ("/redoc", "[role=menuitem], .menu-content li")],
)
def test_api_docs_render_locally_under_the_csp(server, chromium, path, ready):
    with browser_page(chromium, server.url) as (_context, page, traffic):
        violations: list[str] = []
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(path)
        page.locator(ready).first.wait_for()
        assert "/api/v1/reports" in page.content()
        assert traffic.blocked == []  # nothing asked of another host
        assert traffic.errors == []
        # ReDoc's sidebar always links Redocly's logo from its CDN: the CSP refuses it (it
        # hides itself on error), which is the policy working. Nothing else may be refused.
        logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
        assert [v for v in violations if logo not in v] == []
