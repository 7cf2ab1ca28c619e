"""The administration page in a real Chromium: create a moderator in Yenimahalle, give her
Çankaya too, edit a responsibility row, be told why a municipality cannot be deleted; an
accessibility scan with axe-core."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import ModerationEvent, Municipality, Responsibility, Role, User
from app.services.accounts import auth
from app.services.reference import memberships
from tests.support.factories import make_report

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

ADMIN = "yonetici@example.org"
PASSWORD = "admin-password-1234"
NEW = "zehra.gonullu@example.org"


def test_admin_creates_a_moderator_in_yenimahalle_and_edits_a_responsibility(
    server, db, settings, laptop
):
    admin = auth.create_user(db, settings, ADMIN, PASSWORD, Role.admin)
    make_report(db, settings)  # Çankaya has a report: it cannot be deleted
    db.commit()
    page = laptop.page
    laptop.log_in("/admin/users", ADMIN, PASSWORD)
    assert page.title() == "Yönetim"
    accounts = page.locator("#create-form")
    yenimahalle = accounts.get_by_role("checkbox", name="Yenimahalle Belediyesi (yenimahalle)")
    yenimahalle.wait_for()

    # A planner without a municipality is refused, and told which field to fix.
    accounts.get_by_label("E-posta").fill("planlama2@example.org")
    accounts.get_by_label("Rol", exact=True).select_option("planner")
    accounts.get_by_label("İlk parola").fill("mor harita planlama")
    accounts.get_by_role("button", name="Hesap oluştur").click()
    error = page.locator("#create-error")
    error.get_by_text("municipalities").wait_for()
    first_box = accounts.get_by_role("checkbox").first
    assert first_box.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.type") == "checkbox"

    # An administrator holds none: the boxes switch off.
    accounts.get_by_label("Rol", exact=True).select_option("admin")
    assert yenimahalle.is_disabled()
    accounts.get_by_label("Rol", exact=True).select_option("moderator")
    assert yenimahalle.is_enabled()

    accounts.get_by_label("E-posta").fill(NEW)
    yenimahalle.check()
    accounts.get_by_role("button", name="Hesap oluştur").click()
    page.locator("#page-status").get_by_text(f"Hesap oluşturuldu: {NEW}").wait_for()
    row = page.locator(f'#users tr[data-email="{NEW}"]')
    assert row.locator("td").nth(1).inner_text() == "moderatör"
    assert row.locator("td").nth(2).inner_text() == "yenimahalle"
    with server.lock:
        user = db.scalar(select(User).where(User.email == NEW))
        assert user.role is Role.moderator
        assert memberships(db, user.id) == ["yenimahalle"]

    # Edit: Çankaya too; the focus goes to the form and comes back to the row.
    row.get_by_role("button", name=f"Düzenle: {NEW}").click()
    edit = page.locator("#edit-user")
    assert page.evaluate("document.activeElement.id") == "edit-user-title"
    assert edit.get_by_role("checkbox", name="Yenimahalle Belediyesi (yenimahalle)").is_checked()
    edit.get_by_role("checkbox", name="Çankaya Belediyesi (cankaya)").check()
    edit.get_by_role("button", name="Değişiklikleri kaydet").click()
    page.locator("#page-status").get_by_text(f"Kaydedildi: {NEW}").wait_for()
    assert edit.is_hidden()
    assert row.locator("td").nth(2).inner_text() == "cankaya, yenimahalle"
    assert page.evaluate("document.activeElement.dataset.edit") == NEW

    # The responsibility table: name the department that acts on lighting in Çankaya.
    duties = page.locator("#responsibility")
    department = duties.get_by_label("cankaya alanında Aydınlatma için birim")
    department.fill("Fen İşleri Müdürlüğü")
    duties.get_by_label("cankaya alanında Aydınlatma için iletişim e-postası").fill(
        "fen@cankaya.example"
    )
    duties.get_by_role("button", name="Kaydet: cankaya alanında Aydınlatma").click()
    page.locator("#duty-status").get_by_text("Kaydedildi: cankaya alanında Aydınlatma").wait_for()
    # Transport in Çankaya: Ankara BB's EGO, as a row of its own.
    form = page.locator("#duty-form")
    form.get_by_label("Alan", exact=True).select_option("cankaya")
    form.get_by_label("Kategori grubu").select_option("transport")
    form.get_by_label("Sorumlu belediye").select_option("ankara")
    form.get_by_label("Birim").fill("EGO Genel Müdürlüğü")
    form.get_by_role("button", name="Satırı kaydet").click()
    duties.locator('tr[data-area="cankaya"][data-group="transport"]').wait_for()
    with server.lock:
        db.expire_all()
        cankaya = db.scalar(select(Municipality).where(Municipality.code == "cankaya"))
        rows = {
            r.category_group.value: r
            for r in db.scalars(select(Responsibility).where(Responsibility.area_id == cankaya.id))
        }
        assert rows["lighting"].department == "Fen İşleri Müdürlüğü"
        assert rows["lighting"].contact_email == "fen@cankaya.example"
        assert rows["transport"].department == "EGO Genel Müdürlüğü"
        events = db.scalars(
            select(ModerationEvent.action)
            .where(ModerationEvent.actor_id == admin.id)
            .order_by(ModerationEvent.id)
        ).all()
        assert [e for e in events if not e.startswith("auth.")] == [
            "user.create",
            "user.municipalities",
            "user.municipalities",
            "responsibility.set",
            "responsibility.set",
        ]

    # Yenimahalle protects small counts more: its own k.
    page.locator('#municipalities tr[data-code="yenimahalle"]').get_by_role(
        "button", name="Düzenle: Yenimahalle Belediyesi"
    ).click()
    assert page.evaluate("document.activeElement.id") == "municipality-form-title"
    municipality = page.locator("#municipality-form")
    assert municipality.get_by_label("Kod").is_disabled()
    municipality.get_by_label("Küçük hücre eşiği k").fill("10")
    municipality.get_by_role("button", name="Değişiklikleri kaydet").click()
    status = page.locator("#municipality-status")
    status.get_by_text("Kaydedildi: Yenimahalle Belediyesi").wait_for()
    assert "eşik k = 10" in page.locator('#municipalities tr[data-code="yenimahalle"]').inner_text()
    with server.lock:
        db.expire_all()
        yenimahalle = db.scalar(select(Municipality).where(Municipality.code == "yenimahalle"))
        assert (yenimahalle.k_threshold, yenimahalle.parent_id) == (10, cankaya.parent_id)

    # Deleting Çankaya is refused, saying what it still has.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('#municipalities tr[data-code="cankaya"]').get_by_role(
        "button", name="Sil: Çankaya Belediyesi"
    ).click()
    page.locator("#municipality-status").get_by_text("cannot be deleted").wait_for()
    assert "reports (1)" in page.locator("#municipality-status").inner_text()
    assert page.locator('#municipalities tr[data-code="cankaya"]').count() == 1

    assert laptop.axe() == []
