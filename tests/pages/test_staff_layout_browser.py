"""Staff pages on a 360 px phone and a 1366 px desktop (issue 13.5): the moderation queue's
first report above the fold, the dashboard stacked without sideways scrolling, and a
screenshot of every staff page at both widths in test-artifacts/screenshots/staff/."""

from __future__ import annotations

import pytest

from app.models import Role
from tests.support.browser import SCREENSHOTS, browser_page, staff_log_in
from tests.support.factories import PASSWORD, make_report, make_user

pytestmark = pytest.mark.browser
pytest_plugins = ("tests.support.browser",)

WIDTHS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 768}}
STAFF_PAGES = {
    Role.moderator: ["/moderation", "/municipal", "/account"],
    Role.planner: ["/dashboard", "/municipal", "/account"],
    Role.admin: ["/admin/users", "/admin/audit", "/moderation"],
}
OUT = SCREENSHOTS / "staff"


def context_options(size: str) -> dict:
    options = {
        "viewport": WIDTHS[size],
        "locale": "tr-TR",
        "timezone_id": "Europe/Istanbul",
        "service_workers": "block",
    }
    if size == "phone":
        options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
    return options


def overflow(page) -> int:
    """How many px the page is wider than the screen (0: no sideways scrolling).

    Against the device's width: a phone browser widens its layout viewport (innerWidth) to a
    page that is too wide and zooms out, so innerWidth alone would hide the overflow.
    """
    width = page.viewport_size["width"]
    return page.evaluate(
        "w => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth,"
        " window.innerWidth) - w",
        width,
    )


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_first_report_of_the_queue_is_above_the_fold(server, db, settings, chromium, size):
    for i in range(3):
        make_report(db, settings, text=f"Bildirim {i}")
    user = make_user(db, settings, Role.moderator)
    db.commit()
    with browser_page(chromium, server.url, **context_options(size)) as (_, page, traffic):
        staff_log_in(page, "/moderation", user.email, PASSWORD)
        first = page.locator(".queue-item").first
        first.wait_for()
        top = first.bounding_box()["y"]
        height = WIDTHS[size]["height"]
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"moderation-queue-{size}.png"))
        assert top < height * 0.75, f"first report starts {top:.0f} px down at {size}"
        # The filters sit in a row (a grid) at the desktop, not a staircase of columns.
        if size == "desktop":
            page.locator("#queue-tools").evaluate("d => { d.open = true; }")
            tops = page.eval_on_selector_all(
                "#filters > label", "ls => ls.map(l => Math.round(l.getBoundingClientRect().top))"
            )
            assert len(set(tops)) == 1, tops  # one row
            assert page.locator(".queue-item").first.bounding_box()["y"] < height * 0.75
        assert overflow(page) <= 0
        assert traffic.errors == []


def test_the_dashboard_stacks_on_a_phone(server, db, settings, chromium):
    user = make_user(db, settings, Role.planner)
    db.commit()
    with browser_page(chromium, server.url, **context_options("phone")) as (_, page, traffic):
        staff_log_in(page, "/dashboard", user.email, PASSWORD)
        page.wait_for_function(
            "() => document.querySelectorAll('#table tbody tr, table tbody tr').length > 0"
        )
        assert overflow(page) <= 0, "the dashboard scrolls sideways on a phone"
        boxes = page.evaluate(
            """() => ['#dashboard-map', '#legend', '.table-wrap'].map(s => {
                const n = document.querySelector(s); if (!n) return null;
                const r = n.getBoundingClientRect(); return [r.left, r.top, r.width]; })"""
        )
        placed = [b for b in boxes if b]
        assert len(placed) == 3, boxes
        # Stacked: one under the other, each within the screen's width.
        assert all(b[0] >= -1 and b[0] + b[2] <= 361 for b in placed), placed
        assert [b[1] for b in placed] == sorted(b[1] for b in placed)
        assert traffic.errors == []


@pytest.mark.parametrize("role", list(STAFF_PAGES), ids=lambda r: r.value)
@pytest.mark.parametrize("size", list(WIDTHS))
def test_screenshots_of_every_staff_page(server, db, settings, chromium, role, size):
    make_report(db, settings)
    user = make_user(db, settings, role)
    db.commit()
    OUT.mkdir(parents=True, exist_ok=True)
    with browser_page(chromium, server.url, **context_options(size)) as (_, page, traffic):
        paths = STAFF_PAGES[role]
        staff_log_in(page, paths[0], user.email, PASSWORD)
        for i, path in enumerate(paths):
            if i:
                page.goto(path)
            page.wait_for_load_state("networkidle")
            name = f"{role.value}-{path.strip('/').replace('/', '-')}-{size}.png"
            page.screenshot(path=str(OUT / name), full_page=True)
            assert overflow(page) <= 0, f"{path} scrolls sideways at {size}"
        assert traffic.errors == []
