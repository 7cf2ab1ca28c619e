"""In a real Chromium, as a municipal equality unit would: import a plan from a spreadsheet
(a bad file first: its rows listed, nothing imported), add an item, link a target to the
map's indicator, put the plan in force, add a period, close and publish it, then read the
published PDF: the frozen value is the map's own for the same mahalle and period. axe-core
finds nothing serious on the new pages on a laptop (1366×768) and a phone (360×740)."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from babel.numbers import format_decimal
from openpyxl import Workbook
from sqlalchemy import func, select

from app.models import EqualityPlan, PlanIndicator, PlanItem, ReportStatus, Role
from app.services.reference import mahalle_at
from tests.support.browser import axe_serious, browser_page, phone_context, staff_log_in
from tests.support.factories import KIZILAY, PASSWORD, login, make_report, make_user

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

YEAR = date.today().year
CODE = "YEEP-TABLO"
DESK = {
    "viewport": {"width": 1366, "height": 768},
    "locale": "tr-TR",
    "timezone_id": "Europe/Istanbul",
    "service_workers": "block",
}
HEADER = ["code", "parent_code", "kind", "title_tr", "responsible_unit", "mahalle",
          "report_category_groups"]  # fmt: skip


def _xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _reloading(page, action) -> None:
    """Do what reloads the work page and wait until its module is wired again."""
    with page.expect_navigation():
        action()
    page.locator("body[data-ready=true]").wait_for()


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_the_equality_unit_imports_edits_and_publishes_a_plan(
    server, db, settings, chromium, client, tmp_path
):
    planner = make_user(db, settings, Role.planner, ["cankaya"])
    mahalle = mahalle_at(db, *KIZILAY)
    assert mahalle is not None
    for _ in range(6):
        make_report(db, settings, status=ReportStatus.published)  # dark_street: lighting
    make_report(db, settings, status=ReportStatus.published, category="verbal_harassment")
    db.commit()
    bad = _xlsx(
        tmp_path / "bozuk.xlsx",
        [
            ["1", None, "theme", "Güvenli kent", "kadin", None, None],
            ["1.1", "1", "goal", "Aydınlık sokaklar", None, None, None],
            ["1.1.T", "9.9", "target", "Bildirimler azalır", None, mahalle.code, "lighting"],
        ],
    )
    good = _xlsx(
        tmp_path / "plan.xlsx",
        [
            ["1", None, "theme", "Güvenli kent", "kadin", None, None],
            ["1.1", "1", "objective", "Aydınlık sokaklar", "kadin", None, None],
            ["1.1.T", "1.1", "target", "Aydınlatma bildirimleri azalır", "fen-isleri",
             mahalle.code, "lighting"],
        ],
    )  # fmt: skip

    with browser_page(chromium, server.url, timeout_ms=60_000, **DESK) as (_, page, traffic):
        staff_log_in(page, "/plans/import", planner.email, PASSWORD, ready=True)
        page.goto("/plans")
        page.get_by_role("link", name="Tablodan plan içe aktarın").click()
        page.wait_for_url("**/plans/import")
        page.locator("body[data-ready=true]").wait_for()
        assert axe_serious(page, "plan-import-desk") == []
        form = page.locator("#import-form")
        form.get_by_label("Plan kodu").fill(CODE)
        form.get_by_label("Başlık (Türkçe)").fill("Tablodan gelen eşitlik planı")
        form.get_by_label("Plan dönemi başlangıcı").fill(f"{YEAR - 1}-01-01")
        form.get_by_label("Plan dönemi bitişi").fill(f"{YEAR + 2}-12-31")
        form.get_by_label("Tablo dosyası").set_input_files(str(bad))
        with page.expect_response(lambda r: r.url.endswith("/api/v1/plans/import")) as sent:
            form.get_by_role("button", name="Taslak olarak içe aktar").click()
        assert sent.value.status == 422
        problems = page.locator("#import-problems li")
        problems.first.wait_for()
        texts = problems.all_inner_texts()
        assert any(t.startswith("row 3: kind") for t in texts), texts
        assert any(t.startswith("row 4: parent_code") for t in texts), texts
        assert page.evaluate("document.activeElement.id") == "import-problems"
        assert form.get_by_label("Plan kodu").input_value() == CODE  # the form is kept
        with server.lock:
            assert db.scalar(select(func.count()).select_from(EqualityPlan)) == 0
        assert axe_serious(page, "plan-import-refused") == []

        form.get_by_label("Tablo dosyası").set_input_files(str(good))
        form.get_by_role("button", name="Taslak olarak içe aktar").click()
        page.wait_for_url(f"**/plans/{CODE}/work")
        page.locator("body[data-ready=true]").wait_for()
        assert page.locator("#plan-state").inner_text() == "Taslak"

        item = page.locator("form.js-item")
        item.locator("[name=parent]").select_option("1.1.T")
        item.get_by_label("Madde kodu").fill("1.1.1")
        item.get_by_label("Başlık (Türkçe)").fill("Lamba yenileme")
        item.get_by_label("Sorumlu birim").select_option("fen-isleri")
        item.get_by_label("Planlanan bütçe (TL)").fill("250000")
        item.locator("[name=mahalle]").select_option([mahalle.code])
        item.locator("[name=report_category_groups][value=lighting]").check()
        _reloading(page, lambda: item.get_by_role("button", name="Maddeyi ekle").click())

        indicator = page.locator("form.js-indicator")
        indicator.locator("[name=item]").select_option("1.1.T")
        indicator.get_by_label("Gösterge kodu").fill("G1")
        indicator.get_by_label("Ad (Türkçe)").fill("Aydınlatma bildirimleri / 1.000 kadın")
        indicator.locator("[name=computed_code]").select_option("reports_per_1000_women")
        assert indicator.get_by_label("Ölçü birimi").input_value() == "per 1,000 women"
        indicator.locator("[name=computed_groups][value=lighting]").check()
        indicator.get_by_label("Başlangıç değeri").fill("4.1")
        indicator.get_by_label("Hedef değer").fill("2")
        indicator.get_by_label("Hedef yılı").fill(str(YEAR + 2))
        indicator.locator("[name=direction]").select_option("decrease")
        with page.expect_response(lambda r: r.url.endswith("/indicators")) as refused:
            indicator.get_by_role("button", name="Göstergeyi ekle").click()
        assert refused.value.status == 422  # a target without its baseline year
        error = indicator.locator(".work-form__error")
        error.wait_for()
        assert "baseline_period" in error.inner_text()
        assert indicator.get_by_label("Başlangıç yılı").get_attribute("aria-invalid") == "true"
        with server.lock:
            assert db.scalar(select(func.count()).select_from(PlanIndicator)) == 0
        indicator.get_by_label("Başlangıç yılı").fill(str(YEAR - 1))
        _reloading(page, lambda: indicator.get_by_role("button", name="Göstergeyi ekle").click())
        assert (
            "reports_per_1000_women: lighting"
            in page.locator(".js-plan-section ~ section").nth(1).inner_text()
        )

        for state in ("Onaylandı", "Yürürlükte"):
            button = page.get_by_role("button", name=f"Planı şu duruma taşı: {state}")
            _reloading(page, button.click)
            assert page.locator("#plan-state").inner_text() == state

        period = page.locator("form.js-new-period")
        period.get_by_label("Etiket").fill(str(YEAR))
        period.get_by_label("Başlangıç").fill(f"{YEAR}-01-01")
        period.get_by_label("Bitiş").fill(f"{YEAR}-12-31")
        _reloading(page, lambda: period.get_by_role("button", name="Dönemi ekle").click())
        for _ in range(3):  # open → collecting → under review (frozen) → published
            move = page.locator(f".js-period[data-period='{YEAR}']")
            _reloading(page, move.click)
        assert page.locator(f".js-period[data-period='{YEAR}']").count() == 0
        assert axe_serious(page, "plan-work-edit-desk") == []
        page.goto("/plans")
        page.locator(f".managed-plan[data-plan-code='{CODE}']").wait_for()
        assert axe_serious(page, "plans-managed-desk") == []
        assert traffic.errors == [] and traffic.blocked == []

    with server.lock:
        db.expire_all()
        plan = db.scalar(select(EqualityPlan).where(EqualityPlan.code == CODE))
        assert plan is not None and plan.state.value == "in_force"
        item_row = db.scalar(
            select(PlanItem).where(PlanItem.plan_id == plan.id, PlanItem.code == "1.1.1")
        )
        assert item_row is not None and item_row.mahalle_ids == [mahalle.id]
        assert float(item_row.budget_planned_try or 0) == 250000

    # The map's own indicator for the same mahalle and period, from the planner API.
    login(client, planner)
    layer = client.get(
        "/api/v1/planner/indicators",
        params={"municipality": "cankaya", "group": "lighting", "since": f"{YEAR}-01-01",
                "until": f"{YEAR}-12-31"},
    )  # fmt: skip
    assert layer.status_code == 200, layer.text
    (props,) = [
        f["properties"] for f in layer.json()["features"] if f["properties"]["code"] == mahalle.code
    ]
    expected = props["reports_per_1000_women"]
    assert expected and expected > 0 and not props["reports_per_1000_women_suppressed"]
    client.cookies.clear()
    (report,) = client.get(f"/api/v1/plans/{CODE}/reports").json()["reports"]
    pdf = client.get(report["pdf_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    text = _pdf_text(pdf.content, tmp_path)
    shown = format_decimal(expected, locale="tr", numbering_system="latn")
    (row,) = [line for line in text.splitlines() if mahalle.code in line]
    assert row.split()[-1] == shown, (row, shown)
    assert "Tablodan gelen eşitlik planı" in text and "Lamba yenileme" in text

    with phone_context(chromium, server.url, timeout_ms=60_000) as (_, phone):
        staff_log_in(phone.page, "/plans/import", planner.email, PASSWORD, ready=True)
        assert axe_serious(phone.page, "plan-import-phone") == []
        for path in (f"/plans/{CODE}/work", "/plans"):
            phone.page.goto(path)
            phone.page.locator("body[data-ready=true], .plans").first.wait_for()
            assert axe_serious(phone.page, f"plan-edit-phone-{path.count('/')}") == []
