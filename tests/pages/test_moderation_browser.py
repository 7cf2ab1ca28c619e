"""The moderation queue in a real Chromium: log in, approve by keyboard, bulk approve, redact
a phone number with one click, merge a duplicate; an accessibility scan with axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import Confirmation, Report, ReportStatus, Role
from tests.support.browser import SCREENSHOTS, Traffic, axe_serious, browser_page
from tests.support.factories import KIZILAY, make_report, make_user
from tests.support.moderation_support import events_for

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

EMAIL = "gonullu@example.org"
PASSWORD = "volunteer-password-123"


class Desk:
    """A laptop-sized page on the live server (volunteers moderate at a desk)."""

    def __init__(self, page, traffic: Traffic) -> None:
        self.page = page
        self.traffic = traffic

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")

    def log_in(self) -> None:
        page = self.page
        page.goto("/moderation")
        page.locator("#login-form").wait_for()
        page.get_by_label("E-posta").fill(EMAIL)
        page.get_by_label("Parola").fill(PASSWORD)
        page.get_by_role("button", name="Giriş yap").click()
        page.wait_for_url("**/moderation")
        page.wait_for_function("() => document.querySelectorAll('.queue-item').length > 0")

    def item(self, report: Report):
        return self.page.locator(f'li[data-public-id="{report.public_id}"]')


@pytest.fixture
def desk(chromium, server) -> Iterator[Desk]:
    with browser_page(
        chromium,
        server.url,
        viewport={"width": 1280, "height": 900},
        locale="tr-TR",
        timezone_id="Europe/Istanbul",
        service_workers="block",
    ) as (_, page, traffic):
        yield Desk(page, traffic)
        assert traffic.errors == [], f"JavaScript errors: {traffic.errors}"


@pytest.fixture
def volunteer(db, settings):
    return make_user(db, settings, Role.moderator, email=EMAIL, password=PASSWORD)


def statuses(server, db, *reports: Report) -> list[ReportStatus]:
    with server.lock:
        db.expire_all()
        return [db.get(Report, r.id).status for r in reports]


def test_approve_by_keyboard_with_help_and_edit_lock(server, db, settings, desk, volunteer):
    first, _ = make_report(db, settings, text="birinci")
    second, _ = make_report(db, settings, text="ikinci")
    # One test is one transaction, where now() does not move: set the times apart.
    first.created_at = second.created_at - timedelta(minutes=5)
    other = make_user(db, settings, Role.moderator, email="diger@example.org", password=PASSWORD)
    second.locked_by_id = other.id  # another volunteer is working on the second one
    second.locked_until = datetime.now(UTC) + timedelta(minutes=3)
    db.commit()
    desk.log_in()
    page = desk.page
    page.keyboard.press("?")
    page.locator("#help").wait_for()
    assert "Sonraki / önceki bildirim" in page.locator("#help").inner_text()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    assert desk.item(first).get_attribute("aria-current") == "true"
    page.keyboard.press("j")
    assert desk.item(second).get_attribute("aria-current") == "true"
    page.keyboard.press("k")
    assert desk.item(first).get_attribute("aria-current") == "true"
    page.keyboard.press("e")  # the edit lock
    page.get_by_text("Bu bildirimi siz düzenliyorsunuz").wait_for()
    desk.screenshot("moderation-desk-1-locked")
    page.keyboard.press("a")
    desk.item(first).wait_for(state="detached")
    assert page.locator("#page-status").inner_text() == f"Onaylandı: {first.public_id}"
    assert desk.item(second).get_attribute("aria-current") == "true"
    assert "diger@example.org bu bildirim üzerinde çalışıyor" in desk.item(second).inner_text()
    page.keyboard.press("a")  # refused: the lock is hers, and the page says so in Turkish
    desk.item(second).locator(".queue-item__status").filter(has_text="diger@example.org").wait_for()
    assert statuses(server, db, first, second) == [ReportStatus.published, ReportStatus.pending]
    with server.lock:
        db.expire_all()
        assert db.get(Report, first.id).locked_by_id is None  # released by the action


def test_bulk_approve_redact_and_merge(server, db, settings, desk, volunteer):
    a, _ = make_report(db, settings, text="Köşedeki lamba kırık.")
    b, _ = make_report(db, settings, text="Sokak karanlık.")
    phone_text = "Beni arayın 0532 123 45 67, lamba yanmıyor."
    with_phone, _ = make_report(db, settings, text=phone_text)
    original, _ = make_report(db, settings, status=ReportStatus.published)
    duplicate, code = make_report(db, settings, text="Aynı lamba.")
    db.add(Confirmation(report_id=duplicate.id, municipality_id=duplicate.municipality_id))
    db.commit()
    desk.log_in()
    page = desk.page

    # Redact the phone number with one click; the original stays.
    item = desk.item(with_phone)
    assert "Telefon numarası: 0532 123 45 67" in item.inner_text()
    item.get_by_role("button", name="[telefon] ile gizle").click()
    page.wait_for_function(
        'id => { const li = document.querySelector(`li[data-public-id="${id}"]`);'
        " return li && !li.querySelector('.queue-item__published').hidden; }",
        arg=with_phone.public_id,
    )
    item = desk.item(with_phone)
    assert "Beni arayın [telefon], lamba yanmıyor." in item.inner_text()
    desk.screenshot("moderation-desk-2-redacted")
    with server.lock:
        db.expire_all()
        stored = db.get(Report, with_phone.id)
        assert (stored.text, stored.redacted_text) == (
            phone_text,
            "Beni arayın [telefon], lamba yanmıyor.",
        )

    # Merge the duplicate into the published original.
    item = desk.item(duplicate)
    item.locator("summary").click()
    item.get_by_label("Şu bildirimin tekrarı").fill(original.public_id)
    item.get_by_role("button", name="Birleştir").click()
    item.wait_for(state="detached")
    assert page.locator("#page-status").inner_text() == (
        f"{original.public_id} ile birleştirildi: {duplicate.public_id}"
    )

    # Bulk approve a selection of two.
    desk.item(a).locator(".js-select").check()
    desk.item(b).locator(".js-select").check()
    assert page.locator("#selected-count").inner_text() == "2 seçildi"
    page.get_by_role("button", name="Seçilenleri onayla").click()
    page.get_by_text("2 bildirim tamamlandı.").wait_for()
    desk.screenshot("moderation-desk-3-bulk")
    assert statuses(server, db, a, b, with_phone, duplicate) == [
        ReportStatus.published,
        ReportStatus.published,
        ReportStatus.pending,
        ReportStatus.merged,
    ]
    with server.lock:
        moved = db.scalar(
            select(func.count(Confirmation.id)).where(Confirmation.report_id == original.id)
        )
    assert moved == 2
    tracked = page.evaluate(
        "code => fetch('/api/v1/track', {method: 'POST', headers: {'Content-Type': "
        "'application/json'}, body: JSON.stringify({code})}).then(r => r.json())",
        code,
    )
    assert tracked["status"] == "merged" and tracked["merged_into"] == original.public_id


def test_personal_data_blocks_approval_until_redacted_or_overridden(
    server, db, settings, desk, volunteer
):
    """ "Ara beni 0532…" cannot be published with one key: approval is refused and the item
    offers redaction or an override with a reason, all by keyboard; bulk approval skips it."""
    clean, _ = make_report(db, settings, text="Kaldırım kırık.")
    to_redact, _ = make_report(db, settings, text="Ara beni 0532 123 45 67, lütfen.")
    to_override, _ = make_report(db, settings, text="Yardım hattı 0532 999 88 77 açık değil.")
    to_redact.created_at = to_override.created_at - timedelta(minutes=5)  # first in the queue
    db.commit()
    desk.log_in()
    page = desk.page

    # Bulk: the clean one is approved, the flagged ones are skipped and say why.
    for report in (clean, to_redact, to_override):
        desk.item(report).locator(".js-select").check()
    page.get_by_role("button", name="Seçilenleri onayla").click()
    page.get_by_text("1 bildirim tamamlandı.").wait_for()
    status = page.locator("#page-status").inner_text()
    assert "Kişisel veri nedeniyle atlandı" in status
    assert to_redact.public_id in status and to_override.public_id in status
    assert statuses(server, db, clean, to_redact, to_override) == [
        ReportStatus.published,
        ReportStatus.pending,
        ReportStatus.pending,
    ]

    # One key is not enough: "a" is refused and the way out gets the focus.
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("j")
    assert desk.item(to_redact).get_attribute("aria-current") == "true"
    page.keyboard.press("a")  # (the bulk step already showed why; now it takes the focus)
    box = desk.item(to_redact).locator(".queue-item__pii")
    assert "Onaylanmadı" in box.inner_text() and "Telefon numarası" in box.inner_text()
    page.wait_for_function("() => document.activeElement.classList.contains('queue-item__pii')")
    desk.screenshot("moderation-desk-4-personal-data")
    assert axe_serious(page, "moderation-personal-data") == []
    page.keyboard.press("Tab")  # "Hepsini gizle"
    page.keyboard.press("Enter")
    page.wait_for_function(
        'id => { const li = document.querySelector(`li[data-public-id="${id}"]`);'
        " return li && !li.querySelector('.queue-item__published').hidden; }",
        arg=to_redact.public_id,
    )
    desk.item(to_redact).get_by_role("button", name="Onayla", exact=True).click()
    desk.item(to_redact).wait_for(state="detached")

    # The override: a reason, typed and sent with the keyboard only.
    item = desk.item(to_override)
    item.get_by_role("button", name="Onayla", exact=True).click()
    reason = item.get_by_label("Ya da olduğu gibi yayımlayın: bu neden güvenli?")
    reason.wait_for()
    item.get_by_role("button", name="Yine de yayımla (denetim kaydına yazılır)").press("Enter")
    assert reason.get_attribute("aria-invalid") == "true"  # no reason, no override
    reason.fill("Belediyenin yardım hattı, kişisel bir numara değil.")
    reason.press("Tab")
    page.keyboard.press("Enter")
    item.wait_for(state="detached")
    assert page.locator("#page-status").inner_text() == (
        f"Kişisel veriye rağmen onaylandı: {to_override.public_id}"
    )
    assert statuses(server, db, to_redact, to_override) == [ReportStatus.published] * 2
    with server.lock:
        db.expire_all()
        assert db.get(Report, to_redact.id).redacted_text == "Ara beni [telefon], lütfen."
        [override] = [e for e in events_for(db, to_override) if e.action == "report.approve"]
    assert override.reason == "personal_data_override"
    assert override.after["personal_data_override"] == {"hint_kinds": ["phone"]}


def test_queue_has_no_serious_accessibility_violations(server, db, settings, desk, volunteer):
    make_report(db, settings, text="Telefonum 0532 123 45 67")
    make_report(db, settings, category="verbal_harassment", text="Takip edildim.")
    db.commit()
    desk.log_in()
    page = desk.page
    assert page.locator(".queue-item__sensitive:visible").count() == 1
    assert axe_serious(page, "moderation-queue") == []


def test_move_a_point_by_clicking_the_map(server, db, settings, desk, volunteer):
    report, _ = make_report(db, settings, text="Yer biraz yanlış.")
    db.commit()
    desk.log_in()
    page = desk.page
    item = desk.item(report)
    item.locator("summary").click()
    item.get_by_role("button", name="Noktayı haritada taşı").click()
    page.wait_for_function(
        "() => document.getElementById('preview-map').classList.contains('is-moving')"
    )
    page.wait_for_timeout(400)  # the map pans to the report's point
    box = page.locator("#preview-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 40)
    desk.screenshot("moderation-desk-4-moved")
    page.get_by_text(f"Nokta taşındı: {report.public_id}").wait_for()
    with server.lock:
        db.expire_all()
        moved = db.scalar(
            select(
                func.ST_Distance(
                    func.Geography(Report.location),
                    func.Geography(func.ST_SetSRID(func.ST_MakePoint(*KIZILAY), 4326)),
                )
            ).where(Report.id == report.id)
        )
    assert 20 < moved < 250


def test_planner_forwards_and_resolves_then_the_reporter_sees_it(server, db, settings, desk):
    make_user(db, settings, Role.planner, email="planlama@example.org", password=PASSWORD)
    report, code = make_report(
        db, settings, category="broken_sidewalk", status=ReportStatus.published
    )
    db.commit()
    page = desk.page
    page.goto("/municipal")
    page.get_by_label("E-posta").fill("planlama@example.org")
    page.get_by_label("Parola").fill(PASSWORD)
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_url("**/municipal")
    item = page.locator(f'li[data-public-id="{report.public_id}"]')
    item.wait_for()
    assert item.get_by_label("Aşama").input_value() == "forwarded"
    item.get_by_label("Birim").fill("Fen İşleri Dairesi")
    item.get_by_label("Herkese açık not").fill("Fen İşlerine iletildi.")
    item.get_by_role("button", name="Kaydet").click()
    page.get_by_text("Durum: iletildi").wait_for()
    item.get_by_label("Aşama").select_option("resolved")
    item.get_by_label("Herkese açık not").fill("Kaldırım onarıldı.")
    item.get_by_role("button", name="Kaydet").click()
    page.get_by_text("Durum: çözüldü").wait_for()
    desk.screenshot("municipal-resolved")
    tracked = page.evaluate(
        "code => fetch('/api/v1/track', {method: 'POST', headers: {'Content-Type': "
        "'application/json'}, body: JSON.stringify({code})}).then(r => r.json())",
        code,
    )
    assert tracked["municipal_status"] == "resolved"
    with server.lock:
        db.expire_all()
        stored = db.get(Report, report.id)
        assert stored.forwarded_at is not None and stored.resolved_at is not None
        assert stored.municipal_department == "Fen İşleri Dairesi"


def test_staff_pages_have_no_serious_accessibility_violations(server, db, settings, desk):
    make_user(db, settings, Role.admin, email=EMAIL, password=PASSWORD)
    make_report(db, settings, status=ReportStatus.published, category="broken_sidewalk")
    db.commit()
    page = desk.page
    page.goto("/login")
    found = {"/login": axe_serious(page, "staff-login")}
    page.get_by_label("E-posta").fill(EMAIL)
    page.get_by_label("Parola").fill(PASSWORD)
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_url("**/moderation")
    for path, ready in [
        ("/admin/users", "#users tbody tr"),
        ("/admin/audit", "#audit tbody tr"),
        ("/municipal", "#municipal-list li"),
        ("/account", "#password-form"),
    ]:
        page.goto(path)
        page.locator(ready).first.wait_for()
        found[path] = axe_serious(page, "staff" + path.replace("/", "-"))
    assert found == {path: [] for path in found}


def test_offline_the_queue_says_so_and_loses_nothing(server, db, settings, desk, volunteer):
    report, _ = make_report(db, settings, text="bağlantısız")
    desk.log_in()
    page = desk.page
    page.keyboard.press("j")
    page.context.set_offline(True)
    page.keyboard.press("a")  # approve, with no connection
    item = desk.item(report)
    message = "Sunucuya ulaşılamadı: bağlantıyı kontrol edip yeniden deneyin."
    item.locator(".queue-item__status").filter(has_text=message).wait_for()
    assert item.locator("button").first.is_enabled()  # she can try again
    page.locator("#filter-order").select_option("newest")  # a reload of the queue, offline
    page.locator("#page-status").filter(has_text=message).wait_for()
    assert statuses(server, db, report) == [ReportStatus.pending]
    page.context.set_offline(False)
    page.keyboard.press("j")
    page.keyboard.press("a")
    desk.item(report).wait_for(state="detached")
    assert statuses(server, db, report) == [ReportStatus.published]
    # The desk fixture checks no uncaught error ("Failed to fetch") reached the page.
